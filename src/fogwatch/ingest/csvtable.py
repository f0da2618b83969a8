"""CSV/TSV files, streamed row by row; one article per row."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator

from fogwatch.errors import ReadError
from fogwatch.ingest.articles import article_from_record
from fogwatch.ingest.limits import MAX_RECORD_BYTES
from fogwatch.ingest.options import ReadOptions
from fogwatch.ingest.sources import Source
from fogwatch.model import Article

_DELIMITERS = ",\t;|"
_SKIP_CHUNK = 1024 * 1024


class _OverlongLine(Exception):
    """A physical line longer than MAX_RECORD_BYTES characters (its rest has been skipped)."""


class _CappedLines:
    """The lines of a text stream for csv.reader, never holding more than MAX_RECORD_BYTES
    characters of one line: an overlong line is skipped and _OverlongLine raised."""

    def __init__(self, stream: io.TextIOWrapper, consumed: int) -> None:
        self.stream = stream
        self.consumed = consumed  # physical lines read so far

    def __iter__(self) -> _CappedLines:
        return self

    def __next__(self) -> str:
        line = self.stream.readline(MAX_RECORD_BYTES + 1)
        if not line:
            raise StopIteration
        self.consumed += 1
        if len(line) > MAX_RECORD_BYTES and not line.endswith(("\n", "\r")):
            while True:
                rest = self.stream.readline(_SKIP_CHUNK)
                if not rest or rest.endswith(("\n", "\r")):
                    break
            raise _OverlongLine()
        return line


def _allow_long_fields() -> None:
    """Raise the csv module's per-field limit (131,072 characters by default, shorter than
    long articles) to MAX_RECORD_BYTES. The limit is process-wide; it is only ever raised."""
    if csv.field_size_limit() < MAX_RECORD_BYTES:
        csv.field_size_limit(min(MAX_RECORD_BYTES, sys.maxsize))


def _delimiter(source: Source, header: str) -> str:
    if source.extension() == ".tsv":
        return "\t"
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ","


def _resolve(columns: list[str], wanted: str) -> str | None:
    """The column named ``wanted``: exact match first, then ignoring case and spaces."""
    if wanted in columns:
        return wanted
    folded = wanted.strip().casefold()
    return next((c for c in columns if c.strip().casefold() == folded), None)


def read_csv(source: Source, encoding: str, options: ReadOptions) -> Iterator[Article | ReadError]:
    """Articles from a CSV file with a header row. No text column: one ReadError for the file.
    Rows are named ``file:line`` by the line they start on."""
    _allow_long_fields()
    with source.open() as raw, io.TextIOWrapper(raw, encoding=encoding, newline="") as stream:
        try:
            header = stream.readline()
        except UnicodeDecodeError as exc:
            yield ReadError(source.name, f"not valid {encoding} text ({exc.reason})")
            return
        delimiter = _delimiter(source, header)
        columns = next(csv.reader([header], delimiter=delimiter), [])
        columns = [c.lstrip("\ufeff") for c in columns]
        text_column = _resolve(columns, options.text_field)
        if text_column is None:
            shown = ", ".join(repr(c) for c in columns[:12]) or "none"
            yield ReadError(source.name, f"no {options.text_field!r} column (columns: {shown})")
            return
        names = {
            field: _resolve(columns, getattr(options, field))
            for field in ("text_field", "date_field", "id_field", "title_field", "url_field", "outlet_field")
        }
        lines = _CappedLines(stream, consumed=1)
        rows = csv.reader(lines, delimiter=delimiter)
        while True:
            where = f"{source.name}:{lines.consumed + 1}"
            try:
                row = next(rows)
            except StopIteration:
                return
            except _OverlongLine:
                yield ReadError(where, f"line longer than {MAX_RECORD_BYTES // (1024 * 1024)} MB")
                rows = csv.reader(lines, delimiter=delimiter)  # start afresh after the skipped line
                continue
            except csv.Error as exc:
                yield ReadError(where, f"malformed CSV: {exc}")
                continue
            except UnicodeDecodeError as exc:
                yield ReadError(where, f"not valid {encoding} text ({exc.reason}); rest of the file skipped")
                return
            if not any(cell.strip() for cell in row):
                continue
            record = dict(zip(columns, row, strict=False))
            fields = {getattr(options, f): record.get(col) for f, col in names.items() if col is not None}
            yield article_from_record(fields, where, options)
