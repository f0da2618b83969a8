"""Read queries over the store: what the CLI and the web API list, show and search.

Every function takes an open ``sqlite3.Connection`` (rows as ``sqlite3.Row``) and
returns plain dicts, so callers can format them as tables, JSON or CSV.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fogwatch.errors import NotFound, StoreError
from fogwatch.store.filters import date_range
from fogwatch.store.fts import plain_terms

T = TypeVar("T")

# Highlight markers and length of search snippets. Guillemets rarely occur in
# English news text, so they stand out and survive JSON and CSV unescaped.
SNIPPET_OPEN = "«"
SNIPPET_CLOSE = "»"
SNIPPET_ELLIPSIS = "…"
# Tokens around the match: about one sentence, enough to judge a hit in a table cell.
SNIPPET_TOKENS = 16

# The shortest id prefix ``get_article`` accepts: ids are hex digests, and fewer than
# 6 characters would match many articles in a corpus of tens of thousands.
MIN_ID_PREFIX = 6

ITEM_KINDS = ("figures", "statements", "events", "places")
SEARCH_SCOPES = ("articles", "statements")


@dataclass(frozen=True)
class Page:
    """One page of a listing: its rows, and how many rows match in all."""

    rows: list[dict[str, Any]]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class ArticleDetail:
    """An article with every item extracted from it, each list in ``idx`` order."""

    article: dict[str, Any]
    figures: list[dict[str, Any]] = field(default_factory=list)
    statements: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    places: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.article,
            "figures": self.figures,
            "statements": self.statements,
            "events": self.events,
            "places": self.places,
        }


@contextlib.contextmanager
def snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """Run several SELECTs against one consistent state of the database.

    Outside a transaction every statement sees the latest commit, so a count and a
    page read around a concurrent batch could disagree; a read transaction pins them
    to one WAL snapshot (and never blocks the writer).
    """
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("COMMIT")


def _consistent(query: Callable[..., T]) -> Callable[..., T]:
    """Decorator: the query's SELECTs all read one snapshot (see ``snapshot``)."""

    @functools.wraps(query)
    def wrapper(conn: sqlite3.Connection, *args: Any, **kwargs: Any) -> T:
        with snapshot(conn):
            return query(conn, *args, **kwargs)

    return wrapper


def _dicts(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    return [dict(row) for row in cursor]


_ARTICLE_COLUMNS = """
    a.id, a.published, a.outlet, a.title, a.url, a.version, a.supersedes, a.external_id,
    (SELECT count(*) FROM figures WHERE article_id = a.id) AS figures,
    (SELECT count(*) FROM statements WHERE article_id = a.id) AS statements,
    (SELECT count(*) FROM events WHERE article_id = a.id) AS events,
    (SELECT count(*) FROM places WHERE article_id = a.id) AS places
"""


@_consistent
def list_articles(
    conn: sqlite3.Connection,
    *,
    limit: int = 50,
    offset: int = 0,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    url: str | None = None,
    latest_only: bool = False,
) -> Page:
    """Articles, newest publication date first, with their item counts.

    ``since``/``until`` are inclusive ISO dates; ``latest_only`` hides versions that a
    newer version of the same URL supersedes.
    """
    where, params = [], {}
    if outlet:
        where.append("a.outlet = :outlet")
        params["outlet"] = outlet
    date_range(where, params, "a.published", since, until)
    if url:
        where.append("a.url = :url")
        params["url"] = url
    if latest_only:
        where.append("NOT EXISTS (SELECT 1 FROM articles n WHERE n.supersedes = a.id)")
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    total = conn.execute(f"SELECT count(*) FROM articles a {clause}", params).fetchone()[0]
    if offset >= total:  # past the end (or nothing matches): no need to look
        return Page(rows=[], total=int(total), limit=limit, offset=offset)
    rows = _dicts(
        conn.execute(
            f"""SELECT {_ARTICLE_COLUMNS} FROM articles a {clause}
                ORDER BY a.published IS NULL, a.published DESC, a.seq DESC
                LIMIT :limit OFFSET :offset""",
            {**params, "limit": limit, "offset": offset},
        )
    )
    return Page(rows=rows, total=int(total), limit=limit, offset=offset)


def resolve_article_id(conn: sqlite3.Connection, ref: str) -> str:
    """The stored id ``ref`` names: an id, an input's own id, or a unique id prefix."""
    row = conn.execute("SELECT id FROM articles WHERE id = ?", (ref,)).fetchone()
    if row:
        return str(row[0])
    rows = conn.execute(
        "SELECT id FROM articles WHERE external_id = ? ORDER BY version DESC LIMIT 2", (ref,)
    ).fetchall()
    if rows:
        return str(rows[0][0])
    if len(ref) >= MIN_ID_PREFIX:
        escaped = ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = conn.execute(
            "SELECT id FROM articles WHERE id LIKE ? ESCAPE '\\' LIMIT 2", (escaped + "%",)
        ).fetchall()
        if len(rows) == 1:
            return str(rows[0][0])
        if len(rows) > 1:
            raise NotFound(f"article id prefix {ref!r} is ambiguous; give more characters")
    raise NotFound(f"no article with id {ref!r}")


@_consistent
def get_article(conn: sqlite3.Connection, ref: str) -> ArticleDetail:
    """One article (by id, input id or unique id prefix) with all its items."""
    article_id = resolve_article_id(conn, ref)
    article = dict(conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone())
    article.pop("seq", None)
    items: dict[str, list[dict[str, Any]]] = {}
    for kind in ITEM_KINDS:
        rows = _dicts(
            conn.execute(f"SELECT * FROM {kind} WHERE article_id = ? ORDER BY idx", (article_id,))
        )
        for row in rows:
            row.pop("id", None)
            row.pop("article_id", None)
        items[kind] = rows
    for row in items["statements"]:
        row["direct"] = bool(row["direct"]) if row["direct"] is not None else None
    links_f = conn.execute(
        "SELECT event_idx, figure_idx FROM event_figures WHERE article_id = ? ORDER BY 1, 2", (article_id,)
    ).fetchall()
    links_s = conn.execute(
        "SELECT event_idx, statement_idx FROM event_statements WHERE article_id = ? ORDER BY 1, 2",
        (article_id,),
    ).fetchall()
    for event in items["events"]:
        event["figures"] = [f for e, f in links_f if e == event["idx"]]
        event["statements"] = [s for e, s in links_s if e == event["idx"]]
    return ArticleDetail(article=article, **items)


# At most this many matches are ranked per search: the newest stored ones (FTS rowids grow
# with ingest). Ranking is linear in the matches: a common word matches most of a large
# store (72,917 of 100,000 articles for "killed": 400 ms to rank them all, 40 ms for 10,000,
# 17 ms for 5,000; the search page runs two searches). A search with more matches says so
# (``SearchPage.capped``).
SEARCH_HIT_CAP = 5_000


@dataclass(frozen=True)
class SearchPage:
    """One page of search hits, best first; ``capped``: more than ``SEARCH_HIT_CAP`` matched,
    and only the newest ``SEARCH_HIT_CAP`` matches were ranked."""

    rows: list[dict[str, Any]]
    capped: bool


_SEARCH_TABLE = {"articles": "articles_fts", "statements": "statements_fts"}

# Each scope ranks the page's rowids first (no snippet), then builds snippets for those rows
# alone. The rank is carried out of the first step: bm25 in a statement of its own counts
# every match of each word again (6 ms per row for a word in 73,000 articles).
_SEARCH_SQL = {
    "articles": f"""
        WITH page AS (
            SELECT rowid AS r, rank AS rk FROM articles_fts WHERE articles_fts MATCH :q AND rowid >= :floor
            ORDER BY rank, rowid DESC LIMIT :limit OFFSET :offset)
        SELECT a.id AS article_id, a.published, a.outlet, a.title,
               snippet(articles_fts, 1, '{SNIPPET_OPEN}', '{SNIPPET_CLOSE}', '{SNIPPET_ELLIPSIS}',
                       {SNIPPET_TOKENS}) AS snippet,
               round(page.rk, 6) AS rank
        FROM page CROSS JOIN articles_fts ON articles_fts.rowid = page.r JOIN articles a ON a.seq = page.r
        WHERE articles_fts MATCH :q
        ORDER BY page.rk, page.r DESC""",
    "statements": f"""
        WITH page AS (
            SELECT rowid AS r, rank AS rk FROM statements_fts WHERE statements_fts MATCH :q AND rowid >= :floor
            ORDER BY rank, rowid DESC LIMIT :limit OFFSET :offset)
        SELECT s.article_id, s.idx, a.published, a.outlet, s.speaker, s.cue, s.stance,
               snippet(statements_fts, 0, '{SNIPPET_OPEN}', '{SNIPPET_CLOSE}', '{SNIPPET_ELLIPSIS}',
                       {SNIPPET_TOKENS}) AS snippet,
               round(page.rk, 6) AS rank
        FROM page CROSS JOIN statements_fts ON statements_fts.rowid = page.r
        JOIN statements s ON s.id = page.r JOIN articles a ON a.id = s.article_id
        WHERE statements_fts MATCH :q
        ORDER BY page.rk, page.r DESC""",
}


def _run_search(conn: sqlite3.Connection, scope: str, match: str, limit: int, offset: int, cap: int) -> SearchPage:
    table = _SEARCH_TABLE[scope]
    # The cap-th newest match and the one after it, in one walk: a second row means capped.
    newest = f"SELECT rowid FROM {table} WHERE {table} MATCH :q ORDER BY rowid DESC LIMIT 2 OFFSET :n"
    edge = conn.execute(newest, {"q": match, "n": cap - 1}).fetchall()
    capped = len(edge) == 2
    params = {"q": match, "limit": limit, "offset": offset, "floor": edge[0][0] if capped else 0}
    return SearchPage(rows=_dicts(conn.execute(_SEARCH_SQL[scope], params)), capped=capped)


@_consistent
def search_page(
    conn: sqlite3.Connection, query: str, *, scope: str = "articles", limit: int = 20, offset: int = 0,
    cap: int = SEARCH_HIT_CAP,
) -> SearchPage:
    """Full-text search of article titles and texts, or of statements, best match (bm25) first.

    ``query`` may use FTS5 syntax (``"exact phrase"``, ``OR``, ``NEAR``, prefix ``*``);
    a query that is not valid FTS5 is searched as its plain words instead, so user
    input never raises a syntax error. Snippets mark matches with « ». Of more than
    ``cap`` matches only the newest ``cap`` are ranked (``capped`` says so).
    """
    if scope not in _SEARCH_SQL:
        raise StoreError(f"unknown search scope {scope!r}; use one of {', '.join(SEARCH_SCOPES)}")
    if not query.strip():
        return SearchPage(rows=[], capped=False)
    try:
        return _run_search(conn, scope, query, limit, offset, cap)
    except sqlite3.OperationalError:
        plain = plain_terms(query)
        if not plain:
            return SearchPage(rows=[], capped=False)
        try:
            return _run_search(conn, scope, plain, limit, offset, cap)
        except sqlite3.OperationalError as exc:
            raise StoreError(f"search failed for {query!r}: {exc}") from exc


def search(
    conn: sqlite3.Connection, query: str, *, scope: str = "articles", limit: int = 20, offset: int = 0
) -> list[dict[str, Any]]:
    """The rows of ``search_page``: the best matches of ``query`` first."""
    return search_page(conn, query, scope=scope, limit=limit, offset=offset).rows


_COUNT_KINDS = ("articles", *ITEM_KINDS)


@_consistent
def stats(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Counts of articles and items: in total, then by outlet, then by publication date.

    Each row: ``scope`` (total | outlet | date), ``key`` (the outlet or date; ``""``
    for the total and for articles without one), then a count per kind; ``errors``
    is counted in the total row only.
    """
    rows: list[dict[str, Any]] = []
    total: dict[str, Any] = {"scope": "total", "key": ""}
    for kind in _COUNT_KINDS:
        total[kind] = conn.execute(f"SELECT count(*) FROM {kind}").fetchone()[0]
    total["errors"] = conn.execute("SELECT count(*) FROM errors").fetchone()[0]
    rows.append(total)
    for scope, column in (("outlet", "outlet"), ("date", "published")):
        counts: dict[str, dict[str, Any]] = {}
        grouped = conn.execute(
            f"SELECT coalesce({column}, '') AS key, count(*) FROM articles GROUP BY 1 ORDER BY 1"
        )
        for key, n in grouped:
            counts[key] = {"scope": scope, "key": key, "articles": n, **dict.fromkeys(ITEM_KINDS, 0)}
        for kind in ITEM_KINDS:
            per_kind = conn.execute(
                f"""SELECT coalesce(a.{column}, '') AS key, count(*) FROM {kind} i
                    JOIN articles a ON a.id = i.article_id GROUP BY 1"""
            )
            for key, n in per_kind:
                counts[key][kind] = n
        for row in counts.values():
            row["errors"] = None
            rows.append(row)
    return rows


@_consistent
def list_errors(
    conn: sqlite3.Connection, *, limit: int = 50, offset: int = 0, run_id: int | None = None
) -> Page:
    """Recorded input errors, most recent first."""
    clause, params = ("WHERE run_id = :run", {"run": run_id}) if run_id is not None else ("", {})
    total = conn.execute(f"SELECT count(*) FROM errors {clause}", params).fetchone()[0]
    rows = _dicts(
        conn.execute(
            f"""SELECT id, run_id, at, path, reason FROM errors {clause}
                ORDER BY id DESC LIMIT :limit OFFSET :offset""",
            {**params, "limit": limit, "offset": offset},
        )
    )
    return Page(rows=rows, total=int(total), limit=limit, offset=offset)


def list_runs(conn: sqlite3.Connection, *, limit: int = 20) -> list[dict[str, Any]]:
    """Ingest runs, most recent first, with what each added."""
    return _dicts(conn.execute("SELECT * FROM runs ORDER BY id DESC LIMIT ?", (limit,)))
