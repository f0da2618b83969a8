"""The benchmark corpus: seeded, the same for the same seed, repeats with distinct texts, samples fallback."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
EVAL_DATA = BENCH.parent.parent / "shared" / "eval-data"


def _corpus():
    spec = importlib.util.spec_from_file_location("bench_corpus", BENCH / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_corpus"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_samples_fallback_when_shared_data_is_absent(tmp_path):
    corpus = _corpus()
    docs = corpus.build(5, seed=1, root=tmp_path / "absent")
    assert len(docs) == 5 and {d.source for d in docs} == {"samples"}
    assert docs == corpus.build(5, seed=1, root=tmp_path / "absent")


def test_more_articles_than_the_pool_repeat_with_new_texts(tmp_path):
    corpus = _corpus()
    pool = corpus.build(10_000, seed=1, root=tmp_path / "absent")
    texts = [d.text for d in pool]
    ids = [d.id for d in pool]
    assert len(set(ids)) == len(ids)
    assert len(set(texts)) > len(texts) // 2  # repeats are perturbed, not copies


def test_stream_jsonl_writes_n_rows(tmp_path):
    corpus = _corpus()
    path = corpus.stream_jsonl(30, tmp_path / "c.jsonl", seed=3)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 30 and all(r["text"] and r["id"] for r in rows)


@pytest.mark.shared
@pytest.mark.skipif(not EVAL_DATA.exists(), reason=f"{EVAL_DATA} not present")
def test_shared_mix_is_seeded_and_mixed():
    corpus = _corpus()
    a, b = corpus.build(300, seed=7), corpus.build(300, seed=7)
    assert [d.id for d in a] == [d.id for d in b]
    assert len({d.source for d in a}) >= 4
    assert [d.id for d in corpus.build(300, seed=8)] != [d.id for d in a]
