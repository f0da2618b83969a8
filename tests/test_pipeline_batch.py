"""``pipeline.extract_batch``: groups of articles parsed in one batched model call give the
records one call per article gives, in order, and a failing parse fails only its article."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fogwatch import nlp
from fogwatch.model import Article, ArticleRecord
from fogwatch.pipeline import ExtractionFailed, extract_article, extract_batch, groups, read_articles

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _articles(n: int, lengths: list[int] | None = None) -> list[Article]:
    lengths = lengths or [10] * n
    return [Article(id=f"a{k}", text="x" * size) for k, size in enumerate(lengths)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=300), max_size=60),
       st.integers(min_value=1, max_value=20), st.integers(min_value=1, max_value=1000))
def test_groups_keep_order_and_bounds(lengths: list[int], size: int, chars: int) -> None:
    articles = _articles(len(lengths), lengths)
    cut = list(groups(articles, size=size, chars=chars))
    assert [a for g in cut for a in g] == articles
    for g in cut:
        assert 1 <= len(g) <= size
        assert len(g) == 1 or sum(len(a.text) for a in g) <= chars


def _sample_articles() -> list[Article]:
    if not SAMPLES.exists():
        pytest.skip("samples/ not present")
    return [a for a in read_articles([str(SAMPLES / "jsonl"), str(SAMPLES / "txt")]) if isinstance(a, Article)]


@pytest.mark.model
@pytest.mark.slow
@pytest.mark.parametrize("fast", [False, True])
def test_batched_records_equal_one_call_per_article(fast: bool) -> None:
    articles = _sample_articles()
    assert len(articles) > 16  # more than one group
    batched = list(extract_batch(articles, fast=fast))
    assert all(isinstance(r, ArticleRecord) for r in batched)
    assert batched == [extract_article(a, fast=fast) for a in articles]


@pytest.mark.model
def test_a_group_whose_parse_raises_is_parsed_article_by_article(monkeypatch) -> None:
    articles = _sample_articles()[:5]
    expected = [extract_article(a) for a in articles]

    def broken(texts, batch_size=16):  # a fault in the batched model call
        raise MemoryError("batch too large")

    monkeypatch.setattr(nlp, "parse_batch", broken)
    assert list(extract_batch(articles)) == expected


@pytest.mark.model
def test_an_article_that_fails_yields_its_failure_and_the_rest_go_on(monkeypatch) -> None:
    import fogwatch.extract as extract_module

    articles = _sample_articles()[:4]
    expected = [extract_article(a) for a in articles]
    real = extract_module.find_events

    def fails_on_the_second(ctx, *args):  # a fault in one article's extraction
        if ctx.text == articles[1].text:
            raise RuntimeError("rule bug")
        return real(ctx, *args)

    monkeypatch.setattr(extract_module, "find_events", fails_on_the_second)
    out = list(extract_batch(articles))
    assert isinstance(out[1], ExtractionFailed) and "RuntimeError: rule bug" in str(out[1])
    assert [out[0], *out[2:]] == [expected[0], *expected[2:]]
