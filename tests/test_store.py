"""The SQLite store: migrations, batch writes, versions, full-text search, concurrent reads."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time

import pytest

from fogwatch.errors import NotFound, StoreError
from fogwatch.ingest.ids import article_id
from fogwatch.model import Article, ArticleRecord, Event, Figure, Place, Statement
from fogwatch.store import SCHEMA_VERSION, ErrorInput, Store

TEXT_A = (
    "Shelling hit a market in the eastern town of Velmora on Tuesday, killing at least 12 people. "
    '"The strike targeted civilians," the regional governor said. The army denied firing on the town.'
)
TEXT_B = "Protesters gathered outside the parliament in Darsk on Friday demanding a ceasefire."


def make_article(text: str, url: str | None = None, outlet: str = "Wire", published: str = "2024-03-05"):
    return Article(
        id=article_id(text),
        text=text,
        url=url,
        outlet=outlet,
        title=text.split(".")[0][:60],
        published=dt.date.fromisoformat(published),
        source_path="fixture.jsonl",
    )


def span(text: str, phrase: str) -> tuple[int, int, str]:
    start = text.index(phrase)
    return start, start + len(phrase), phrase


def record_a(article: Article) -> ArticleRecord:
    t = article.text
    fs, fe, ft = span(t, "killing at least 12 people")
    qs, qe, qt = span(t, "The strike targeted civilians")
    es, ee, et = span(t, "Shelling hit a market")
    ps, pe, pt = span(t, "Velmora")
    return ArticleRecord(
        id=article.id,
        published=article.published,
        figures=(Figure(start=fs, end=fe, text=ft, number="at least 12", value=12, bound="at_least",
                        metric="killed", victims="people"),),
        statements=(Statement(start=qs, end=qe, text=qt, speaker="the regional governor", cue="said",
                              direct=True, stance="accuse"),),
        events=(Event(start=es, end=ee, text=et, type="attack", mode="shelling", location="Velmora",
                      date=dt.date(2024, 3, 5), figures=(0,), statements=(0,)),),
        places=(Place(start=ps, end=pe, text=pt, name="Velmora", kind="city", lat=48.5, lon=37.9),),
    )


def empty_record(article: Article) -> ArticleRecord:
    return ArticleRecord(id=article.id, published=article.published)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "fw.db") as s:
        yield s


def count(store: Store, table: str) -> int:
    return store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


# -- migrations and connection settings ------------------------------------------------


def test_new_file_is_migrated_to_current_schema_in_wal_mode(tmp_path):
    path = tmp_path / "new.db"
    with Store(path) as s:
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert s.conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0
        tables = {r[0] for r in s.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"articles", "figures", "statements", "events", "places", "errors", "runs",
            "event_figures", "event_statements", "articles_fts", "statements_fts"} <= tables
    # Reopening applies nothing twice.
    with Store(path) as s:
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_newer_schema_is_refused_with_a_clear_error(tmp_path):
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(StoreError, match="newer than this fogwatch supports"):
        Store(path)


def test_not_a_database_is_a_store_error(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="cannot"):
        Store(path)


def test_missing_file_is_not_created_when_create_is_false(tmp_path):
    with pytest.raises(StoreError, match="no database at"):
        Store(tmp_path / "absent.db", create=False)
    assert not (tmp_path / "absent.db").exists()


# -- writes ------------------------------------------------------------------------------


def test_batch_writes_every_item_field_and_event_links(store):
    article = make_article(TEXT_A, url="https://example.org/a")
    counts = store.write_batch(store.start_run(["x"]), [(article, record_a(article))])
    assert (counts.articles, counts.figures, counts.statements, counts.events, counts.places) == (1, 1, 1, 1, 1)
    detail = store.get_article(article.id)
    fig = detail.figures[0]
    assert (fig["value"], fig["bound"], fig["metric"], fig["victims"]) == (12, "at_least", "killed", "people")
    assert TEXT_A[fig["start"]:fig["end"]] == fig["text"]
    stmt = detail.statements[0]
    assert stmt["direct"] is True and stmt["speaker"] == "the regional governor" and stmt["stance"] == "accuse"
    event = detail.events[0]
    assert (event["type"], event["mode"], event["date"]) == ("attack", "shelling", "2024-03-05")
    assert event["figures"] == [0] and event["statements"] == [0]
    assert detail.places[0]["lat"] == 48.5
    assert detail.article["published"] == "2024-03-05" and detail.article["version"] == 1


def test_same_article_twice_is_stored_once(store):
    article = make_article(TEXT_A)
    run = store.start_run(["x"])
    store.write_batch(run, [(article, record_a(article))])
    again = store.write_batch(run, [(article, record_a(article))])
    assert again.articles == 0 and again.figures == 0
    assert count(store, "articles") == 1 and count(store, "figures") == 1
    assert store.known_ids([article.id, "0000000000000000"]) == {article.id}


def test_same_url_with_changed_text_is_a_new_version(store):
    url = "https://example.org/story"
    first = make_article(TEXT_B, url=url)
    second = make_article(TEXT_B + " Police dispersed them by evening.", url=url)
    third = make_article(TEXT_B + " Police dispersed them by evening, officials said.", url=url)
    store.write_batch(None, [(first, empty_record(first))])
    store.write_batch(None, [(second, empty_record(second)), (third, empty_record(third))])
    rows = {r["id"]: r for r in store.list_articles(url=url).rows}
    assert rows[first.id]["version"] == 1 and rows[first.id]["supersedes"] is None
    assert rows[second.id]["version"] == 2 and rows[second.id]["supersedes"] == first.id
    assert rows[third.id]["version"] == 3 and rows[third.id]["supersedes"] == second.id
    latest = store.list_articles(url=url, latest_only=True).rows
    assert [r["id"] for r in latest] == [third.id]


def test_errors_and_run_counts_are_written_with_the_batch(store):
    run = store.start_run(["a.jsonl"])
    article = make_article(TEXT_A)
    store.write_batch(run, [(article, record_a(article))], [ErrorInput("bad.bin", "binary file")])
    store.finish_run(run, skipped=3)
    errors = store.list_errors().rows
    assert [(e["path"], e["reason"], e["run_id"]) for e in errors] == [("bad.bin", "binary file", run)]
    (row,) = store.list_runs()
    assert (row["articles_added"], row["figures"], row["errors"], row["articles_skipped"]) == (1, 1, 1, 3)
    assert row["finished"] is not None


def test_failed_batch_leaves_nothing(store):
    good = make_article(TEXT_A)
    bad = make_article(TEXT_B)
    # An item pointing at a column value SQLite rejects (NOT NULL text) fails the whole batch.
    broken = ArticleRecord(id=bad.id, published=None,
                           places=(Place(start=0, end=1, text=None, name="x"),))  # type: ignore[arg-type]
    with pytest.raises(StoreError):
        store.write_batch(None, [(good, record_a(good)), (bad, broken)])
    assert count(store, "articles") == 0 and count(store, "figures") == 0
    assert not store.conn.in_transaction


# -- reads -------------------------------------------------------------------------------


def test_get_article_by_prefix_and_external_id_and_not_found(store):
    article = Article(id=article_id(TEXT_B), text=TEXT_B, external_id="feed-77")
    store.write_batch(None, [(article, empty_record(article))])
    assert store.get_article(article.id[:8]).article["id"] == article.id
    assert store.get_article("feed-77").article["id"] == article.id
    with pytest.raises(NotFound, match="no article with id"):
        store.get_article("ffffffffffff")


def test_list_articles_filters_and_pages(store):
    items = []
    for i, outlet in enumerate(["Wire", "Daily", "Wire"]):
        a = make_article(f"{TEXT_B} Report number {i}.", outlet=outlet, published=f"2024-03-0{i + 1}")
        items.append((a, empty_record(a)))
    store.write_batch(None, items)
    page = store.list_articles(limit=2)
    assert page.total == 3 and len(page.rows) == 2
    assert [r["published"] for r in page.rows] == ["2024-03-03", "2024-03-02"]
    assert store.list_articles(outlet="Wire").total == 2
    assert store.list_articles(since="2024-03-02", until="2024-03-02").total == 1


def test_stats_counts_by_outlet_and_date(store):
    a = make_article(TEXT_A, outlet="Wire", published="2024-03-05")
    b = make_article(TEXT_B, outlet="Daily", published="2024-03-05")
    store.write_batch(None, [(a, record_a(a)), (b, empty_record(b))], [ErrorInput("x", "empty file")])
    rows = store.stats()
    total = rows[0]
    assert (total["scope"], total["articles"], total["figures"], total["places"], total["errors"]) == (
        "total", 2, 1, 1, 1)
    by = {(r["scope"], r["key"]): r for r in rows[1:]}
    assert by[("outlet", "Wire")]["figures"] == 1 and by[("outlet", "Daily")]["figures"] == 0
    assert by[("date", "2024-03-05")]["articles"] == 2
    assert all(list(r) == list(total) for r in rows), "every row has the same columns, in order"


# -- full-text search --------------------------------------------------------------------


@pytest.fixture
def searchable(store):
    a, b = make_article(TEXT_A), make_article(TEXT_B)
    store.write_batch(None, [(a, record_a(a)), (b, empty_record(b))])
    return store, a, b


def test_search_finds_articles_with_snippets(searchable):
    store, a, b = searchable
    hits = store.search("market")
    assert [h["article_id"] for h in hits] == [a.id]
    assert "«market»" in hits[0]["snippet"]
    assert {h["article_id"] for h in store.search("ceasefire OR market")} == {a.id, b.id}


def test_search_statements(searchable):
    store, a, _ = searchable
    hits = store.search("civilians", scope="statements")
    assert len(hits) == 1 and hits[0]["speaker"] == "the regional governor" and hits[0]["article_id"] == a.id
    assert store.search("parliament", scope="statements") == []


@pytest.mark.parametrize(
    "query",
    ['"foo OR (', "market AND", "NEAR(", "*", '"', "title:", "-market", "(((", "market) OR (", "  ", "^"],
)
def test_hostile_queries_never_raise(searchable, query):
    store, a, _ = searchable
    for scope in ("articles", "statements"):
        hits = store.search(query, scope=scope)
        assert isinstance(hits, list)


def test_broken_syntax_falls_back_to_plain_words(searchable):
    store, a, _ = searchable
    assert [h["article_id"] for h in store.search('"market OR (')] == [a.id]
    assert [h["article_id"] for h in store.search("market AND")] == [a.id]  # dangling operator dropped
    assert store.search('"market ceasefire (') == []  # the plain words are all required


def test_fts_indexes_stay_in_sync(searchable):
    store, _, _ = searchable
    store.conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    store.conn.execute("INSERT INTO statements_fts(statements_fts) VALUES ('integrity-check')")
    assert count(store, "articles_fts") == count(store, "articles")


# -- reading while a write is under way -----------------------------------------------------


def test_reader_is_not_blocked_by_an_open_write_transaction(tmp_path):
    path = tmp_path / "fw.db"
    writer = Store(path)
    a = make_article(TEXT_A)
    writer.write_batch(None, [(a, record_a(a))])
    # Hold a write transaction open with an uncommitted article in it.
    writer.conn.execute("BEGIN IMMEDIATE")
    writer.conn.execute(
        "INSERT INTO articles (id, seq, text, ingested_at) VALUES ('uncommitted00000', 99, 'x', 'now')"
    )
    started = time.monotonic()
    with Store(path, create=False) as reader:
        assert reader.stats()[0]["articles"] == 1  # the committed state only
        assert len(reader.search("market")) == 1
        assert reader.list_articles().total == 1
    assert time.monotonic() - started < 2.0, "readers must not wait for the writer"
    writer.conn.execute("COMMIT")
    with Store(path, create=False) as reader:
        assert reader.list_articles().total == 2
    writer.close()


def test_concurrent_reads_see_whole_batches_only(tmp_path):
    path = tmp_path / "fw.db"
    writer = Store(path, check_same_thread=False)
    batch = []
    for i in range(3000):
        art = make_article(f"{TEXT_A} Dispatch {i}.")
        batch.append((art, record_a(art)))
    seen: list[tuple[int, int]] = []
    done = threading.Event()

    def write() -> None:
        try:
            writer.write_batch(None, batch)
        finally:
            done.set()

    thread = threading.Thread(target=write)
    with Store(path, create=False) as reader:
        thread.start()
        while not done.is_set():
            total = reader.stats()[0]
            seen.append((total["articles"], total["figures"]))
        thread.join()
        final = reader.stats()[0]
    writer.close()
    assert final["articles"] == 3000 and final["figures"] == 3000
    assert seen, "the reader ran while the batch was written"
    assert set(seen) <= {(0, 0), (3000, 3000)}, "a reader never sees half a batch"


# -- numbered migrations -------------------------------------------------------------------


def test_a_later_migration_applies_to_an_existing_file_and_keeps_its_data(tmp_path, monkeypatch):
    from fogwatch.store import schema

    path = tmp_path / "old.db"
    with Store(path) as s:
        a = make_article(TEXT_A)
        s.write_batch(None, [(a, record_a(a))])
    v2 = ("ALTER TABLE articles ADD COLUMN language TEXT", "UPDATE articles SET language = 'en'")
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, v2))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(schema.MIGRATIONS))
    with Store(path) as s:
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
        assert s.conn.execute("SELECT language FROM articles").fetchall()[0][0] == "en"
        assert s.list_articles().total == 1


def test_a_failing_migration_rolls_back_entirely(tmp_path, monkeypatch):
    from fogwatch.store import schema

    path = tmp_path / "old.db"
    Store(path).close()
    broken = ("CREATE TABLE half_done (x INTEGER)", "THIS IS NOT SQL")
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, broken))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(schema.MIGRATIONS))
    with pytest.raises(StoreError, match=f"migration {SCHEMA_VERSION + 1} failed"):
        Store(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").fetchone()[0] == 0
    conn.close()
