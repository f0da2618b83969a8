"""/api/search, /api/contested and /api/counts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from fogwatch.api import queries
from fogwatch.api.deps import Conn, Page
from fogwatch.api.schemas import ContestedOut, CountsOut, SearchHitOut, SearchPageOut
from fogwatch.store import queries as store_queries

router = APIRouter(prefix="/api", tags=["search"])


@router.get("/search", response_model=SearchPageOut)
def search(
    conn: Conn,
    paging: Page,
    q: Annotated[str, Query(min_length=1, max_length=500, description="words, or FTS5 syntax")],
) -> SearchPageOut:
    """Full-text search over article titles and texts, best match first; matches marked « » in snippets.

    ``count`` is the number of hits on this page (a full count would cost a second search).
    ``capped`` is true when the words match more than 5,000 articles: the hits are then the
    best of the newest 5,000 matches (ranking every match of a common word costs seconds).
    """
    found = store_queries.search_page(conn, q, scope="articles", limit=paging.limit, offset=paging.offset)
    return SearchPageOut(
        data=[SearchHitOut.model_validate(h) for h in found.rows], count=len(found.rows), page=paging.page,
        limit=paging.limit, capped=found.capped,
    )


@router.get("/contested", response_model=ContestedOut)
def contested(conn: Conn, paging: Page) -> ContestedOut:
    """Claims beside the denials or counter-accusations of them, with both sentences.

    ``available`` is false (and ``data`` empty) until the resolve stage has run on the store.
    """
    rows = queries.contested(conn, limit=paging.limit, offset=paging.offset)
    return ContestedOut(data=rows.rows, count=rows.total, available=queries.is_resolved(conn))


@router.get("/counts", response_model=CountsOut)
def counts(conn: Conn) -> CountsOut:
    """How many articles, events, figures, statements and places the store holds."""
    return CountsOut(**queries.counts(conn))
