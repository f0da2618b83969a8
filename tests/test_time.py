"""Date resolution against a publication date (own examples, several conflicts)."""

import datetime as dt

import pytest

from fogwatch.extract.time import resolve_date

PUB = dt.date(2025, 3, 12)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("Monday", dt.date(2025, 3, 10), "day"),
        ("early on Monday", dt.date(2025, 3, 10), "day"),
        ("late Sunday night", dt.date(2025, 3, 9), "day"),
        ("Wednesday", dt.date(2025, 3, 12), "day"),          # same weekday as publication: that day
        ("last Wednesday", dt.date(2025, 3, 5), "day"),
        ("Thursday", dt.date(2025, 3, 6), "day"),             # most recent Thursday before
        ("yesterday", dt.date(2025, 3, 11), "day"),
        ("overnight", dt.date(2025, 3, 12), "day"),
        ("Tuesday (Mar 4)", dt.date(2025, 3, 4), "day"),       # the explicit date wins
        ("on March 1", dt.date(2025, 3, 1), "day"),
        ("Feb. 27", dt.date(2025, 2, 27), "day"),
        ("27 February", dt.date(2025, 2, 27), "day"),
        ("April 20", dt.date(2024, 4, 20), "day"),             # year-less, after publication: last year
        ("January 9, 2021", dt.date(2021, 1, 9), "day"),
        ("2023-04-15", dt.date(2023, 4, 15), "day"),
        ("three days ago", dt.date(2025, 3, 9), "day"),
        ("last week", dt.date(2025, 3, 3), "week"),
        ("this week", dt.date(2025, 3, 10), "week"),
        ("earlier this month", dt.date(2025, 3, 1), "month"),
        ("last month", dt.date(2025, 2, 1), "month"),
        ("in November", dt.date(2024, 11, 1), "month"),
    ],
)
def test_resolves_against_publication(text, expected, precision):
    got = resolve_date(text, PUB)
    assert got is not None, text
    assert (got.date, got.precision, got.text) == (expected, precision, text)


@pytest.mark.parametrize("text", ["42", "at dawn", "for weeks", "the weekend", "", "   ", "next Friday", "February 30"])
def test_unresolvable_is_none(text):
    assert resolve_date(text, PUB) is None


def test_without_publication_only_absolute_dates():
    assert resolve_date("Monday", None) is None
    assert resolve_date("March 1", None) is None
    got = resolve_date("1 March 2024", None)
    assert got is not None and got.date == dt.date(2024, 3, 1)


def test_year_boundary():
    got = resolve_date("Dec 30", dt.date(2025, 1, 2))
    assert got is not None and got.date == dt.date(2024, 12, 30)


@pytest.mark.parametrize(("text", "published"), [
    ("99999999999 days ago", PUB),
    ("last month", dt.date(1, 1, 5)),
    ("yesterday", dt.date(1, 1, 1)),
    ("Dec 30", dt.date(1, 1, 2)),
])
def test_out_of_calendar_is_none_not_an_error(text, published):
    assert resolve_date(text, published) is None
