"""WARC / WARC.gz crawls via warcio: each HTML ``response`` record read as a saved page."""

from __future__ import annotations

import zlib
from collections.abc import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from fogwatch.errors import ReadError
from fogwatch.ingest.htmlpage import article_from_html
from fogwatch.ingest.limits import MAX_DOCUMENT_BYTES
from fogwatch.ingest.options import ReadOptions
from fogwatch.ingest.sources import Source
from fogwatch.model import Article

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


def read_warc(source: Source, options: ReadOptions) -> Iterator[Article | ReadError]:
    """Articles from the successful HTML responses of a crawl, named ``file#n`` by record
    number (1-based, counting every record). Other records are skipped silently."""
    pages = 0
    with source.open() as stream:
        number = 0
        try:
            for record in ArchiveIterator(stream):
                number += 1
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                status = record.http_headers.get_statuscode() or ""
                content_type = record.http_headers.get_header("Content-Type") or ""
                if not status.startswith("2") or not content_type.lower().startswith(_HTML_TYPES):
                    continue
                pages += 1
                where = f"{source.name}#{number}"
                payload = record.content_stream().read(MAX_DOCUMENT_BYTES + 1)
                if len(payload) > MAX_DOCUMENT_BYTES:
                    yield ReadError(where, f"page larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB")
                    continue
                yield article_from_html(
                    payload,
                    where,
                    options,
                    url=record.rec_headers.get_header("WARC-Target-URI"),
                    charset=_charset(content_type),
                )
        except (ArchiveLoadFailed, EOFError, zlib.error, ValueError) as exc:
            yield ReadError(source.name, f"unreadable WARC after record {number}: {exc}")
            return
    if pages == 0:
        yield ReadError(source.name, "no HTML response records in the WARC file")
