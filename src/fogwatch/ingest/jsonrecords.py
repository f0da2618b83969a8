"""JSON Lines (streamed line by line) and JSON documents (an array of article objects)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from fogwatch.errors import ReadError
from fogwatch.ingest.articles import article_from_record
from fogwatch.ingest.decoding import DecodeFailure, decode_document, is_ascii_compatible
from fogwatch.ingest.limits import MAX_RECORD_BYTES
from fogwatch.ingest.options import ReadOptions
from fogwatch.ingest.sources import Source
from fogwatch.model import Article

_SKIP_CHUNK = 1024 * 1024
# json.loads recurses once per nesting level and fails past Python's recursion limit
# (~1,000 levels); no article record nests more than a few levels.
TOO_DEEP = "invalid JSON: nested too deeply to be an article record"


def _lines(stream: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line bytes) for each line; None for a line longer than MAX_RECORD_BYTES,
    whose rest is skipped without holding it in memory."""
    number = 0
    while True:
        line = stream.readline(MAX_RECORD_BYTES + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_RECORD_BYTES and not line.endswith(b"\n"):
            while True:
                rest = stream.readline(_SKIP_CHUNK)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, None
        else:
            yield number, line


def read_jsonl(source: Source, encoding: str, options: ReadOptions) -> Iterator[Article | ReadError]:
    """One article per line; a bad line gives a ReadError naming ``file:line`` and reading goes on."""
    if not is_ascii_compatible(encoding):
        yield ReadError(source.name, f"JSON Lines in {encoding} is not supported; re-encode it as UTF-8")
        return
    with source.open() as stream:
        for number, raw in _lines(stream):
            where = f"{source.name}:{number}"
            if raw is None:
                yield ReadError(where, f"line longer than {MAX_RECORD_BYTES // (1024 * 1024)} MB")
                continue
            if not raw.strip():
                continue
            try:
                line = raw.decode(encoding).strip()
            except UnicodeDecodeError as exc:
                yield ReadError(where, f"not valid {encoding} text (byte {exc.start + 1})")
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield ReadError(where, f"invalid JSON: {exc.msg} at column {exc.colno}")
                continue
            except RecursionError:
                yield ReadError(where, TOO_DEEP)
                continue
            yield article_from_record(record, where, options)


def _records(document: Any, options: ReadOptions) -> list[Any] | None:
    """The article objects of a JSON document: the array itself, a single article object,
    or the first array of objects under a top-level key ({"articles": [...]})."""
    if isinstance(document, list):
        return document
    if isinstance(document, Mapping):
        if options.text_field in document:
            return [document]
        for value in document.values():
            if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
                return value
    return None


def read_json(source: Source, data: bytes, options: ReadOptions) -> Iterator[Article | ReadError]:
    """Articles from a JSON document; records are named ``file#n`` (1-based)."""
    try:
        document = json.loads(decode_document(data))
    except DecodeFailure as failure:
        yield ReadError(source.name, str(failure))
        return
    except json.JSONDecodeError as exc:
        yield ReadError(source.name, f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
        return
    except RecursionError:
        yield ReadError(source.name, TOO_DEEP)
        return
    records = _records(document, options)
    if records is None:
        yield ReadError(source.name, "JSON holds no array of article objects")
        return
    if not records:
        yield ReadError(source.name, "JSON array is empty")
        return
    for number, record in enumerate(records, start=1):
        yield article_from_record(record, f"{source.name}#{number}", options)
