"""Run the web UI and JSON API with uvicorn: ``serve(db)`` (the CLI's ``fogwatch serve``)."""

from __future__ import annotations

from pathlib import Path

# Loopback only unless the caller asks otherwise: the UI has no authentication.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def serve(db: str | Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *, log_level: str = "info") -> None:
    """Serve the store at ``db`` read-only until interrupted (raises StoreError if it is not one)."""
    import uvicorn

    from fogwatch.api import create_app

    app = create_app(db)
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False, proxy_headers=False)
