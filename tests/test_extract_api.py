"""The public extraction entry point `fogwatch.extract(text, published)`."""

from __future__ import annotations


def test_fogwatch_extract_is_callable_after_the_subpackage_is_imported():
    import fogwatch
    import fogwatch.extract.events  # noqa: F401  (binds fogwatch.extract to the subpackage)
    from fogwatch import extract

    record = extract("", "not a date")
    assert record.published is None and record.figures == ()
    assert fogwatch.extract("", "2024-01-02").published.isoformat() == "2024-01-02"
