"""The JSON API and pages against a real SQLite store served by uvicorn on 127.0.0.1."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest

from e2e.corpus import ARTICLES, HOSTILE_TITLE, build_store
from e2e.server import thread_server
from fogwatch.api import create_app
from fogwatch.api.deps import MAX_PAGE_SIZE
from fogwatch.errors import StoreError
from fogwatch.resolve import resolve


@pytest.fixture(scope="module")
def store_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db, summary = build_store(tmp_path_factory.mktemp("api"))
    assert summary.articles_added == len(ARTICLES) and summary.errors == 0
    return db


@pytest.fixture(scope="module")
def client(store_db: Path) -> Iterator[httpx.Client]:
    with thread_server(store_db) as url, httpx.Client(base_url=url, timeout=10) as c:
        yield c


class _Tags(HTMLParser):
    """Scripts (with their inline content), on* handler attributes and off-site URLs of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[str, dict[str, str], str]] = []
        self.handlers: list[str] = []
        self.external: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.handlers += [f"{tag} {k}" for k in values if k.startswith("on")]
        self.external += [v for k, v in values.items() if k in ("src", "href") and "//" in v]
        if tag == "script":
            self.scripts.append((tag, values, ""))
            self._in_script = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            name, attrs, inline = self.scripts[-1]
            self.scripts[-1] = (name, attrs, inline + data)


def _json(client: httpx.Client, url: str, status: int = 200) -> Any:
    r = client.get(url)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    return r.json()


def _article_id(client: httpx.Client, external_id: str) -> str:
    rows = _json(client, "/api/articles?limit=200")["data"]
    return next(a["id"] for a in rows if a["external_id"] == external_id)


# -- listings -------------------------------------------------------------------------


def test_articles_are_listed_newest_first_with_item_counts(client: httpx.Client) -> None:
    body = _json(client, "/api/articles")
    assert body["count"] == 5 and body["page"] == 1 and body["limit"] == 50
    assert [a["published"] for a in body["data"]] == [
        "2024-03-10", "2024-03-10", "2024-03-09", "2024-03-05", "2024-03-01"
    ]
    market = next(a for a in body["data"] if a["external_id"] == "market")
    assert (market["figures"], market["statements"], market["events"], market["places"]) == (2, 2, 1, 1)


def test_pages_are_bounded_and_walk_the_listing(client: httpx.Client) -> None:
    first = _json(client, "/api/articles?limit=3")
    second = _json(client, "/api/articles?limit=3&page=2")
    assert len(first["data"]) == 3 and len(second["data"]) == 2 and second["count"] == 5
    assert not {a["id"] for a in first["data"]} & {a["id"] for a in second["data"]}
    assert len(_json(client, f"/api/articles?limit={MAX_PAGE_SIZE}")["data"]) == 5
    for bad in (f"limit={MAX_PAGE_SIZE + 1}", "limit=0", "page=0", "page=x"):
        err = _json(client, f"/api/events?{bad}", 422)["error"]
        assert err["status"] == 422 and err["code"] == "invalid_parameter"
        assert bad.split("=")[0] in err["message"]


def test_article_detail_has_every_item_with_offsets_into_its_text(client: httpx.Client) -> None:
    body = _json(client, f"/api/articles/{_article_id(client, 'hospital')}")
    assert body["title"] == "Troops raid hospital in Khartoum"
    text = body["text"]
    assert len(body["events"]) == 1 and len(body["statements"]) == 2 and len(body["places"]) == 3
    for kind in ("figures", "statements", "events", "places"):
        for item in body[kind]:
            assert text[item["start"] : item["end"]] == item["text"]
    assert body["events"][0]["statements"] == [0]
    # the input's own id works as a reference too
    assert _json(client, "/api/articles/hospital")["id"] == body["id"]


def test_events_filter_by_type_place_actor_and_date(client: httpx.Client) -> None:
    assert _json(client, "/api/events")["count"] == 4
    raids = _json(client, "/api/events?type=raid&actor=soldiers")["data"]
    assert [e["location"] for e in raids] == ["Khartoum"]
    assert raids[0]["lat"] == pytest.approx(15.5518)
    assert [e["type"] for e in _json(client, "/api/events?place=fasher")["data"]] == ["attack"]
    assert [e["actor"] for e in _json(client, "/api/events?actor=gunmen")["data"]] == ["Gunmen"]
    dated = _json(client, "/api/events?since=2024-03-01&until=2024-03-09")["data"]
    assert [e["day"] for e in dated] == ["2024-03-09", "2024-03-09"]
    assert _json(client, "/api/events?type=picnic", 422)["error"]["code"] == "invalid_parameter"
    assert _json(client, "/api/events?since=yesterday", 422)["error"]["status"] == 422


def test_event_detail_links_its_figures_statements_and_reports(client: httpx.Client) -> None:
    raid = _json(client, "/api/events?type=raid&actor=soldiers")["data"][0]
    detail = _json(client, f"/api/events/{raid['id']}")
    assert sorted(detail["reports"]) == sorted([_article_id(client, "hospital"), _article_id(client, "staff")])
    assert detail["cluster_id"] is not None
    assert [s["stance"] for s in detail["statements"]] == ["deny"]
    attack = _json(client, "/api/events?type=attack&place=fasher")["data"][0]
    assert [f["value"] for f in _json(client, f"/api/events/{attack['id']}")["figures"]] == [12]


def test_figures_filter_by_metric_source_place_date_and_flag(client: httpx.Client) -> None:
    assert _json(client, "/api/figures")["count"] == 7
    assert {f["metric"] for f in _json(client, "/api/figures?metric=displaced")["data"]} == {"displaced"}
    ministry = _json(client, "/api/figures?source=sudan-health-ministry")["data"]
    assert sorted(f["value"] for f in ministry) == [1200, 1310, 1350]
    assert _json(client, "/api/figures?source=rebel")["data"][0]["value"] == 900
    assert {f["value"] for f in _json(client, "/api/figures?place=Kassala")["data"]} == {3}
    assert {f["value"] for f in _json(client, "/api/figures?since=2024-03-09&until=2024-03-09")["data"]} == {1310}
    flagged = _json(client, "/api/figures?flagged=true")["data"]
    assert [f["value"] for f in flagged] == [1310]


def test_figure_series_follow_publication_dates_per_source(client: httpx.Client) -> None:
    body = _json(client, "/api/figures/series?metric=killed")
    by_source = {s["source"]: s for s in body["data"]}
    assert set(by_source) == {"sudan-health-ministry", "rebel-command"}
    ministry = by_source["sudan-health-ministry"]
    assert [(p["date"], p["value"]) for p in ministry["points"]] == [
        ("2024-03-01", 1200), ("2024-03-05", 1350), ("2024-03-09", 1310)
    ]
    assert [p["flag"] is not None for p in ministry["points"]] == [False, False, True]
    assert ministry["points"][0]["sentence"] == (
        "The health ministry said 1,200 people had been killed in the city since the siege began in May."
    )
    only = _json(client, "/api/figures/series?metric=killed&source=rebel-command")["data"]
    assert [(s["label"], s["victim_class"]) for s in only] == [("The rebel command — combatants", "combatants")]
    assert _json(client, "/api/figures/series?country=SDN", 422)["error"]["code"] == "invalid_parameter"


def test_statements_filter_by_speaker_stance_and_words(client: httpx.Client) -> None:
    assert _json(client, "/api/statements")["count"] == 6
    assert [s["speaker"] for s in _json(client, "/api/statements?stance=deny")["data"]] == ["Hospital staff", "The army"]
    assert _json(client, "/api/statements?speaker=army")["count"] == 2
    hits = _json(client, "/api/statements?q=bandages fuel")["data"]
    assert [s["speaker"] for s in hits] == ["Amina Yusuf"] and hits[0]["direct"] is True
    # FTS operators and stray quotes are searched as words, never a syntax error
    assert _json(client, '/api/statements?q="unbalanced OR (')["count"] == 0


def test_places_are_grouped_with_mentions(client: httpx.Client) -> None:
    body = _json(client, "/api/places")
    assert body["data"][0]["name"] == "El Fasher" and body["data"][0]["mentions"] == 3
    assert body["data"][0]["articles"] == 3
    assert [p["name"] for p in _json(client, "/api/places?kind=facility")["data"]] == ["Al Noor hospital"]
    assert _json(client, "/api/places?located=true")["count"] == 4


def test_search_finds_articles_with_marked_snippets(client: httpx.Client) -> None:
    hits = _json(client, "/api/search?q=khartoum hospital")["data"]
    assert {h["title"] for h in hits} == {"Troops raid hospital in Khartoum", "Staff deny fighters used raided hospital"}
    assert all("«" in h["snippet"] for h in hits)
    assert _json(client, "/api/search?q=", 422)["error"]["code"] == "invalid_parameter"
    assert _json(client, "/api/search", 422)["error"]["message"].startswith("q:")


def test_contested_pairs_a_claim_with_its_denial(client: httpx.Client) -> None:
    body = _json(client, "/api/contested")
    assert body["available"] is True and body["count"] == 1
    [pair] = body["data"]
    assert (pair["claim_speaker"], pair["claim_stance"]) == ("The army", "accuse")
    assert (pair["counter_speaker"], pair["counter_stance"]) == ("Hospital staff", "deny")
    assert pair["counter_sentence"] == "Hospital staff denied that fighters had sheltered in the compound."
    page = client.get("/contested").text
    assert page.count('class="side side-claim"') == 1 and page.count('class="side side-counter"') == 1
    assert f'href="/articles/{pair["counter_article_id"]}#statement-{pair["counter_idx"]}"' in page


def test_cluster_pages_keep_the_total_and_the_order(client: httpx.Client) -> None:
    everything = _json(client, "/api/clusters")["data"]
    pages = [_json(client, f"/api/clusters?limit=1&page={n}") for n in (1, 2, 3)]
    assert all(p["count"] == len(everything) for p in pages)
    assert [p["data"][0]["id"] for p in pages] == [c["id"] for c in everything]
    assert _json(client, "/api/clusters?type=raid")["count"] == sum(c["type"] == "raid" for c in everything)


def test_clusters_merge_reports_of_one_event_with_reasons(client: httpx.Client) -> None:
    body = _json(client, "/api/clusters")
    assert body["available"] is True and body["count"] == 3
    raid = next(c for c in body["data"] if c["type"] == "raid")
    assert raid["report_count"] == 2 and raid["place"] == "Khartoum"
    detail = _json(client, f"/api/clusters/{raid['id']}")
    assert len(detail["reports"]) == 2
    assert any(r["reasons"].get("matched_report") for r in detail["reports"])
    assert _json(client, "/api/clusters/9999", 404)["error"]["code"] == "not_found"
    event_id = _json(client, "/api/events?type=raid&actor=soldiers")["data"][0]["id"]
    page = client.get(f"/events/{event_id}").text
    assert "Reports (2)" in page and "this report" in page
    assert "Troops stormed the Al Noor hospital in Khartoum on Saturday, witnesses said." in page
    assert "place: a Khartoum, b Khartoum, km 0.0, relation same" in page


# -- errors, safety ----------------------------------------------------------------------


def test_every_error_has_one_json_shape(client: httpx.Client) -> None:
    for url, status in (("/api/articles/nosucharticle", 404), ("/api/events/99999", 404), ("/api/nope", 404)):
        body = _json(client, url, status)
        assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message"}
        assert body["error"]["status"] == status
    post = client.post("/api/articles")
    assert post.status_code == 405
    assert post.json()["error"]["code"] == "method_not_allowed"


def test_pages_answer_browsers_with_html_errors(client: httpx.Client) -> None:
    r = client.get("/events/99999", headers={"accept": "text/html"})
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]
    assert "no event with id 99999" in r.text
    assert client.get("/events/99999").json()["error"]["status"] == 404


def test_security_headers_on_pages_api_and_static(client: httpx.Client) -> None:
    for url in ("/", "/api/counts", "/static/css/fogwatch.css", "/api/nope"):
        headers = client.get(url).headers
        csp = headers["content-security-policy"]
        for directive in ("default-src 'self'", "script-src 'self'", "object-src 'none'",
                          "frame-ancestors 'none'", "base-uri 'none'"):
            assert directive in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"


def test_static_files_cannot_escape_their_folder(client: httpx.Client) -> None:
    assert client.get("/static/vendor/leaflet/leaflet.js").status_code == 200
    for path in ("/static/../api/app.py", "/static/%2e%2e/%2e%2e/api/app.py", "/static/..%2f..%2fserve.py",
                 "/static/%2e%2e%2f%2e%2e%2f__init__.py"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert "create_app" not in r.text


def test_pages_use_no_inline_script_or_handlers(client: httpx.Client) -> None:
    aid = _article_id(client, "market")
    event_id = _json(client, "/api/events?type=raid")["data"][0]["id"]
    for url in ("/", "/timeline", "/map", "/figures", "/contested", "/search?q=killed", "/articles",
                f"/events/{event_id}", f"/articles/{aid}", "/docs"):
        r = client.get(url)
        assert r.status_code == 200, url
        tags = _Tags()
        tags.feed(r.text)
        for _name, attrs, inline in tags.scripts:
            assert set(attrs) == {"src"} and attrs["src"].startswith("/static/") and not inline.strip(), url
        assert tags.handlers == [], url
        assert tags.external == [], url


def test_hostile_markup_is_escaped_in_every_page(client: httpx.Client) -> None:
    aid = _article_id(client, "hostile")
    for url in (f"/articles/{aid}", "/articles", "/timeline", "/search?q=checkpoint", "/"):
        html = client.get(url).text
        assert "<script>window" not in html and "<img src=x" not in html, url
    reader = client.get(f"/articles/{aid}").text
    assert "Attack claims &lt;script&gt;window.__pwned=1&lt;/script&gt;" in reader
    assert HOSTILE_TITLE == _json(client, f"/api/articles/{aid}")["title"]


def test_reader_highlights_every_item_with_an_anchor(client: httpx.Client) -> None:
    aid = _article_id(client, "market")
    html = client.get(f"/articles/{aid}").text
    for anchor in ("figure-0", "figure-1", "statement-0", "statement-1", "event-0", "place-0"):
        assert html.count(f'id="{anchor}"') == 1, anchor
        assert f'id="rec-{anchor}"' in html and f'href="#{anchor}"' in html
    assert re.search(r'<mark class="hl hl-figure" id="figure-1"[^>]*>1,200 people had been killed</mark>', html)


def test_pages_show_the_data(client: httpx.Client) -> None:
    overview = client.get("/").text
    assert re.search(r"<strong>5</strong> articles", overview)
    assert ('class="series-chart" data-series-url="/api/figures/series?metric=killed&amp;'
            'source=sudan-health-ministry"') in overview
    timeline = client.get("/timeline?type=raid").text
    assert "Soldiers raided the Al Noor hospital" in timeline and "Gunmen attacked" not in timeline
    assert "Troops stormed the Al Noor hospital" in timeline
    assert timeline.count("reported by 2 articles") == 2
    figures = client.get("/figures").text
    assert 'id="metric-killed"' in figures and 'class="flagged"' in figures
    assert "The health ministry said 1,310 people had been killed in El Fasher since May." in figures
    assert "The army" in client.get("/contested").text
    assert "El Fasher" in client.get("/map").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in client.get("/docs").text


def test_openapi_describes_the_api(client: httpx.Client) -> None:
    spec = _json(client, "/openapi.json")
    for path in ("/api/articles", "/api/articles/{ref}", "/api/events", "/api/events/{event_id}", "/api/clusters",
                 "/api/clusters/{cluster_id}", "/api/figures",
                 "/api/figures/series", "/api/statements", "/api/places", "/api/search", "/api/contested"):
        assert set(spec["paths"][path]) == {"get"}, path
    assert not any(p.startswith("/timeline") for p in spec["paths"])


# -- read-only, bad stores -------------------------------------------------------------


def test_the_server_never_writes_the_store(tmp_path: Path) -> None:
    db, _ = build_store(tmp_path)
    before = db.read_bytes()
    app = create_app(db)
    conn = app.state.database.connect()
    with pytest.raises(sqlite3.OperationalError):
        conn.execute("DELETE FROM articles")
    conn.close()
    with thread_server(db) as url:
        for path in ("/", "/figures", "/api/articles", "/api/figures?flagged=true"):
            httpx.get(url + path)
    assert db.read_bytes() == before


def test_unexpected_failures_answer_500_in_the_same_shape(tmp_path: Path) -> None:
    db, _ = build_store(tmp_path)
    with thread_server(db) as url:
        with sqlite3.connect(db) as writer:
            writer.execute("DROP TABLE figures")
        r = httpx.get(url + "/api/figures")
        assert r.status_code == 500
        assert r.json() == {"error": {"status": 500, "code": "internal_error", "message": "internal server error"}}
        assert "default-src 'self'" in r.headers["content-security-policy"]


def test_create_app_refuses_what_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no database"):
        create_app(tmp_path / "missing.db")
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    with pytest.raises(StoreError, match="no fogwatch schema"):
        create_app(empty)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError):
        create_app(junk)


def test_an_empty_store_shows_empty_states(tmp_path: Path) -> None:
    from fogwatch.store import Store

    db = tmp_path / "empty-store.db"
    Store(db).close()
    with thread_server(db) as url:
        for path, text in (("/", "No events yet"), ("/timeline", "No events match"), ("/map", "No places yet"),
                           ("/figures", "No cumulative figures yet"), ("/contested", "appear here once"),
                           ("/search?q=anything", "No article matches"), ("/articles", "No articles yet")):
            r = httpx.get(url + path)
            assert r.status_code == 200 and text in r.text, path
        assert httpx.get(url + "/api/figures/series").json() == {"data": [], "count": 0}
        assert httpx.get(url + "/api/events").json() == {"data": [], "count": 0, "page": 1, "limit": 50}


def test_series_follow_new_ingests_while_serving(tmp_path: Path) -> None:
    import datetime as dt

    from fogwatch.model import Article, ArticleRecord, Figure
    from fogwatch.store import Store

    db, _ = build_store(tmp_path)
    with thread_server(db) as url:
        def ministry_values() -> list[int]:
            body = httpx.get(url + "/api/figures/series?metric=killed&source=sudan-health-ministry").json()
            return [p["value"] for p in body["data"][0]["points"]]

        assert ministry_values() == [1200, 1350, 1310]
        assert httpx.get(url + "/").status_code == 200  # warms the overview's cached build too
        text = "The health ministry said 1,400 people had been killed in the city."
        start = text.index("1,400")
        figure = Figure(start=start, end=start + 28, text=text[start : start + 28], number="1,400", value=1400,
                        metric="killed", scope="cumulative", source="The health ministry",
                        source_actor="sudan-health-ministry")
        article = Article(id="later-article", text=text, published=dt.date(2024, 3, 12), title="Later")
        with Store(db) as store:
            store.write_batch(None, [(article, ArticleRecord(id=article.id, published=None, figures=(figure,)))])
            resolve(store)
        assert ministry_values() == [1200, 1350, 1310, 1400]


def test_an_unresolved_store_builds_its_own_series_and_empty_states(tmp_path: Path) -> None:
    db, _ = build_store(tmp_path, resolved=False)
    with thread_server(db) as url, httpx.Client(base_url=url, timeout=10) as c:
        series = c.get("/api/figures/series?metric=killed").json()["data"]
        assert {(s["source"], s["country"]) for s in series} == {("sudan-health-ministry", "SD"), ("rebel-command", "SD")}
        assert [s["label"] for s in series if s["source"] == "rebel-command"] == ["The rebel command (SD)"]
        assert [f["value"] for f in c.get("/api/figures?flagged=true").json()["data"]] == [1310]
        assert c.get("/api/figures/series?country=UA").json()["data"] == []
        assert c.get("/api/contested").json() == {"data": [], "count": 0, "available": False}
        assert c.get("/api/clusters").json()["available"] is False
        assert "fogwatch resolve" in c.get("/contested").text
        raid = c.get("/api/events?type=raid&actor=soldiers").json()["data"][0]
        detail = c.get(f"/api/events/{raid['id']}").json()
        assert detail["reports"] == [raid["article_id"]] and detail["cluster_id"] is None
        assert "One report so far" in c.get(f"/events/{raid['id']}").text
