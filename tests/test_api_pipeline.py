"""The web layer over what the real extractor stores (whatever it finds today)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from e2e.corpus import ARTICLES, build_store
from e2e.server import thread_server


@pytest.mark.model
def test_reader_and_api_agree_with_the_real_extractors_output(tmp_path: Path) -> None:
    db, summary = build_store(tmp_path, extractor=None)
    assert summary.articles_added == len(ARTICLES) and summary.errors == 0
    with thread_server(db) as url, httpx.Client(base_url=url, timeout=30) as client:
        articles = client.get("/api/articles").json()["data"]
        assert len(articles) == len(ARTICLES)
        total_items = 0
        for summary_row in articles:
            detail = client.get(f"/api/articles/{summary_row['id']}").json()
            html = client.get(f"/articles/{summary_row['id']}").text
            assert "<script>window" not in html
            for kind, singular in (("figures", "figure"), ("statements", "statement"), ("events", "event"),
                                   ("places", "place")):
                assert len(detail[kind]) == summary_row[kind]
                for item in detail[kind]:
                    total_items += 1
                    assert detail["text"][item["start"] : item["end"]] == item["text"]
                    # every stored item is highlighted once, with its anchor, and listed in the side panel
                    assert len(re.findall(rf'id="{singular}-{item["idx"]}"', html)) == 1
                    assert f'id="rec-{singular}-{item["idx"]}"' in html
        counts = client.get("/api/counts").json()
        assert total_items == sum(counts[k] for k in ("figures", "statements", "events", "places"))
        for path in ("/", "/timeline", "/map", "/figures", "/api/figures/series", "/api/places"):
            assert client.get(path).status_code == 200
