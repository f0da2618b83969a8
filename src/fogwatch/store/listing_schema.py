"""Migration 4: what the list endpoints read so that none of them scans a 100,000-article store.

- ``events.day``: the event's own date, else its article's publication date (the
  listing's order), filled by ``Store.write_batch`` and backfilled here, with indexes in
  exactly the listing's order (all events; events of one type).
- ``events.place_id``: the place an event is shown at: the first geocoded place of its
  article written as the event's location (before: a correlated lookup per listed row).
- ``row_counts``: how many rows each main table holds, kept by triggers.
- ``place_summary``: one row per distinct place (the grouping key ``PLACE_KEY``) with its
  mention and article counts, coordinates and first mention (``place_key``); ``place_summary_names``:
  every way a place was written (its name and each mention's text), for the name filter.
  Both are kept by triggers on ``places``, so every write path (ingest, a new version of an
  article, a delete) keeps them exact without the writer knowing about them.

Measured on the 100,000-article store of ``scripts/make_big_store.py`` (581k place mentions):
grouping all mentions per request took 7-9 s; the summary holds 131 rows.
"""

from __future__ import annotations

# The listing's identity of a place: its gazetteer id, else its name (or text) and kind.
# Written as a template over a row alias so the insert trigger, the recompute and the
# index all use the very same expression (SQLite matches an expression index textually).
_KEY = "coalesce(CAST({r}geonameid AS TEXT), coalesce({r}name, {r}text) || '|' || coalesce({r}kind, ''))"


def place_key(alias: str = "") -> str:
    """The place key over the row ``alias`` (``new``, ``old``, a table alias; bare for an index)."""
    return _KEY.format(r=f"{alias}." if alias else "")


# The place an event is shown at, for the events of the articles the WHERE clause selects
# (the same rule the listings applied per row before this migration).
EVENT_PLACE_SQL = """
    UPDATE events SET place_id = (
        SELECT p.id FROM places p
        WHERE p.article_id = events.article_id AND p.lat IS NOT NULL AND p.lon IS NOT NULL
          AND (p.text = events.location OR p.name = events.location)
        ORDER BY p.idx LIMIT 1)
    WHERE location IS NOT NULL AND {where}
"""

EVENT_DAY_SQL = """
    UPDATE events SET day = coalesce(date, (SELECT a.published FROM articles a WHERE a.id = events.article_id))
    WHERE {where}
"""


def _recompute_place(key_sql: str) -> tuple[str, ...]:
    """Statements that rebuild the summary rows of the place whose key ``key_sql`` evaluates to."""
    k = place_key("p")
    return (
        f"DELETE FROM place_summary WHERE grp = {key_sql}",
        f"DELETE FROM place_summary_names WHERE grp = {key_sql}",
        f"""INSERT INTO place_summary (grp, name, kind, geonameid, lat, lon, country_code, coord_precision,
                                       mentions, articles, first_id)
            SELECT {k}, NULL, NULL, NULL, min(p.lat), min(p.lon), min(p.country_code), min(p.coord_precision),
                   count(*), count(DISTINCT p.article_id), min(p.id)
            FROM places p WHERE {k} = {key_sql} GROUP BY {k}""",
        f"""UPDATE place_summary SET (name, kind, geonameid) = (
                SELECT coalesce(f.name, f.text), f.kind, f.geonameid FROM places f WHERE f.id = place_summary.first_id)
            WHERE grp = {key_sql}""",
        f"""INSERT OR IGNORE INTO place_summary_names (grp, text)
            SELECT {k}, p.text FROM places p WHERE {k} = {key_sql}
            UNION SELECT {k}, p.name FROM places p WHERE {k} = {key_sql} AND p.name IS NOT NULL""",
    )


def _trigger(name: str, when: str, statements: tuple[str, ...]) -> str:
    body = ";\n".join(statements)
    return f"CREATE TRIGGER {name} {when} ON places BEGIN\n{body};\nEND"


_NEW = place_key("new")
_P = place_key("p")

# A new mention adds to its place's row (one more article unless the article already named it).
_INSERT_STATEMENTS: tuple[str, ...] = (
    f"""INSERT INTO place_summary (grp, name, kind, geonameid, lat, lon, country_code, coord_precision,
                                   mentions, articles, first_id)
        VALUES ({_NEW}, coalesce(new.name, new.text), new.kind, new.geonameid, new.lat, new.lon, new.country_code,
                new.coord_precision, 1, 1, new.id)
        ON CONFLICT (grp) DO UPDATE SET
            mentions = mentions + 1,
            articles = articles + NOT EXISTS (
                SELECT 1 FROM places p WHERE {_P} = excluded.grp AND p.article_id = new.article_id AND p.id <> new.id),
            lat = coalesce(min(lat, excluded.lat), lat, excluded.lat),
            lon = coalesce(min(lon, excluded.lon), lon, excluded.lon),
            country_code = coalesce(min(country_code, excluded.country_code), country_code, excluded.country_code),
            coord_precision = coalesce(min(coord_precision, excluded.coord_precision), coord_precision,
                                       excluded.coord_precision),
            name = CASE WHEN excluded.first_id < first_id THEN excluded.name ELSE name END,
            kind = CASE WHEN excluded.first_id < first_id THEN excluded.kind ELSE kind END,
            first_id = min(first_id, excluded.first_id)""",
    f"INSERT OR IGNORE INTO place_summary_names (grp, text) VALUES ({_NEW}, new.text)",
    f"INSERT OR IGNORE INTO place_summary_names (grp, text) SELECT {_NEW}, new.name WHERE new.name IS NOT NULL",
)

# Tables whose row counts ``row_counts`` keeps (the overview's counts; the store's state
# that cached listing totals are keyed on).
COUNTED_TABLES = ("articles", "events", "figures", "statements", "places")


def _row_count_triggers(table: str) -> tuple[str, ...]:
    return (
        f"""CREATE TRIGGER {table}_count_insert AFTER INSERT ON {table} BEGIN
            UPDATE row_counts SET n = n + 1 WHERE tbl = '{table}'; END""",
        f"""CREATE TRIGGER {table}_count_delete AFTER DELETE ON {table} BEGIN
            UPDATE row_counts SET n = n - 1 WHERE tbl = '{table}'; END""",
    )


# Columns the event filters read, kept in the listing indexes.
_EVENT_FILTERED = "mode, location, actor, actor_id, place_id"

LISTING_V4: tuple[str, ...] = (
    # Maintained row counts: counting 1M statements per request costs 10-60 ms.
    "CREATE TABLE row_counts (tbl TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID",
    *(f"INSERT INTO row_counts (tbl, n) SELECT '{t}', count(*) FROM {t}" for t in COUNTED_TABLES),
    *(sql for t in COUNTED_TABLES for sql in _row_count_triggers(t)),
    "ALTER TABLE events ADD COLUMN day TEXT",
    "ALTER TABLE events ADD COLUMN place_id INTEGER",
    EVENT_DAY_SQL.format(where="1"),
    EVENT_PLACE_SQL.format(where="1"),
    # Exactly the listing's ORDER BY, so a page is read in index order with no sort; each also
    # holds the filtered columns, so a filter is checked on the index without reading the row.
    f"CREATE INDEX events_listing ON events(day IS NULL, day DESC, id DESC, {_EVENT_FILTERED})",
    f"CREATE INDEX events_type_listing ON events(type, day IS NULL, day DESC, id DESC, {_EVENT_FILTERED})",
    # Migration 3's article listing index, now also holding the id: figures and statements walk
    # it to join their articles' items without reading each article row (page 300: 60 -> 28 ms).
    "DROP INDEX articles_listing",
    "CREATE INDEX articles_listing ON articles(published IS NULL, published DESC, seq DESC, id)",
    # Figures and statements are listed in their articles' order (``articles_listing``), each
    # article's items read from these (filters checked on the index, not the row).
    "CREATE INDEX figures_article_filters ON figures(article_id, idx, metric, scope, source, source_actor)",
    "CREATE INDEX statements_article_filters ON statements(article_id, idx, stance, speaker, speaker_actor)",
    # The place filter seeks the events at its candidate locations (and lists the distinct ones).
    "CREATE INDEX events_location ON events(location, type, day, place_id)",
    # The actor filter: the actors as written (distinct, and seeked), or an actor id.
    "CREATE INDEX events_actor ON events(actor, day)",
    "CREATE INDEX events_actor_id ON events(actor_id, day)",
    # The same for a figure's source and a statement's speaker (as written, or the actor id).
    "CREATE INDEX figures_source ON figures(source)",
    "CREATE INDEX figures_source_actor ON figures(source_actor)",
    "CREATE INDEX statements_speaker ON statements(speaker)",
    "CREATE INDEX statements_speaker_actor ON statements(speaker_actor)",
    # The figure place filter: the articles naming a place, by its name or how it was written.
    "CREATE INDEX places_text ON places(text, article_id)",
    "CREATE INDEX places_name_article ON places(name, article_id)",
    # Articles of one outlet in listing order (a rare outlet no longer walks every article).
    "CREATE INDEX articles_outlet_listing ON articles(outlet, published IS NULL, published DESC, seq DESC)",
    """
    CREATE TABLE place_summary (
        grp TEXT PRIMARY KEY,
        name TEXT,
        kind TEXT,
        geonameid INTEGER,
        lat REAL,
        lon REAL,
        country_code TEXT,
        coord_precision TEXT,
        mentions INTEGER NOT NULL,
        articles INTEGER NOT NULL,
        first_id INTEGER NOT NULL
    )
    """,
    "CREATE INDEX place_summary_listing ON place_summary(mentions DESC, name, first_id)",
    """
    CREATE TABLE place_summary_names (
        grp TEXT NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (grp, text)
    ) WITHOUT ROWID
    """,
    f"CREATE INDEX places_key ON places({place_key()}, article_id)",
    # Backfill: every place at once (the same statements as the recompute, for all keys).
    f"""INSERT INTO place_summary (grp, name, kind, geonameid, lat, lon, country_code, coord_precision,
                                   mentions, articles, first_id)
        SELECT {_P}, NULL, NULL, NULL, min(p.lat), min(p.lon), min(p.country_code), min(p.coord_precision),
               count(*), count(DISTINCT p.article_id), min(p.id)
        FROM places p GROUP BY {_P}""",
    """UPDATE place_summary SET (name, kind, geonameid) = (
           SELECT coalesce(f.name, f.text), f.kind, f.geonameid FROM places f WHERE f.id = place_summary.first_id)""",
    f"""INSERT OR IGNORE INTO place_summary_names (grp, text)
        SELECT {_P}, p.text FROM places p UNION SELECT {_P}, p.name FROM places p WHERE p.name IS NOT NULL""",
    _trigger("places_summary_insert", "AFTER INSERT", _INSERT_STATEMENTS),
    # A removed or changed mention: rebuild its place's rows from the mentions left (rare:
    # no fogwatch command deletes or edits places; this keeps a hand edit or cascade exact).
    _trigger("places_summary_delete", "AFTER DELETE", _recompute_place(place_key("old"))),
    _trigger(
        "places_summary_update",
        "AFTER UPDATE OF name, text, kind, geonameid, lat, lon, country_code, coord_precision, article_id",
        _recompute_place(place_key("old")) + _recompute_place(_NEW),
    ),
)
