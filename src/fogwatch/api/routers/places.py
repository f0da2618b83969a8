"""/api/places: the places the articles name, with gazetteer coordinates."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from fogwatch.api import queries
from fogwatch.api.deps import Conn, Page
from fogwatch.api.schemas import PageOut, PlaceOut
from fogwatch.api.vocab import PlaceKind

router = APIRouter(prefix="/api/places", tags=["places"])


@router.get("", response_model=PageOut[PlaceOut])
def list_places(
    conn: Conn,
    paging: Page,
    q: Annotated[str | None, Query(max_length=200, description="name contains")] = None,
    kind: PlaceKind | None = None,
    located: Annotated[bool, Query(description="only places with coordinates")] = False,
    article_id: Annotated[str | None, Query(max_length=200)] = None,
) -> PageOut[PlaceOut]:
    """Distinct places, most mentioned first, with how many mentions and articles."""
    rows = queries.list_places(
        conn, limit=paging.limit, offset=paging.offset, q=q, kind=kind, located=located, article_id=article_id
    )
    return PageOut[PlaceOut](
        data=[PlaceOut.model_validate(r) for r in rows.rows], count=rows.total, page=paging.page, limit=paging.limit
    )
