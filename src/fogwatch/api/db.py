"""Read-only access to a fogwatch SQLite file for the web layer.

Every connection is opened with ``mode=ro`` in a URI, so the server cannot write
to the store even by mistake; the ingest process may keep writing (WAL) meanwhile.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from fogwatch.errors import StoreError

# How long a read waits on a writer's lock. Readers rarely wait under WAL; a
# checkpoint by the ingest process can hold one briefly. 5 s keeps a page from
# failing during an ingest without letting a request hang for long.
READ_BUSY_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class ReadOnlyDatabase:
    """Where the store lives, and how to open a read-only connection to it."""

    path: Path

    @classmethod
    def at(cls, path: str | Path) -> ReadOnlyDatabase:
        """Check ``path`` is a fogwatch database and return a handle to it."""
        resolved = Path(path).expanduser().resolve()
        if not resolved.is_file():
            raise StoreError(f"no database at {resolved} (run `fogwatch ingest` first or pass --db)")
        db = cls(resolved)
        conn = db.connect()
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{resolved} is not a fogwatch database: {exc}") from exc
        finally:
            conn.close()
        if version < 1:
            raise StoreError(f"{resolved} has no fogwatch schema (run `fogwatch ingest` first)")
        return db

    def connect(self) -> sqlite3.Connection:
        """A new read-only connection (rows as ``sqlite3.Row``); the caller closes it."""
        uri = f"{self.path.as_uri()}?mode=ro"
        try:
            conn = sqlite3.connect(uri, uri=True, timeout=READ_BUSY_TIMEOUT_S, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {self.path} read-only: {exc}") from exc
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA query_only = ON")
        return conn

    def table_names(self) -> frozenset[str]:
        """Tables present in the file: pages degrade gracefully when a feature's tables are missing."""
        conn = self.connect()
        try:
            rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        finally:
            conn.close()
        return frozenset(r[0] for r in rows)
