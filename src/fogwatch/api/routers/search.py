"""/api/search, /api/contested and /api/counts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from fogwatch.api import queries
from fogwatch.api.deps import Conn, Page
from fogwatch.api.schemas import ContestedOut, CountsOut, PageOut, SearchHitOut
from fogwatch.store import queries as store_queries

router = APIRouter(prefix="/api", tags=["search"])


@router.get("/search", response_model=PageOut[SearchHitOut])
def search(
    conn: Conn,
    paging: Page,
    q: Annotated[str, Query(min_length=1, max_length=500, description="words, or FTS5 syntax")],
) -> PageOut[SearchHitOut]:
    """Full-text search over article titles and texts, best match first; matches marked « » in snippets.

    ``count`` is the number of hits on this page (a full count would cost a second search).
    """
    hits = store_queries.search(conn, q, scope="articles", limit=paging.limit, offset=paging.offset)
    return PageOut[SearchHitOut](
        data=[SearchHitOut.model_validate(h) for h in hits], count=len(hits), page=paging.page, limit=paging.limit
    )


@router.get("/contested", response_model=ContestedOut)
def contested(request: Request, conn: Conn, paging: Page) -> ContestedOut:
    """Claims and their denials side by side, once the resolve stage stores them (empty until then)."""
    table = queries.contested_table(request.app.state.database.table_names())
    if table is None:
        return ContestedOut(data=[], count=0, available=False)
    rows = queries.contested_rows(conn, table, limit=paging.limit, offset=paging.offset)
    return ContestedOut(data=rows.rows, count=rows.total, available=True)


@router.get("/counts", response_model=CountsOut)
def counts(conn: Conn) -> CountsOut:
    """How many articles, events, figures, statements and places the store holds."""
    return CountsOut(**queries.counts(conn))
