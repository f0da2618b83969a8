"""The JSON API and web UI over a fogwatch store (read-only)."""

from fogwatch.api.app import create_app

__all__ = ["create_app"]
