"""Quotation spans (fogwatch.extract.quotes): marks, paragraph-spanning quotes."""

from __future__ import annotations

from fogwatch.extract.quotes import find_quotes
from fogwatch.extract.structure import split_blocks


def quotes_of(text: str) -> list[tuple[str, bool]]:
    return [(text[q.start:q.end], q.closed) for q in find_quotes(text, split_blocks(text))]


def test_curly_and_straight_marks_give_the_content_without_marks_or_edge_punctuation():
    text = "\u201cThe camp is full,\u201d an aid worker said. \"We need tents.\""
    assert quotes_of(text) == [("The camp is full", True), ("We need tents", True)]


def test_a_quote_running_over_paragraphs_ends_at_each_paragraph_and_reopens():
    text = (
        "The governor said: \"Three villages were burned overnight.\n\n"
        "\"Families are sleeping in the open.\"\n\n"
        "Aid has not arrived."
    )
    got = quotes_of(text)
    assert got == [("Three villages were burned overnight", False), ("Families are sleeping in the open", True)]


def test_quotes_in_headings_are_ignored():
    text = "Minister Says \u201cNo Retreat\u201d From Frontline\n\nThe minister spoke on Monday."
    assert quotes_of(text) == []


def test_an_unclosed_quote_at_the_end_of_the_text_still_ends():
    text = "He said: \u201cWe will hold the bridge"
    found = find_quotes(text, split_blocks(text))
    assert len(found) == 1 and not found[0].closed
    assert text[found[0].start:found[0].end] == "We will hold the bridge"


def test_a_new_opening_mark_closes_an_unclosed_one():
    text = "\u201cFirst part \u201cSecond part\u201d the mayor said."
    assert [t for t, _ in quotes_of(text)] == ["First part", "Second part"]


def test_apostrophes_are_not_quotes():
    assert quotes_of("The army's statement didn't name the town.") == []


def test_single_curly_marks_quote_when_the_article_has_no_double_marks():
    text = ("\u2018We will not leave our land,\u2019 the village elder said. The soldiers\u2019 families "
            "didn\u2019t comment. He called it \u2018a massacre\u2019.")
    assert [t for t, _ in quotes_of(text)] == ["We will not leave our land", "a massacre"]


def test_single_marks_are_apostrophes_when_double_marks_are_used():
    text = "\u201cThe army\u2019s shelling hit the \u2018safe zone\u2019,\u201d she said."
    assert [t for t, _ in quotes_of(text)] == ["The army\u2019s shelling hit the \u2018safe zone\u2019"]
