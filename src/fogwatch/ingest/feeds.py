"""RSS and Atom feed files via feedparser: one article per entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

import feedparser

from fogwatch.errors import ReadError
from fogwatch.ingest.articles import build_article
from fogwatch.ingest.dates import parse_date
from fogwatch.ingest.htmltext import html_to_text
from fogwatch.ingest.options import ReadOptions
from fogwatch.ingest.sources import Source
from fogwatch.model import Article

# Feed problems that do not lose content: the declared encoding was overridden.
_HARMLESS = (feedparser.CharacterEncodingOverride,)


def _entry_html(entry: Mapping[str, Any]) -> tuple[str, bool]:
    """The fullest body of an entry (content:encoded / content, else summary) and whether it is HTML."""
    contents = [c for c in entry.get("content", []) if c.get("value")]
    if contents:
        best = max(contents, key=lambda c: len(c["value"]))
        return best["value"], "html" in (best.get("type") or "html")
    detail = entry.get("summary_detail") or {}
    return entry.get("summary", "") or "", "html" in (detail.get("type") or "html")


def _entry_date(entry: Mapping[str, Any]) -> dt.date | None:
    for key in ("published", "updated", "created"):
        day = parse_date(entry.get(key))
        if day:
            return day
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if parsed:
            return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
    return None


def read_feed(source: Source, data: bytes, options: ReadOptions) -> Iterator[Article | ReadError]:
    """Articles from a feed's entries, named ``file#n`` (1-based). A malformed feed yields the
    entries that parsed, then one ReadError saying what was wrong; no entries is a ReadError."""
    # Bytes, never a str: feedparser treats a string as a URL or path and would fetch it.
    parsed = feedparser.parse(data, resolve_relative_uris=False, sanitize_html=True)
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if isinstance(problem, _HARMLESS):
        problem = None
    if not parsed.entries:
        reason = f"not a readable feed ({problem})" if problem else "feed has no entries"
        yield ReadError(source.name, reason)
        return
    outlet = parsed.feed.get("title")
    for number, entry in enumerate(parsed.entries, start=1):
        body, is_html = _entry_html(entry)
        text = html_to_text(body) if is_html else body
        yield build_article(
            text,
            f"{source.name}#{number}",
            options,
            url=entry.get("link"),
            outlet=outlet,
            title=html_to_text(entry.get("title", "") or ""),
            published=_entry_date(entry),
            external_id=entry.get("id"),
        )
    if problem:
        yield ReadError(
            source.name,
            f"malformed feed ({problem}); the {len(parsed.entries)} entries before the problem were read",
        )
