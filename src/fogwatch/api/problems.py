"""One error shape for every failure: ``{"error": {"status", "code", "message"}}``.

API clients always get that JSON. Browsers asking for a page (``Accept: text/html``
outside ``/api/``) get the same status with a small HTML page saying the same thing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from fogwatch.api.security import SECURITY_HEADERS
from fogwatch.errors import NotFound, StoreError

log = logging.getLogger(__name__)

_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    422: "invalid_parameter",
    500: "internal_error",
    503: "store_unavailable",
}

HtmlRenderer = Callable[[Request, int, str, str], Response]


def error_body(status: int, message: str, code: str | None = None) -> dict[str, Any]:
    return {"error": {"status": status, "code": code or _CODES.get(status, "error"), "message": message}}


def _wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/api/") or path in ("/openapi.json",) or path.startswith("/static/"):
        return False
    return "text/html" in request.headers.get("accept", "")


def _validation_message(errors: Sequence[Any]) -> str:
    parts = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body")]
        parts.append(f"{'.'.join(loc) or 'request'}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def install_error_handlers(app: FastAPI, render_html: HtmlRenderer | None = None) -> None:
    """Route every error path of ``app`` to the one JSON shape (or its HTML twin)."""

    def respond(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
        code = _CODES.get(status, "error")
        if render_html is not None and _wants_html(request):
            response = render_html(request, status, code, message)
        else:
            response = JSONResponse(error_body(status, message, code), status_code=status)
        for name, value in (headers or {}).items():
            response.headers[name] = value
        return response

    async def on_http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}"
        return respond(request, exc.status_code, message, dict(exc.headers or {}))

    async def on_validation_error(request: Request, exc: RequestValidationError) -> Response:
        return respond(request, 422, _validation_message(exc.errors()))

    async def on_not_found(request: Request, exc: NotFound) -> Response:
        return respond(request, 404, str(exc))

    async def on_store_error(request: Request, exc: StoreError) -> Response:
        log.error("store error on %s: %s", request.url.path, exc)
        return respond(request, 503, str(exc))

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        # Runs in Starlette's outermost middleware, outside SecurityHeadersMiddleware:
        # set the security headers here too. The traceback goes to the log only.
        log.exception("unhandled error on %s", request.url.path)
        response = respond(request, 500, "internal server error")
        for name, value in SECURITY_HEADERS:
            response.headers.setdefault(name, value)
        return response

    app.add_exception_handler(StarletteHTTPException, on_http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, on_validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(NotFound, on_not_found)  # type: ignore[arg-type]
    app.add_exception_handler(StoreError, on_store_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, on_unexpected)
