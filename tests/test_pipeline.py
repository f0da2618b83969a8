"""The ingest pipeline: real readers, real extractor, real SQLite file."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from fogwatch.model import Article, ArticleRecord
from fogwatch.pipeline import (
    BATCH_SIZE,
    ProgressUpdate,
    count_articles,
    extract_article,
    ingest,
    read_articles,
)
from fogwatch.store import Store

STORIES = [
    "Artillery fire struck the northern district of Osterk on Monday, killing at least 7 civilians, "
    "local officials said. The defence ministry denied targeting homes.",
    "Aid trucks reached the Lumeni camp on Wednesday after a week-long blockade, the relief agency said. "
    "About 3,000 families shelter there.",
    "Police arrested 40 protesters in the capital Varno on Saturday. \"We will not stop,\" one organiser "
    "told reporters.",
    "A drone strike hit a fuel depot near the port of Kessa overnight, the coastguard said. No casualties "
    "were reported.",
    "Negotiators met in the lakeside town of Brenn on Thursday to discuss a prisoner exchange, according "
    "to the mediators.",
]


def write_jsonl(path, stories, *, url_prefix="https://news.example/story/", bad_lines=()):
    lines = [
        json.dumps({"id": f"ext-{i}", "text": text, "published": "2024-05-0" + str(i % 9 + 1),
                    "url": f"{url_prefix}{i}", "outlet": "Example Wire", "title": text[:40]})
        for i, text in enumerate(stories)
    ]
    for position, junk in bad_lines:
        lines.insert(position, junk)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def table_count(store: Store, table: str) -> int:
    return store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def counting(extractor):
    calls: list[str] = []

    def run(article: Article) -> ArticleRecord:
        calls.append(article.id)
        return extractor(article)

    run.calls = calls  # type: ignore[attr-defined]
    return run


@pytest.mark.model
def test_ingest_stores_articles_and_counts_match_the_database(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", STORIES)
    with Store(tmp_path / "fw.db") as store:
        summary = ingest([str(src)], store)
        assert summary.articles_added == len(STORIES) == table_count(store, "articles")
        for kind in ("figures", "statements", "events", "places"):
            assert getattr(summary, kind) == table_count(store, kind)
        assert summary.errors == 0 and summary.articles_skipped == 0
        stored = store.get_article("ext-2")
        assert stored.article["external_id"] == "ext-2"
        assert stored.article["url"] == "https://news.example/story/2"
        assert stored.article["published"] == "2024-05-03"
        run = store.list_runs()[0]
        assert run["finished"] is not None and run["articles_added"] == len(STORIES)


@pytest.mark.model
def test_reingesting_the_same_input_adds_nothing_and_extracts_nothing(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", STORIES)
    with Store(tmp_path / "fw.db") as store:
        ingest([str(src)], store)
        before = {t: table_count(store, t) for t in ("articles", "figures", "statements", "events", "places")}
        extractor = counting(extract_article)
        again = ingest([str(src)], store, extractor=extractor)
        after = {t: table_count(store, t) for t in before}
    assert again.articles_added == 0 and again.articles_skipped == len(STORIES)
    assert extractor.calls == [], "known articles are skipped before extraction"
    assert after == before


def test_changed_text_at_the_same_url_becomes_a_new_version(tmp_path):
    first = write_jsonl(tmp_path / "first.jsonl", STORIES[:2])
    edited = [STORIES[0] + " The toll later rose to 9.", STORIES[1]]
    second = write_jsonl(tmp_path / "second.jsonl", edited)
    empty = counting(lambda a: ArticleRecord(id=a.contract_id, published=a.published))
    with Store(tmp_path / "fw.db") as store:
        ingest([str(first)], store, extractor=empty)
        summary = ingest([str(second)], store, extractor=empty)
        assert (summary.articles_added, summary.articles_skipped) == (1, 1)
        rows = store.list_articles(url="https://news.example/story/0").rows
    by_version = {r["version"]: r for r in rows}
    assert set(by_version) == {1, 2}
    assert by_version[2]["supersedes"] == by_version[1]["id"]


def test_bad_lines_and_extraction_failures_become_error_rows_and_the_run_goes_on(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", STORIES, bad_lines=[(1, "{not json"), (4, "[1, 2]")])

    def picky(article: Article) -> ArticleRecord:
        if "drone" in article.text:
            raise ValueError("cannot cope with drones")
        return ArticleRecord(id=article.contract_id, published=article.published)

    updates: list[ProgressUpdate] = []
    with Store(tmp_path / "fw.db") as store:
        summary = ingest([str(src), str(tmp_path / "missing.txt")], store, extractor=picky,
                         progress=updates.append)
        errors = store.list_errors(limit=10).rows
    assert summary.articles_added == len(STORIES) - 1
    assert summary.errors == 4 == len(errors)
    reasons = {e["path"]: e["reason"] for e in errors}
    assert reasons[f"{src}:2"].startswith("invalid JSON")
    assert any(r == "extraction failed: ValueError: cannot cope with drones" for r in reasons.values())
    assert any(p.endswith("missing.txt") for p in reasons)
    assert {(u.error.path, u.error.reason) for u in updates if u.error} == set(reasons.items())
    assert updates[-1].seen == len(STORIES) and updates[-1].added == len(STORIES) - 1


def test_an_interrupted_run_keeps_whole_batches_only(tmp_path):
    stories = [f"{STORIES[i % len(STORIES)]} Update number {i}." for i in range(10)]
    src = write_jsonl(tmp_path / "in.jsonl", stories)

    def stops_at_eight(article: Article) -> ArticleRecord:
        if article.external_id == "ext-7":
            raise KeyboardInterrupt
        return ArticleRecord(id=article.contract_id, published=article.published)

    with Store(tmp_path / "fw.db") as store:
        with pytest.raises(KeyboardInterrupt):
            ingest([str(src)], store, extractor=stops_at_eight, batch_size=3)
        assert table_count(store, "articles") == 6  # two whole batches of 3
        summary = ingest([str(src)], store, extractor=lambda a: ArticleRecord(id=a.id, published=None),
                         batch_size=3)
        assert (summary.articles_added, summary.articles_skipped) == (4, 6)
        assert table_count(store, "articles") == 10


def test_repeated_article_in_one_run_is_stored_once(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", [STORIES[0], STORIES[0], STORIES[1]])
    with Store(tmp_path / "fw.db") as store:
        summary = ingest([str(src)], store, extractor=lambda a: ArticleRecord(id=a.id, published=None))
        assert (summary.articles_added, summary.articles_skipped) == (2, 1)


SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def articles_read(paths) -> int:
    return sum(isinstance(item, Article) for item in read_articles([str(p) for p in paths]))


def test_count_articles_counts_lines_without_parsing_them(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", STORIES, bad_lines=[(0, "{oops"), (2, "   ")])
    # every non-blank line is an article to come: the malformed one too (it is not parsed)
    assert count_articles([str(src)]) == len(STORIES) + 1
    assert count_articles(["-"]) is None


def test_count_articles_finds_csv_records_across_quoted_line_breaks(tmp_path):
    rows = [["id", "text", "published"]]
    rows += [[f"c-{i}", f'{text}\n\nA second paragraph, "quoted" and, with commas.', "2024-05-01"]
             for i, text in enumerate(STORIES)]
    src = tmp_path / "desk.csv"
    with src.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    assert src.read_text(encoding="utf-8").count("\n") > len(rows)   # records span lines
    assert count_articles([str(src)]) == articles_read([src]) == len(STORIES)


def test_count_articles_counts_one_article_per_text_or_html_file(tmp_path):
    for i, text in enumerate(STORIES[:3]):
        (tmp_path / f"story-{i}.txt").write_text(text, encoding="utf-8")
    # a page the HTML reader finds no article in still counts: counting does not parse pages
    (tmp_path / "menu.html").write_text("<html><body><nav>Home</nav></body></html>", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    assert count_articles([str(tmp_path)]) == 4
    assert articles_read([tmp_path]) == 3


@pytest.mark.skipif(not SAMPLES.exists(), reason="needs the samples folder")
@pytest.mark.parametrize("folder", ["txt", "html", "jsonl", "csv"])
def test_count_articles_matches_the_readers_on_the_samples(folder):
    assert count_articles([str(SAMPLES / folder)]) == articles_read([SAMPLES / folder]) > 0


@pytest.mark.skipif(not SAMPLES.exists(), reason="needs the samples folder")
def test_count_articles_gives_no_total_where_only_parsing_counts(tmp_path):
    array = tmp_path / "items.json"
    array.write_text(json.dumps([{"text": STORIES[0]}, {"text": STORIES[1]}]), encoding="utf-8")
    lines = write_jsonl(tmp_path / "in.jsonl", STORIES)
    for costly in (SAMPLES / "warc", SAMPLES / "feeds", array):
        assert count_articles([str(lines), str(costly)]) is None, costly


def test_progress_updates_carry_the_estimated_total(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", STORIES)
    updates: list[ProgressUpdate] = []
    with Store(tmp_path / "fw.db") as store:
        ingest([str(src)], store, extractor=lambda a: ArticleRecord(id=a.contract_id, published=None),
               progress=updates.append, total=count_articles([str(src)]))
    assert [u.seen for u in updates] == list(range(1, len(STORIES) + 1))
    assert {u.total for u in updates} == {len(STORIES)}


def test_batch_size_constant_is_sane():
    assert 1 <= BATCH_SIZE <= 1000
