"""The fogwatch web application: JSON API under /api/, pages, OpenAPI docs, static files."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.requests import Request

from fogwatch.api.cache import SeriesCache
from fogwatch.api.db import ReadOnlyDatabase
from fogwatch.api.problems import install_error_handlers
from fogwatch.api.routers import articles, clusters, events, figures, places, search, statements
from fogwatch.api.schemas import ErrorOut
from fogwatch.api.security import SecurityHeadersMiddleware
from fogwatch.web import pages
from fogwatch.web.templating import STATIC_DIR, make_templates

API_DESCRIPTION = (
    "Read-only access to a fogwatch store: articles, events, figures with who claims them, "
    "statements and places, each with character offsets into its article. Every error has "
    'the shape `{"error": {"status", "code", "message"}}`.'
)


def create_app(db_path: str | Path) -> FastAPI:
    """The app serving the store at ``db_path`` read-only (raises StoreError if it is not one)."""
    database = ReadOnlyDatabase.at(db_path)
    app = FastAPI(
        title="fogwatch",
        description=API_DESCRIPTION,
        docs_url=None,  # served below with local Swagger UI assets and no inline script
        redoc_url=None,
        responses={404: {"model": ErrorOut}, 422: {"model": ErrorOut}, 500: {"model": ErrorOut}},
    )
    app.state.database = database
    app.state.templates = make_templates()
    app.state.series_cache = SeriesCache()

    for module in (articles, events, clusters, figures, statements, places, search):
        app.include_router(module.router)

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs(request: Request) -> HTMLResponse:
        return request.app.state.templates.TemplateResponse(request, "docs.html", {})

    app.include_router(pages.router)
    # StaticFiles resolves each path and refuses anything outside STATIC_DIR (no symlinks followed).
    app.mount("/static", StaticFiles(directory=STATIC_DIR, follow_symlink=False), name="static")
    app.add_middleware(SecurityHeadersMiddleware)
    install_error_handlers(app, render_html=pages.render_error)
    return app
