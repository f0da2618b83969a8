"""``fogwatch ingest --engine ray``: the extractor on Ray Data, results as Parquet shards.

The driver reads the inputs with fogwatch's own readers (every supported format)
into a Ray dataset, ``map_batches`` runs ``RecordMaker`` (a stateful class: the
spaCy model is loaded once per actor) and the records are written as Parquet
shards, one row per article: the article's columns plus its record as JSON.
``load_shards`` (``fogwatch load``) brings the shards into the store; articles
already stored are skipped, so loading twice changes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from fogwatch.engines.codec import (
    ARTICLE_COLUMNS,
    article_from_row,
    article_to_row,
    record_from_json,
    record_to_json,
)
from fogwatch.errors import FogwatchError, ReadError
from fogwatch.model import Article
from fogwatch.store import ErrorInput, Store

# Articles per map_batches call: enough to amortise Ray's per-batch scheduling
# (~ms) against ~100 ms of extraction per article, small enough to spread a few
# hundred articles over two actors.
RAY_BATCH = 16
# Articles the driver holds per dataset: ~10 k articles of news are ~30 MB of text, and a
# chunk must be large enough to keep every actor of a cluster busy (16-article batches).
RAY_CHUNK = 10_000
# Rows per store transaction when loading shards (same as fogwatch.pipeline.BATCH_SIZE).
LOAD_BATCH = 64


class RecordMaker:
    """Ray Data stateful callable: loads the model once, extracts a batch of article rows."""

    def __init__(self, fast: bool = False) -> None:
        from fogwatch.nlp import get_nlp

        self.fast = fast
        get_nlp()

    def __call__(self, batch: dict[str, Any]) -> dict[str, list]:
        from fogwatch.extract import extract

        out: dict[str, list] = {name: [] for name in (*ARTICLE_COLUMNS, "record", "error")}
        for k in range(len(batch["id"])):
            row = {name: batch[name][k] for name in ARTICLE_COLUMNS}
            article = article_from_row(row)
            record, error = None, None
            try:
                record = record_to_json(
                    extract(article.text, article.published, id=article.contract_id, fast=self.fast)
                )
            except Exception as exc:  # noqa: BLE001 - one article's failure is its error row
                error = f"extraction failed: {type(exc).__name__}: {exc}"
            for name in ARTICLE_COLUMNS:
                out[name].append(row[name])
            out["record"].append(record)
            out["error"].append(error)
        return out


def run_ray(
    articles: Iterable[Article],
    out_dir: str | Path,
    *,
    address: str | None = None,
    fast: bool = False,
    actors: int | None = None,
    chunk: int = RAY_CHUNK,
) -> Path:
    """Extract ``articles`` on Ray (a cluster at ``address``, or a local Ray) into Parquet shards.

    The driver holds at most ``chunk`` articles at a time: each chunk is one dataset whose
    shards land in ``out_dir`` beside the earlier ones.
    """
    import ray

    out = Path(out_dir)
    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, log_to_driver=False,
                 configure_logging=False, ignore_reinit_error=True)
    actors = actors or max(1, int(ray.cluster_resources().get("CPU", os.cpu_count() or 1)))
    rows: list[dict] = []
    for article in articles:
        rows.append(article_to_row(article))
        if len(rows) >= chunk:
            _run_chunk(ray, rows, out, fast, actors)
            rows = []
    if rows:
        _run_chunk(ray, rows, out, fast, actors)
    return out


def _run_chunk(ray: Any, rows: list[dict], out: Path, fast: bool, actors: int) -> None:
    ds = ray.data.from_items(rows)
    ds = ds.map_batches(
        RecordMaker, fn_constructor_kwargs={"fast": fast}, batch_size=RAY_BATCH,
        batch_format="numpy", concurrency=actors, num_cpus=1,
    )
    ds.write_parquet(str(out))


def read_shards(shard_dir: str | Path) -> Iterator[dict[str, Any]]:
    """Rows of every Parquet shard under ``shard_dir``, shard by shard (bounded memory)."""
    import pyarrow.parquet as pq

    files = sorted(Path(shard_dir).rglob("*.parquet"))
    if not files:
        raise ReadError(str(shard_dir), "no Parquet shards found")
    for f in files:
        pf = pq.ParquetFile(f)
        for batch in pf.iter_batches(batch_size=LOAD_BATCH):
            yield from batch.to_pylist()


def load_shards(shard_dir: str | Path, store: Store) -> dict[str, int]:
    """Write the shards' articles and records into ``store``; articles already stored are skipped."""
    run_id = store.start_run([str(shard_dir)])
    totals = {"articles": 0, "figures": 0, "statements": 0, "events": 0, "places": 0,
              "skipped": 0, "errors": 0}
    pending: list = []
    errors: list[ErrorInput] = []

    def flush() -> None:
        nonlocal pending, errors
        known = store.known_ids(a.id for a, _ in pending)
        fresh = [(a, r) for a, r in pending if a.id not in known]
        totals["skipped"] += len(pending) - len(fresh)
        if fresh or errors:
            counts = store.write_batch(run_id, fresh, errors)
            for kind in ("articles", "figures", "statements", "events", "places"):
                totals[kind] += getattr(counts, kind)
        pending, errors = [], []

    try:
        for row in read_shards(shard_dir):
            article = article_from_row(row)
            if row.get("error"):
                errors.append(ErrorInput(path=article.source_path or article.contract_id, reason=row["error"]))
                totals["errors"] += 1
            else:
                pending.append((article, record_from_json(row["record"])))
            if len(pending) + len(errors) >= LOAD_BATCH:
                flush()
        flush()
    except (OSError, ValueError, KeyError) as exc:
        raise FogwatchError(f"cannot load shards from {shard_dir}: {exc}") from exc
    finally:
        store.finish_run(run_id, skipped=totals["skipped"])
    return totals
