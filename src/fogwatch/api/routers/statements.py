"""/api/statements: attributed speech, by speaker, stance and words."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from fogwatch.api import queries
from fogwatch.api.deps import After, Conn, Page
from fogwatch.api.schemas import CursorPageOut, StatementOut
from fogwatch.api.vocab import Stance

router = APIRouter(prefix="/api/statements", tags=["statements"])


@router.get("", response_model=CursorPageOut[StatementOut])
def list_statements(
    conn: Conn,
    paging: Page,
    after: After,
    speaker: Annotated[str | None, Query(max_length=200, description="speaker contains, or speaker actor id")] = None,
    stance: Stance | None = None,
    q: Annotated[str | None, Query(min_length=1, max_length=500, description="full-text: all these words")] = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    article_id: Annotated[str | None, Query(max_length=200)] = None,
) -> CursorPageOut[StatementOut]:
    """Statements, newest article first."""
    rows = queries.list_statements(
        conn,
        limit=paging.limit,
        offset=paging.offset,
        speaker=speaker,
        stance=stance,
        q=q,
        since=since,
        until=until,
        article_id=article_id,
        after=after,
    )
    return CursorPageOut[StatementOut](
        data=[StatementOut.model_validate(r) for r in rows.rows], count=rows.total, page=paging.page, limit=paging.limit,
        next=rows.next,
    )
