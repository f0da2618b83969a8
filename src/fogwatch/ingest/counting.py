"""How many articles the inputs hold, estimated without parsing them (for a progress bar's ETA).

Reading an input to count it doubled the cost of a run with a progress bar (every HTML
page went through trafilatura twice, every WARC archive was decompressed twice). Here a
file is opened only to sniff its format and, for the line-based formats, to scan its
bytes:

- a text or HTML file is one article;
- a JSON Lines file holds one article per non-blank line;
- a CSV/TSV file one per record after the header (a quoted field may span lines);
- a JSON document, a feed or a WARC archive can only be counted by parsing it, so an
  input holding one has no estimate (``None``: the bar shows progress without a total).

The estimate counts what the readers would reject too (a malformed line, a page with
no article text, a non-English article): a total, not a promise.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import BinaryIO

from fogwatch.ingest.decoding import binary_reason
from fogwatch.ingest.detect import by_content, by_extension
from fogwatch.ingest.limits import SNIFF_BYTES
from fogwatch.ingest.options import ReadOptions
from fogwatch.ingest.sources import Source, expand

# Formats whose articles can only be counted by parsing the whole input.
UNCOUNTABLE_FORMATS = frozenset({"json", "feed", "warc"})
# Bytes read at a time when scanning a line-based file: large enough that the scan runs
# at disk speed, small enough to hold in memory beside a running ingest.
_SCAN_CHUNK = 1024 * 1024
_STDIN_ARG = "-"


def estimate_articles(paths: Iterable[str | os.PathLike[str]], options: ReadOptions | None = None) -> int | None:
    """The number of articles ``paths`` hold, estimated from their bytes; ``None`` when the
    inputs include standard input or a format that cannot be counted without parsing."""
    paths = list(paths)
    if any(os.fspath(p) == _STDIN_ARG for p in paths):
        return None   # reading stdin to count it would consume it
    options = options if options is not None else ReadOptions()
    total = 0
    for source in expand(paths):
        if not isinstance(source, Source):
            continue   # a path naming nothing: the run reports it as an error
        try:
            count = _estimate_source(source, options)
        except OSError:
            continue   # unreadable: the run reports it as an error
        if count is None:
            return None
        total += count
    return total


def _estimate_source(source: Source, options: ReadOptions) -> int | None:
    if source.size() == 0:
        return 0
    with source.open() as stream:
        head = stream.read(SNIFF_BYTES)
        fmt = options.format or by_extension(source.extension()) or by_content(head, options.text_field)
        if fmt in UNCOUNTABLE_FORMATS:
            return None
        if binary_reason(head):
            return 0
        stream.seek(0)
        if fmt == "jsonl":
            return _non_blank_lines(stream)
        if fmt == "csv":
            return max(0, _csv_records(stream) - 1)   # the header names the fields
    return 1   # txt, html: one article per file


def _non_blank_lines(stream: BinaryIO) -> int:
    """Lines holding anything but white space."""
    count = 0
    filled = False   # the line being read so far holds a non-blank byte
    while chunk := stream.read(_SCAN_CHUNK):
        *complete, rest = chunk.split(b"\n")
        for line in complete:
            if filled or line.strip():
                count += 1
            filled = False
        filled = filled or bool(rest.strip())
    return count + filled


def _csv_records(stream: BinaryIO) -> int:
    """Non-blank CSV records: line breaks outside double quotes end a record (a doubled quote
    inside a field opens and closes at once, so counting quote marks finds the fields' ends).
    Works on the bytes of any encoding whose quote and line feed bytes stand alone (UTF-8,
    Latin-1, UTF-16)."""
    count = 0
    quoted = False   # inside a quoted field
    filled = False   # the record being read holds a non-blank byte
    while chunk := stream.read(_SCAN_CHUNK):
        for n, part in enumerate(chunk.split(b'"')):
            if n:
                quoted = not quoted
                filled = True
            if quoted:
                continue
            *complete, rest = part.split(b"\n")
            for line in complete:
                if filled or line.strip(b" \t\r\x00"):
                    count += 1
                filled = False
            filled = filled or bool(rest.strip(b" \t\r\x00"))
    return count + filled
