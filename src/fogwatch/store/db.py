"""Opening the SQLite file and writing ingest batches to it.

One connection per ``Store``. Writes go through ``write_batch``: one
``BEGIN IMMEDIATE`` transaction per batch of articles, so a crash leaves whole
batches only. WAL mode lets other connections read while a batch is written.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fogwatch.errors import StoreError
from fogwatch.model import Article, ArticleRecord, Event, Figure, Place, Statement
from fogwatch.store import queries
from fogwatch.store.listing_schema import EVENT_PLACE_SQL
from fogwatch.store.schema import migrate

# How long a connection waits for another writer's lock before failing. An ingest
# batch of 64 short articles commits in well under a second here; 30 s leaves room
# for a slow disk and a concurrent migration without hanging a CLI forever.
BUSY_TIMEOUT_MS = 30_000
# Overrides BUSY_TIMEOUT_MS (milliseconds), e.g. for a script that should fail fast.
BUSY_TIMEOUT_ENV = "FOGWATCH_BUSY_TIMEOUT_MS"

# SQLite allows 32,766 host parameters per statement since 3.32; lookups of known
# ids are chunked well below that.
_ID_CHUNK = 500


def configured_busy_timeout_ms() -> int:
    """The lock wait: ``$FOGWATCH_BUSY_TIMEOUT_MS`` when set to a whole number, else BUSY_TIMEOUT_MS."""
    value = os.environ.get(BUSY_TIMEOUT_ENV, "").strip()
    if not value:
        return BUSY_TIMEOUT_MS
    try:
        return max(0, int(value))
    except ValueError as exc:
        raise StoreError(f"{BUSY_TIMEOUT_ENV}={value!r} is not a whole number of milliseconds") from exc


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True)
class ErrorInput:
    """An input that could not be read or extracted: recorded in the errors table."""

    path: str
    reason: str


@dataclass(frozen=True)
class BatchCounts:
    """What one committed batch added."""

    articles: int = 0
    figures: int = 0
    statements: int = 0
    events: int = 0
    places: int = 0
    errors: int = 0


class Store:
    """A fogwatch SQLite database: schema migrations, batch writes and queries."""

    def __init__(
        self, path: str | Path, *, create: bool = True, check_same_thread: bool = True,
        busy_timeout_ms: int | None = None,
    ):
        self.path = Path(path)
        self.busy_timeout_ms = busy_timeout_ms if busy_timeout_ms is not None else configured_busy_timeout_ms()
        if not create and not self.path.exists():
            raise StoreError(f"no database at {self.path} (run `fogwatch ingest` first or pass --db)")
        try:
            self.conn = sqlite3.connect(
                self.path,
                isolation_level=None,
                timeout=self.busy_timeout_ms / 1000,
                check_same_thread=check_same_thread,
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc
        self.conn.row_factory = sqlite3.Row
        self._columns: dict[str, frozenset[str]] = {}
        try:
            self.conn.execute(f"PRAGMA busy_timeout = {self.busy_timeout_ms:d}")
            self.conn.execute("PRAGMA foreign_keys = ON")
            mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise StoreError(f"cannot switch {self.path} to WAL mode (got {mode})")
            # WAL + NORMAL: a commit survives a process crash (SIGKILL); only an OS crash
            # may lose the last transactions, never corrupt the file.
            self.conn.execute("PRAGMA synchronous = NORMAL")
            migrate(self.conn)
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise StoreError(f"cannot use {self.path} as a fogwatch database: {self._why(exc)}") from exc
        except StoreError:
            self.conn.close()
            raise

    # -- lifecycle ---------------------------------------------------------------

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _why(self, exc: sqlite3.Error) -> str:
        """SQLite's reason, with what to do for the two a user can fix: a lock and a full disk."""
        reason = str(exc)
        if "locked" in reason or "busy" in reason:
            return (f"{reason} (another process held its write lock for over {self.busy_timeout_ms / 1000:g} s; "
                    f"retry when it finishes, or raise {BUSY_TIMEOUT_ENV})")
        if "full" in reason:
            return f"{reason} (free space on the disk holding {self.path}, then re-run: stored articles are kept)"
        return reason

    # -- runs --------------------------------------------------------------------

    def start_run(self, paths: Sequence[str]) -> int:
        """Record the start of an ingest run; return its id."""
        try:
            cur = self.conn.execute(
                "INSERT INTO runs (started, paths) VALUES (?, ?)", (_now(), json.dumps(list(paths)))
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write to {self.path}: {self._why(exc)}") from exc
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, *, skipped: int) -> None:
        """Mark a run finished and store how many articles it skipped as already known."""
        try:
            self.conn.execute(
                "UPDATE runs SET finished = ?, articles_skipped = ? WHERE id = ?", (_now(), skipped, run_id)
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write to {self.path}: {self._why(exc)}") from exc

    # -- writes ------------------------------------------------------------------

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        """Those of ``ids`` already stored as articles."""
        wanted = list(dict.fromkeys(ids))
        found: set[str] = set()
        for i in range(0, len(wanted), _ID_CHUNK):
            chunk = wanted[i : i + _ID_CHUNK]
            marks = ",".join("?" * len(chunk))
            try:
                rows = self.conn.execute(f"SELECT id FROM articles WHERE id IN ({marks})", chunk).fetchall()
            except sqlite3.Error as exc:
                raise StoreError(f"cannot read {self.path}: {self._why(exc)}") from exc
            found.update(r[0] for r in rows)
        return found

    def write_batch(
        self,
        run_id: int | None,
        items: Sequence[tuple[Article, ArticleRecord]],
        errors: Sequence[ErrorInput] = (),
    ) -> BatchCounts:
        """Write articles with their extracted items, and error rows, in one transaction.

        An article whose id is already stored is left alone. An article whose URL is
        already stored with other text becomes a new version of the newest one.
        """
        counts = {"articles": 0, "figures": 0, "statements": 0, "events": 0, "places": 0}
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write to {self.path}: {self._why(exc)}") from exc
        try:
            for article, record in items:
                if not self._insert_article(run_id, article):
                    continue
                counts["articles"] += 1
                counts["figures"] += self._insert_figures(article.id, record.figures)
                counts["statements"] += self._insert_statements(article.id, record.statements)
                counts["events"] += self._insert_events(article, record.events)
                counts["places"] += self._insert_places(article.id, record.places)
                if record.events and record.places:
                    self.conn.execute(EVENT_PLACE_SQL.format(where="article_id = ?"), (article.id,))
            at = _now()
            self.conn.executemany(
                "INSERT INTO errors (run_id, path, reason, at) VALUES (?, ?, ?, ?)",
                [(run_id, e.path, e.reason, at) for e in errors],
            )
            if run_id is not None:
                self.conn.execute(
                    """UPDATE runs SET articles_added = articles_added + :articles,
                       figures = figures + :figures, statements = statements + :statements,
                       events = events + :events, places = places + :places,
                       errors = errors + :errors WHERE id = :run""",
                    {**counts, "errors": len(errors), "run": run_id},
                )
            self.conn.execute("COMMIT")
        except BaseException as exc:
            # Any failure, including KeyboardInterrupt, leaves no partial batch.
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise StoreError(f"cannot write batch to {self.path}: {self._why(exc)}") from exc
            raise
        return BatchCounts(errors=len(errors), **counts)

    def _insert_article(self, run_id: int | None, article: Article) -> bool:
        if self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (article.id,)).fetchone():
            return False
        version, supersedes = 1, None
        if article.url:
            prior = self.conn.execute(
                "SELECT id, version FROM articles WHERE url = ? ORDER BY version DESC LIMIT 1",
                (article.url,),
            ).fetchone()
            if prior is not None:
                version, supersedes = int(prior["version"]) + 1, prior["id"]
        self.conn.execute(
            """INSERT INTO articles (id, seq, url, outlet, title, published, text, external_id,
                   source_path, version, supersedes, ingested_at, run_id)
               VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM articles), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                article.id,
                article.url,
                article.outlet,
                article.title,
                _date(article.published),
                article.text,
                article.external_id,
                article.source_path,
                version,
                supersedes,
                _now(),
                run_id,
            ),
        )
        return True

    def _table_columns(self, table: str) -> frozenset[str]:
        if table not in self._columns:
            rows = self.conn.execute(f"PRAGMA table_info({table})").fetchall()
            self._columns[table] = frozenset(r["name"] for r in rows)
        return self._columns[table]

    def _insert_rows(self, table: str, article_id: str, rows: list[dict[str, Any]]) -> int:
        if not rows:
            return 0
        # Only the fields the schema has columns for: a field added to a model record
        # later is kept out until a migration adds its column, instead of failing ingest.
        known = self._table_columns(table)
        fields = [k for k in rows[0] if k in known and k not in ("id", "article_id", "idx")]
        columns = ["article_id", "idx", *fields]
        quoted = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" * len(columns))
        self.conn.executemany(
            f"INSERT INTO {table} ({quoted}) VALUES ({marks})",
            [(article_id, idx, *(row[f] for f in fields)) for idx, row in enumerate(rows)],
        )
        return len(rows)

    def _insert_figures(self, article_id: str, figures: Sequence[Figure]) -> int:
        return self._insert_rows("figures", article_id, [f.to_dict() for f in figures])

    def _insert_statements(self, article_id: str, statements: Sequence[Statement]) -> int:
        rows = []
        for s in statements:
            row = s.to_dict()
            row["direct"] = int(bool(row["direct"]))
            rows.append(row)
        return self._insert_rows("statements", article_id, rows)

    def _insert_places(self, article_id: str, places: Sequence[Place]) -> int:
        return self._insert_rows("places", article_id, [p.to_dict() for p in places])

    def _insert_events(self, article: Article, events: Sequence[Event]) -> int:
        article_id = article.id
        rows = []
        figure_links, statement_links = [], []
        for idx, event in enumerate(events):
            row = event.to_dict()
            # The listing's day (migration 4): the event's own date, else its article's.
            row["day"] = row.get("date") or _date(article.published)
            figure_links += [(article_id, idx, f) for f in row.pop("figures")]
            statement_links += [(article_id, idx, s) for s in row.pop("statements")]
            rows.append(row)
        self.conn.executemany(
            "INSERT OR IGNORE INTO event_figures (article_id, event_idx, figure_idx) VALUES (?, ?, ?)",
            figure_links,
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO event_statements (article_id, event_idx, statement_idx) VALUES (?, ?, ?)",
            statement_links,
        )
        return self._insert_rows("events", article_id, rows)

    # -- reads (see fogwatch.store.queries) ------------------------------------------

    def list_articles(self, **filters: Any) -> queries.Page:
        return queries.list_articles(self.conn, **filters)

    def get_article(self, ref: str) -> queries.ArticleDetail:
        return queries.get_article(self.conn, ref)

    def search(self, query: str, **options: Any) -> list[dict[str, Any]]:
        return queries.search(self.conn, query, **options)

    def stats(self) -> list[dict[str, Any]]:
        return queries.stats(self.conn)

    def list_errors(self, **options: Any) -> queries.Page:
        return queries.list_errors(self.conn, **options)

    def list_runs(self, **options: Any) -> list[dict[str, Any]]:
        return queries.list_runs(self.conn, **options)
