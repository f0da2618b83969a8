"""The store's schema as numbered migrations, applied in order under ``PRAGMA user_version``.

Migration *n* (1-based) is ``MIGRATIONS[n - 1]``: a tuple of SQL statements run in one
transaction that also sets ``user_version = n``. Never edit a released migration;
append a new one.

Item tables carry every field of their model record as a column (datasette can
facet them) plus ``article_id`` and ``idx`` (the item's position in the article's
``ArticleRecord``). Articles keep their natural key ``id`` (the text hash) as the
primary key; ``seq`` is a stable integer row number that the FTS5 index uses as
its rowid (a plain rowid may be renumbered by VACUUM, which would desynchronise
an external-content index).
"""

from __future__ import annotations

import sqlite3

from fogwatch.errors import StoreError
from fogwatch.store.listing_schema import LISTING_V4
from fogwatch.store.resolve_schema import RESOLVE_V2

_V1: tuple[str, ...] = (
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started TEXT NOT NULL,
        finished TEXT,
        paths TEXT NOT NULL DEFAULT '[]',
        articles_added INTEGER NOT NULL DEFAULT 0,
        articles_skipped INTEGER NOT NULL DEFAULT 0,
        figures INTEGER NOT NULL DEFAULT 0,
        statements INTEGER NOT NULL DEFAULT 0,
        events INTEGER NOT NULL DEFAULT 0,
        places INTEGER NOT NULL DEFAULT 0,
        errors INTEGER NOT NULL DEFAULT 0
    )
    """,
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL UNIQUE,
        url TEXT,
        outlet TEXT,
        title TEXT,
        published TEXT,
        text TEXT NOT NULL,
        external_id TEXT,
        source_path TEXT,
        version INTEGER NOT NULL DEFAULT 1,
        supersedes TEXT REFERENCES articles(id),
        ingested_at TEXT NOT NULL,
        run_id INTEGER REFERENCES runs(id)
    )
    """,
    "CREATE INDEX articles_url ON articles(url)",
    "CREATE INDEX articles_outlet ON articles(outlet)",
    "CREATE INDEX articles_published ON articles(published)",
    "CREATE INDEX articles_supersedes ON articles(supersedes)",
    """
    CREATE TABLE figures (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL,
        number TEXT,
        value INTEGER,
        bound TEXT,
        metric TEXT,
        victims TEXT,
        scope TEXT,
        source TEXT,
        source_actor TEXT,
        disputed_by TEXT,
        disputed_by_actor TEXT,
        UNIQUE (article_id, idx)
    )
    """,
    """
    CREATE TABLE statements (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL,
        speaker TEXT,
        cue TEXT,
        direct INTEGER,
        stance TEXT,
        speaker_actor TEXT,
        speaker_start INTEGER,
        speaker_end INTEGER,
        cue_start INTEGER,
        cue_end INTEGER,
        UNIQUE (article_id, idx)
    )
    """,
    """
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL,
        type TEXT,
        mode TEXT,
        actor TEXT,
        actor_id TEXT,
        target TEXT,
        location TEXT,
        date TEXT,
        date_text TEXT,
        date_precision TEXT,
        modality TEXT,
        UNIQUE (article_id, idx)
    )
    """,
    """
    CREATE TABLE places (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL,
        name TEXT,
        kind TEXT,
        lat REAL,
        lon REAL,
        geonameid INTEGER,
        coord_precision TEXT,
        country_code TEXT,
        UNIQUE (article_id, idx)
    )
    """,
    # An event's links to the figures and statements of its article, by idx.
    """
    CREATE TABLE event_figures (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        event_idx INTEGER NOT NULL,
        figure_idx INTEGER NOT NULL,
        PRIMARY KEY (article_id, event_idx, figure_idx)
    )
    """,
    """
    CREATE TABLE event_statements (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        event_idx INTEGER NOT NULL,
        statement_idx INTEGER NOT NULL,
        PRIMARY KEY (article_id, event_idx, statement_idx)
    )
    """,
    """
    CREATE TABLE errors (
        id INTEGER PRIMARY KEY,
        run_id INTEGER REFERENCES runs(id),
        path TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL
    )
    """,
    "CREATE INDEX errors_run ON errors(run_id)",
    "CREATE INDEX figures_metric ON figures(metric)",
    "CREATE INDEX events_type ON events(type)",
    "CREATE INDEX places_name ON places(name)",
    # Full-text indexes: external content, kept in sync by triggers.
    """
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
    END
    """,
    """
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.seq, old.title, old.text);
    END
    """,
    """
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text, seq ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.seq, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
    END
    """,
    """
    CREATE VIRTUAL TABLE statements_fts USING fts5(
        text, speaker, content='statements', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER statements_fts_insert AFTER INSERT ON statements BEGIN
        INSERT INTO statements_fts(rowid, text, speaker) VALUES (new.id, new.text, new.speaker);
    END
    """,
    """
    CREATE TRIGGER statements_fts_delete AFTER DELETE ON statements BEGIN
        INSERT INTO statements_fts(statements_fts, rowid, text, speaker)
        VALUES ('delete', old.id, old.text, old.speaker);
    END
    """,
    """
    CREATE TRIGGER statements_fts_update AFTER UPDATE OF text, speaker ON statements BEGIN
        INSERT INTO statements_fts(statements_fts, rowid, text, speaker)
        VALUES ('delete', old.id, old.text, old.speaker);
        INSERT INTO statements_fts(rowid, text, speaker) VALUES (new.id, new.text, new.speaker);
    END
    """,
)

# Migration 3: indexes for the web listings on large stores (measured on a 100,000-article
# store from scripts/make_big_store.py: without them /api/articles sorts every article per page).
# The expression index matches the listings' ORDER BY exactly, so pages are read in index order.
_LISTING_INDEXES_V3: tuple[str, ...] = (
    "CREATE INDEX articles_listing ON articles(published IS NULL, published DESC, seq DESC)",
    "CREATE INDEX figures_scope ON figures(scope)",
    "CREATE INDEX statements_stance ON statements(stance)",
)

MIGRATIONS: tuple[tuple[str, ...], ...] = (_V1, RESOLVE_V2, _LISTING_INDEXES_V3, LISTING_V4)

SCHEMA_VERSION = len(MIGRATIONS)
# The first version with event days and the place summary (``listing_schema``).
LISTING_SCHEMA_VERSION = 4


def schema_version(conn: sqlite3.Connection) -> int:
    """The ``user_version`` the database file is at (0 for a new file)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the database up to ``SCHEMA_VERSION``; return the version it was at.

    Each migration runs in its own ``BEGIN IMMEDIATE`` transaction, so two
    processes opening a new file at once apply it exactly once. ``conn`` must be
    in autocommit mode (``isolation_level=None``).
    """
    start = schema_version(conn)
    if start > SCHEMA_VERSION:
        raise StoreError(
            f"database schema version {start} is newer than this fogwatch supports "
            f"({SCHEMA_VERSION}); upgrade fogwatch or use another --db"
        )
    for number, statements in enumerate(MIGRATIONS, start=1):
        if number <= start:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            if schema_version(conn) >= number:  # another process got here first
                conn.execute("COMMIT")
                continue
            for sql in statements:
                conn.execute(sql)
            conn.execute(f"PRAGMA user_version = {number:d}")
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise StoreError(f"migration {number} failed: {exc}") from exc
    return start
