"""Paragraphs, headlines and section headings (fogwatch.extract.structure)."""

from __future__ import annotations

import pytest

from fogwatch.extract.structure import Block, split_blocks

ARTICLE = (
    "Rebels Say They Took Airport Road\n\n"
    "Rebel fighters seized the road to the airport on Friday, a spokesman said.\n\n"
    "Background\n\n"
    "The conflict began in 2021 and has displaced two million people\n\n"
    "\"We will not retreat,\" the commander said."
)


def texts(text: str) -> list[tuple[str, bool]]:
    return [(text[b.start:b.end], b.heading) for b in split_blocks(text)]


def test_blank_lines_separate_paragraphs_and_short_unpunctuated_lines_are_headings():
    got = texts(ARTICLE)
    assert got == [
        ("Rebels Say They Took Airport Road", True),
        ("Rebel fighters seized the road to the airport on Friday, a spokesman said.", False),
        ("Background", True),
        ("The conflict began in 2021 and has displaced two million people", True),
        ("\"We will not retreat,\" the commander said.", False),
    ]


def test_a_long_unpunctuated_paragraph_is_not_a_heading():
    para = " ".join(["word"] * 30)
    assert split_blocks("Title Line\n\n" + para) == (Block(0, 0, 10, True), Block(1, 12, 12 + len(para), False))


def test_header_lines_are_headings_even_with_punctuation():
    got = texts("date 2024-03-01\n\nTroops entered the town.")
    assert got == [("date 2024-03-01", True), ("Troops entered the town.", False)]


def test_text_without_blank_lines_splits_at_line_breaks():
    got = texts("Shelling Hits Market\nShells hit the market on Monday.\nNo one claimed the attack.")
    assert [h for _, h in got] == [True, False, False]
    assert got[1][0] == "Shells hit the market on Monday."


def test_offsets_point_into_the_text_and_skip_surrounding_space():
    text = "  \n\n  First paragraph here.  \n\n\n  Second one.\n"
    for b in split_blocks(text):
        assert text[b.start:b.end] in {"First paragraph here.", "Second one."}


@pytest.mark.parametrize("odd", ["", "   ", "\n\n\n", "\u201c"])
def test_odd_input_does_not_raise(odd):
    for b in split_blocks(odd):
        assert 0 <= b.start < b.end <= len(odd)


@pytest.mark.model
def test_the_parse_ends_sentences_at_paragraph_breaks_but_not_at_hard_wraps():
    from fogwatch.nlp import parse

    doc = parse("Army Says Rebels Shelled Market\n\nThe army said rebels shelled\nthe market on Monday.")
    sents = [s.text.strip() for s in doc.sents]
    assert sents == ["Army Says Rebels Shelled Market", "The army said rebels shelled\nthe market on Monday."]
    doc = parse("Army Says Rebels Shelled Market\nThe army said rebels shelled the market.")
    assert [s.text.strip() for s in doc.sents][0] == "Army Says Rebels Shelled Market"


def test_a_headline_ending_on_a_quotation_is_a_heading_but_a_quoted_paragraph_is_not():
    text = ("UN chief: \u201cEl Fasher is on the brink\u201d\n\n"
            "\u201cThe city is surrounded,\u201d the envoy said.\n\n"
            "\u201cWe need a ceasefire now\u201d")
    assert [b.heading for b in split_blocks(text)] == [True, False, False]


def test_a_paragraph_starting_with_a_header_word_is_not_a_header_line():
    assert texts("title: Fighting in Goma\n\nSource close to the talks said a deal was near the border town "
                 "of Sake after weeks of shelling and negotiation")[1][1] is False
