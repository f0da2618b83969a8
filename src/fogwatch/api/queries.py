"""Read-only SQL for the API and pages that the store's own queries do not cover.

Listings of events, figures, statements and places (with filters), their single
records with database ids, overview counts and the raw rows for figure series.
Every function takes an open connection and returns plain dicts; nothing writes.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import sqlite3
import threading
import time
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from fogwatch.errors import NotFound
from fogwatch.resolve import queries as resolve_queries
from fogwatch.store.filters import date_range
from fogwatch.store.fts import plain_terms
from fogwatch.store.listing_schema import place_key
from fogwatch.store.schema import LISTING_SCHEMA_VERSION

# Characters kept on each side of a figure when fetching the text around it to cut
# out its sentence: news sentences run 20-40 words (~120-250 characters), so 400
# covers nearly all without pulling whole article texts for every series point.
SENTENCE_WINDOW = 400

# At most this many cumulative figures feed the series charts; a corpus of a few
# thousand articles has far fewer, and the bound keeps one request cheap.
MAX_SERIES_FIGURES = 20_000


@dataclass(frozen=True)
class Rows:
    """One page of rows and how many match in all; ``next``: the cursor of the page after
    this one (article-ordered listings only, when the page is full)."""

    rows: list[dict[str, Any]]
    total: int
    next: str | None = None


@dataclass(frozen=True)
class ArticleCursor:
    """Where a page of an article-ordered listing (figures, statements) ended: its last row's
    article date and number and the row's index in its article. The next page starts after it
    by a condition on the listing order, so it costs what the first page costs (a deep page
    by number skips every row before it)."""

    published: str | None
    seq: int
    idx: int

    def encode(self) -> str:
        raw = json.dumps([self.published, self.seq, self.idx], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> ArticleCursor:
        """The cursor ``encode`` wrote; ``ValueError`` for anything else."""
        try:
            published, seq, idx = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        except (ValueError, TypeError) as exc:
            raise ValueError(f"not a cursor from this API: {text[:40]!r}") from exc
        if not (published is None or isinstance(published, str)) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in (seq, idx)
        ):
            raise ValueError(f"not a cursor from this API: {text[:40]!r}")
        return cls(published=published, seq=seq, idx=idx)

    def conditions(self, alias: str) -> tuple[list[str], dict[str, Any]]:
        """WHERE terms keeping the rows after this cursor (``alias``: the item table's).

        The first term is the article's alone, so it is checked on the listing index before
        any item of a skipped article is read.
        """
        params = {"after_published": self.published, "after_seq": self.seq, "after_idx": self.idx}
        if self.published is None:
            return (
                ["a.published IS NULL AND a.seq <= :after_seq", f"(a.seq < :after_seq OR {alias}.idx > :after_idx)"],
                params,
            )
        article = ("(a.published IS NULL OR a.published < :after_published "
                   "OR (a.published = :after_published AND a.seq <= :after_seq))")
        row = (f"(a.published IS NULL OR a.published < :after_published OR a.seq < :after_seq "
               f"OR {alias}.idx > :after_idx)")
        return [article, row], params


def _with_next(page: Rows, limit: int) -> Rows:
    """``page`` with the cursor after its last row when the page is full; the helper column dropped."""
    last = page.rows[-1] if page.rows and len(page.rows) == limit else None
    cursor = ArticleCursor(published=last["published"], seq=int(last["_seq"]), idx=int(last["idx"])) if last else None
    for row in page.rows:
        row.pop("_seq", None)
    return Rows(rows=page.rows, total=page.total, next=cursor.encode() if cursor else None)


def _dicts(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    return [dict(r) for r in cursor]


def _like(value: str) -> str:
    """A LIKE pattern matching ``value`` anywhere, with its wildcards taken literally."""
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _indexed(clause: str) -> str:
    """``clause`` with its ``+column`` terms (kept off an index to read in listing order) indexable again."""
    return clause.replace("+f.", "f.").replace("+s.", "s.")


# Totals of filtered listings remembered per store state: a filter no index serves (a place
# or actor substring) counts by scanning, 0.36 s for events on 100,000 articles, once per
# state rather than once per page. The bound keeps the cache small whatever the filters.
MAX_CACHED_RESULTS = 512
_PARAM = re.compile(r":(\w+)")
_cache: dict[tuple[Any, ...], tuple[tuple[Any, ...], ...]] = {}
_cache_lock = threading.Lock()


def store_state(conn: sqlite3.Connection) -> tuple[Any, ...]:
    """Which file and which state of it ``conn`` reads: changes with every write that adds or removes rows.

    On schema 4 the row counts kept by triggers (any insert or delete changes one); before
    it, the articles' highest number and count (articles are only added, with their items).
    """
    path = conn.execute("PRAGMA database_list").fetchone()[2]
    if has_listing_schema(conn):
        counted = conn.execute("SELECT tbl, n FROM row_counts ORDER BY tbl").fetchall()
        return (path, *(int(r[1]) for r in counted))
    row = conn.execute("SELECT coalesce(max(seq), 0), count(*) FROM articles").fetchone()
    return (path, int(row[0]), int(row[1]))


def cached_rows(conn: sqlite3.Connection, sql: str, params: dict[str, Any]) -> tuple[tuple[Any, ...], ...]:
    """The rows of a small read query, remembered for this store state (a temporary database is never cached)."""
    params = {name: params[name] for name in _PARAM.findall(sql)}  # the key holds only what the SQL reads
    state = store_state(conn)
    if not state[0]:
        return tuple(tuple(r) for r in conn.execute(sql, params))
    key = (state, sql, tuple(sorted(params.items())))
    with _cache_lock:
        hit = _cache.get(key)
    if hit is not None:
        return hit
    rows = tuple(tuple(r) for r in conn.execute(sql, params))
    with _cache_lock:
        if len(_cache) >= MAX_CACHED_RESULTS:
            _cache.clear()
        _cache[key] = rows
    return rows


def cached_count(conn: sqlite3.Connection, sql: str, params: dict[str, Any]) -> int:
    """``SELECT count(*) ...`` remembered for this store state."""
    return int(cached_rows(conn, sql, params)[0][0])


@dataclass(frozen=True)
class _Listing:
    """A listing's SQL: its columns, its rows (``FROM ... WHERE ...``) and order.

    ``key`` and ``ids_body``: when given, a page first picks the ``key`` values of its rows
    from ``ids_body`` (the same rows, joined only as far as the filters and the order need),
    then reads the columns of those rows alone. A deep page then skips rows in an index
    instead of building every skipped row (events page 300 on 100,000 articles: 124 -> 3 ms).

    ``sought_ids_body``: the same rows found through an index on a filter (then sorted). A
    page of a rare filter is sought; of a common one, read from ``ids_body`` in listing order
    first, and sought if that takes longer than ``WALK_BUDGET_S``.
    """

    select: str
    from_: str
    clause: str
    order: str
    count_body: str | None = None
    key: str | None = None
    ids_body: str | None = None
    sought_ids_body: str | None = None
    sought_rows: int | None = None  # how many rows the sought plan reads and sorts (default: the total)

    @property
    def body(self) -> str:
        return f"{self.from_} {self.clause}"


# A filtered page whose filter matches at most this many rows collects them through an index
# and sorts them (10,000 rows: 12 ms for events, ~60 ms for statements on 100,000 articles)
# without first reading the listing in order: a rare filter's rows may all be far down it.
SEEK_FIRST_ROWS = 10_000
# How long a page may read a listing in order, checking each row against a filter matching
# more rows, before it collects them through an index instead. Dense filters fill a page in a
# few ms ("hospital" in 35,419 of 1M statements: 5 ms); a filter whose rows sit far down the
# listing would walk it all (events at one place: 0.4 s). Results are the same either way.
WALK_BUDGET_S = 0.03
# What the sought plan costs per row it collects and sorts (statements matching "hospital":
# 35,419 in ~210 ms on 100,000 articles): a walk may take as long as the sort would.
SORT_S_PER_ROW = 6e-6
_PROGRESS_EVERY = 1_000


def _ids_within(conn: sqlite3.Connection, sql: str, params: dict[str, Any], seconds: float) -> list[Any] | None:
    """The first column of ``sql``'s rows, or ``None`` if reading them takes longer than ``seconds``."""
    deadline = time.perf_counter() + seconds
    late = False

    def tick() -> bool:
        nonlocal late
        late = time.perf_counter() > deadline
        return late  # True interrupts the statement

    conn.set_progress_handler(tick, _PROGRESS_EVERY)
    try:
        return [r[0] for r in conn.execute(sql, params)]
    except sqlite3.OperationalError:
        if late:
            return None
        raise
    finally:
        conn.set_progress_handler(None, 0)


def _page(conn: sqlite3.Connection, listing: _Listing, params: dict[str, Any], limit: int, offset: int) -> Rows:
    """One page of ``listing`` and the count of all its rows (``count_body`` counts them more
    cheaply when given, e.g. without a join that filters nothing)."""
    total = cached_count(conn, f"SELECT count(*) {listing.count_body or listing.body}", params)
    if offset >= total:  # past the end (or nothing matches): no need to look
        return Rows(rows=[], total=total)
    paged = {**params, "limit": limit, "offset": offset}
    if not (listing.key and listing.ids_body):
        sql = f"SELECT {listing.select} {listing.body} ORDER BY {listing.order} LIMIT :limit OFFSET :offset"
        return Rows(rows=_dicts(conn.execute(sql, paged)), total=total)
    pick = "SELECT {key} {body} ORDER BY {order} LIMIT :limit OFFSET :offset"
    walk = pick.format(key=listing.key, body=listing.ids_body, order=listing.order)
    if listing.sought_ids_body is None:
        ids = [r[0] for r in conn.execute(walk, paged)]
    else:
        sought = pick.format(key=listing.key, body=listing.sought_ids_body, order=listing.order)
        sorted_rows = total if listing.sought_rows is None else listing.sought_rows
        # Walk no longer than the sought plan would take (a deep page of a common filter walks on).
        budget = max(WALK_BUDGET_S, sorted_rows * SORT_S_PER_ROW)
        found = None if sorted_rows <= SEEK_FIRST_ROWS else _ids_within(conn, walk, paged, budget)
        ids = found if found is not None else [r[0] for r in conn.execute(sought, paged)]
    rows = _dicts(
        conn.execute(
            f"""SELECT {listing.select} {listing.from_}
                WHERE {listing.key} IN (SELECT value FROM json_each(:ids)) ORDER BY {listing.order}""",
            {**params, "ids": json.dumps(ids)},
        )
    )
    return Rows(rows=rows, total=total)


# -- counts --------------------------------------------------------------------------

COUNTED_TABLES = ("articles", "events", "figures", "statements", "places")


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """How many rows of each kind the store holds (kept by triggers from schema 4 on)."""
    if has_listing_schema(conn):
        kept = {str(r[0]): int(r[1]) for r in conn.execute("SELECT tbl, n FROM row_counts")}
        return {t: kept[t] for t in COUNTED_TABLES}
    return {t: cached_count(conn, f"SELECT count(*) FROM {t}", {}) for t in COUNTED_TABLES}


# -- events --------------------------------------------------------------------------

# An event's coordinates: the first geocoded place of its article written as its location.
# Stores at schema 4 hold it (``events.place_id``) and the event's day (``events.day``),
# both filled at ingest; an older store served read-only is read the slow way it was written.
_EVENT_COLUMNS = """
    e.id, e.article_id, e.idx, e.start, e."end", e.text, e.type, e.mode, e.actor, e.actor_id,
    e.target, e.location, e.date, e.date_text, e.date_precision, e.modality,
    {day} AS day,
    a.title AS article_title, a.outlet, a.published,
    p.name AS place_name, p.lat, p.lon
"""
_EVENT_PLACE_JOIN = "LEFT JOIN places p ON p.id = e.place_id"
_EVENT_PLACE_LOOKUP = """
    LEFT JOIN places p ON p.id = (
        SELECT p2.id FROM places p2
        WHERE p2.article_id = e.article_id AND p2.lat IS NOT NULL AND p2.lon IS NOT NULL
          AND (p2.text = e.location OR p2.name = e.location)
        ORDER BY p2.idx LIMIT 1)
"""
# The listing order; on schema 4 it is the order of the index ``events_listing``
# (and ``events_type_listing`` under a type filter), so a page is read without a sort.
_EVENT_ORDER = "day IS NULL, day DESC, e.id DESC"


@dataclass(frozen=True)
class _EventShape:
    """How events are read on a store of a given schema."""

    day: str
    place_join: str

    @property
    def select(self) -> str:
        return _EVENT_COLUMNS.format(day=self.day)

    @property
    def from_(self) -> str:
        return f"FROM events e JOIN articles a ON a.id = e.article_id {self.place_join}"


_INDEXED_EVENTS = _EventShape(day="e.day", place_join=_EVENT_PLACE_JOIN)
_LEGACY_EVENTS = _EventShape(day="coalesce(e.date, a.published)", place_join=_EVENT_PLACE_LOOKUP)


def has_listing_schema(conn: sqlite3.Connection) -> bool:
    """Whether the store is at schema 4 or later (event days and the place summary exist)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0]) >= LISTING_SCHEMA_VERSION


def _event_shape(conn: sqlite3.Connection) -> _EventShape:
    return _INDEXED_EVENTS if has_listing_schema(conn) else _LEGACY_EVENTS


# The de-duplicated event each report joined, once the resolve stage has run.
_EVENT_CLUSTER_SELECT = """,
    (SELECT r.cluster_id FROM cluster_reports r WHERE r.article_id = e.article_id AND r.idx = e.idx) AS cluster_id,
    (SELECT c.report_count FROM cluster_reports r JOIN clusters c ON c.id = r.cluster_id
     WHERE r.article_id = e.article_id AND r.idx = e.idx) AS report_count
"""
_EVENT_NO_CLUSTER_SELECT = ", NULL AS cluster_id, NULL AS report_count"


def _event_select(conn: sqlite3.Connection, shape: _EventShape) -> str:
    return shape.select + (_EVENT_CLUSTER_SELECT if is_resolved(conn) else _EVENT_NO_CLUSTER_SELECT)


def list_events(
    conn: sqlite3.Connection,
    *,
    limit: int,
    offset: int,
    type: str | None = None,  # noqa: A002
    mode: str | None = None,
    place: str | None = None,
    actor: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    article_id: str | None = None,
    located: bool = False,
) -> Rows:
    """Events, newest day first (the event's own date, else its article's publication date)."""
    shape = _event_shape(conn)
    where, params = [], {}
    if mode:
        where.append("e.mode = :mode")
        params["mode"] = mode
    # ``seek``: terms that narrow the rows to what an index can find (candidate values of a
    # substring filter); they change no result, only how the rows are found.
    seek: list[str] = []
    if place:
        params["place"] = _like(place)
        if shape is _LEGACY_EVENTS:
            where.append("(e.location LIKE :place ESCAPE '\\' OR p.name LIKE :place ESCAPE '\\')")
        else:
            # The event's place is looked up only when its location does not match already.
            where.append(
                """(e.location LIKE :place ESCAPE '\\' OR EXISTS (SELECT 1 FROM places pn
                    WHERE pn.id = e.place_id AND pn.name LIKE :place ESCAPE '\\'))"""
            )
            # Only events at a location containing the words, or written as a place whose name
            # contains them, can match: read them by ``events_location``.
            located_at = json.loads(_values_like(conn, "events", "location", params["place"]))
            params["locations"] = json.dumps(sorted({*located_at, *_place_writings(conn, params["place"])}))
            seek.append("e.location IN (SELECT value FROM json_each(:locations))")
    if actor:
        where.append("(e.actor LIKE :actor ESCAPE '\\' OR e.actor_id = :actor_id)")
        params["actor"] = _like(actor)
        params["actor_id"] = actor
        if shape is _INDEXED_EVENTS:
            params["actors"] = _values_like(conn, "events", "actor", params["actor"])
            seek.append("(e.actor IN (SELECT value FROM json_each(:actors)) OR e.actor_id = :actor_id)")
    date_range(where, params, shape.day, since, until)
    if article_id:
        where.append("e.article_id = :article_id")
        params["article_id"] = article_id
    if located:
        where.append("p.lat IS NOT NULL" if shape is _LEGACY_EVENTS else "e.place_id IS NOT NULL")
    select = _event_select(conn, shape)
    if type:
        params["type"] = type
    if shape is _LEGACY_EVENTS:
        typed = [*where, "e.type = :type"] if type else where
        clause = f"WHERE {' AND '.join(typed)}" if typed else ""
        return _page(conn, _Listing(select, shape.from_, clause, _EVENT_ORDER), params, limit, offset)
    # Every event has its article (foreign key), its day and its place id: counting and picking
    # a page's events read the events table alone (``place_id`` is set only for a geocoded place).
    counted = [*where, *seek, *([("+e.type = :type" if seek else "e.type = :type")] if type else [])]
    count_body = "FROM events e " + (f"WHERE {' AND '.join(counted)}" if counted else "")
    walk_terms = [*where, *(["e.type = :type"] if type else [])]
    # Sought by another index (which then checks the type: ``events_location`` holds it), a type
    # is not read in ``events_type_listing`` order.
    sought_terms = [*where, *seek, *(["+e.type = :type"] if type else [])]
    clause = f"WHERE {' AND '.join(walk_terms)}" if walk_terms else ""
    sought = f"FROM events e WHERE {' AND '.join(sought_terms)}" if seek else None
    listing = _Listing(
        select, shape.from_, clause, _EVENT_ORDER, count_body=count_body, key="e.id", ids_body=f"FROM events e {clause}",
        sought_ids_body=sought,
    )
    return _page(conn, listing, params, limit, offset)


# Every distinct value of a column LIKE a pattern, one index seek per distinct value (the
# column's index), not one row read per row of the table.
_DISTINCT_LIKE = """
    WITH RECURSIVE v(x) AS (
        SELECT min({column}) FROM {table}
        UNION ALL
        SELECT (SELECT min({column}) FROM {table} WHERE {column} > v.x) FROM v WHERE v.x IS NOT NULL)
    SELECT x FROM v WHERE x LIKE :pattern ESCAPE '\\'
"""
# Every way a place whose name or writing contains the pattern was written.
_PLACE_WRITINGS = """
    SELECT DISTINCT n2.text FROM place_summary_names n1 JOIN place_summary_names n2 ON n2.grp = n1.grp
    WHERE n1.text LIKE :pattern ESCAPE '\\'
"""


def _values_like(conn: sqlite3.Connection, table: str, column: str, pattern: str) -> str:
    """The distinct values of ``table.column`` matching the LIKE ``pattern``, as a JSON list."""
    rows = cached_rows(conn, _DISTINCT_LIKE.format(table=table, column=column), {"pattern": pattern})
    return json.dumps([r[0] for r in rows])


def _writings_like(conn: sqlite3.Connection, pattern: str) -> list[str]:
    """Every name or text of a place mention that matches the LIKE ``pattern``."""
    sql = "SELECT DISTINCT text FROM place_summary_names WHERE text LIKE :pattern ESCAPE '\\'"
    return [r[0] for r in cached_rows(conn, sql, {"pattern": pattern})]


def _place_writings(conn: sqlite3.Connection, pattern: str) -> list[str]:
    return [r[0] for r in cached_rows(conn, _PLACE_WRITINGS, {"pattern": pattern})]


def get_event(conn: sqlite3.Connection, event_id: int) -> dict[str, Any]:
    """One event with the figures and statements its article links to it."""
    shape = _event_shape(conn)
    row = conn.execute(f"SELECT {_event_select(conn, shape)} {shape.from_} WHERE e.id = ?", (event_id,)).fetchone()
    if row is None:
        raise NotFound(f"no event with id {event_id}")
    event = dict(row)
    event["figures"] = _dicts(
        conn.execute(
            f"""SELECT {_FIGURE_SELECT} FROM event_figures l
                JOIN figures f ON f.article_id = l.article_id AND f.idx = l.figure_idx
                JOIN articles a ON a.id = f.article_id
                WHERE l.article_id = ? AND l.event_idx = ? ORDER BY f.idx""",
            (event["article_id"], event["idx"]),
        )
    )
    event["statements"] = [
        _statement_row(r)
        for r in conn.execute(
            f"""SELECT {_STATEMENT_SELECT} FROM event_statements l
                JOIN statements s ON s.article_id = l.article_id AND s.idx = l.statement_idx
                JOIN articles a ON a.id = s.article_id
                WHERE l.article_id = ? AND l.event_idx = ? ORDER BY s.idx""",
            (event["article_id"], event["idx"]),
        )
    ]
    return event


def event_types(conn: sqlite3.Connection) -> list[str]:
    """The event types the store holds (for the timeline's filter), remembered per store state."""
    return [r[0] for r in cached_rows(conn, "SELECT DISTINCT type FROM events WHERE type IS NOT NULL ORDER BY 1", {})]


# -- figures -------------------------------------------------------------------------

_FIGURE_SELECT = """
    f.id, f.article_id, f.idx, f.start, f."end", f.text, f.number, f.value, f.bound, f.metric,
    f.victims, f.scope, f.source, f.source_actor, f.disputed_by, f.disputed_by_actor,
    a.title AS article_title, a.outlet, a.published
"""


def list_figures(
    conn: sqlite3.Connection,
    *,
    limit: int,
    offset: int,
    metric: str | None = None,
    source: str | None = None,
    place: str | None = None,
    scope: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    only_ids: Collection[int] | None = None,
    article_id: str | None = None,
    after: ArticleCursor | None = None,
) -> Rows:
    """Figures, newest article first.

    ``source`` matches the canonical actor id exactly or the source as written in
    part; ``place`` keeps figures whose article names that place (figures carry no
    place of their own); ``only_ids`` restricts to those ids (the flagged ones).
    ``after``: the rows after that cursor (a page's ``next``) instead of ``offset``.
    """
    where, params = [], {}
    # "+f.metric": not by the metric index. Every metric is common enough that reading figures
    # in listing order and skipping the others fills a page at once, where the index made
    # SQLite sort every figure of that metric (1.6 s vs 14 ms for 'killed' on 100,000 articles).
    if metric:
        where.append("+f.metric = :metric")
        params["metric"] = metric
    indexed = has_listing_schema(conn)
    seek: list[str] = []  # narrowing terms an index serves (see list_events)
    if source:
        where.append("(f.source_actor = :source_id OR f.source LIKE :source ESCAPE '\\')")
        params["source_id"] = source
        params["source"] = _like(source)
        if indexed:
            params["sources"] = _values_like(conn, "figures", "source", params["source"])
            seek.append("(f.source IN (SELECT value FROM json_each(:sources)) OR f.source_actor = :source_id)")
    names_place = ""
    if place:
        names_place = """EXISTS (SELECT 1 FROM places p WHERE p.article_id = f.article_id
                       AND (p.name LIKE :place ESCAPE '\\' OR p.text LIKE :place ESCAPE '\\'))"""
        where.append(names_place)
        params["place"] = _like(place)
        if indexed:
            # The articles with a place named or written in one of the ways that contain the
            # words (every way is in ``place_summary_names``): by ``places_name`` and ``places_text``.
            params["writings"] = json.dumps(_writings_like(conn, params["place"]))
            seek.append(
                """f.article_id IN (SELECT p.article_id FROM places p WHERE p.name IN (SELECT value FROM json_each(:writings))
                                   UNION SELECT p.article_id FROM places p
                                   WHERE p.text IN (SELECT value FROM json_each(:writings)))"""
            )
    if scope:
        where.append("+f.scope = :scope")
        params["scope"] = scope
    date_range(where, params, "a.published", since, until)
    if article_id:
        where.append("f.article_id = :article_id")
        params["article_id"] = article_id
    if only_ids is not None:
        ids = sorted({int(i) for i in only_ids})
        where.append(f"f.id IN ({','.join(str(i) for i in ids) or 'NULL'})")
    # The place writings are exactly those matching: sought rows need no check of their places.
    exact = [w for w in where if not (seek and w == names_place)]
    counted = [*exact, *seek]
    clause = f"WHERE {' AND '.join(counted)}" if counted else ""
    from_ = "FROM figures f JOIN articles a ON a.id = f.article_id"
    # Every figure has its article (foreign key): without a date filter the join counts nothing
    # (count with it: 660 ms, without: 23 ms on 100,000 articles).
    # The count reads the metric and scope indexes (a count has no order to keep).
    count_body = f"{from_} {clause}" if since or until else f"FROM figures f {_indexed(clause)}"
    page_clause, offset = _after(where, params, after, "f", offset)
    sought = None
    if seek:
        sought = f"{from_} {_after(counted, params, after, 'f', 0)[0]}"
    order = "a.published IS NULL, a.published DESC, a.seq DESC, f.idx"
    listing = _Listing(f"{_FIGURE_SELECT}, a.seq AS _seq", from_, page_clause, order, count_body, key="f.id",
                       ids_body=f"{from_} {page_clause}", sought_ids_body=sought)
    return _with_next(_page(conn, listing, params, limit, offset), limit)


def _after(
    where: list[str], params: dict[str, Any], after: ArticleCursor | None, alias: str, offset: int
) -> tuple[str, int]:
    """The WHERE clause of a page (``where`` and, with a cursor, the rows after it) and its offset."""
    if after is None:
        return (f"WHERE {' AND '.join(where)}" if where else ""), offset
    terms, cursor_params = after.conditions(alias)
    params.update(cursor_params)
    return f"WHERE {' AND '.join([*where, *terms])}", 0


def get_figure(conn: sqlite3.Connection, figure_id: int) -> dict[str, Any]:
    row = conn.execute(
        f"SELECT {_FIGURE_SELECT} FROM figures f JOIN articles a ON a.id = f.article_id WHERE f.id = ?",
        (figure_id,),
    ).fetchone()
    if row is None:
        raise NotFound(f"no figure with id {figure_id}")
    return dict(row)


def metrics(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT DISTINCT metric FROM figures WHERE metric IS NOT NULL ORDER BY 1")]


def cumulative_figures(conn: sqlite3.Connection, *, metric: str | None = None) -> list[dict[str, Any]]:
    """Every cumulative figure with its article's date, country and the text around it.

    ``country`` is the country code its article's places name most often (the
    conflict the figure is about, as far as the store can tell; ``None`` without one).

    ``window``/``window_start`` hold the article text from ``SENTENCE_WINDOW``
    characters before the figure to as many after it, for cutting out the sentence.
    """
    params: dict[str, Any] = {"w": SENTENCE_WINDOW, "cap": MAX_SERIES_FIGURES}
    clause = ""
    if metric:
        clause = "AND f.metric = :metric"
        params["metric"] = metric
    return _dicts(
        conn.execute(
            f"""SELECT {_FIGURE_SELECT},
                   (SELECT p.country_code FROM places p
                    WHERE p.article_id = f.article_id AND p.country_code IS NOT NULL
                    GROUP BY p.country_code ORDER BY count(*) DESC, min(p.idx) LIMIT 1) AS country,
                   max(f.start - :w, 0) AS window_start,
                   substr(a.text, max(f.start - :w, 0) + 1, (f."end" - max(f.start - :w, 0)) + :w) AS window
                FROM figures f JOIN articles a ON a.id = f.article_id
                WHERE f.scope = 'cumulative' AND f.value IS NOT NULL {clause}
                ORDER BY a.published IS NULL, a.published, a.seq, f.idx
                LIMIT :cap""",
            params,
        )
    )


# -- statements ----------------------------------------------------------------------

_STATEMENT_SELECT = """
    s.id, s.article_id, s.idx, s.start, s."end", s.text, s.speaker, s.cue, s.direct, s.stance,
    s.speaker_actor, s.speaker_start, s.speaker_end, s.cue_start, s.cue_end,
    a.title AS article_title, a.outlet, a.published
"""


def _statement_row(row: sqlite3.Row) -> dict[str, Any]:
    d = dict(row)
    d["direct"] = bool(d["direct"]) if d["direct"] is not None else None
    return d


def list_statements(
    conn: sqlite3.Connection,
    *,
    limit: int,
    offset: int,
    speaker: str | None = None,
    stance: str | None = None,
    q: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    article_id: str | None = None,
    after: ArticleCursor | None = None,
) -> Rows:
    """Statements, newest article first; ``q`` is a full-text search of quote and speaker.

    ``after``: the rows after that cursor (a page's ``next``) instead of ``offset``.
    """
    where, params = [], {}
    seek: list[str] = []  # narrowing terms an index serves (see list_events)
    if speaker:
        where.append("(s.speaker LIKE :speaker ESCAPE '\\' OR s.speaker_actor = :speaker_id)")
        params["speaker"] = _like(speaker)
        params["speaker_id"] = speaker
        if has_listing_schema(conn):
            params["speakers"] = _values_like(conn, "statements", "speaker", params["speaker"])
            seek.append("(s.speaker IN (SELECT value FROM json_each(:speakers)) OR s.speaker_actor = :speaker_id)")
    if stance:
        where.append("+s.stance = :stance")  # listing order, not the index: see list_figures
        params["stance"] = stance
    date_range(where, params, "a.published", since, until)
    if article_id:
        where.append("s.article_id = :article_id")
        params["article_id"] = article_id
    matches = "s.id IN (SELECT rowid FROM statements_fts WHERE statements_fts MATCH :q)"
    if q is not None:
        # Every word must occur; operators and punctuation are searched as plain words,
        # so no user input can be an FTS5 syntax error.
        params["q"] = plain_terms(q) or '""'
        where.append(matches)
    counted = [*where, *seek]
    clause = f"WHERE {' AND '.join(counted)}" if counted else ""
    from_ = "FROM statements s JOIN articles a ON a.id = s.article_id"
    # Counted by the stance index and from the set of matches: a count has no order to keep.
    if q is not None and len(counted) == 1:
        # The words alone: the full-text index counts its own matches (every statement is in it).
        count_body = "FROM statements_fts WHERE statements_fts MATCH :q"
    elif since or until:
        count_body = f"{from_} {clause}"
    else:
        count_body = f"FROM statements s {_indexed(clause)}"
    sought_clause, _ = _after([*where, *seek], params, after, "s", offset)
    walk_from, sought = from_, None
    if (q is not None or seek) and article_id is None:
        # Articles in listing order, their statements checked against the filters ("+": the set
        # of word matches is looked up, not read first and sorted); else (see _Listing) sought.
        where = [("+" + w if w == matches else w) for w in where]
        walk_from = "FROM articles a CROSS JOIN statements s ON s.article_id = a.id"
        sought = f"{from_} {sought_clause}"
    elif seek:
        where = [*where, *seek]
    page_clause, offset = _after(where, params, after, "s", offset)
    order = "a.published IS NULL, a.published DESC, a.seq DESC, s.idx"
    sought_rows = None
    if q is not None:  # the sought plan reads every statement with the words, whatever else filters
        sought_rows = cached_count(conn, "SELECT count(*) FROM statements_fts WHERE statements_fts MATCH :q", params)
    listing = _Listing(f"{_STATEMENT_SELECT}, a.seq AS _seq", from_, page_clause, order, count_body, key="s.id",
                       ids_body=f"{walk_from} {page_clause}", sought_ids_body=sought, sought_rows=sought_rows)
    page = _with_next(_page(conn, listing, params, limit, offset), limit)
    for row in page.rows:
        row["direct"] = bool(row["direct"]) if row["direct"] is not None else None
    return page


# -- places --------------------------------------------------------------------------


_PLACE_COLUMNS = "name, kind, geonameid, lat, lon, country_code, coord_precision, mentions, articles"


def list_places(
    conn: sqlite3.Connection,
    *,
    limit: int,
    offset: int,
    q: str | None = None,
    kind: str | None = None,
    located: bool = False,
    article_id: str | None = None,
) -> Rows:
    """Distinct places (by gazetteer id, else name and kind), most mentioned first.

    On a schema-4 store the listing reads ``place_summary``: a place's counts are over all
    its mentions, ``q`` matches its name or any way a mention wrote it, and ``kind`` and
    ``located`` are those of the place (its first mention's kind; whether it has
    coordinates). ``article_id`` (and any older store) groups that article's mentions.
    """
    if article_id or not has_listing_schema(conn):
        return _group_places(conn, limit=limit, offset=offset, q=q, kind=kind, located=located, article_id=article_id)
    where, params = [], {}
    if q:
        where.append(
            """(s.name LIKE :q ESCAPE '\\' OR EXISTS (SELECT 1 FROM place_summary_names n
                WHERE n.grp = s.grp AND n.text LIKE :q ESCAPE '\\'))"""
        )
        params["q"] = _like(q)
    if kind:
        where.append("s.kind = :kind")
        params["kind"] = kind
    if located:
        where.append("s.lat IS NOT NULL AND s.lon IS NOT NULL")
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    listing = _Listing(_PLACE_COLUMNS, "FROM place_summary s", clause, "mentions DESC, name, first_id")
    return _page(conn, listing, params, limit, offset)


def _group_places(
    conn: sqlite3.Connection, *, limit: int, offset: int, q: str | None, kind: str | None, located: bool,
    article_id: str | None,
) -> Rows:
    """``list_places`` by grouping the matching mentions (one article's; or a store before schema 4)."""
    where, params = [], {}
    if q:
        where.append("(p.name LIKE :q ESCAPE '\\' OR p.text LIKE :q ESCAPE '\\')")
        params["q"] = _like(q)
    if kind:
        where.append("p.kind = :kind")
        params["kind"] = kind
    if located:
        where.append("p.lat IS NOT NULL AND p.lon IS NOT NULL")
    if article_id:
        where.append("p.article_id = :article_id")
        params["article_id"] = article_id
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    grouped = f"""FROM (SELECT coalesce(p.name, p.text) AS name, p.kind, p.geonameid,
                         min(p.lat) AS lat, min(p.lon) AS lon, min(p.country_code) AS country_code,
                         min(p.coord_precision) AS coord_precision,
                         count(*) AS mentions, count(DISTINCT p.article_id) AS articles,
                         min(p.id) AS first_id
                  FROM places p {clause}
                  GROUP BY {place_key("p")})"""
    return _page(conn, _Listing(_PLACE_COLUMNS, grouped, "", "mentions DESC, name, first_id"), params, limit, offset)


# -- the resolve stage's tables (migration 2), when it has run -------------------------


def tables(conn: sqlite3.Connection) -> frozenset[str]:
    return frozenset(r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))


def is_resolved(conn: sqlite3.Connection) -> bool:
    """Whether the resolve stage has run on this store (its series and flags can be used)."""
    if "resolved_articles" not in tables(conn):
        return False
    return conn.execute("SELECT 1 FROM resolved_articles LIMIT 1").fetchone() is not None


def resolution_state(conn: sqlite3.Connection) -> tuple[int, ...]:
    """Numbers that change whenever ingest or resolution changes what series show."""
    row = conn.execute(
        "SELECT (SELECT coalesce(max(seq), 0) FROM articles), (SELECT coalesce(max(id), 0) FROM figures)"
    ).fetchone()
    state = (int(row[0]), int(row[1]))
    if is_resolved(conn):
        more = conn.execute(
            """SELECT (SELECT count(*) FROM resolved_articles), (SELECT count(*) FROM figure_series),
                      (SELECT coalesce(max(id), 0) FROM figure_flags), (SELECT count(*) FROM figure_flags)"""
        ).fetchone()
        state += tuple(int(v) for v in more)
    return state


def _flag_text(kind: str, other_value: int | None, other_day: str | None, other_source: str | None) -> str:
    value = f"{other_value:,}" if other_value is not None else "another figure"
    if kind == "falls":
        return f"falls from {value} reported earlier ({other_day or 'undated'})"
    if kind == "disagrees":
        return f"disagrees with {other_source or 'another source'}'s {value} on the same day"
    return f"{kind}: {value} ({other_day or 'undated'})"


def resolved_series_figures(conn: sqlite3.Connection, *, metric: str | None = None) -> list[dict[str, Any]]:
    """The resolve stage's series points, shaped like ``cumulative_figures`` rows plus
    ``series`` (its key: metric|victim class|source) and ``flag`` (why it breaks, or None)."""
    params: dict[str, Any] = {"w": SENTENCE_WINDOW, "cap": MAX_SERIES_FIGURES}
    clause = ""
    if metric:
        clause = "WHERE s.series LIKE :metric ESCAPE '\\'"
        params["metric"] = metric.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "|%"
    rows = _dicts(
        conn.execute(
            f"""SELECT {_FIGURE_SELECT}, s.series, s.day,
                   max(f.start - :w, 0) AS window_start,
                   substr(a.text, max(f.start - :w, 0) + 1, (f."end" - max(f.start - :w, 0)) + :w) AS window
                FROM figure_series s JOIN figures f ON f.id = s.figure_id JOIN articles a ON a.id = f.article_id
                {clause}
                ORDER BY s.series, s.day, a.seq, f.idx
                LIMIT :cap""",
            params,
        )
    )
    flags: dict[int, list[str]] = {}
    for g in conn.execute(
        """SELECT g.figure_id, g.kind, o.value, oa.published, coalesce(o.source, oa.outlet) AS other_source
           FROM figure_flags g JOIN figures o ON o.id = g.other_figure_id JOIN articles oa ON oa.id = o.article_id
           ORDER BY g.id"""
    ):
        flags.setdefault(int(g[0]), []).append(_flag_text(g[1], g[2], g[3], g[4]))
    for row in rows:
        row["flag"] = "; ".join(flags.get(int(row["id"]), [])) or None
    return rows


def flagged_ids(conn: sqlite3.Connection) -> set[int]:
    """Figures the resolve stage flagged as breaking their series."""
    return {int(r[0]) for r in conn.execute("SELECT DISTINCT figure_id FROM figure_flags")}


def contested(conn: sqlite3.Connection, *, limit: int, offset: int) -> Rows:
    """Claims beside their denials or counter-accusations (the resolve stage's pairs)."""
    if not is_resolved(conn):
        return Rows(rows=[], total=0)
    total = int(conn.execute("SELECT count(*) FROM contested_pairs").fetchone()[0])
    pairs = resolve_queries.list_contested(conn)[offset : offset + limit]
    for pair in pairs:
        for side in ("claim", "counter"):
            row = conn.execute(
                "SELECT idx, cue, text, direct, speaker_actor FROM statements WHERE id = ?", (pair[f"{side}_id"],)
            ).fetchone()
            pair[f"{side}_idx"] = row["idx"]
            pair[f"{side}_cue"] = row["cue"]
            pair[f"{side}_text"] = row["text"]
            pair[f"{side}_direct"] = bool(row["direct"]) if row["direct"] is not None else None
    return Rows(rows=pairs, total=total)


def event_cluster(conn: sqlite3.Connection, article_id: str, idx: int) -> dict[str, Any] | None:
    """The de-duplicated event a report belongs to, with all its reports and merge reasons."""
    if not is_resolved(conn):
        return None
    row = conn.execute(
        "SELECT cluster_id FROM cluster_reports WHERE article_id = ? AND idx = ?", (article_id, idx)
    ).fetchone()
    return resolve_queries.get_event(conn, int(row[0])) if row else None


def list_clusters(
    conn: sqlite3.Connection,
    *,
    limit: int,
    offset: int,
    type: str | None = None,  # noqa: A002
    place: str | None = None,
    actor: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Rows:
    """De-duplicated events in date order (empty until the resolve stage has run)."""
    if not is_resolved(conn):
        return Rows(rows=[], total=0)
    filters = {"type": type, "place": place, "actor": actor, "since": _iso(since), "until": _iso(until)}
    rows = resolve_queries.list_events(conn, **filters, limit=limit, offset=offset)
    return Rows(rows=rows, total=resolve_queries.count_events(conn, **filters))


def get_cluster(conn: sqlite3.Connection, cluster_id: int) -> dict[str, Any]:
    if not is_resolved(conn):
        raise NotFound(f"no event cluster {cluster_id}: the store has not been resolved (run `fogwatch resolve`)")
    return resolve_queries.get_event(conn, cluster_id)
