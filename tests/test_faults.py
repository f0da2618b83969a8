"""Faults: ``fogwatch ingest`` killed at random points, a full disk, a database locked by another writer.

Each runs the real CLI in a subprocess against a real SQLite file and then opens the file
itself: the database stays sound, holds no article twice, never loses a committed one,
and a re-run completes the rest.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fogwatch.errors import StoreError
from fogwatch.model import Article, ArticleRecord
from fogwatch.store import Store
from fogwatch.store.db import BUSY_TIMEOUT_ENV

TOWNS = ("Velmora", "Darsk", "Kelt", "Osterk", "Brenn", "Lumeni", "Varno", "Kessa", "Tarvik", "Holm")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# The issue asks for 20 kills. A kill lands either during start-up and model load (a random
# delay up to STARTUP_KILL_MAX_S, for EARLY_KILL_SHARE of the runs) or at a random point of the
# extraction: once the store has grown by a random number of articles, after a random jitter
# of up to KILL_JITTER_S so that it falls inside a batch's extraction or its commit. Kills keyed
# to progress, not to wall-clock delays, land mid-run on a slow or an idle machine alike.
KILLS = 20
KILL_SEED = 20261123
KILL_ARTICLES = 1500
EARLY_KILL_SHARE = 0.25
STARTUP_KILL_MAX_S = 3.0
KILL_JITTER_S = 0.4
PROGRESS_TIMEOUT_S = 180.0


def _stored_count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:  # schema not created yet
        return 0


def _wait_for_progress(proc: subprocess.Popen, db: Path, target: int) -> None:
    deadline = time.monotonic() + PROGRESS_TIMEOUT_S
    while proc.poll() is None and _stored_count(db) < target:
        assert time.monotonic() < deadline, "ingest made no progress"
        time.sleep(0.05)


def short_articles(n: int, padding: str = "") -> list[dict[str, str]]:
    """``n`` distinct invented two-sentence wire stories as JSON Lines records."""
    rows = []
    for i in range(n):
        town, day = TOWNS[i % len(TOWNS)], DAYS[i % len(DAYS)]
        text = (f"Shelling hit {town} on {day}, killing at least {i + 2} people, local officials said. "
                f"Residents said {i % 50 + 3} homes were destroyed.{padding}")
        rows.append({"id": f"fault-{i:04d}", "text": text, "published": f"2024-07-{i % 28 + 1:02d}"})
    return rows


def write_jsonl(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def fogwatch(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "fogwatch.cli", "--db", str(db), *args]


def check_sound(db: Path) -> set[str]:
    """Integrity checks on ``db``; return the input ids of its articles."""
    conn = sqlite3.connect(db, timeout=10)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        if conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'articles_fts'").fetchone()[0]:
            conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        ids = [r[0] for r in conn.execute("SELECT external_id FROM articles")]
        assert len(ids) == len(set(ids)), "an article is stored twice"
        orphans = conn.execute(
            "SELECT count(*) FROM figures WHERE article_id NOT IN (SELECT id FROM articles)"
        ).fetchone()[0]
        assert orphans == 0
        return set(ids)
    finally:
        conn.close()


# -- SIGKILL -------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.model
def test_sigkill_at_twenty_random_points_loses_nothing_and_a_rerun_completes(tmp_path: Path) -> None:
    rows = short_articles(KILL_ARTICLES)
    src = write_jsonl(tmp_path / "short.jsonl", rows)
    db = tmp_path / "killed.db"
    rng = random.Random(KILL_SEED)
    stored: set[str] = set()
    kills = 0
    for i in range(KILLS):
        proc = subprocess.Popen(fogwatch(db, "ingest", str(src), "--no-progress"),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if rng.random() < EARLY_KILL_SHARE:
            time.sleep(rng.uniform(0.0, STARTUP_KILL_MAX_S))
        else:
            # spread the remaining input over the remaining kills, so the last one is still mid-run
            step = max(1, (len(rows) - len(stored)) // (KILLS - i + 1))
            _wait_for_progress(proc, db, len(stored) + rng.randint(1, step))
            time.sleep(rng.uniform(0.0, KILL_JITTER_S))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait()
        if db.exists():
            now = check_sound(db)
            assert stored <= now, f"committed articles lost: {sorted(stored - now)[:5]}"
            stored = now
        if len(stored) == len(rows):
            break
    assert kills >= KILLS // 2, "too few runs were still going when killed"
    done = subprocess.run(fogwatch(db, "ingest", str(src), "--no-progress"), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert check_sound(db) == {r["id"] for r in rows}


# -- a full disk ------------------------------------------------------------------------------

# A small filesystem; the test fills it to FREE_BYTES before ingesting, so the disk fills
# after the first batches of FULL_ARTICLES ~1.6 KB articles (text + FTS index + items). Once
# the filler is removed the disk must hold all of them and the WAL: 2 MB was too tight.
DISK_SIZE = "16m"
FREE_BYTES = 400 * 1024
FULL_ARTICLES = 400
PADDING = " The statement gave no further details about the situation in the area." * 20


def _mount_small_disk(where: Path) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_SIZE}", "tmpfs", str(where)],
                          capture_output=True)
    return done.returncode == 0


@pytest.mark.slow
@pytest.mark.model
def test_a_full_disk_is_one_clear_error_and_the_database_stays_sound(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    if not _mount_small_disk(disk):
        pytest.skip("needs root to mount a 2 MB tmpfs")
    try:
        db = disk / "full.db"
        filler = disk / "filler"
        free = shutil.disk_usage(disk).free
        filler.write_bytes(b"\0" * max(0, free - FREE_BYTES))
        rows = short_articles(FULL_ARTICLES, PADDING)
        src = write_jsonl(tmp_path / "long.jsonl", rows)
        done = subprocess.run(fogwatch(db, "ingest", str(src), "--no-progress"), capture_output=True, text=True)
        assert done.returncode == 2, done.stderr
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, done.stderr
        assert lines[0].startswith("error: ") and "full" in lines[0] and str(db) in lines[0], lines[0]
        assert "Traceback" not in done.stderr
        filler.unlink()
        kept = check_sound(db)
        assert len(kept) < len(rows)  # whole batches only: those committed before the disk filled
        again = subprocess.run(fogwatch(db, "ingest", str(src), "--no-progress"), capture_output=True, text=True)
        assert again.returncode == 0, again.stderr
        assert check_sound(db) == {r["id"] for r in rows}
    finally:
        subprocess.run(["umount", str(disk)], check=False)


# -- a database locked by another writer ------------------------------------------------------

LOCK_WAIT_MS = 600


def _hold_write_lock(db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    return conn


def test_a_locked_database_waits_then_fails_with_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "locked.db"
    Store(db).close()
    holder = _hold_write_lock(db)
    try:
        with Store(db, busy_timeout_ms=LOCK_WAIT_MS) as store:
            article = Article(id="a1", text="Twelve people were killed.")
            started = time.monotonic()
            with pytest.raises(StoreError, match="locked.*over 0.6 s.*" + BUSY_TIMEOUT_ENV):
                store.write_batch(None, [(article, ArticleRecord(id="a1", published=None))])
            assert time.monotonic() - started >= LOCK_WAIT_MS / 1000 * 0.9
    finally:
        holder.close()
    with Store(db) as store:  # the lock gone, the same write succeeds
        store.write_batch(None, [(article, ArticleRecord(id="a1", published=None))])
    assert check_sound(db) == {None}


def test_ingest_into_a_locked_database_is_one_line_after_the_configured_wait(tmp_path: Path) -> None:
    db = tmp_path / "locked.db"
    Store(db).close()
    src = write_jsonl(tmp_path / "one.jsonl", short_articles(1))
    holder = _hold_write_lock(db)
    try:
        started = time.monotonic()
        done = subprocess.run(fogwatch(db, "ingest", str(src), "--no-progress"), capture_output=True, text=True,
                              env={**os.environ, BUSY_TIMEOUT_ENV: str(LOCK_WAIT_MS)}, timeout=60)
        waited = time.monotonic() - started
    finally:
        holder.close()
    assert done.returncode == 2, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "database is locked" in lines[0], done.stderr
    assert BUSY_TIMEOUT_ENV in lines[0]
    assert waited >= LOCK_WAIT_MS / 1000
    assert check_sound(db) == set()


def test_a_bad_busy_timeout_setting_is_a_store_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(BUSY_TIMEOUT_ENV, "soon")
    with pytest.raises(StoreError, match="not a whole number"):
        Store(tmp_path / "x.db")
    monkeypatch.setenv(BUSY_TIMEOUT_ENV, "250")
    with Store(tmp_path / "x.db") as store:
        assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 250
