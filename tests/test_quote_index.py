"""``extract.quote_index`` and ``extract.span_index``: the sorted look-ups give what a scan over
every quote or span gives, and look at few quotes.

The brute-force versions below are the scans ``statements`` used before the index
(quadratic in the number of quotes); random texts of words, quote marks, stops and
line breaks check the index against them.
"""

from __future__ import annotations

import dataclasses

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from fogwatch.extract import speech_speakers, statements
from fogwatch.extract.quote_index import QuoteIndex
from fogwatch.extract.quotes import Quote, find_quotes
from fogwatch.extract.span_index import SpanIndex
from fogwatch.extract.structure import split_blocks
from test_fuzz_support import FUZZ

PIECES = ('"', "“", "”", "‘", "’", "«", "»", " ", " ", " ", ", ", ". ", "! ", ":", "\n", "\n\n",
          "said", "he", "the army", "that", "Quote", "12", "Mr.", "—", "it's")
WORDY = ("said", " ", "the spokesman for the army", " ", "Quote", ", ")
# a quotation: an opening mark, words, and a closing mark (or none: it runs on)
QUOTED = st.tuples(st.sampled_from('"“«„'), st.sampled_from(("We stay", "Quote 12", "it's over", "go,", "No.", "Why?")),
                   st.sampled_from(('"', "”", "»", ""))).map("".join)
texts = st.lists(st.one_of(QUOTED, st.sampled_from(PIECES)), max_size=60).map("".join)
# long gaps of words between quotes, to reach MAX_QUOTE_CUE_GAP_WORDS
wordy_texts = st.lists(st.one_of(QUOTED, st.sampled_from(PIECES), st.sampled_from(WORDY)), max_size=150).map("".join)
# articles quoting with single marks only (no double mark ends a gap): ‘We stay,’ he said.
SINGLE = ("‘We stay,’", "‘No.’", "‘it’s over’.", "‘go", " ", ", ", ". ", "said", "he", "\n", "the army", "Quote")
single_texts = st.lists(st.sampled_from(SINGLE), max_size=80).map("".join)
MAX_WORDS = statements.MAX_QUOTE_CUE_GAP_WORDS

_BLANK = spacy.blank("en")
# The pairing check needs no model and runs ~100 cues per text, so it can afford more
# examples than the profile's: 5x finds the rarer layouts (two quotes before one cue).
ADJACENT_FUZZ = settings(FUZZ, max_examples=FUZZ.max_examples * 5)


def index_of(text: str) -> QuoteIndex:
    # every block read as a paragraph: short random lines would pass for headings, which hold no quotes
    blocks = tuple(dataclasses.replace(b, heading=False) for b in split_blocks(text))
    return QuoteIndex.build(text, find_quotes(text, blocks), statements._WORDS, statements._QUOTE_MARKS)


def could_be_quiet(text: str, lo: int, hi: int, max_words: int) -> bool:
    gap = text[lo:hi]
    return not ("\n" in gap or any(ch in statements._QUOTE_MARKS for ch in gap)) and (
        len(statements._WORDS.findall(gap)) <= max_words)


def adjacent_by_scan(text: str, cue_idx: int, cue_len: int, quotes: tuple[Quote, ...]) -> list[int]:
    """``statements._adjacent_quotes`` as it was: every quote of the article for every cue."""
    out = []
    for qi, q in enumerate(quotes):
        if q.closed and q.outer_end <= cue_idx:
            gap = text[q.outer_end:cue_idx]
            last = text[q.close_at - 1] if q.close_at else ""
            if last == "." or (last in "!?" and len(statements._WORDS.findall(gap)) > statements.MAX_GAP_AFTER_EXCLAMATION):
                continue
            if statements._quiet_gap(gap) and statements._opens_sentence(text, q, None):
                out.append(qi)
        elif q.open_at >= cue_idx + cue_len:
            gap = text[cue_idx + cue_len:q.open_at]
            stripped = gap.rstrip()
            if statements._quiet_gap(gap) and (not stripped or stripped[-1] in ",:" or stripped.lower().endswith("that")):
                out.append(qi)
    return out


@FUZZ
@given(texts, st.integers(0, MAX_WORDS))
def test_index_answers_as_a_scan_over_every_quote(text: str, max_words: int) -> None:
    index = index_of(text)
    quotes = index.quotes
    for offset in range(len(text) + 1):
        assert index.covers(offset) == any(q.open_at <= offset < q.outer_end for q in quotes)
        before = {qi for qi, q in enumerate(quotes) if q.outer_end <= offset and could_be_quiet(text, q.outer_end, offset, max_words)}
        assert set(index.closing_before(offset, max_words)) == before
        after = {qi for qi, q in enumerate(quotes) if q.open_at >= offset and could_be_quiet(text, offset, q.open_at, max_words)}
        assert set(index.opening_from(offset, max_words)) == after
        for min_start in (offset - 2, offset):
            wanted = {qi for qi, q in enumerate(quotes) if q.open_at <= offset and q.start >= min_start}
            got = set(index.opening_by(offset, min_start))
            assert wanted <= got and all(quotes[qi].open_at <= offset for qi in got)
        for lo in range(offset + 1):
            assert index.words_between(lo, offset) == len(statements._WORDS.findall(text[lo:offset]))


@ADJACENT_FUZZ
@given(st.one_of(wordy_texts, single_texts), st.sampled_from((1, 3, MAX_WORDS)))
def test_adjacent_quotes_are_those_a_scan_finds(text: str, max_words: int) -> None:
    doc = _BLANK(text)
    index = index_of(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(statements, "MAX_QUOTE_CUE_GAP_WORDS", max_words)   # short limits: gaps reach them often
        for tok in doc:
            assert (statements._adjacent_quotes(text, doc, tok, index)
                    == adjacent_by_scan(text, tok.idx, len(tok), index.quotes))


spans = st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=12)


@given(spans, st.integers(0, 31), st.integers(0, 31))
def test_span_index_answers_as_a_scan(pairs: list[tuple[int, int]], a: int, b: int) -> None:
    index = SpanIndex.build([(s, e, n) for n, (s, e) in enumerate(pairs)])
    for besides in (None, *range(len(pairs))):
        assert index.holds(a, besides) == any(n != besides and s <= a < e for n, (s, e) in enumerate(pairs))
    assert index.meets(a, b) == any(s < b and a < e for s, e in pairs)
    assert index.holding(a) == sorted((s, e, n) for n, (s, e) in enumerate(pairs) if s <= a < e)
    holders = [(e - s, n) for n, (s, e) in enumerate(pairs) if s <= a and b <= e]
    assert index.smallest_holding(a, b) == (min(holders)[1] if holders else None)


def test_each_cue_of_a_ten_thousand_quote_article_looks_at_one_quote_per_side() -> None:
    """Near-linear by count, not by clock: each cue's walk stops at the nearest quote on either side."""
    text = " ".join(f'"Quote {i}," the spokesman said.' for i in range(10_000))
    index = index_of(text)
    assert len(index.quotes) == 10_000
    looked_at = 0
    at = text.find("said")
    while at != -1:
        before = list(index.closing_before(at, MAX_WORDS))
        after = list(index.opening_from(at + len("said"), MAX_WORDS))
        assert len(before) <= 1 and len(after) <= 1
        looked_at += len(before) + len(after)
        at = text.find("said", at + 1)
    assert looked_at <= 2 * len(index.quotes)


@given(st.lists(st.tuples(st.integers(0, 12_000), st.booleans()), max_size=40), st.integers(0, 12_000),
       st.sampled_from((True, False, None)))
def test_speaker_look_back_stops_only_where_every_earlier_mention_is_out_of_reach(
        mentions: list[tuple[int, bool]], at: int, person: bool | None) -> None:
    """``remember`` keeps the farthest cue so far; ``_previous`` stops there and finds what a full scan finds."""
    history: list[speech_speakers.Mention] = []
    for n, (cue, is_person) in enumerate(mentions):
        speech_speakers.remember(history, speech_speakers.Speaker(f"s{n}", cue, cue + 1, is_person, "s"), cue)
    full_scan = next((m.speaker for m in reversed(history)
                      if m.at < at and at - m.at <= speech_speakers.MAX_LOOKBACK_CHARS
                      and (person is None or m.speaker.person == person)), None)
    assert speech_speakers._previous(history, at, person) == full_scan
