"""Bounded parsing: no piece longer than MAX_PIECE_TOKENS, no nlp.pipe batch over BATCH_TOKENS,
a short text parsed exactly as the plain pipeline would, and a long one in bounded memory."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fogwatch.nlp_fast import _batches, _capped

REPO = Path(__file__).resolve().parents[1]


@st.composite
def _runs_and_starts(draw):
    """Alternating kept/skipped runs over n tokens and sentence starts inside them."""
    n = draw(st.integers(1, 400))
    cuts = sorted(draw(st.sets(st.integers(1, n - 1), max_size=12))) if n > 1 else []
    bounds = [0, *cuts, n]
    first = draw(st.booleans())
    runs = [(a, b, first ^ bool(k % 2)) for k, (a, b) in enumerate(zip(bounds, bounds[1:], strict=False))]
    starts = sorted(draw(st.sets(st.integers(0, n - 1), max_size=60)) | {0} | set(cuts))
    return runs, starts, draw(st.integers(1, 60))


@given(_runs_and_starts())
def test_capped_pieces_cover_the_runs_and_cut_at_sentence_starts(case):
    runs, starts, limit = case
    pieces = list(_capped(runs, starts, limit))
    assert pieces[0][0] == 0 and pieces[-1][1] == runs[-1][1]
    assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:], strict=False))  # contiguous, in order
    assert all(s < e for s, e, _ in pieces)
    for s, e, keep in pieces:
        if not keep:
            assert (s, e, keep) in runs  # skipped runs are never cut
            continue
        assert e - s <= limit
        run = next(r for r in runs if r[0] <= s < r[1])
        assert run[2] and e <= run[1]  # a kept piece stays inside its kept run
        if e != run[1] and e not in starts:
            # a hard cut only where no sentence start fits after the piece's start
            assert not any(s < x <= s + limit for x in starts)
            assert e - s == limit


@pytest.mark.model
def test_batches_keep_order_and_token_budget():
    from spacy.tokens import Doc

    from fogwatch.nlp import get_nlp

    vocab = get_nlp().vocab
    lengths = [3, 9, 4, 12, 1, 1, 1, 7, 30, 2]
    docs = [Doc(vocab, words=["w"] * n) for n in lengths]
    batches = list(_batches(docs, 3, 10))
    assert [d for b in batches for d in b] == docs
    for b in batches:
        assert len(b) <= 3
        assert len(b) == 1 or sum(len(d) for d in b) <= 10  # only a lone doc may exceed the budget


def _long_text(chars: int) -> str:
    parts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "samples" / "txt").glob("*.txt"))]
    text = "\n\n".join(parts)
    return "\n\n".join([text] * (chars // len(text) + 1))[:chars]


@pytest.mark.model
def test_short_text_is_parsed_exactly_as_the_plain_pipeline():
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, SENT_START, TAG

    from fogwatch.nlp import get_nlp, parse, parse_batch

    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "samples" / "txt").glob("*.txt"))][:4]
    attrs = [TAG, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE, SENT_START]
    for text, batched in zip(texts, parse_batch(texts), strict=True):
        plain = get_nlp()(text)
        for doc in (parse(text), batched):
            assert doc.text == text
            assert (doc.to_array(attrs) == plain.to_array(attrs)).all()


@pytest.mark.model
def test_long_text_is_parsed_in_pieces_close_to_the_whole_parse():
    from fogwatch.nlp import get_nlp
    from fogwatch.nlp_fast import parse_texts, plan

    text = _long_text(12_000)
    limit = 400
    p = plan(text, keep_all=True, max_tokens=limit)
    assert not p.whole and len(p.token_pieces) > 4
    assert all(e - s <= limit and k for s, e, k in p.token_pieces)
    pieces = next(parse_texts([text], fast=False, max_tokens=limit, budget=limit))
    whole = get_nlp()(text)
    assert pieces.text == text and len(pieces) == len(whole)
    for s, _, _ in p.token_pieces:
        assert pieces[s].is_sent_start  # every cut starts a sentence
    ents = {(e.start_char, e.end_char, e.label_) for e in whole.ents}
    shared = ents & {(e.start_char, e.end_char, e.label_) for e in pieces.ents}
    assert len(shared) >= 0.95 * len(ents)
    same_head = sum(a.head.i == b.head.i and a.dep_ == b.dep_ for a, b in zip(pieces, whole, strict=True))
    assert same_head >= 0.95 * len(whole)


# Peak RSS from /proc's VmHWM, which starts afresh at exec; ru_maxrss would carry over the
# forking pytest process's peak, which can exceed the child's own.
_PEAK = """
import sys
sys.path.insert(0, {tests!r})
from test_parse_memory import _long_text
from fogwatch.nlp import get_nlp, parse

def peak_kb():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))

text = _long_text({chars})
get_nlp()(text[:2000])
before = peak_kb()
doc = {call}
assert doc.text == text
print((peak_kb() - before) / 1024)
"""


def _peak_growth_mb(call: str, chars: int) -> float:
    code = _PEAK.format(tests=str(REPO / "tests"), chars=chars, call=call)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600, check=True)
    return float(out.stdout.strip())


@pytest.mark.model
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc for peak RSS")
def test_a_long_article_parses_in_bounded_memory():
    chars = 300_000
    bounded = _peak_growth_mb("parse(text)", chars)
    whole = _peak_growth_mb("get_nlp()(text)", chars)
    assert bounded < 0.5 * whole, (bounded, whole)
    assert bounded < 400, bounded
