"""/api/clusters: de-duplicated events (the same event from several reports), once resolved."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from fogwatch.api import queries
from fogwatch.api.deps import Conn, Page, RowId
from fogwatch.api.schemas import ClusterDetailOut, ClusterOut, ClusterPageOut
from fogwatch.api.vocab import EventType

router = APIRouter(prefix="/api/clusters", tags=["events"])


@router.get("", response_model=ClusterPageOut)
def list_clusters(
    conn: Conn,
    paging: Page,
    type: EventType | None = None,  # noqa: A002
    place: Annotated[str | None, Query(max_length=200, description="any report's place contains")] = None,
    actor: Annotated[str | None, Query(max_length=200, description="any report's actor or actor id contains")] = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> ClusterPageOut:
    """De-duplicated events in date order; ``available`` is false until the resolve stage has run."""
    rows = queries.list_clusters(
        conn, limit=paging.limit, offset=paging.offset, type=type, place=place, actor=actor, since=since, until=until
    )
    return ClusterPageOut(
        data=[ClusterOut.model_validate(r) for r in rows.rows],
        count=rows.total,
        page=paging.page,
        limit=paging.limit,
        available=queries.is_resolved(conn),
    )


@router.get("/{cluster_id}", response_model=ClusterDetailOut)
def get_cluster(conn: Conn, cluster_id: RowId) -> ClusterDetailOut:
    """One de-duplicated event with its reports, their sentences and the reasons they were merged."""
    return ClusterDetailOut.model_validate(queries.get_cluster(conn, cluster_id))
