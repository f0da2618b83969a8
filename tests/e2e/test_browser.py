"""End-to-end: headless Chromium (Debian's) against a real ``fogwatch serve`` process.

Screenshots of every page go to ``$FOGWATCH_SCREENSHOT_DIR`` (the README's
``docs/screenshots`` are made with ``FOGWATCH_SCREENSHOT_DIR=docs/screenshots``),
else to the test's temporary folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from e2e.corpus import build_store
from e2e.server import serve_process

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
# Milliseconds to wait for a page's scripts to draw (map outlines, charts): they take
# ~100-300 ms here; the margin is for a loaded CI machine.
DRAW_TIMEOUT_MS = 15_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} not installed (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db, _ = build_store(tmp_path_factory.mktemp("e2e"))
    with serve_process(db) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("FOGWATCH_SCREENSHOT_DIR") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Watched:
    """A page with its console errors, uncaught errors, dialogs and off-site requests recorded."""

    def __init__(self, browser: Any, base_url: str):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.base_url = base_url
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"pageerror: {e}"))
        self.page.on("dialog", self._dialog)
        self.page.on("request", self._request)
        self.page.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"))

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _request(self, request: Any) -> None:
        if not (request.url.startswith(self.base_url) or request.url.startswith("data:")):
            self.problems.append(f"off-site request: {request.url}")

    def goto(self, path: str) -> Any:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status == 200, path
        return self.page

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def watched(browser: Any, base_url: str) -> Iterator[Watched]:
    w = Watched(browser, base_url)
    yield w
    w.close()
    assert w.problems == []
    assert w.dialogs == []


def _event_id(watched: Watched, kind: str) -> int:
    body = watched.page.request.get(f"{watched.base_url}/api/events?type={kind}&actor=soldiers").json()
    return int(body["data"][0]["id"])


def _article_id(watched: Watched, external_id: str) -> str:
    rows = watched.page.request.get(f"{watched.base_url}/api/articles").json()["data"]
    return next(a["id"] for a in rows if a["external_id"] == external_id)


def test_every_page_renders_without_errors(watched: Watched, shots: Path) -> None:
    raid = _event_id(watched, "raid")
    article = _article_id(watched, "market")
    pages = {
        "overview": "/", "timeline": "/timeline", "contested": "/contested", "search": "/search?q=hospital",
        "articles": "/articles", "event": f"/events/{raid}", "article": f"/articles/{article}",
    }
    for name, path in pages.items():
        page = watched.goto(path)
        assert page.locator("h1").first.is_visible(), name
        page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def test_map_draws_country_outlines_and_markers(watched: Watched, shots: Path) -> None:
    page = watched.goto("/map")
    page.wait_for_selector("#map[data-markers]", timeout=DRAW_TIMEOUT_MS)
    assert int(page.get_attribute("#map", "data-countries") or 0) > 150
    assert page.locator("#map path.country").count() > 150
    assert page.locator("#map path.marker-place").count() == 4
    assert page.locator("#map path.marker-event").count() == 4
    page.locator("#map path.marker-event").first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=DRAW_TIMEOUT_MS)
    assert popup.locator("a").get_attribute("href").startswith("/events/")
    page.screenshot(path=str(shots / "map.png"), full_page=True)


def _chart_has_marks(page: Any, selector: str) -> bool:
    return bool(
        page.eval_on_selector(
            selector,
            """c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                     for (let i = 3; i < d.length; i += 4) { if (d[i] !== 0) return true; } return false; }""",
        )
    )


def test_figure_charts_draw_and_hover_shows_the_sentence(watched: Watched, shots: Path) -> None:
    page = watched.goto("/figures")
    canvas = "#metric-killed canvas.series-chart"
    page.wait_for_selector(canvas + "[data-rendered]", timeout=DRAW_TIMEOUT_MS)
    assert page.locator("canvas.series-chart[data-rendered]").count() == 2  # killed, displaced
    assert _chart_has_marks(page, canvas)
    point = page.eval_on_selector(
        canvas,
        """c => { const ch = Chart.getChart(c); const i = ch.data.datasets.findIndex(d => d.data.length === 3);
                 const el = ch.getDatasetMeta(i).data[2]; const r = c.getBoundingClientRect();
                 return {x: r.left + el.x, y: r.top + el.y}; }""",
    )
    page.mouse.move(point["x"], point["y"])
    page.wait_for_function(
        "c => Chart.getChart(c).tooltip.opacity === 1", arg=page.query_selector(canvas), timeout=DRAW_TIMEOUT_MS
    )
    tooltip = page.eval_on_selector(
        canvas,
        """c => { const t = Chart.getChart(c).tooltip;
                 return {title: t.title.join(' '), body: t.body.map(b => b.lines.join(' ')).join(' '),
                         footer: t.footer.join(' ')}; }""",
    )
    assert "1,310" in tooltip["title"]
    assert "The health ministry said 1,310 people had been killed in El Fasher since May." in tooltip["body"]
    assert tooltip["footer"].startswith("⚑ falls from 1,350")
    page.screenshot(path=str(shots / "figures.png"), full_page=True)

    page = watched.goto("/")
    page.wait_for_selector("canvas.series-chart[data-rendered]", timeout=DRAW_TIMEOUT_MS)
    assert _chart_has_marks(page, "canvas.series-chart")
    page.screenshot(path=str(shots / "overview.png"), full_page=True)


def test_from_an_event_to_its_highlighted_span(watched: Watched) -> None:
    page = watched.goto("/timeline?type=raid&actor=soldiers")
    page.click("a.event-link")
    page.wait_for_url("**/events/*")
    assert "raid" in page.locator("h1").inner_text()
    page.click("a.report-link")
    page.wait_for_url("**/articles/*#event-0")
    mark = page.locator("mark#event-0.hl-event")
    assert mark.is_visible()
    assert mark.inner_text() == "Soldiers raided the Al Noor hospital in Khartoum early on Saturday"
    assert "focused" in (mark.get_attribute("class") or "")
    assert "selected" in (page.locator("#rec-event-0").get_attribute("class") or "")
    # nested highlights inside the event's evidence
    assert mark.locator("mark.hl-place").first.inner_text() == "Al Noor hospital"
    # a click on a span selects its record in the side panel
    page.locator("mark#statement-0").click()
    assert "selected" in (page.locator("#rec-statement-0").get_attribute("class") or "")


def test_hostile_article_renders_as_text_and_runs_nothing(watched: Watched, shots: Path) -> None:
    article = _article_id(watched, "hostile")
    for path in (f"/articles/{article}", "/articles", "/timeline", "/search?q=checkpoint", "/"):
        page = watched.goto(path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("typeof window.__pwned") == "undefined", path
        assert page.locator('img[src="x"]').count() == 0, path
        assert page.locator("main script").count() == 0, path
    page = watched.goto(f"/articles/{article}")
    assert "<script>window.__pwned=1</script>" in page.locator("h1").inner_text()
    assert "<img src=x onerror=window.__pwned=4>" in page.locator("#article-text").inner_text()
    page.screenshot(path=str(shots / "hostile-article.png"), full_page=True)


def test_api_docs_load_from_local_assets(watched: Watched, shots: Path) -> None:
    page = watched.goto("/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=DRAW_TIMEOUT_MS)
    assert page.locator(".swagger-ui .opblock").count() >= 10
    page.screenshot(path=str(shots / "docs.png"), full_page=False)
