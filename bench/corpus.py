"""The benchmark corpus: a fixed, seeded mix of real articles from ../shared/eval-data.

Sources (see eval-data/README.md, "Bulk corpus for throughput"): GVA local news
documents, MUC-4 reports (original casing where the file has it), India police
events documents, PolNeAR political news texts and FA-KES Syria reports. When the
shared data is absent the repository's samples/ are used instead.
"""

from __future__ import annotations

import csv
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EVAL_DATA = REPO.parent / "shared" / "eval-data"
SAMPLES = REPO / "samples"


@dataclass(frozen=True)
class Doc:
    id: str
    text: str
    published: str | None
    source: str


def _jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def _gva(root: Path) -> Iterator[Doc]:
    for d in _jsonl(root / "gva-gun-violence-incidents" / "documents.jsonl"):
        yield Doc(f"gva-{d['doc_id']}", d["text"], d.get("dct"), "gva")


def _muc4(root: Path) -> Iterator[Doc]:
    for d in _jsonl(root / "muc4" / "documents.jsonl"):
        yield Doc(f"muc4-{d['doc_id']}", d.get("text_mixed_case") or d["text"], None, "muc4")


def _india(root: Path) -> Iterator[Doc]:
    for d in _jsonl(root / "india-police-events" / "docs.jsonl"):
        yield Doc(f"india-{d['doc_id']}", d["doc_text"], None, "india-police")


def _polnear(root: Path) -> Iterator[Doc]:
    for split in ("train", "dev"):
        for f in sorted((root / "polnear" / split / "text").glob("*.txt")):
            yield Doc(f"polnear-{f.stem}", f.read_text(encoding="utf-8"), None, "polnear")


def _fakes(root: Path) -> Iterator[Doc]:
    csv.field_size_limit(sys.maxsize)
    with (root / "fa-kes-syria" / "fakes.csv").open(encoding="cp1252", errors="replace", newline="") as f:  # not UTF-8
        for row in csv.DictReader(f):
            yield Doc(f"fakes-{row['unit_id']}", row["article_content"], None, "fa-kes")


SOURCES = (_gva, _muc4, _india, _polnear, _fakes)


def _samples() -> Iterator[Doc]:
    for f in sorted((SAMPLES / "txt").glob("*.txt")):
        yield Doc(f"sample-{f.stem}", f.read_text(encoding="utf-8"), None, "samples")
    for f in sorted((SAMPLES / "jsonl").glob("*.jsonl")):
        for k, d in enumerate(_jsonl(f)):
            if d.get("text"):
                yield Doc(f"sample-{f.stem}-{k}", d["text"], d.get("published"), "samples")


def build(n: int, seed: int = 7, root: Path = EVAL_DATA) -> list[Doc]:
    """``n`` articles, the same ones for the same ``n`` and ``seed``; samples when ``root`` is absent."""
    pool: list[Doc] = []
    if root.exists():
        for source in SOURCES:
            try:
                pool.extend(d for d in source(root) if d.text.strip())
            except FileNotFoundError:
                continue
    if not pool:
        pool = list(_samples())
    random.Random(seed).shuffle(pool)
    if n <= len(pool):
        return pool[:n]
    return [repeat(pool[k % len(pool)], k // len(pool)) for k in range(n)]


def repeat(doc: Doc, copy: int) -> Doc:
    """A perturbed copy so that its text hash (the article id) differs from the original's."""
    if copy == 0:
        return doc
    return Doc(f"{doc.id}-r{copy}", f"{doc.text.rstrip()}\n\n(Copy {copy}.)\n", doc.published, doc.source)


def write_jsonl(docs: list[Doc], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps({"id": d.id, "text": d.text, "published": d.published}, ensure_ascii=False) + "\n")
    return path


def stream_jsonl(n: int, path: Path, seed: int = 7) -> Path:
    """Write ``n`` articles (repeated and perturbed past the pool's size) without holding them all."""
    base = build(min(n, 6000), seed)
    with path.open("w", encoding="utf-8") as f:
        for k in range(n):
            d = repeat(base[k % len(base)], k // len(base))
            f.write(json.dumps({"id": d.id, "text": d.text, "published": d.published}, ensure_ascii=False) + "\n")
    return path
