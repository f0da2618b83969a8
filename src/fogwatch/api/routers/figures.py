"""/api/figures: casualty and displacement figures, with who claims them, and their series."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from fogwatch.api import queries
from fogwatch.api.deps import After, Conn, Page, RowId, Series
from fogwatch.api.schemas import CursorPageOut, FigureOut, SeriesListOut, SeriesOut
from fogwatch.api.series import flagged_figure_ids
from fogwatch.api.vocab import Metric, Scope

router = APIRouter(prefix="/api/figures", tags=["figures"])

SourceParam = Annotated[
    str | None, Query(max_length=200, description="canonical source id, or part of the source as written")
]


@router.get("", response_model=CursorPageOut[FigureOut])
def list_figures(
    conn: Conn,
    paging: Page,
    after: After,
    cache: Series,
    metric: Metric | None = None,
    source: SourceParam = None,
    place: Annotated[str | None, Query(max_length=200, description="the figure's article names this place")] = None,
    scope: Scope | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    flagged: Annotated[bool, Query(description="only figures that break their source's series")] = False,
    article_id: Annotated[str | None, Query(max_length=200)] = None,
) -> CursorPageOut[FigureOut]:
    """Figures, newest article first."""
    only = None
    if flagged:
        only = queries.flagged_ids(conn) if queries.is_resolved(conn) else flagged_figure_ids(cache.series(conn))
    rows = queries.list_figures(
        conn,
        limit=paging.limit,
        offset=paging.offset,
        metric=metric,
        source=source,
        place=place,
        scope=scope,
        since=since,
        until=until,
        only_ids=only,
        article_id=article_id,
        after=after,
    )
    return CursorPageOut[FigureOut](
        data=[FigureOut.model_validate(r) for r in rows.rows], count=rows.total, page=paging.page, limit=paging.limit,
        next=rows.next,
    )


@router.get("/series", response_model=SeriesListOut)
def figure_series(
    conn: Conn,
    cache: Series,
    metric: Metric | None = None,
    source: Annotated[str | None, Query(max_length=200, description="series key: actor id, source or 'reporter'")] = None,
    country: Annotated[str | None, Query(min_length=2, max_length=2, description="ISO country code of the series")] = None,
) -> SeriesListOut:
    """Cumulative figures as series by metric, source and country, in publication order; falls are flagged."""
    series = cache.series(conn, metric)
    if source:
        series = [s for s in series if s["source"] == source.strip().lower() or s["source"] == source]
    if country:
        series = [s for s in series if (s["country"] or "").upper() == country.upper()]
    return SeriesListOut(data=[SeriesOut.model_validate(s) for s in series], count=len(series))


@router.get("/{figure_id}", response_model=FigureOut)
def get_figure(conn: Conn, figure_id: RowId) -> FigureOut:
    return FigureOut.model_validate(queries.get_figure(conn, figure_id))
