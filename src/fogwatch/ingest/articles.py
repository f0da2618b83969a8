"""Turning read fields into an Article: the checks every reader shares."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from fogwatch.errors import ReadError
from fogwatch.ingest.dates import parse_date
from fogwatch.ingest.decoding import clean_text
from fogwatch.ingest.ids import article_id
from fogwatch.ingest.language import guess_language
from fogwatch.ingest.limits import MAX_TEXT_CHARS
from fogwatch.ingest.options import ReadOptions
from fogwatch.model import Article

_WHITESPACE = re.compile(r"\s+")
# A cut at a paragraph or line break is preferred only when it keeps at least this share
# of the cap; otherwise (one huge paragraph) the text is cut at the last sentence end.
_MIN_KEPT_SHARE = 0.5
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s")


def truncate_text(text: str, limit: int = MAX_TEXT_CHARS) -> str:
    """Text cut to at most ``limit`` characters at the last paragraph break, line break or
    sentence end before the limit (a hard cut when none is in the last half)."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    floor = int(limit * _MIN_KEPT_SHARE)
    for separator in ("\n\n", "\n"):
        cut = head.rfind(separator)
        if cut >= floor:
            return head[:cut]
    ends = [m.end() for m in _SENTENCE_END.finditer(head, floor)]
    if ends:
        return head[: ends[-1]].rstrip()
    return head


def one_line(value: Any) -> str | None:
    """A scalar metadata value as a trimmed single-line string; None when empty or not a scalar."""
    if value is None or isinstance(value, Mapping | list | tuple | bool):
        return None
    text = _WHITESPACE.sub(" ", str(value)).strip()
    return text or None


def get_field(record: Mapping[str, Any], name: str) -> Any:
    """A record's field by name; a dotted name ("meta.date") reaches into nested objects."""
    if name in record:
        return record[name]
    value: Any = record
    for part in name.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def build_article(
    text: str,
    where: str,
    options: ReadOptions,
    *,
    url: Any = None,
    outlet: Any = None,
    title: Any = None,
    published: dt.date | None = None,
    external_id: Any = None,
) -> Article | ReadError:
    """An Article, or the ReadError saying why this text is not one (empty, not English)."""
    text = truncate_text(clean_text(text))
    if not text.strip():
        return ReadError(where, "empty text")
    if options.skip_non_english:
        guess = guess_language(text)
        if not guess.is_english:
            return ReadError(where, f"not English (detected: {guess.label})")
    return Article(
        id=article_id(text),
        text=text,
        url=one_line(url),
        outlet=one_line(outlet),
        title=one_line(title),
        published=published,
        external_id=one_line(external_id),
        source_path=where,
    )


def article_from_record(record: Any, where: str, options: ReadOptions) -> Article | ReadError:
    """An Article from one JSON object or CSV row, using the field names in ``options``."""
    if not isinstance(record, Mapping):
        return ReadError(where, f"not a JSON object but {type(record).__name__}")
    text = get_field(record, options.text_field)
    if text is None:
        return ReadError(where, f"no {options.text_field!r} field")
    if not isinstance(text, str):
        return ReadError(where, f"field {options.text_field!r} is {type(text).__name__}, not text")
    return build_article(
        text,
        where,
        options,
        url=get_field(record, options.url_field),
        outlet=get_field(record, options.outlet_field),
        title=get_field(record, options.title_field),
        published=parse_date(get_field(record, options.date_field)),
        external_id=get_field(record, options.id_field),
    )
