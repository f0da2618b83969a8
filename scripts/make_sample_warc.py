"""Build the sample crawl ``samples/warc/lakeside-bulletin-crawl.warc.gz``.

The WARC holds three saved news pages from ``scripts/warc_pages/`` (written by the
fogwatch team; they are not also in ``samples/html``) as HTTP ``response`` records with
their ``request`` records, plus records a reader must skip: ``warcinfo``, a
``robots.txt`` response (text/plain) and a 301 redirect.

Record ids and dates are derived from the URLs and fixed timestamps, and gzip members
carry no modification time, so running the script twice gives the same bytes.

Usage (from the repository root)::

    .venv/bin/python scripts/make_sample_warc.py [--out samples/warc/lakeside-bulletin-crawl.warc.gz]
"""

from __future__ import annotations

import argparse
import uuid
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROOT = Path(__file__).resolve().parent.parent
PAGES_DIR = ROOT / "scripts" / "warc_pages"
DEFAULT_OUT = ROOT / "samples" / "warc" / "lakeside-bulletin-crawl.warc.gz"
HOST = "lakesidebulletin.example"
# Any fixed namespace works: it only makes record ids stable across runs.
RECORD_ID_NAMESPACE = uuid.UUID("6f1c2a52-93f4-4d0e-9d57-3c1e6b0f4a11")
CRAWLER = "fogwatch-sample-builder/1.0"


@dataclass(frozen=True)
class Page:
    """One saved page: its file under ``scripts/warc_pages`` and where it was crawled."""

    filename: str
    url: str
    crawled: str  # WARC-Date, ISO 8601 UTC


PAGES = (
    Page(
        "lakesidebulletin-2024-05-28-rafah-tent-camp-strike.html",
        f"https://{HOST}/2024/05/28/rafah-tent-camp-strike",
        "2024-05-28T18:02:11Z",
    ),
    Page(
        "lakesidebulletin-2024-12-09-un-says-184-killed-cite-soleil.html",
        f"https://{HOST}/2024/12/09/un-says-184-killed-cite-soleil",
        "2024-12-09T21:40:37Z",
    ),
    Page(
        "lakesidebulletin-2025-04-14-sumy-toll-rises-russia-claims.html",
        f"https://{HOST}/2025/04/14/sumy-toll-rises-russia-claims",
        "2025-04-14T16:25:03Z",
    ),
)

ROBOTS_TXT = b"User-agent: *\nDisallow: /search\nDisallow: /account/\n\nSitemap: https://lakesidebulletin.example/sitemap.xml\n"
FIRST_CRAWL = "2024-05-28T18:01:58Z"


def _record_id(*parts: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(RECORD_ID_NAMESPACE, '|'.join(parts))}>"


def _write_exchange(
    writer: WARCWriter,
    url: str,
    date: str,
    status: str,
    headers: list[tuple[str, str]],
    body: bytes,
) -> None:
    """A GET request record and its response record, concurrent by WARC-Concurrent-To."""
    response_id = _record_id("response", url, date)
    path = "/" + url.split("/", 3)[3] if url.count("/") >= 3 else "/"
    request_headers = StatusAndHeaders(
        f"GET {path} HTTP/1.1",
        [("Host", HOST), ("User-Agent", CRAWLER), ("Accept", "*/*")],
        is_http_request=True,
    )
    request = writer.create_warc_record(
        url,
        "request",
        http_headers=request_headers,
        warc_headers_dict={
            "WARC-Date": date,
            "WARC-Record-ID": _record_id("request", url, date),
            "WARC-Concurrent-To": response_id,
        },
    )
    response_headers = StatusAndHeaders(
        status, headers + [("Content-Length", str(len(body)))], protocol="HTTP/1.1"
    )
    response = writer.create_warc_record(
        url,
        "response",
        payload=BytesIO(body),
        length=len(body),
        http_headers=response_headers,
        warc_headers_dict={"WARC-Date": date, "WARC-Record-ID": response_id},
    )
    writer.write_record(request)
    writer.write_record(response)


def build(out: Path) -> int:
    """Write the WARC to ``out`` and return its size in bytes."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        info = writer.create_warcinfo_record(
            out.name,
            {
                "software": CRAWLER,
                "description": "fogwatch sample crawl: three news pages written by the fogwatch team",
                "format": "WARC File Format 1.1",
            },
        )
        info.rec_headers.replace_header("WARC-Date", FIRST_CRAWL)
        info.rec_headers.replace_header("WARC-Record-ID", _record_id("warcinfo", out.name))
        writer.write_record(info)

        _write_exchange(
            writer,
            f"https://{HOST}/robots.txt",
            FIRST_CRAWL,
            "200 OK",
            [("Content-Type", "text/plain; charset=utf-8")],
            ROBOTS_TXT,
        )
        for index, page in enumerate(PAGES):
            body = (PAGES_DIR / page.filename).read_bytes()
            if index == 0:
                # The crawler first reached the page through its old http:// address.
                plain_url = page.url.replace("https://", "http://", 1)
                redirect = f'<html><body><a href="{page.url}">Moved</a></body></html>'.encode()
                _write_exchange(
                    writer,
                    plain_url,
                    page.crawled,
                    "301 Moved Permanently",
                    [("Content-Type", "text/html; charset=utf-8"), ("Location", page.url)],
                    redirect,
                )
            _write_exchange(
                writer,
                page.url,
                page.crawled,
                "200 OK",
                [("Content-Type", "text/html; charset=utf-8"), ("Server", "nginx")],
                body,
            )
    return out.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the .warc.gz")
    args = parser.parse_args()
    size = build(args.out)
    print(f"wrote {args.out} ({size} bytes, {len(PAGES)} pages)")  # noqa: T201 - script output


if __name__ == "__main__":
    main()
