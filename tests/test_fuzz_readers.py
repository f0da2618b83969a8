"""Fuzzing every reader through ``fogwatch.ingest.read_paths`` on real files.

Whatever the bytes, reading yields only Articles and ReadErrors (nothing raises), an
Article has an id and text, and reading the same file twice gives the same result.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from fogwatch.errors import ReadError
from fogwatch.ingest import DEFAULT_OPTIONS, ReadOptions, read_paths
from fogwatch.model import Article
from test_fuzz_support import FUZZ, any_text, article_text

# Enough plain English around the fuzzed text that the language check passes and the
# readers' own logic (headlines, dates, paragraphs) runs on the hostile part.
PADDING = (
    "The officials said that the people of the town had been told to leave their homes "
    "and that they would be able to go back when it was safe for them to do so. "
)


def outcome(path: Path, options: ReadOptions = DEFAULT_OPTIONS) -> list[tuple[str, object]]:
    """What ``read_paths`` gives for ``path``, checked and reduced to comparable values."""
    result: list[tuple[str, object]] = []
    for item in read_paths([path], options):
        if isinstance(item, Article):
            assert item.id and isinstance(item.id, str)
            assert isinstance(item.text, str) and item.text
            assert "\r\n" not in item.text
            result.append(("article", item.to_dict()))
        else:
            assert isinstance(item, ReadError), item
            assert item.path and item.reason and "\n" not in item.reason
            result.append(("error", str(item)))
    return result


def read_twice(name: str, data: bytes, options: ReadOptions = DEFAULT_OPTIONS) -> list[tuple[str, object]]:
    """Write ``data`` to a fresh file called ``name`` and read it twice: same result both times."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        first = outcome(path, options)
        assert first == outcome(path, options)
        return first


# -- writers: a fuzzed article as each input format ------------------------------------


def as_txt(text: str, title: str, url: str) -> bytes:
    return f"date 2024-05-01\n{title}\n\n{PADDING}{text}\n".encode()


def as_jsonl(text: str, title: str, url: str) -> bytes:
    rows = [{"id": title, "text": PADDING + text, "title": title, "url": url, "published": title},
            {"text": text}, {"id": 1, "text": [text]}]
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()


def as_json(text: str, title: str, url: str) -> bytes:
    return json.dumps([{"text": PADDING + text, "title": title, "url": url, "outlet": title}]).encode()


def as_csv(text: str, title: str, url: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "title", "url", "published", "text"])
    writer.writerow([title, title, url, title, PADDING + text])
    return out.getvalue().encode()


def as_html(text: str, title: str, url: str) -> bytes:
    return (
        f"<html><head><title>{escape(title)}</title><link rel=canonical href=\"{escape(url)}\">"
        f"<meta property=og:site_name content=\"{escape(title)}\"></head><body><article><h1>{title}</h1>"
        f"<p>{escape(PADDING)}</p><p>{text}</p><p>{escape(PADDING)}</p></article></body></html>"
    ).encode()


def as_feed(text: str, title: str, url: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><item><title>{escape(title)}</title><link>{escape(url)}</link>"
        f"<pubDate>{escape(title)}</pubDate><description>{escape(PADDING + text)}</description></item>"
        f"<item><title>{title}</title><description><![CDATA[{text}]]></description></item>"
        "</channel></rss>"
    ).encode()


def as_warc(text: str, title: str, url: str) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    page = as_html(text, title, url)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    target = url if url.startswith("http") else "https://example.org/a"
    record = writer.create_warc_record(target, "response", payload=io.BytesIO(page), http_headers=headers)
    writer.write_record(record)
    return out.getvalue()


WRITERS: dict[str, Callable[[str, str, str], bytes]] = {
    "a.txt": as_txt,
    "a.jsonl": as_jsonl,
    "a.json": as_json,
    "a.csv": as_csv,
    "a.html": as_html,
    "a.rss": as_feed,
    "a.warc.gz": as_warc,
}

urls = st.one_of(any_text, st.sampled_from(("javascript:alert(1)", "http://x/<script>", "https://e.org/%00")))


@pytest.mark.parametrize("name", sorted(WRITERS))
@FUZZ
@given(text=article_text, title=any_text, url=urls)
def test_every_reader_survives_fuzzed_fields(name: str, text: str, title: str, url: str) -> None:
    read_twice(name, WRITERS[name](text, title, url))


@pytest.mark.parametrize("name", sorted(WRITERS))
@FUZZ
@given(data=st.binary(max_size=2000))
def test_every_reader_survives_arbitrary_bytes(name: str, data: bytes) -> None:
    read_twice(name, data)


@FUZZ
@given(data=st.binary(max_size=2000), fmt=st.sampled_from(("txt", "jsonl", "json", "csv", "html", "feed", "warc")))
def test_a_forced_format_survives_arbitrary_bytes(data: bytes, fmt: str) -> None:
    read_twice("input.bin", data, ReadOptions(format=fmt))


# -- the named hostile shapes ------------------------------------------------------------

ONE_MB = 1024 * 1024


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_a_one_megabyte_single_token_in_every_format(name: str) -> None:
    read_twice(name, WRITERS[name]("x" * ONE_MB, "Title", "https://example.org/a"))


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_and_unclosed_html(depth: int) -> None:
    body = "<div><span>" * depth + PADDING * 3 + "<p>" * depth + "<table><tr><td>" * 100
    read_twice("deep.html", f"<html><body>{body}".encode())


def test_deeply_nested_feed_content() -> None:
    inner = escape("<div>" * 5_000 + PADDING * 3)
    feed = f"<rss><channel><title>t</title><item><title>x</title><description>{inner}</description></item>"
    read_twice("deep.rss", feed.encode())


def test_deeply_nested_json_is_a_read_error_not_a_crash() -> None:
    got = read_twice("deep.json", b"[" * 100_000 + b"]" * 100_000)
    assert all(kind == "error" for kind, _ in got)
    got = read_twice("deep.jsonl", b'{"text": ' + b"[" * 100_000 + b"\n")
    assert all(kind == "error" for kind, _ in got)


def test_unclosed_quotes_forty_digit_numbers_and_rtl_in_every_format() -> None:
    text = (f'“They said {"9" * 40} people "were killed. «Nobody came ‘back. '
            "قالت وزارة الصحة إن 50 شخصا قتلوا \u202eevil\u202c " + PADDING)
    for name, write in WRITERS.items():
        got = read_twice(name, write(text, "Quote “unclosed", "https://example.org/«q"))
        assert any(kind == "article" for kind, _ in got), (name, got)


def test_a_gzip_bomb_shaped_warc_is_refused_or_read_in_bounds() -> None:
    # 8 MB of zeros compressed to ~8 KB: the reader must not hold it all or crash.
    data = gzip.compress(b"\0" * (8 * ONE_MB), compresslevel=9)
    read_twice("bomb.warc.gz", data)


# Failures `make fuzz` found (HYPOTHESIS_PROFILE=long), kept as fixed cases.


def test_a_superscript_digit_as_a_date_field_is_no_date() -> None:
    got = read_twice("a.csv", as_csv("text", "¹", "https://example.org/a"))
    assert [kind for kind, _ in got] == ["article"]
    assert got[0][1]["published"] is None


def test_control_characters_in_feed_html_are_dropped_not_fatal() -> None:
    got = read_twice("a.rss", as_feed("<DIV<\x08 \x0b<p>\x1f" + PADDING, "t", "https://example.org/a"))
    assert any(kind == "article" for kind, _ in got)
