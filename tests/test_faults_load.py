"""A short load smoke test: 10 clients for 5 s against a real server while an ingest writes the store.

The full run (50 clients for 60 s on a 100,000-article store) is ``bench/load/run.py``;
its figures are in docs/reliability.md.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sys
import threading
from pathlib import Path

import httpx

from e2e.corpus import build_store
from e2e.server import thread_server
from fogwatch.model import Article, ArticleRecord
from fogwatch.pipeline import ingest
from fogwatch.store import Store

REPO = Path(__file__).resolve().parents[1]
SMOKE_CLIENTS = 10
SMOKE_SECONDS = 5.0
INGEST_ARTICLES = 400


def load_module():
    spec = importlib.util.spec_from_file_location("fogwatch_load", REPO / "bench" / "load" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def empty_record(article: Article) -> ArticleRecord:
    return ArticleRecord(id=article.contract_id, published=article.published)


def write_articles(folder: Path) -> Path:
    folder.mkdir()
    lines = [
        json.dumps({"id": f"load-{i}", "published": f"2024-06-{i % 28 + 1:02d}",
                    "text": f"Officials said {i + 10} people were displaced from the valley on Monday "
                    "and that aid had not arrived."})
        for i in range(INGEST_ARTICLES)
    ]
    path = folder / "more.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_ten_clients_for_five_seconds_while_ingesting_get_no_errors(tmp_path: Path) -> None:
    run = load_module()
    db, _ = build_store(tmp_path)
    more = write_articles(tmp_path / "more")
    failures: list[BaseException] = []

    def writer() -> None:
        try:
            with Store(db, check_same_thread=False) as store:
                ingest([str(more)], store, extractor=empty_record, batch_size=8)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            failures.append(exc)

    with thread_server(db) as url:
        with httpx.Client(base_url=url, timeout=30) as client:
            urls = [*run.LIST_ENDPOINTS, *run.PAGES, *run.detail_urls(client)]
        thread = threading.Thread(target=writer)
        thread.start()
        tallies = asyncio.run(run.load(url, SMOKE_CLIENTS, SMOKE_SECONDS, urls))
        thread.join(timeout=120)
        probed = run.probe(url, 3)
    assert not failures, failures
    everything = tallies.pop("(all)")
    errors = [e for t in tallies.values() for e in t.errors]
    assert errors == []
    assert len(everything.latencies) >= SMOKE_CLIENTS
    assert all(not t.errors for t in probed.values())
    with Store(db) as store:
        assert store.conn.execute("SELECT count(*) FROM articles").fetchone()[0] >= INGEST_ARTICLES


def test_percentiles_by_nearest_rank() -> None:
    run = load_module()
    values = [float(v) for v in range(1, 101)]
    assert (run.percentile(values, 50), run.percentile(values, 95), run.percentile(values, 99)) == (50.0, 95.0, 99.0)
    assert run.percentile([], 95) == 0.0
    assert run.group("/api/events/17") == "/api/events/{id}" and run.group("/api/events?type=x") == "/api/events"


def test_the_article_listing_reads_an_index_instead_of_sorting_every_article(tmp_path: Path) -> None:
    with Store(tmp_path / "plan.db") as store:
        plan = store.conn.execute(
            """EXPLAIN QUERY PLAN SELECT a.id FROM articles a
               ORDER BY a.published IS NULL, a.published DESC, a.seq DESC LIMIT 50 OFFSET 500"""
        ).fetchall()
    details = " ".join(str(row[3]) for row in plan)
    assert "articles_listing" in details and "TEMP B-TREE" not in details, details
