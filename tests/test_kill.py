"""SIGKILL in the middle of ``fogwatch ingest``: the file stays sound, holds whole batches, and a re-run completes it."""

from __future__ import annotations

import itertools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from fogwatch import extract
from fogwatch.pipeline import BATCH_SIZE

ARTICLES = 1024  # ≥ 1,000, and 16 whole batches of 64
TOWNS = ["Velmora", "Darsk", "Kelt", "Osterk", "Brenn", "Lumeni", "Varno", "Kessa", "Tarvik", "Holm"]
ACTORS = ["the army", "the rebel coalition", "the interior ministry", "the border guard", "militia fighters"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# Kill once this many batches are committed, and give up waiting after this long.
KILL_AFTER_BATCHES = 2
WAIT_SECONDS = 120


def short_articles(n: int):
    """``n`` distinct three-sentence wire stories (invented towns; every combination differs)."""
    combos = itertools.product(range(1, 100), TOWNS, ACTORS, DAYS)
    for i, (count, town, actor, day) in zip(range(n), combos, strict=False):
        if i % 3 == 0:
            text = (f"Shelling hit the town of {town} on {day}, killing at least {count} people, local officials "
                    f'said. "The shells landed near the school," a resident told reporters. '
                    f"{actor.capitalize()} denied responsibility.")
        elif i % 3 == 1:
            text = (f"{actor.capitalize()} detained {count} men during a raid in {town} on {day}, a rights group "
                    f"said. Relatives said the men were taken to an unknown location.")
        else:
            text = (f"About {count * 100} people fled {town} on {day} after clashes involving {actor}, the aid "
                    f"agency said. Many are sheltering in schools.")
        yield {"id": f"gen-{i:05d}", "text": text, "published": f"2024-07-{i % 28 + 1:02d}", "outlet": "Test Wire"}


def fogwatch(db, *args: str) -> list[str]:
    return [sys.executable, "-m", "fogwatch.cli", "--db", str(db), *args]


def stored(db) -> int:
    """Articles committed so far, read by a separate connection (0 before the schema exists)."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return 0
    try:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.model
def test_sigkill_mid_ingest_leaves_whole_batches_and_a_rerun_completes(tmp_path):
    src = tmp_path / "many.jsonl"
    rows = list(short_articles(ARTICLES))
    assert len({r["text"] for r in rows}) == ARTICLES
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    db = tmp_path / "kill.db"

    proc = subprocess.Popen(fogwatch(db, "ingest", str(src), "--no-progress"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + WAIT_SECONDS
    try:
        while stored(db) < KILL_AFTER_BATCHES * BATCH_SIZE:
            assert proc.poll() is None, f"ingest ended before it could be killed: {proc.stderr.read()!r}"
            assert time.monotonic() < deadline, "no batch committed in time"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL

    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        conn.execute("INSERT INTO statements_fts(statements_fts) VALUES ('integrity-check')")
        n = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert KILL_AFTER_BATCHES * BATCH_SIZE <= n < ARTICLES, "killed mid-run"
        assert n % BATCH_SIZE == 0, "only whole batches are committed"
        # The run's counters are updated in each batch's transaction: they match the
        # item tables exactly only if every article's items were committed with it.
        run = conn.execute(
            "SELECT articles_added, figures, statements, events, places, finished FROM runs"
        ).fetchone()
        counted = [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                   for t in ("articles", "figures", "statements", "events", "places")]
        assert list(run[:5]) == counted
        assert run[5] is None, "the killed run never finished"
        assert counted[1] > 0 and counted[2] > 0, "the real extractor wrote items"
        # And the last committed batch holds exactly what the extractor gives for its articles.
        last = conn.execute(
            f"SELECT id, text, published FROM articles ORDER BY seq DESC LIMIT {BATCH_SIZE:d}"
        ).fetchall()
        for article_id, text, published in last:
            record = extract(text, published)
            for kind in ("figures", "statements", "events", "places"):
                have = conn.execute(f"SELECT count(*) FROM {kind} WHERE article_id = ?", (article_id,)).fetchone()[0]
                assert have == len(getattr(record, kind)), (article_id, kind)
    finally:
        conn.close()

    rerun = subprocess.run(fogwatch(db, "ingest", str(src), "--no-progress", "--summary-format", "json"),
                           capture_output=True, text=True, timeout=WAIT_SECONDS * 3)
    assert rerun.returncode == 0, rerun.stderr
    (summary,) = json.loads(rerun.stdout)
    assert summary["articles_added"] == ARTICLES - n and summary["articles_skipped"] == n

    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        total, ids, external = conn.execute(
            "SELECT count(*), count(DISTINCT id), count(DISTINCT external_id) FROM articles"
        ).fetchone()
        assert total == ids == external == ARTICLES
        dup_items = conn.execute(
            "SELECT count(*) FROM (SELECT article_id, idx FROM figures GROUP BY 1, 2 HAVING count(*) > 1)"
        ).fetchone()[0]
        assert dup_items == 0
    finally:
        conn.close()
