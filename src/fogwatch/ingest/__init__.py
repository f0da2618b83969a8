"""Input readers: files, directories, globs and stdin → ``fogwatch.model.Article``.

``read_paths`` streams Articles and, for anything that cannot be read, a
``fogwatch.errors.ReadError`` object (yielded, not raised) naming the file — and for
multi-record inputs the record (``data.jsonl:17``, ``data.csv:5``, ``feed.xml#3``,
``items.json#2``, ``crawl.warc.gz#7``) — so a batch goes on past bad input.

Formats: txt (optional ``date YYYY-MM-DD`` line and headline), jsonl, json, csv/tsv,
html (trafilatura), feed (RSS/Atom via feedparser), warc (warcio). Detected by
extension, then by content; ``ReadOptions.format`` forces one.

Text is kept exactly as decoded (a leading BOM is removed and newlines become ``\\n``);
texts longer than ``limits.MAX_TEXT_CHARS`` are truncated at a paragraph break.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator

from fogwatch.errors import ReadError
from fogwatch.ingest.csvtable import read_csv
from fogwatch.ingest.decoding import DecodeFailure, binary_reason, sniff_stream_encoding
from fogwatch.ingest.detect import by_content, by_extension, looks_like_json_lines
from fogwatch.ingest.feeds import read_feed
from fogwatch.ingest.htmlpage import read_html
from fogwatch.ingest.ids import article_id
from fogwatch.ingest.jsonrecords import read_json, read_jsonl
from fogwatch.ingest.limits import MAX_DOCUMENT_BYTES, MAX_WHOLE_PARSE_BYTES, SNIFF_BYTES
from fogwatch.ingest.options import FORMATS, ReadOptions
from fogwatch.ingest.plaintext import read_txt
from fogwatch.ingest.sources import Source, expand
from fogwatch.ingest.warcfile import read_warc
from fogwatch.model import Article

__all__ = [
    "DEFAULT_OPTIONS",
    "FORMATS",
    "ReadError",
    "ReadOptions",
    "article_id",
    "read_paths",
    "read_source",
]

ReadResult = Article | ReadError
DEFAULT_OPTIONS = ReadOptions()

# Readers that parse a whole file at once, and the size each accepts.
_WHOLE_FILE_READERS: dict[str, tuple[Callable[[Source, bytes, ReadOptions], Iterator[ReadResult]], int]] = {
    "txt": (read_txt, MAX_DOCUMENT_BYTES),
    "html": (read_html, MAX_DOCUMENT_BYTES),
    "json": (read_json, MAX_WHOLE_PARSE_BYTES),
    "feed": (read_feed, MAX_WHOLE_PARSE_BYTES),
}
# Readers that stream record by record, given the file's encoding.
_STREAM_READERS: dict[str, Callable[[Source, str, ReadOptions], Iterator[ReadResult]]] = {
    "jsonl": read_jsonl,
    "csv": read_csv,
}


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def read_paths(
    paths: Iterable[str | os.PathLike[str]], options: ReadOptions = DEFAULT_OPTIONS
) -> Iterator[Article | ReadError]:
    """Articles from files, directories (recursive, sorted, hidden files skipped), globs and
    ``-`` (stdin); ``pathlib.Path`` objects are accepted too. Bad input is yielded as a
    ReadError and reading goes on."""
    for item in expand(paths):
        if isinstance(item, ReadError):
            yield item
        else:
            yield from read_source(item, options)


def read_source(source: Source, options: ReadOptions = DEFAULT_OPTIONS) -> Iterator[Article | ReadError]:
    """Articles from one file; its problems are yielded as ReadErrors."""
    try:
        yield from _read_source(source, options)
    except OSError as exc:
        yield ReadError(source.name, f"cannot read: {exc.strerror or exc}")


def _detect(source: Source, head: bytes, options: ReadOptions) -> str:
    """The format by extension, then by content. Two extensions are checked against the
    content: ``.json`` holding JSON Lines, and ``.xml`` holding an XHTML page instead of a feed."""
    by_name = by_extension(source.extension())
    if by_name == "json" and looks_like_json_lines(head.lstrip(b"\xef\xbb\xbf \t\r\n")):
        return "jsonl"
    if source.extension() == ".xml" and by_content(head, options.text_field) == "html":
        return "html"
    return by_name or by_content(head, options.text_field)


def _read_source(source: Source, options: ReadOptions) -> Iterator[Article | ReadError]:
    size = source.size()
    if size == 0:
        yield ReadError(source.name, "empty file")
        return
    with source.open() as stream:
        head = stream.read(SNIFF_BYTES)
    fmt = options.format or _detect(source, head, options)
    if fmt == "warc":
        yield from read_warc(source, options)
        return
    reason = binary_reason(head)
    if reason:
        yield ReadError(source.name, reason)
        return
    if size <= SNIFF_BYTES and not head.lstrip(b"\xef\xbb\xbf").strip():
        yield ReadError(source.name, "empty file (only whitespace)")
        return
    if fmt in _STREAM_READERS:
        try:
            encoding = sniff_stream_encoding(head)
        except DecodeFailure as failure:
            yield ReadError(source.name, str(failure))
            return
        yield from _STREAM_READERS[fmt](source, encoding, options)
        return
    reader, limit = _WHOLE_FILE_READERS[fmt]
    if size > limit:
        yield ReadError(
            source.name,
            f"file is {_megabytes(size)}, over the {_megabytes(limit)} limit for one {fmt} document"
            + ("; split it or use JSON Lines" if fmt in ("json", "feed") else ""),
        )
        return
    with source.open() as stream:
        data = stream.read()
    yield from reader(source, data, options)
