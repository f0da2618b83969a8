"""Server-rendered pages. Handlers only gather rows and pick a template; the
queries live in fogwatch.api.queries and fogwatch.store.queries."""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from fogwatch.api import queries
from fogwatch.api.deps import DEFAULT_PAGE_SIZE, MAX_PAGE, Conn, RowId, Series
from fogwatch.api.vocab import EventType
from fogwatch.store import queries as store_queries
from fogwatch.web.highlight import Mark, render

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

# Overview: how many events to list and how many headline series to chart. Ten events
# fit one screen; four small charts fit one row pair without scrolling.
LATEST_EVENTS = 10
HEADLINE_SERIES = 4
# Timeline and search list this many rows per page.
PAGE_ROWS = DEFAULT_PAGE_SIZE
# The figures page tables list the latest points of each series; the chart shows them all.
# 100 rows is a long scroll already; a series of 2,000 points made a 680 KB page.
TABLE_POINTS = 100
# The map lists the most mentioned places under it.
MAP_PLACE_ROWS = 100

PageNo = Annotated[int, Query(ge=1, le=MAX_PAGE)]
Text = Annotated[str | None, Query(max_length=200)]


def _render(request: Request, template: str, **context: Any) -> HTMLResponse:
    templates = request.app.state.templates
    return templates.TemplateResponse(request, template, {"nav": template.removesuffix(".html"), **context})


def _pages(total: int) -> int:
    return max(1, math.ceil(total / PAGE_ROWS))


@router.get("/")
def overview(request: Request, conn: Conn, cache: Series) -> HTMLResponse:
    series = cache.series(conn)
    headline = sorted((s for s in series if len(s["points"]) >= 2), key=lambda s: -len(s["points"]))[:HEADLINE_SERIES]
    return _render(
        request,
        "overview.html",
        counts=queries.counts(conn),
        events=queries.list_events(conn, limit=LATEST_EVENTS, offset=0).rows,
        headline=headline,
    )


@router.get("/timeline")
def timeline(
    request: Request,
    conn: Conn,
    place: Text = None,
    actor: Text = None,
    type: EventType | None = None,  # noqa: A002
    since: dt.date | None = None,
    until: dt.date | None = None,
    page: PageNo = 1,
) -> HTMLResponse:
    rows = queries.list_events(
        conn,
        limit=PAGE_ROWS,
        offset=(page - 1) * PAGE_ROWS,
        place=place,
        actor=actor,
        type=type,
        since=since,
        until=until,
    )
    days: dict[str, list[dict[str, Any]]] = {}
    for event in rows.rows:
        days.setdefault(event["day"] or "undated", []).append(event)
    filters = {
        "place": place or "",
        "actor": actor or "",
        "type": type or "",
        "since": since.isoformat() if since else "",
        "until": until.isoformat() if until else "",
    }
    return _render(
        request,
        "timeline.html",
        days=days,
        total=rows.total,
        filters=filters,
        types=queries.event_types(conn),
        page=page,
        pages=_pages(rows.total),
    )


@router.get("/map")
def map_page(request: Request, conn: Conn) -> HTMLResponse:
    places = queries.list_places(conn, limit=MAP_PLACE_ROWS, offset=0)
    located = queries.list_places(conn, limit=1, offset=0, located=True).total
    return _render(request, "map.html", places=places.rows, total=places.total, located=located)


@router.get("/figures")
def figures(request: Request, conn: Conn, cache: Series) -> HTMLResponse:
    series = cache.series(conn)
    by_metric: dict[str, list[dict[str, Any]]] = {}
    for s in series:
        by_metric.setdefault(s["metric"], []).append(s)
    return _render(
        request, "figures.html", by_metric=by_metric, all_metrics=queries.metrics(conn), table_points=TABLE_POINTS
    )


@router.get("/contested")
def contested(request: Request, conn: Conn, page: PageNo = 1) -> HTMLResponse:
    pairs = queries.contested(conn, limit=PAGE_ROWS, offset=(page - 1) * PAGE_ROWS)
    for pair in pairs.rows:
        pair["reason_lines"] = reason_lines(pair.get("reasons"))
    return _render(
        request,
        "contested.html",
        available=queries.is_resolved(conn),
        pairs=pairs.rows,
        total=pairs.total,
        page=page,
        pages=_pages(pairs.total),
    )


def reason_lines(reasons: Any) -> list[str]:
    """A merge or pairing reason (JSON) as one readable line per top-level key."""
    if not isinstance(reasons, dict):
        return [] if reasons in (None, "", [], {}) else [_reason_value(reasons)]
    return [f"{str(key).replace('_', ' ')}: {_reason_value(value)}" for key, value in reasons.items()]


def _reason_value(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{str(k).replace('_', ' ')} {_reason_value(v)}" for k, v in value.items() if v is not None)
    if isinstance(value, list):
        return ", ".join(_reason_value(v) for v in value) or "none"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return "—" if value is None else str(value)


@router.get("/search")
def search(
    request: Request, conn: Conn, q: Annotated[str, Query(max_length=500)] = "", page: PageNo = 1
) -> HTMLResponse:
    hits: list[dict[str, Any]] = []
    statements: list[dict[str, Any]] = []
    if q.strip():
        hits = store_queries.search(conn, q, scope="articles", limit=PAGE_ROWS, offset=(page - 1) * PAGE_ROWS)
        if page == 1:
            statements = store_queries.search(conn, q, scope="statements", limit=PAGE_ROWS)
    return _render(request, "search.html", q=q, hits=hits, statements=statements, page=page, more=len(hits) == PAGE_ROWS)


@router.get("/articles")
def articles(request: Request, conn: Conn, page: PageNo = 1) -> HTMLResponse:
    listing = store_queries.list_articles(conn, limit=PAGE_ROWS, offset=(page - 1) * PAGE_ROWS)
    return _render(request, "articles.html", articles=listing.rows, total=listing.total, page=page, pages=_pages(listing.total))


@router.get("/events/{event_id}")
def event(request: Request, conn: Conn, event_id: RowId) -> HTMLResponse:
    record = queries.get_event(conn, event_id)
    cluster = queries.event_cluster(conn, record["article_id"], record["idx"])
    if cluster:
        for report in cluster["reports"]:
            report["reason_lines"] = reason_lines(report.get("reasons"))
            report["own"] = report["article_id"] == record["article_id"] and report["idx"] == record["idx"]
    return _render(request, "event.html", event=record, cluster=cluster)


def _label(kind: str, item: dict[str, Any]) -> str:
    if kind == "figure":
        return f"figure: {item.get('metric')} {item.get('value')} ({item.get('source') or 'reporter'})"
    if kind == "statement":
        return f"statement: {item.get('speaker') or 'unknown speaker'} {item.get('cue') or ''}".strip()
    if kind == "event":
        return f"event: {item.get('type')}" + (f" ({item['mode']})" if item.get("mode") else "")
    return f"place: {item.get('name') or item.get('text')} ({item.get('kind')})"


@router.get("/articles/{ref}")
def article(request: Request, conn: Conn, ref: Annotated[str, Path(min_length=1, max_length=200)]) -> HTMLResponse:
    detail = store_queries.get_article(conn, ref)
    text = detail.article["text"]
    kinds = (("figure", detail.figures), ("statement", detail.statements), ("event", detail.events), ("place", detail.places))
    marks = [
        Mark(kind, int(item["idx"]), int(item["start"]), int(item["end"]), _label(kind, item))
        for kind, items in kinds
        for item in items
    ]
    event_ids = {
        r["idx"]: r["id"] for r in queries.list_events(conn, limit=1000, offset=0, article_id=detail.article["id"]).rows
    }
    return _render(
        request,
        "article.html",
        article=detail.article,
        body=render(text, marks),
        figures=detail.figures,
        statements=detail.statements,
        events=detail.events,
        places=detail.places,
        event_ids=event_ids,
    )


def render_error(request: Request, status: int, code: str, message: str) -> HTMLResponse:
    """The HTML twin of the JSON error shape, for browsers."""
    response = _render(request, "error.html", status=status, code=code, message=message)
    response.status_code = status
    return response
