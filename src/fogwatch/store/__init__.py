"""The embedded SQLite store: versioned schema, batch writes, full-text search, queries."""

from fogwatch.store.db import BUSY_TIMEOUT_MS, BatchCounts, ErrorInput, Store
from fogwatch.store.queries import ArticleDetail, Page
from fogwatch.store.schema import SCHEMA_VERSION

__all__ = ["BUSY_TIMEOUT_MS", "SCHEMA_VERSION", "ArticleDetail", "BatchCounts", "ErrorInput", "Page", "Store"]
