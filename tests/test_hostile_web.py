"""Hostile web input against a real server on 127.0.0.1: no 500 anywhere, markup always escaped.

Every GET route (walked from the app itself, so a new route is covered without editing
this file) gets SQL fragments, huge numbers and page sizes of 10^9 in every query and path
parameter; static routes get path traversal in raw and encoded forms; articles whose text,
title, feed fields, URL and extracted items carry script are ingested and every page that
shows them is checked. Every response carries the security headers.
"""

from __future__ import annotations

import json
import socket
import sqlite3
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
import pytest
from fastapi.routing import APIRoute

from e2e.server import thread_server
from fogwatch.api import create_app
from fogwatch.model import Article, ArticleRecord, Event, Figure, Place, Statement
from fogwatch.pipeline import ingest
from fogwatch.store import Store

SQL_FRAGMENTS = (
    "' OR '1'='1", "1; DROP TABLE articles; --", "\" UNION SELECT sql FROM sqlite_master --",
    "') OR 1=1 --", "%", "_", "\\", "%' AND 1=0 UNION SELECT 1,2,3 --", "*", "NEAR(a b)", "a\" OR \"b",
    "title:x", "^", "(", "'", "\"", "-- ", "/*", "\x00", "%00", "🙂" * 3,
)
HUGE_NUMBERS = (
    "1000000000", "9223372036854775807", "9223372036854775808", "1" + "0" * 40, "-1", "0", "-0",
    "1e309", "-1e309", "NaN", "inf", "0x10", "1_000", " 1", "2024-13-45", "99999-01-01", "0000-00-00",
)
LONG_VALUE = "x" * 10_000
HOSTILE_VALUES = (*SQL_FRAGMENTS, *HUGE_NUMBERS, LONG_VALUE)

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
JS_URL = "javascript:alert(3)"

CSP_DIRECTIVES = ("default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'")


def hostile_record(article: Article) -> ArticleRecord:
    """A stand-in extractor whose items carry script in every free-text field."""
    text = article.text
    end = min(len(text), 40)
    span = {"start": 0, "end": end, "text": text[:end]}
    return ArticleRecord(
        id=article.contract_id,
        published=article.published,
        figures=(Figure(**span, number=SCRIPT, value=12, metric="killed", victims=IMG, source=SCRIPT,
                        disputed_by=IMG, scope="cumulative"),),
        statements=(Statement(**span, speaker=SCRIPT, cue=IMG, direct=True, stance="deny"),),
        events=(Event(**span, type="attack", actor=SCRIPT, target=IMG, location=SCRIPT),),
        places=(Place(**span, name=SCRIPT, kind="city", lat=1.0, lon=2.0, country_code="XX"),),
    )


BODY = ("Officials said the attack on the market killed twelve people and wounded many others "
        "on the night of the raid, and that the army had denied any role in it. ")


def write_inputs(folder: Path) -> list[Path]:
    folder.mkdir()
    feed = folder / "hostile.rss"
    feed.write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Outlet {SCRIPT.replace('<', '&lt;')}</title>"
        f"<item><title>Feed title {IMG.replace('<', '&lt;')}</title><link>{JS_URL}</link>"
        f"<author>{SCRIPT.replace('<', '&lt;')}</author><pubDate>Mon, 04 Mar 2024 10:00:00 GMT</pubDate>"
        f"<description><![CDATA[<p>{BODY}</p><script>alert(4)</script><p>{BODY}</p>]]></description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    rows = [
        {"id": f"h-{SCRIPT}", "title": f"Title {SCRIPT}", "url": JS_URL, "outlet": IMG,
         "published": "2024-03-05", "text": f"{BODY}{SCRIPT} {IMG} \"><svg onload=alert(5)> {BODY}"},
        {"id": "h-2", "title": IMG, "url": "https://example.org/\"><script>alert(6)</script>", "outlet": SCRIPT,
         "published": "2024-03-06", "text": f"{BODY} {JS_URL} {BODY}"},
    ]
    lines = folder / "hostile.jsonl"
    lines.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return [feed, lines]


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile")
    db = tmp / "hostile.db"
    with Store(db) as store:
        summary = ingest([str(p) for p in write_inputs(tmp / "in")], store, extractor=hostile_record)
    assert summary.articles_added == 3, summary
    return db


@pytest.fixture(scope="module")
def base_url(hostile_db: Path) -> Iterator[str]:
    with thread_server(hostile_db) as url:
        yield url


@pytest.fixture(scope="module")
def client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=30) as c:
        yield c


def check_response(response: httpx.Response, where: str) -> None:
    assert response.status_code < 500, (where, response.status_code, response.text[:300])
    csp = response.headers.get("content-security-policy", "")
    for directive in CSP_DIRECTIVES:
        assert directive in csp, (where, csp)
    assert response.headers.get("x-content-type-options") == "nosniff", where
    assert response.headers.get("x-frame-options") == "DENY", where
    if urlsplit(where).path.startswith("/api/") and response.status_code >= 400:
        body = response.json()
        assert set(body["error"]) == {"status", "code", "message"}, where


def query_names(dependant: Any) -> list[str]:
    """Query parameter names of a route's dependant and all its sub-dependencies."""
    names = [p.alias or p.name for p in dependant.query_params]
    for sub in dependant.dependencies:
        names += query_names(sub)
    return names


def get_routes(db: Path) -> list[tuple[str, list[str]]]:
    """(path, query parameter names) of every GET route of the app."""
    routes = []

    def walk(candidates: list[Any]) -> None:
        for route in candidates:
            if isinstance(route, APIRoute) and "GET" in route.methods:
                routes.append((route.path, sorted(set(query_names(route.dependant)))))
            elif hasattr(route, "original_router"):  # FastAPI's wrapper of an included router
                walk(route.original_router.routes)

    walk(create_app(db).routes)
    return routes


def fill_path(path: str, value: str) -> str:
    """``path`` with every ``{param}`` replaced by ``value``, percent-encoded."""
    out = path
    while "{" in out:
        start, end = out.index("{"), out.index("}")
        out = out[:start] + quote(value, safe="") + out[end + 1 :]
    return out


def test_every_route_is_walked(hostile_db: Path) -> None:
    paths = {p for p, _ in get_routes(hostile_db)}
    for expected in ("/api/articles", "/api/events", "/api/figures", "/api/statements", "/api/places",
                     "/api/search", "/api/clusters", "/", "/timeline", "/articles/{ref}"):
        assert expected in paths, expected


def test_hostile_values_in_every_query_parameter_never_give_a_500(client: httpx.Client, hostile_db: Path) -> None:
    requests = 0
    for path, params in get_routes(hostile_db):
        concrete = fill_path(path, "1")
        for name in params:
            for value in HOSTILE_VALUES:
                response = client.get(concrete, params={name: value})
                check_response(response, f"{concrete}?{name}={value[:40]!r}")
                requests += 1
    assert requests > 500


def test_page_sizes_and_pages_of_a_billion_are_refused_or_bounded(client: httpx.Client, hostile_db: Path) -> None:
    for path, params in get_routes(hostile_db):
        if "limit" not in params and "page" not in params:
            continue
        for query in ({"limit": 10**9}, {"page": 10**9}, {"limit": 10**9, "page": 10**9}, {"page": 10**9 * 10**9}):
            response = client.get(fill_path(path, "1"), params={k: v for k, v in query.items() if k in params})
            check_response(response, f"{path}?{query}")
            if response.status_code == 200 and path.startswith("/api/"):
                assert len(response.json().get("data", [])) <= 200


def test_hostile_values_in_every_path_parameter_never_give_a_500(client: httpx.Client, hostile_db: Path) -> None:
    for path, _ in get_routes(hostile_db):
        if "{" not in path:
            continue
        for value in (*HOSTILE_VALUES, "../../etc/passwd", "..%2f..%2fetc%2fpasswd"):
            response = client.get(fill_path(path, value))
            check_response(response, f"{path} <- {value[:40]!r}")


def raw_get(base_url: str, raw_path: str) -> tuple[int, bytes, bytes]:
    """GET ``raw_path`` exactly as written (no client-side dot-segment removal): status, headers, body."""
    parts = urlsplit(base_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(f"GET {raw_path} HTTP/1.1\r\nHost: {parts.netloc}\r\nConnection: close\r\n\r\n".encode("latin-1"))
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, head.lower(), body


TRAVERSALS = (
    "/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/static/..%2f..%2f..%2f..%2fetc%2fpasswd", "/static/%252e%252e/%252e%252e/etc/passwd",
    "/static/....//....//....//etc/passwd", "/static/..\\..\\..\\etc\\passwd",
    "/static/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", "/static//etc/passwd", "/static/%2fetc%2fpasswd",
    "/static/css/../../api/app.py", "/static/css/%2e%2e/%2e%2e/api/app.py", "/static/..%5c..%5capi%5capp.py",
    "/static/%00", "/static/css/fogwatch.css%00.py", "/static/../../fogwatch/serve.py",
    "/static/" + "../" * 50 + "etc/passwd", "/static/.%2e/.%2e/.%2e/etc/passwd", "/../../etc/passwd",
)


def test_path_traversal_in_static_routes_never_escapes(base_url: str) -> None:
    for path in TRAVERSALS:
        status, head, body = raw_get(base_url, path)
        assert status in (400, 404, 405), (path, status)
        assert b"root:" not in body and b"create_app" not in body and b"def serve" not in body, path
        assert b"content-security-policy" in head and b"x-content-type-options: nosniff" in head, path
    status, _, body = raw_get(base_url, "/static/css/fogwatch.css")
    assert status == 200 and body


def page_urls(client: httpx.Client) -> list[str]:
    articles = client.get("/api/articles", params={"limit": 200}).json()["data"]
    events = client.get("/api/events", params={"limit": 200}).json()["data"]
    urls = ["/", "/timeline", "/map", "/figures", "/contested", "/articles", "/search?q=alert",
            "/search?q=script", "/timeline?place=%3Cscript%3E", "/docs"]
    urls += [f"/articles/{quote(a['id'], safe='')}" for a in articles]
    urls += [f"/events/{e['id']}" for e in events]
    return urls


class Elements(HTMLParser):
    """The elements a browser would build from a page: what hostile input must never add."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "script" and not values.get("src", "").startswith("/static/"):
            self.bad.append(f"inline script {values}")
        if tag in ("svg", "iframe", "object", "embed", "base"):
            self.bad.append(tag)
        if tag == "img" and not values.get("src", "").startswith(("/static/", "data:")):
            self.bad.append(f"img {values}")
        self.bad += [f"{tag} {k}" for k in values if k.startswith("on")]
        self.bad += [f"{tag} {k}={v}" for k, v in values.items()
                     if k in ("href", "src", "action") and v.strip().lower().startswith(("javascript:", "data:text"))]


def test_script_in_text_titles_feed_fields_urls_and_items_is_escaped_on_every_page(client: httpx.Client) -> None:
    urls = page_urls(client)
    assert sum(u.startswith("/articles/") for u in urls) == 3
    for url in urls:
        response = client.get(url, headers={"accept": "text/html"})
        check_response(response, url)
        assert response.status_code == 200, url
        elements = Elements()
        elements.feed(response.text)
        assert elements.bad == [], url
    readers = [client.get(u).text for u in urls if u.startswith("/articles/")]
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in html for html in readers)
    assert any("&lt;img src=x onerror=alert(2)&gt;" in html for html in readers)


def test_the_json_api_returns_hostile_text_verbatim_as_data(client: httpx.Client) -> None:
    articles = client.get("/api/articles", params={"limit": 200}).json()["data"]
    titles = {a["title"] for a in articles}
    assert f"Title {SCRIPT}" in titles and IMG in titles
    for a in articles:
        r = client.get(f"/api/articles/{quote(a['id'], safe='')}")
        check_response(r, a["id"])
        assert r.headers["content-type"].startswith("application/json")


def test_hostile_requests_never_wrote_the_store(hostile_db: Path, client: httpx.Client) -> None:
    client.get("/api/articles", params={"outlet": "x'; DROP TABLE articles; --"})
    conn = sqlite3.connect(f"file:{hostile_db}?mode=ro", uri=True)
    try:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
