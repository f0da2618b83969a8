"""/api/events: events extracted from the articles (one per report until clustering exists)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from fogwatch.api import queries
from fogwatch.api.deps import Conn, Page, RowId
from fogwatch.api.schemas import EventDetailOut, EventOut, PageOut
from fogwatch.api.vocab import AttackMode, EventType

router = APIRouter(prefix="/api/events", tags=["events"])


@router.get("", response_model=PageOut[EventOut])
def list_events(
    conn: Conn,
    paging: Page,
    type: EventType | None = None,  # noqa: A002
    mode: AttackMode | None = None,
    place: Annotated[str | None, Query(max_length=200, description="location or place name contains")] = None,
    actor: Annotated[str | None, Query(max_length=200, description="actor contains, or actor id")] = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    article_id: Annotated[str | None, Query(max_length=200)] = None,
    located: Annotated[bool, Query(description="only events with coordinates")] = False,
) -> PageOut[EventOut]:
    """Events, newest first by their date (else their article's publication date)."""
    rows = queries.list_events(
        conn,
        limit=paging.limit,
        offset=paging.offset,
        type=type,
        mode=mode,
        place=place,
        actor=actor,
        since=since,
        until=until,
        article_id=article_id,
        located=located,
    )
    return PageOut[EventOut](
        data=[EventOut.model_validate(r) for r in rows.rows], count=rows.total, page=paging.page, limit=paging.limit
    )


@router.get("/{event_id}", response_model=EventDetailOut)
def get_event(conn: Conn, event_id: RowId) -> EventDetailOut:
    """One event with its linked figures and statements and the articles reporting it."""
    event = queries.get_event(conn, event_id)
    cluster = queries.event_cluster(conn, event["article_id"], event["idx"])
    reports = sorted({r["article_id"] for r in cluster["reports"]}) if cluster else [event["article_id"]]
    return EventDetailOut.model_validate({**event, "reports": reports})
