"""Articles and their records as plain rows (for Parquet shards) and back, losslessly."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from fogwatch.model import Article, ArticleRecord, Event, Figure, Place, Statement

_ITEM_TYPES = {"figures": Figure, "statements": Statement, "events": Event, "places": Place}


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _item(cls: type, data: dict[str, Any]) -> Any:
    kwargs = {}
    for f in dataclasses.fields(cls):
        value = data.get(f.name, f.default)
        if f.name == "date":
            value = _date(value)
        elif isinstance(value, list):
            value = tuple(value)
        kwargs[f.name] = value
    return cls(**kwargs)


def record_to_json(record: ArticleRecord) -> str:
    return json.dumps(record.to_dict(), ensure_ascii=False, sort_keys=True)


def record_from_json(payload: str) -> ArticleRecord:
    data = json.loads(payload)
    items = {kind: tuple(_item(cls, d) for d in data.get(kind, [])) for kind, cls in _ITEM_TYPES.items()}
    return ArticleRecord(id=data["id"], published=_date(data.get("published")), **items)


ARTICLE_COLUMNS = ("id", "text", "url", "outlet", "title", "published", "external_id", "source_path")


def article_to_row(article: Article) -> dict[str, str | None]:
    row = {name: getattr(article, name) for name in ARTICLE_COLUMNS}
    row["published"] = article.published.isoformat() if article.published else None
    return row


def article_from_row(row: dict[str, Any]) -> Article:
    values = {name: (None if row.get(name) is None else str(row[name])) for name in ARTICLE_COLUMNS}
    return Article(**{**values, "published": _date(values["published"])})  # type: ignore[arg-type]
