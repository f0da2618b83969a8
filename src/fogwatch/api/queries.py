"""Read-only SQL for the API and pages that the store's own queries do not cover.

Listings of events, figures, statements and places (with filters), their single
records with database ids, overview counts and the raw rows for figure series.
Every function takes an open connection and returns plain dicts; nothing writes.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from fogwatch.errors import NotFound
from fogwatch.resolve import queries as resolve_queries
from fogwatch.store.fts import plain_terms

# Characters kept on each side of a figure when fetching the text around it to cut
# out its sentence: news sentences run 20-40 words (~120-250 characters), so 400
# covers nearly all without pulling whole article texts for every series point.
SENTENCE_WINDOW = 400

# At most this many cumulative figures feed the series charts; a corpus of a few
# thousand articles has far fewer, and the bound keeps one request cheap.
MAX_SERIES_FIGURES = 20_000


@dataclass(frozen=True)
class Rows:
    """One page of rows and how many match in all."""

    rows: list[dict[str, Any]]
    total: int


def _dicts(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    return [dict(r) for r in cursor]


def _like(value: str) -> str:
    """A LIKE pattern matching ``value`` anywhere, with its wildcards taken literally."""
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _page(
    conn: sqlite3.Connection, select: str, body: str, order: str, params: dict[str, Any], limit: int, offset: int,
    count_body: str | None = None,
) -> Rows:
    """One page of ``SELECT select body ORDER BY order``; ``count_body`` counts the same rows
    more cheaply when given (e.g. without a join that filters nothing)."""
    total = conn.execute(f"SELECT count(*) {count_body or body}", params).fetchone()[0]
    rows = _dicts(
        conn.execute(
            f"SELECT {select} {body} ORDER BY {order} LIMIT :limit OFFSET :offset",
            {**params, "limit": limit, "offset": offset},
        )
    )
    return Rows(rows=rows, total=int(total))


# -- counts --------------------------------------------------------------------------

COUNTED_TABLES = ("articles", "events", "figures", "statements", "places")


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """How many rows of each kind the store holds."""
    return {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in COUNTED_TABLES}


# -- events --------------------------------------------------------------------------

# An event's coordinates: the first geocoded place of its article written as its location.
_EVENT_SELECT = """
    e.id, e.article_id, e.idx, e.start, e."end", e.text, e.type, e.mode, e.actor, e.actor_id,
    e.target, e.location, e.date, e.date_text, e.date_precision, e.modality,
    coalesce(e.date, a.published) AS day,
    a.title AS article_title, a.outlet, a.published,
    p.name AS place_name, p.lat, p.lon
"""
_EVENT_FROM = """
    FROM events e JOIN articles a ON a.id = e.article_id
    LEFT JOIN places p ON p.id = (
        SELECT p2.id FROM places p2
        WHERE p2.article_id = e.article_id AND p2.lat IS NOT NULL AND p2.lon IS NOT NULL
          AND (p2.text = e.location OR p2.name = e.location)
        ORDER BY p2.idx LIMIT 1)
"""


# The de-duplicated event each report joined, once the resolve stage has run.
_EVENT_CLUSTER_SELECT = """,
    (SELECT r.cluster_id FROM cluster_reports r WHERE r.article_id = e.article_id AND r.idx = e.idx) AS cluster_id,
    (SELECT c.report_count FROM cluster_reports r JOIN clusters c ON c.id = r.cluster_id
     WHERE r.article_id = e.article_id AND r.idx = e.idx) AS report_count
"""
_EVENT_NO_CLUSTER_SELECT = ", NULL AS cluster_id, NULL AS report_count"


def _event_select(conn: sqlite3.Connection) -> str:
    return _EVENT_SELECT + (_EVENT_CLUSTER_SELECT if is_resolved(conn) else _EVENT_NO_CLUSTER_SELECT)


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
    where, params = [], {}
    if type:
        where.append("e.type = :type")
        params["type"] = type
    if mode:
        where.append("e.mode = :mode")
        params["mode"] = mode
    if place:
        where.append("(e.location LIKE :place ESCAPE '\\' OR p.name LIKE :place ESCAPE '\\')")
        params["place"] = _like(place)
    if actor:
        where.append("(e.actor LIKE :actor ESCAPE '\\' OR e.actor_id = :actor_id)")
        params["actor"] = _like(actor)
        params["actor_id"] = actor
    if since:
        where.append("coalesce(e.date, a.published) >= :since")
        params["since"] = _iso(since)
    if until:
        where.append("coalesce(e.date, a.published) <= :until")
        params["until"] = _iso(until)
    if article_id:
        where.append("e.article_id = :article_id")
        params["article_id"] = article_id
    if located:
        where.append("p.lat IS NOT NULL")
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    return _page(
        conn, _event_select(conn), f"{_EVENT_FROM} {clause}", "day IS NULL, day DESC, e.id DESC", params, limit, offset
    )


def get_event(conn: sqlite3.Connection, event_id: int) -> dict[str, Any]:
    """One event with the figures and statements its article links to it."""
    row = conn.execute(f"SELECT {_event_select(conn)} {_EVENT_FROM} WHERE e.id = ?", (event_id,)).fetchone()
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
    return [r[0] for r in conn.execute("SELECT DISTINCT type FROM events WHERE type IS NOT NULL ORDER BY 1")]


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
) -> Rows:
    """Figures, newest article first.

    ``source`` matches the canonical actor id exactly or the source as written in
    part; ``place`` keeps figures whose article names that place (figures carry no
    place of their own); ``only_ids`` restricts to those ids (the flagged ones).
    """
    where, params = [], {}
    # "+f.metric": not by the metric index. Every metric is common enough that reading figures
    # in listing order and skipping the others fills a page at once, where the index made
    # SQLite sort every figure of that metric (1.6 s vs 14 ms for 'killed' on 100,000 articles).
    if metric:
        where.append("+f.metric = :metric")
        params["metric"] = metric
    if source:
        where.append("(f.source_actor = :source_id OR f.source LIKE :source ESCAPE '\\')")
        params["source_id"] = source
        params["source"] = _like(source)
    if place:
        where.append(
            """EXISTS (SELECT 1 FROM places p WHERE p.article_id = f.article_id
                       AND (p.name LIKE :place ESCAPE '\\' OR p.text LIKE :place ESCAPE '\\'))"""
        )
        params["place"] = _like(place)
    if scope:
        where.append("+f.scope = :scope")
        params["scope"] = scope
    if since:
        where.append("a.published >= :since")
        params["since"] = _iso(since)
    if until:
        where.append("a.published <= :until")
        params["until"] = _iso(until)
    if article_id:
        where.append("f.article_id = :article_id")
        params["article_id"] = article_id
    if only_ids is not None:
        ids = sorted({int(i) for i in only_ids})
        where.append(f"f.id IN ({','.join(str(i) for i in ids) or 'NULL'})")
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    body = f"FROM figures f JOIN articles a ON a.id = f.article_id {clause}"
    # Every figure has its article (foreign key): without a date filter the join counts nothing
    # (count with it: 660 ms, without: 23 ms on 100,000 articles).
    count_body = None if since or until else f"FROM figures f {clause}"
    return _page(
        conn, _FIGURE_SELECT, body, "a.published IS NULL, a.published DESC, a.seq DESC, f.idx", params, limit, offset,
        count_body,
    )


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
) -> Rows:
    """Statements, newest article first; ``q`` is a full-text search of quote and speaker."""
    where, params = [], {}
    if speaker:
        where.append("(s.speaker LIKE :speaker ESCAPE '\\' OR s.speaker_actor = :speaker_id)")
        params["speaker"] = _like(speaker)
        params["speaker_id"] = speaker
    if stance:
        where.append("+s.stance = :stance")  # listing order, not the index: see list_figures
        params["stance"] = stance
    if q is not None:
        # Every word must occur; operators and punctuation are searched as plain words,
        # so no user input can be an FTS5 syntax error.
        where.append("s.id IN (SELECT rowid FROM statements_fts WHERE statements_fts MATCH :q)")
        params["q"] = plain_terms(q) or '""'
    if since:
        where.append("a.published >= :since")
        params["since"] = _iso(since)
    if until:
        where.append("a.published <= :until")
        params["until"] = _iso(until)
    if article_id:
        where.append("s.article_id = :article_id")
        params["article_id"] = article_id
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    body = f"FROM statements s JOIN articles a ON a.id = s.article_id {clause}"
    count_body = None if since or until else f"FROM statements s {clause}"
    page = _page(
        conn, _STATEMENT_SELECT, body, "a.published IS NULL, a.published DESC, a.seq DESC, s.idx", params, limit, offset,
        count_body,
    )
    for row in page.rows:
        row["direct"] = bool(row["direct"]) if row["direct"] is not None else None
    return page


# -- places --------------------------------------------------------------------------


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
    """Distinct places (by gazetteer id, else name and kind), most mentioned first."""
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
                  GROUP BY coalesce(CAST(p.geonameid AS TEXT), coalesce(p.name, p.text) || '|' || coalesce(p.kind, '')))"""
    return _page(
        conn,
        "name, kind, geonameid, lat, lon, country_code, coord_precision, mentions, articles",
        grouped,
        "mentions DESC, name, first_id",
        params,
        limit,
        offset,
    )




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
