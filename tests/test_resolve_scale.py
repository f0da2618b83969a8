"""Resolution's cost follows the news per day, not the store: its queries read through the
article and date indexes, and a place reported every day does not become one endless event."""

from __future__ import annotations

import random
import re

import pytest

from fogwatch.resolve import resolve
from fogwatch.resolve.bench import _article
from fogwatch.resolve.cluster import MAX_CLUSTER_SPAN_DAYS
from fogwatch.store import Store
from test_resolve_helpers import KHARKIV, Doc, write

# Indexes on a column's few values (a stance, a scope, a metric, a type): walking one
# reads a share of the whole store, so a per-article query must never choose one.
FILTER_INDEXES = ("statements_stance", "figures_scope", "figures_metric", "events_type")


def _template(sql: str) -> str:
    return re.sub(r"'[^']*'|\b\d+(\.\d+)?\b", "?", sql)


@pytest.fixture
def traced_store(tmp_path):
    rng = random.Random(3)
    with Store(tmp_path / "scale.db") as store:
        store.write_batch(None, [_article(i, i // 4, rng, 270) for i in range(1200)])
        resolve(store)
        store.write_batch(None, [_article(1200 + i, (1200 + i) // 4, rng, 270) for i in range(60)])
        seen: dict[str, str] = {}

        def keep(sql: str) -> None:
            if sql.lstrip().upper().startswith("SELECT"):
                key = _template(sql)
                if len(sql) > len(seen.get(key, "")):
                    seen[key] = sql  # the longest IN (...) list of each query

        store.conn.set_trace_callback(keep)
        summary = resolve(store)
        store.conn.set_trace_callback(None)
        yield store, summary, seen


def test_incremental_resolve_never_walks_a_filter_index(traced_store):
    store, summary, seen = traced_store
    assert summary.articles == 60 and summary.contested_pairs > 0
    assert len(seen) >= 8  # clustering, series and pairing queries were all traced
    walked = []
    for sql in seen.values():
        plan = " | ".join(r[3] for r in store.conn.execute("EXPLAIN QUERY PLAN " + sql))
        if any(index in plan for index in FILTER_INDEXES):
            walked.append(f"{plan}\n  {sql[:300]}")
    assert not walked, "\n".join(walked)


def test_a_place_struck_every_day_splits_into_events_of_a_few_days(tmp_path):
    docs = []
    for day in range(1, 11):  # ten days of strikes on one city, each reported twice
        for outlet in ("Wire A", "Wire B"):
            d = Doc(f"d{day:02d}{outlet[-1]}", f"2024-07-{day:02d}", outlet)
            d.place(KHARKIV)
            d.event("A missile hit the city.", location="Kharkiv", date=f"2024-07-{day:02d}",
                    actor="Russian forces", actor_id="russia-armed-forces", mode="missile")
            docs.append(d)
    with Store(tmp_path / "daily.db") as store:
        write(store, *docs)
        resolve(store)
        spans = store.conn.execute(
            """SELECT cluster_id, julianday(max(block_date)) - julianday(min(block_date)), count(*)
               FROM cluster_reports GROUP BY cluster_id"""
        ).fetchall()
    assert len(spans) >= 3  # not one ten-day "event"
    assert max(span for _, span, _ in spans) <= MAX_CLUSTER_SPAN_DAYS
    assert max(n for _, _, n in spans) >= 4  # neighbouring days still merge
