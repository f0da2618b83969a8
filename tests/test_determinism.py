"""The same article gives the same records in every process, whatever Python's hash seed:
set iteration order must never decide a tie in the rules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
EVAL_DATA = REPO.parent / "shared" / "eval-data"
# Bulk-corpus articles checked when ../shared is present: at 300, one GVA article's event place
# depended on the hash seed before the place spans were ordered stably.
BULK_ARTICLES = 300


def _extract_with_seed(seed: int, *paths: Path) -> list[str]:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    cli = [sys.executable, "-m", "fogwatch.cli", "extract", *map(str, paths)]
    out = subprocess.run(cli, env=env, capture_output=True, text=True, timeout=1200, check=True)
    return out.stdout.splitlines()


def _bulk_corpus(tmp_path: Path) -> list[Path]:
    if not EVAL_DATA.exists():
        return []
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import corpus
    finally:
        sys.path.pop(0)
    path = tmp_path / "bulk.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for d in corpus.build(BULK_ARTICLES):
            f.write(json.dumps({"text": d.text, "published": d.published}) + "\n")
    return [path]


@pytest.mark.model
@pytest.mark.slow
def test_records_do_not_depend_on_the_hash_seed(tmp_path):
    paths = [SAMPLES / "txt", SAMPLES / "jsonl", *_bulk_corpus(tmp_path)]
    first = _extract_with_seed(1, *paths)
    assert len(first) >= 10
    assert _extract_with_seed(2, *paths) == first
