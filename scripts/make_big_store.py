"""Build a large fogwatch store for load tests by copying a small one with SQL (no re-extraction).

Every article of the seed store (by default: the bundled samples, ingested into a temporary
store first) is copied until the output holds ``--articles`` articles. Copy *k* of an article
gets a new id (``<id>~k``), a new input id and URL, a publication date shifted back by
``k`` days, and ``[copy k]`` appended to its text (appended, so every item's offsets still
index the copied text); its figures, statements, events, places and event links are copied
with it. The full-text index is filled by the store's own triggers.

Usage (from the repository root)::

    .venv/bin/python scripts/make_big_store.py --out /tmp/big.db [--articles 100000] [--seed-db samples.db]
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fogwatch.store.listing_schema import EVENT_DAY_SQL, EVENT_PLACE_SQL

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ["samples/txt", "samples/jsonl", "samples/csv", "samples/html", "samples/feeds", "samples/warc"]
ITEM_TABLES = ("figures", "statements", "events", "places")
LINK_TABLES = ("event_figures", "event_statements")
# Copies written per transaction: one copy of the samples is ~50 articles, so 200 copies
# (~10,000 articles) per commit keeps the WAL small without a commit per copy.
COPIES_PER_COMMIT = 200
# Page cache of the copying connection (KiB, as a negative cache_size). With SQLite's 2 MB
# default the FTS index pages spill to the WAL again and again inside each transaction:
# seen here writing 10 GB for 30,000 articles and slowing to ~1,000 articles a minute.
CACHE_KIB = 1024 * 1024


def ingest_samples(db: Path) -> None:
    """The bundled samples through the real pipeline (exit 1 = some input skipped: fine here)."""
    cmd = [sys.executable, "-m", "fogwatch.cli", "--db", str(db), "ingest", "--no-progress", *SAMPLES]
    done = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL)
    if done.returncode not in (0, 1):
        raise SystemExit(f"ingesting the samples failed (exit {done.returncode})")


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def copy_statements(conn: sqlite3.Connection) -> dict[str, str]:
    """INSERT ... SELECT statements for one copy, parameterised by :k (copy number) and :base."""
    q = lambda cols: ", ".join(f'"{c}"' for c in cols)  # noqa: E731
    art = [c for c in columns(conn, "articles")]
    select = {c: f'a."{c}"' for c in art}
    select["id"] = "a.id || '~' || :k"
    select["seq"] = "a.seq + :k * :base"
    select["external_id"] = "coalesce(a.external_id, a.id) || '~' || :k"
    select["url"] = "CASE WHEN a.url IS NULL THEN NULL ELSE a.url || '#copy-' || :k END"
    select["text"] = "a.text || ' [copy ' || :k || ']'"
    select["published"] = "CASE WHEN a.published IS NULL THEN NULL ELSE date(a.published, '-' || :k || ' days') END"
    select["supersedes"] = "CASE WHEN a.supersedes IS NULL THEN NULL ELSE a.supersedes || '~' || :k END"
    sql = {
        "articles": f"INSERT INTO articles ({q(art)}) SELECT {', '.join(select[c] for c in art)} "
        "FROM articles a WHERE a.id IN (SELECT id FROM seed)"
    }
    for table in ITEM_TABLES:
        cols = [c for c in columns(conn, table) if c != "id"]
        sel = ["t.article_id || '~' || :k" if c == "article_id" else f't."{c}"' for c in cols]
        sql[table] = (f"INSERT INTO {table} ({q(cols)}) SELECT {', '.join(sel)} FROM {table} t "
                      "WHERE t.article_id IN (SELECT id FROM seed)")
    for table in LINK_TABLES:
        cols = columns(conn, table)
        sel = ["t.article_id || '~' || :k" if c == "article_id" else f't."{c}"' for c in cols]
        sql[table] = (f"INSERT INTO {table} ({q(cols)}) SELECT {', '.join(sel)} FROM {table} t "
                      "WHERE t.article_id IN (SELECT id FROM seed)")
    if "day" in columns(conn, "events"):
        # Schema 4: a copy's events get their own day (its shifted date) and place (its own rows),
        # by the same rules the store's write path applies.
        copied = "article_id IN (SELECT id || '~' || :k FROM seed)"
        sql["event_days"] = EVENT_DAY_SQL.format(where=copied)
        sql["event_places"] = EVENT_PLACE_SQL.format(where=copied)
    return sql


def build(seed_db: Path | None, out: Path, articles: int) -> dict[str, int]:
    """Copy ``seed_db`` to ``out`` and fill it; ``seed_db=None`` resumes an interrupted ``out``."""
    if seed_db is not None:
        shutil.copyfile(seed_db, out)
    conn = sqlite3.connect(out, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB:d}")
    conn.execute("CREATE TEMP TABLE seed AS SELECT id FROM articles WHERE id NOT LIKE '%~%'")
    seeds = conn.execute("SELECT count(*) FROM temp.seed").fetchone()[0]
    if seeds == 0:
        raise SystemExit(f"{seed_db or out} holds no articles")
    base = conn.execute("SELECT coalesce(max(seq), 0) FROM articles WHERE id NOT LIKE '%~%'").fetchone()[0]
    done = conn.execute(
        "SELECT coalesce(max(CAST(substr(id, instr(id, '~') + 1) AS INTEGER)), 0) FROM articles WHERE id LIKE '%~%'"
    ).fetchone()[0]
    sql = copy_statements(conn)
    copies = -(-articles // seeds) - 1
    started = time.monotonic()
    conn.execute("BEGIN")
    for k in range(done + 1, copies + 1):
        for statement in sql.values():
            conn.execute(statement, {"k": k, "base": base})
        if k % COPIES_PER_COMMIT == 0:
            conn.execute("COMMIT")
            print(f"  {k * seeds + seeds:,} articles, {time.monotonic() - started:.0f} s", flush=True)
            conn.execute("BEGIN")
    conn.execute("COMMIT")
    extra = conn.execute("SELECT count(*) FROM articles").fetchone()[0] - articles
    if extra > 0:  # trim the last copy's surplus so the store holds exactly ``articles``
        conn.execute("BEGIN")
        doomed = "SELECT id FROM articles ORDER BY seq DESC LIMIT ?"
        for table in (*ITEM_TABLES, *LINK_TABLES):
            conn.execute(f"DELETE FROM {table} WHERE article_id IN ({doomed})", (extra,))
        conn.execute(f"DELETE FROM articles WHERE id IN ({doomed})", (extra,))
        conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("ANALYZE")
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("articles", *ITEM_TABLES)}
    conn.close()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="the store to write (replaced if it exists)")
    parser.add_argument("--articles", type=int, default=100_000, help="how many articles the store holds")
    parser.add_argument("--seed-db", type=Path, help="a store to copy (default: ingest the samples first)")
    parser.add_argument("--resume", action="store_true", help="go on filling an interrupted --out")
    args = parser.parse_args()
    started = time.monotonic()
    if args.resume:
        counts = build(None, args.out, args.articles)
        print(f"{args.out}: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
        return
    for suffix in ("", "-wal", "-shm"):
        Path(f"{args.out}{suffix}").unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        seed = args.seed_db
        if seed is None:
            seed = Path(tmp) / "samples.db"
            print("ingesting the samples ...", flush=True)
            ingest_samples(seed)
        else:
            copy = Path(tmp) / "seed.db"  # a copy: the seed store may be in WAL mode with a live writer
            src = sqlite3.connect(f"file:{seed}?mode=ro", uri=True)
            dst = sqlite3.connect(copy)
            src.backup(dst)
            src.close()
            dst.close()
            seed = copy
        counts = build(seed, args.out, args.articles)
    summary = ", ".join(f"{v:,} {k}" for k, v in counts.items())
    print(f"{args.out}: {summary} in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
