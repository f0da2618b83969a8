"""Dependencies shared by the API routers and the pages: a read-only connection, paging."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Query, Request

from fogwatch.api.cache import SeriesCache
from fogwatch.api.db import ReadOnlyDatabase
from fogwatch.api.queries import ArticleCursor

# Page sizes are bounded so one request cannot ask the server to serialise the whole
# store; 200 rows of items is well under 1 MB of JSON.
MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
# Deep pages are cheap with LIMIT/OFFSET on these tables, but a bound keeps OFFSET
# arithmetic sane for nonsense input.
MAX_PAGE = 100_000
# Row ids in a path: SQLite integers are signed 64-bit, so a larger id can match nothing
# and must be a 422 rather than an OverflowError (a 500) when bound to a query.
MAX_ROW_ID = 2**63 - 1


def get_database(request: Request) -> ReadOnlyDatabase:
    db: ReadOnlyDatabase = request.app.state.database
    return db


def get_series_cache(request: Request) -> SeriesCache:
    cache: SeriesCache = request.app.state.series_cache
    return cache


def get_conn(db: Annotated[ReadOnlyDatabase, Depends(get_database)]) -> Iterator[sqlite3.Connection]:
    """One read-only connection per request, closed when the response is done."""
    conn = db.connect()
    try:
        yield conn
    finally:
        conn.close()


@dataclass(frozen=True)
class Paging:
    """Which page of a listing a request asks for."""

    page: int
    limit: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit


def get_paging(
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="1-based page number")] = 1,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"rows per page, at most {MAX_PAGE_SIZE}")] = DEFAULT_PAGE_SIZE,
) -> Paging:
    return Paging(page=page, limit=limit)


# A cursor is a few dozen characters; anything much longer is not one.
MAX_CURSOR_LENGTH = 200


def get_after(
    after: Annotated[
        str | None,
        Query(max_length=MAX_CURSOR_LENGTH, description="continue after this cursor (a page's `next`); `page` is then ignored"),
    ] = None,
) -> ArticleCursor | None:
    if after is None:
        return None
    try:
        return ArticleCursor.decode(after)
    except ValueError as exc:
        raise HTTPException(status_code=422, detail=f"after: {exc}") from exc


Conn = Annotated[sqlite3.Connection, Depends(get_conn)]
After = Annotated[ArticleCursor | None, Depends(get_after)]
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="the record's id")]
Page = Annotated[Paging, Depends(get_paging)]
Series = Annotated[SeriesCache, Depends(get_series_cache)]
