"""/api/articles: the articles and everything extracted from each."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query

from fogwatch.api.deps import Conn, Page
from fogwatch.api.schemas import ArticleDetailOut, ArticleOut, PageOut
from fogwatch.store import queries as store_queries

router = APIRouter(prefix="/api/articles", tags=["articles"])

ArticleRef = Annotated[str, Path(min_length=1, max_length=200, description="article id, input id or id prefix")]


@router.get("", response_model=PageOut[ArticleOut])
def list_articles(
    conn: Conn,
    paging: Page,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    latest_only: bool = False,
) -> PageOut[ArticleOut]:
    """Articles, newest publication date first, with how many items each gave."""
    page = store_queries.list_articles(
        conn,
        limit=paging.limit,
        offset=paging.offset,
        outlet=outlet,
        since=since.isoformat() if since else None,
        until=until.isoformat() if until else None,
        latest_only=latest_only,
    )
    return PageOut[ArticleOut](
        data=[ArticleOut.model_validate(r) for r in page.rows], count=page.total, page=paging.page, limit=paging.limit
    )


@router.get("/{ref}", response_model=ArticleDetailOut)
def get_article(conn: Conn, ref: ArticleRef) -> ArticleDetailOut:
    """One article: its text and every figure, statement, event and place with offsets into it."""
    detail = store_queries.get_article(conn, ref)
    return ArticleDetailOut.model_validate(detail.to_dict())
