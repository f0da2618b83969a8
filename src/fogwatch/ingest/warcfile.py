"""WARC / WARC.gz crawls via warcio: each HTML ``response`` record read as a saved page."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from fogwatch.errors import ReadError
from fogwatch.ingest.htmlpage import article_from_html
from fogwatch.ingest.limits import MAX_DOCUMENT_BYTES
from fogwatch.ingest.options import ReadOptions
from fogwatch.ingest.sources import Source
from fogwatch.model import Article

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_DRAIN_CHUNK = 1024 * 1024
# warcio's record length leaves out the CRLF CRLF after the last record of an uncompressed WARC.
_RECORD_SEPARATOR_BYTES = 4
# What warcio raises on a damaged file: its own ArchiveLoadFailed, the gzip and EOF errors of a
# cut-off member, and plain AttributeError/TypeError/ValueError when a record is cut inside its
# headers (AttributeError seen on a WARC.gz cut 200 bytes before its end).
_DAMAGED_ARCHIVE = (ArchiveLoadFailed, EOFError, zlib.error, ValueError, AttributeError, TypeError, KeyError)


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


def _page(record: ArcWarcRecord) -> bytes | str | None:
    """The payload of a successful HTML response; a str saying why it cannot be used;
    None for any other record."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    status = record.http_headers.get_statuscode() or ""
    content_type = record.http_headers.get_header("Content-Type") or ""
    if not status.startswith("2") or not content_type.lower().startswith(_HTML_TYPES):
        return None
    payload = record.content_stream().read(MAX_DOCUMENT_BYTES + 1)
    if len(payload) > MAX_DOCUMENT_BYTES:
        return f"page larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB"
    return payload


def _missing_bytes(record: ArcWarcRecord) -> int:
    """Read the record to its end; how many of the bytes it declared the file lacks."""
    while record.raw_stream.read(_DRAIN_CHUNK):
        pass
    return getattr(record.raw_stream, "limit", 0)


def _html_responses(stream: BinaryIO, size: int) -> Iterator[tuple[int, ArcWarcRecord | None, bytes | str]]:
    """(record number, record, payload) of each successful HTML response; the payload is a
    str saying what is wrong when it cannot be used. A record cut short, or bytes after the
    last whole record (a gzip member cut in half, which warcio passes over in silence), end
    the file with (number, None, reason). warcio's exceptions on damaged input propagate."""
    records = ArchiveIterator(stream)
    end = number = 0
    for number, record in enumerate(records, start=1):
        page = _page(record)
        missing = _missing_bytes(record)
        if missing:
            yield number, None, f"record cut short ({missing} bytes missing): the file is truncated"
            return
        records.read_to_end()
        end = records.get_record_offset() + records.get_record_length()
        if page is not None:
            yield number, record, page
    if size - end > _RECORD_SEPARATOR_BYTES:
        yield number + 1, None, f"the last {size - end} bytes hold no complete record: the file is truncated"


def read_warc(source: Source, options: ReadOptions) -> Iterator[Article | ReadError]:
    """Articles from the successful HTML responses of a crawl, named ``file#n`` by record
    number (1-based, counting every record). Other records are skipped silently; damage
    to the file ends reading with one ReadError after the pages read so far."""
    pages = 0
    with source.open() as stream:
        responses = _html_responses(stream, source.size())
        while True:
            try:
                number, record, payload = next(responses)
            except StopIteration:
                break
            except _DAMAGED_ARCHIVE as exc:
                yield ReadError(
                    source.name,
                    f"damaged or truncated WARC, reading stopped after {pages} pages ({type(exc).__name__}: {exc})",
                )
                return
            where = f"{source.name}#{number}"
            if record is None:
                yield ReadError(where, str(payload))
                return
            pages += 1
            if isinstance(payload, str):
                yield ReadError(where, payload)
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI")
            content_type = (
                record.http_headers.get_header("Content-Type") if record.http_headers else ""
            ) or ""
            yield article_from_html(payload, where, options, url=uri, charset=_charset(content_type))
    if pages == 0:
        yield ReadError(source.name, "no HTML response records in the WARC file")
