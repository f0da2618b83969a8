"""Cross-article resolution: de-duplicated events, figure series, contested claims.

``resolve(store)`` takes the articles no run has resolved yet and updates only what
they touch: their reports are clustered against the reports of their blocks, their
cumulative figures re-check their own series, their statements are paired with claims
and counters in their date window. ``rebuild=True`` clears the derived tables (never
the user's splits) and resolves every article again.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from fogwatch.errors import StoreError
from fogwatch.resolve.cluster import assign, now, split, summarise
from fogwatch.resolve.contested import update_pairs
from fogwatch.resolve.reports import load_reports
from fogwatch.resolve.series import update_series

if TYPE_CHECKING:
    from fogwatch.store import Store

__all__ = ["ResolveSummary", "resolve", "split_report"]

# Articles resolved per transaction: reports are clustered in date order within a chunk,
# and a reader never waits on more than one chunk's writes.
RESOLVE_CHUNK = 2000


@dataclass(frozen=True)
class ResolveSummary:
    articles: int
    reports: int
    clusters: int
    figure_flags: int
    contested_pairs: int
    seconds: float

    def to_dict(self) -> dict[str, float | int]:
        return {**asdict(self), "seconds": round(self.seconds, 2)}


def _pending(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        """SELECT a.id FROM articles a LEFT JOIN resolved_articles r ON r.article_id = a.id
           WHERE r.article_id IS NULL ORDER BY a.published IS NULL, a.published, a.seq"""
    )
    return [r[0] for r in rows]


def _clear(conn: sqlite3.Connection) -> None:
    for table in ("cluster_reports", "clusters", "figure_series", "figure_flags", "contested_pairs", "resolved_articles"):
        conn.execute(f"DELETE FROM {table}")


def _write(conn: sqlite3.Connection, work: Callable[[], None]) -> None:
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise StoreError(f"cannot write resolution results: {exc}") from exc
    try:
        work()
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error):
            raise StoreError(f"resolution failed: {exc}") from exc
        raise


def resolve(store: Store, article_ids: Sequence[str] | None = None, *, rebuild: bool = False) -> ResolveSummary:
    """Resolve ``article_ids`` (default: every article not resolved yet) into the store."""
    started = time.monotonic()
    conn = store.conn
    if rebuild:
        _write(conn, lambda: _clear(conn))
    ids = _pending(conn)
    if article_ids is not None:  # only those of them not resolved yet: resolving twice would add twice
        wanted = set(article_ids)
        ids = [a for a in ids if a in wanted]
    reports = 0
    for i in range(0, len(ids), RESOLVE_CHUNK):
        chunk = ids[i : i + RESOLVE_CHUNK]

        def work(chunk: list[str] = chunk) -> None:
            nonlocal reports
            found = load_reports(conn, chunk)
            reports += len(found)
            summarise(conn, assign(conn, found))
            update_series(conn, chunk)
            update_pairs(conn, chunk)
            stamp = now()
            conn.executemany(
                "INSERT OR REPLACE INTO resolved_articles (article_id, resolved_at) VALUES (?, ?)",
                [(a, stamp) for a in chunk],
            )

        _write(conn, work)
    count = lambda table: int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: E731
    return ResolveSummary(
        articles=len(ids), reports=reports, clusters=count("clusters"), figure_flags=count("figure_flags"),
        contested_pairs=count("contested_pairs"), seconds=time.monotonic() - started,
    )


def split_report(store: Store, cluster_id: int, report: str) -> int:
    """Undo a merge: ``report`` leaves event ``cluster_id`` for good; return its new event's id."""
    result: list[int] = []
    _write(store.conn, lambda: result.append(split(store.conn, cluster_id, report)))
    return result[0]
