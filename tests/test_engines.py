"""Local process engine (`ingest --jobs N`) and the Parquet row codec: same records as one process."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import threading
from collections.abc import Iterator

import pytest

from fogwatch.engines.codec import article_from_row, article_to_row, record_from_json, record_to_json
from fogwatch.engines.local import ExtractionFailure, ProcessPool
from fogwatch.model import Article, ArticleRecord
from fogwatch.pipeline import ingest
from fogwatch.store import Store

PLACES = ("Kharkiv", "Rafah", "Goma", "Mosul", "Aleppo", "Khartoum", "Sanaa", "Mogadishu")
VERBS = ("killed", "wounded", "detained")
ACTORS = ("the army", "rebels", "police", "militants")


def make_articles(n: int) -> list[Article]:
    """Short invented reports, each different (a place, a count, a verb, an actor)."""
    out = []
    for k in range(n):
        place, verb, actor = PLACES[k % len(PLACES)], VERBS[k % len(VERBS)], ACTORS[k % len(ACTORS)]
        text = (
            f"{place}: {3 + k} people were {verb} when {actor} shelled a market on Tuesday, officials said.\n\n"
            f"\"We will respond to this,\" a spokesman for the governor told reporters. "
            f"The streets were quiet by evening."
        )
        out.append(Article(
            id=hashlib.sha256(text.encode()).hexdigest()[:16], text=text,
            published=dt.date(2024, 3, 1 + k % 28), external_id=f"a{k}", source_path="invented.jsonl",
        ))
    return out


def _stored(store: Store, articles: list[Article]) -> dict[str, dict]:
    """Every stored article with its items, minus what says when and in which run it was written."""
    out = {}
    for a in articles:
        d = store.get_article(a.id).to_dict()
        out[a.id] = {k: v for k, v in d.items() if "run" not in k and not k.endswith("_at")}
    return out


def test_article_row_round_trip():
    a = make_articles(1)[0]
    assert article_from_row(article_to_row(a)) == a


@pytest.mark.model
def test_record_json_round_trip():
    from fogwatch.extract import extract

    a = make_articles(2)[1]
    record = extract(a.text, a.published, id=a.id)
    assert record.figures and record.statements  # the round trip below carries real items
    assert record_from_json(record_to_json(record)) == record


def test_pool_refuses_zero_jobs():
    with pytest.raises(ValueError):
        ProcessPool(0)


@pytest.mark.model
@pytest.mark.slow
def test_jobs_2_stores_the_same_records_as_jobs_1(tmp_path):
    articles = make_articles(12)
    articles.append(articles[0])  # a repeat inside the run is skipped by both
    one = Store(tmp_path / "one.db", create=True)
    two = Store(tmp_path / "two.db", create=True)
    try:
        s1 = ingest([], one, items=articles, batch_size=5)
        with ProcessPool(2) as pool:
            s2 = ingest([], two, items=articles, batch_size=5, batch_extractor=pool)
        assert s1.articles_added == s2.articles_added == 12
        assert s1.articles_skipped == s2.articles_skipped == 1
        assert (s1.figures, s1.statements, s1.events, s1.places) == (s2.figures, s2.statements, s2.events, s2.places)
        assert s1.figures > 0
        assert _stored(one, articles) == _stored(two, articles)
    finally:
        one.close()
        two.close()


@pytest.mark.model
@pytest.mark.slow
def test_parent_extracting_beside_a_worker_stores_the_same_records(tmp_path):
    """``--jobs 2`` is the parent and one worker, splitting each window between them."""
    from fogwatch.engines.local import SHARE_BOUNDS

    articles = make_articles(12)
    one = Store(tmp_path / "one.db", create=True)
    two = Store(tmp_path / "two.db", create=True)
    try:
        ingest([], one, items=articles, batch_size=4)
        with ProcessPool(1, parent_extracts=True) as pool:
            assert pool.worker_share == 0.5
            s2 = ingest([], two, items=articles, batch_size=4, batch_extractor=pool)
            assert SHARE_BOUNDS[0] <= pool.worker_share <= SHARE_BOUNDS[1]
        assert s2.articles_added == 12 and s2.errors == 0
        assert _stored(one, articles) == _stored(two, articles)
    finally:
        one.close()
        two.close()


@contextlib.contextmanager
def _loaded_pool(worker_share: float, articles: list[Article]) -> Iterator[ProcessPool]:
    """A parent-and-one-worker pool whose worker has loaded the model (it extracted the first
    article), with the workers' share of the next windows set."""
    with ProcessPool(1, parent_extracts=True) as pool:
        assert [type(r) for r in pool(articles[:1])] == [ArticleRecord]  # the worker is loaded
        pool.worker_share = worker_share
        yield pool


@pytest.mark.model
@pytest.mark.slow
def test_an_idle_worker_takes_the_tail_of_the_parents_part_in_order():
    """A worker that has finished its part takes the later half of what the parent has left;
    records still come back in input order."""
    from fogwatch.engines.local import SHARE_BOUNDS, _extract_with

    articles = make_articles(20)
    with _loaded_pool(SHARE_BOUNDS[0], articles) as pool:  # its part: about two of twenty articles
        records = list(pool(articles))
        assert pool.handed_over >= 2
    assert records == [_extract_with(a, False) for a in articles]


def _kill_workers(pool: ProcessPool, times: int) -> threading.Thread:
    """A thread that SIGKILLs the pool's worker as soon as one is alive, ``times`` times (each
    time waiting for the pool to restart)."""
    import os
    import signal
    import time

    def run() -> None:
        for k in range(times):
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                workers = [w for w in pool._pool.started if w.is_alive()]
                if pool.restarts == k and workers:
                    os.kill(workers[0].pid, signal.SIGKILL)
                    break
                time.sleep(0.01)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


@pytest.mark.model
@pytest.mark.slow
def test_a_killed_worker_is_replaced_and_its_articles_extracted_again():
    """A worker killed mid-window (its article would never come back): the pool restarts and
    the window's records are all there, the same as one process's."""
    from fogwatch.engines.local import _extract_with

    articles = make_articles(24)
    with _loaded_pool(0.9, articles) as pool:
        records = pool(articles)  # handed over: the worker starts on its part now
        _kill_workers(pool, 1).join()
        records = list(records)
        assert pool.restarts == 1
    assert records == [_extract_with(a, False) for a in articles]


@pytest.mark.model
@pytest.mark.slow
def test_an_article_a_worker_dies_on_twice_fails_and_the_rest_are_extracted():
    """After a second death, the earliest article handed over again fails with a clear message;
    every other article still gets its record."""
    from fogwatch.engines.local import _extract_with

    articles = make_articles(24)
    with _loaded_pool(0.9, articles) as pool:
        records = pool(articles)
        killer = _kill_workers(pool, 2)
        records = list(records)
        killer.join()
        assert pool.restarts == 2
    failed = [i for i, r in enumerate(records) if isinstance(r, ExtractionFailure)]
    assert len(failed) == 1
    assert "worker process died (killed by SIGKILL)" in records[failed[0]].message
    expected = [_extract_with(a, False) for a in articles]
    assert [r for i, r in enumerate(records) if i not in failed] == [r for i, r in enumerate(expected) if i not in failed]


@pytest.mark.parametrize(("sizes", "start", "extra", "mid"), [
    ([10] * 4, 0, 0, 2),  # an even split
    ([10] * 5, 1, 0, 3),  # from the parent's next article on
    ([10] * 6, 0, 20, 2),  # the parent's own work after its part counts on its side
    ([100, 1, 1, 1], 0, 0, 1),  # by characters: one long article against three short ones
    ([10, 10], 0, 1000, 1),  # the parent keeps the article it is about to extract
    ([10, 1000], 0, 0, 1),  # the workers get at least the last one
])
def test_tail_start_balances_characters(sizes, start, extra, mid):
    from fogwatch.engines.local import tail_start

    assert tail_start(sizes, start, len(sizes), extra) == mid


def test_the_workers_share_follows_which_side_is_ahead():
    """After the parent's part of a window: up when the workers have finished all they were
    given, down when this window's head is still unfinished, unchanged in between."""
    from multiprocessing.pool import ThreadPool

    from fogwatch.engines.local import SHARE_STEP, _Part

    release = threading.Event()
    with ThreadPool(2) as threads:
        finished = _Part([], threads.apply_async(len, ((),)))
        finished.result.wait()
        busy = _Part([], threads.apply_async(release.wait))
        pool = ProcessPool(1, parent_extracts=True)
        start = pool.worker_share

        pool._parts = [finished]
        pool._adapt(finished)
        assert pool.worker_share == pytest.approx(start + SHARE_STEP)

        pool._parts = [finished, busy]  # the head is done, the next window's is not
        pool._adapt(finished)
        assert pool.worker_share == pytest.approx(start + SHARE_STEP)

        pool._adapt(busy)  # the head itself is unfinished
        assert pool.worker_share == pytest.approx(start)
        release.set()
        busy.result.wait()


def test_batch_failure_becomes_an_error_row(tmp_path):
    articles = make_articles(3)

    def failing(window: list[Article]) -> list[ExtractionFailure]:
        return [ExtractionFailure("ValueError: boom") for _ in window]

    store = Store(tmp_path / "f.db", create=True)
    try:
        summary = ingest([], store, items=articles, batch_extractor=failing)
        assert summary.errors == 3 and summary.articles_added == 0
        reasons = [r["reason"] for r in store.list_errors().rows]
        assert reasons and all("boom" in r for r in reasons)
    finally:
        store.close()


@pytest.mark.model
@pytest.mark.slow
def test_cli_jobs_2_and_fast_flags_store_the_same_articles(tmp_path):
    import json

    from typer.testing import CliRunner

    from fogwatch.cli import app

    src = tmp_path / "in.jsonl"
    src.write_text("".join(
        json.dumps({"id": a.external_id, "text": a.text, "published": a.published.isoformat()}) + "\n"
        for a in make_articles(4)
    ), encoding="utf-8")
    runner = CliRunner()
    stats = []
    for name, extra in (("one", []), ("two", ["--jobs", "2"])):
        db = tmp_path / f"{name}.db"
        result = runner.invoke(app, ["--db", str(db), "ingest", str(src), "--no-progress", *extra])
        assert result.exit_code == 0, result.output
        out = runner.invoke(app, ["--db", str(db), "stats", "--format", "json"])
        stats.append(json.loads(out.stdout)[0])
    assert stats[0] == stats[1] and stats[0]["articles"] == 4 and stats[0]["figures"] > 0


def test_next_window_is_handed_over_before_the_current_one_is_drained(tmp_path):
    """With a batch extractor (the worker pool), window k+1 goes to the workers before
    window k's records are taken and written, so the workers never wait for the writer."""
    articles = make_articles(6)
    events: list[tuple[str, str]] = []

    def lazy(window: list[Article]):
        events.append(("handed", window[0].id))

        def records():
            for a in window:
                events.append(("taken", a.id))
                yield ArticleRecord(id=a.contract_id, published=a.published)

        return records()

    store = Store(tmp_path / "w.db", create=True)
    try:
        summary = ingest([], store, items=articles, batch_size=2, batch_extractor=lazy)
    finally:
        store.close()
    assert summary.articles_added == 6
    ids = [a.id for a in articles]
    assert events.index(("handed", ids[2])) < events.index(("taken", ids[0]))
    assert events.index(("handed", ids[4])) < events.index(("taken", ids[2]))
    assert [e[1] for e in events if e[0] == "taken"] == ids  # records still taken in input order


@pytest.mark.model
@pytest.mark.slow
def test_workers_are_replaced_after_their_task_budget_and_results_stay_the_same(tmp_path):
    """A worker that reached its article budget is replaced (memory bounded for any corpus):
    the records are the same as with long-lived workers."""
    articles = make_articles(6)
    one = Store(tmp_path / "one.db", create=True)
    two = Store(tmp_path / "two.db", create=True)
    try:
        ingest([], one, items=articles, batch_size=3)
        with ProcessPool(1, max_tasks=2) as pool:
            pids = {w.pid for w in pool._pool._pool}
            ingest([], two, items=articles, batch_size=3, batch_extractor=pool)
            pids_after = {w.pid for w in pool._pool._pool}
        assert pids_after and pids_after.isdisjoint(pids)  # the first worker was retired
        assert _stored(one, articles) == _stored(two, articles)
    finally:
        one.close()
        two.close()
