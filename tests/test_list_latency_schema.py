"""Migration 4 (event days, event places, the place summary, row counts) and the listings on it.

Stores are written through the real ``Store.write_batch`` from hand-built records (an
invented corpus, seeded), so the tests check the store and the listings, not extraction.
Speed is measured by ``bench/load/run.py``; here only plans (``EXPLAIN QUERY PLAN``) and results.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import pytest

from fogwatch.api import queries
from fogwatch.model import Article, ArticleRecord, Event, Figure, Place, Statement
from fogwatch.store import Store
from fogwatch.store import queries as store_queries
from fogwatch.store.listing_schema import place_key
from fogwatch.store.schema import MIGRATIONS, SCHEMA_VERSION

# Invented places: (text, name, kind, lat, lon, geonameid, country). "Ashford town" is another
# way of writing Ashford; the camp has no coordinates; Corvale has coordinates but no gazetteer id.
PLACES = (
    ("Ashford", "Ashford", "city", 51.1, 0.9, 9001, "GB"),
    ("Ashford town", "Ashford", "city", 51.1, 0.9, 9001, "GB"),
    ("Brinmoor", "Brinmoor", "city", 48.0, 2.0, 9002, "FR"),
    ("the north camp", "North Camp", "camp", None, None, None, None),
    ("Corvale", "Corvale", "district", 40.0, 3.0, None, "ES"),
)
LOCATIONS = (None, "Ashford", "Ashford town", "Brinmoor", "North Camp", "Corvale", "Dunmere")
ACTORS = ((None, None), ("the army", "army"), ("Rebel Front", "rebel_front"), ("police", None))
TYPES = ("attack", "raid", "protest")
STANCES = ("assert", "deny", "accuse", "warn")
SAYINGS = ("the hospital was hit again", "talks will continue", "no hospital was used", "the road is closed")
METRICS = ("killed", "injured", "displaced")
DAY0 = dt.date(2024, 1, 1)


def _article(rng: random.Random, k: int, url: str | None = None) -> tuple[Article, ArticleRecord]:
    published = None if rng.random() < 0.15 else DAY0 + dt.timedelta(days=rng.randrange(20))
    text = f"Report {k}. " + " ".join(rng.choice(SAYINGS) for _ in range(3))
    article = Article(id=f"art{k:04d}", text=text, url=url or f"https://example.org/{k}", outlet="Test Wire",
                      title=f"Report {k}", published=published)
    places = tuple(
        Place(start=0, end=len(t), text=t, name=name, kind=kind, lat=lat, lon=lon, geonameid=gid, country_code=cc)
        for t, name, kind, lat, lon, gid, cc in (rng.choice(PLACES) for _ in range(rng.randrange(5)))
    )
    events = tuple(
        Event(start=0, end=5, text="event", type=rng.choice(TYPES), actor=actor, actor_id=actor_id,
              location=rng.choice(LOCATIONS),
              date=None if rng.random() < 0.5 else DAY0 + dt.timedelta(days=rng.randrange(20)))
        for actor, actor_id in (rng.choice(ACTORS) for _ in range(rng.randrange(5)))
    )
    statements = tuple(
        Statement(start=0, end=5, text=rng.choice(SAYINGS), speaker=rng.choice(("an official", "a nurse", None)),
                  cue="said", direct=rng.random() < 0.5, stance=rng.choice(STANCES))
        for _ in range(rng.randrange(6))
    )
    figures = tuple(
        Figure(start=0, end=2, text="12 killed", number="12", value=rng.randrange(1, 500), metric=rng.choice(METRICS),
               scope=rng.choice(("incident", "cumulative")))
        for _ in range(rng.randrange(4))
    )
    record = ArticleRecord(id=article.id, published=published, figures=figures, statements=statements,
                           events=events, places=places)
    return article, record


def _corpus(count: int, seed: int = 8) -> list[tuple[Article, ArticleRecord]]:
    rng = random.Random(seed)
    items = [_article(rng, k) for k in range(count)]
    # Three new versions of stored articles (same URL, other text), as a re-ingest writes them.
    items += [_article(rng, 1000 + k, url=f"https://example.org/{k}") for k in range(3)]
    return items


def _write(db: Path, items: list[tuple[Article, ArticleRecord]], batch: int = 16) -> None:
    with Store(db) as store:
        for i in range(0, len(items), batch):
            store.write_batch(None, items[i : i + batch])


@contextmanager
def _read(db: Path) -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)) as conn:
        conn.row_factory = sqlite3.Row
        yield conn


def _store_at_version_3(path: Path, source: Path) -> None:
    """A store made by fogwatch before migration 4, holding ``source``'s rows."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        for number, statements in enumerate(MIGRATIONS[:3], start=1):
            for sql in statements:
                conn.execute(sql)
            conn.execute(f"PRAGMA user_version = {number:d}")
        conn.execute("ATTACH DATABASE ? AS src", (str(source),))
        conn.execute("BEGIN")
        for table in ("articles", "figures", "statements", "events", "places", "event_figures", "event_statements"):
            columns = [r[1] for r in conn.execute(f"PRAGMA main.table_info({table})")]
            quoted = ", ".join(f'"{c}"' for c in columns)
            conn.execute(f"INSERT INTO main.{table} ({quoted}) SELECT {quoted} FROM src.{table}")
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE src")


LISTINGS: list[tuple[str, dict[str, Any]]] = [
    ("events", {}),
    ("events", {"type": "raid"}),
    ("events", {"place": "ash"}),
    ("events", {"place": "camp"}),
    ("events", {"place": "ash", "type": "attack"}),
    ("events", {"actor": "front"}),
    ("events", {"actor": "army"}),
    ("events", {"located": True}),
    ("events", {"since": DAY0 + dt.timedelta(days=5), "until": DAY0 + dt.timedelta(days=12)}),
    ("events", {"article_id": "art0007"}),
    ("figures", {}),
    ("figures", {"metric": "killed"}),
    ("figures", {"scope": "cumulative"}),
    ("statements", {}),
    ("statements", {"stance": "deny"}),
    ("statements", {"q": "hospital"}),
    ("statements", {"q": "hospital", "stance": "accuse"}),
    ("places", {}),
    ("places", {"q": "ash"}),
    ("places", {"kind": "camp"}),
    ("places", {"located": True}),
    ("places", {"article_id": "art0003"}),
    ("places", {"article_id": "art0011"}),
]
_LIST = {"events": queries.list_events, "figures": queries.list_figures,
         "statements": queries.list_statements, "places": queries.list_places}


def _listings(db: Path) -> dict[str, Any]:
    """Every listing in ``LISTINGS``, page by page (pages of 7), with totals and the counts."""
    out: dict[str, Any] = {}
    with _read(db) as conn:
        for kind, filters in LISTINGS:
            pages, offset = [], 0
            while True:
                page = _LIST[kind](conn, limit=7, offset=offset, **filters)
                pages.append((page.total, page.rows))
                offset += 7
                if offset >= page.total:
                    break
            out[f"{kind} {sorted(filters.items())}"] = pages
        out["counts"] = queries.counts(conn)
    return out


@pytest.fixture(scope="module")
def current_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("v4") / "fogwatch.db"
    _write(db, _corpus(90))
    return db


def test_migration_keeps_every_listing_of_a_store_made_before_it(current_db: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    _store_at_version_3(old, current_db)
    with _read(old) as conn:
        assert not queries.has_listing_schema(conn)
    before = _listings(old)  # read the way fogwatch read it before migration 4
    assert before["events []"][0][0] > 100 and before["places []"][0][0] == 4

    with Store(old) as store:
        assert int(store.conn.execute("PRAGMA user_version").fetchone()[0]) == SCHEMA_VERSION
    after = _listings(old)
    assert after == before
    # and the same as a store written at schema 4 from the start
    assert _listings(current_db) == after

    with Store(old) as store:  # idempotent: opening again changes nothing
        assert int(store.conn.execute("PRAGMA user_version").fetchone()[0]) == SCHEMA_VERSION
    assert _listings(old) == after


def _reference_summary(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    """The per-place figures computed directly from the mentions (what the summary must hold)."""
    key = place_key("p")
    return [
        tuple(r)
        for r in conn.execute(
            f"""SELECT g.*, (SELECT coalesce(f.name, f.text) FROM places f WHERE f.id = g.first_id),
                       (SELECT f.kind FROM places f WHERE f.id = g.first_id)
                FROM (SELECT {key} AS grp, count(*), count(DISTINCT p.article_id), min(p.id) AS first_id,
                             min(p.lat), min(p.lon), min(p.country_code), min(p.coord_precision)
                      FROM places p GROUP BY grp) g
                ORDER BY grp"""
        )
    ]


def _summary(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    return [
        tuple(r)
        for r in conn.execute(
            """SELECT grp, mentions, articles, first_id, lat, lon, country_code, coord_precision, name, kind
               FROM place_summary ORDER BY grp"""
        )
    ]


def _reference_names(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    key = place_key("p")
    return sorted(
        tuple(r)
        for r in conn.execute(f"SELECT {key}, p.text FROM places p UNION SELECT {key}, p.name FROM places p "
                              "WHERE p.name IS NOT NULL")
    )


def _check_derived(conn: sqlite3.Connection) -> None:
    assert _summary(conn) == _reference_summary(conn)
    assert sorted(tuple(r) for r in conn.execute("SELECT grp, text FROM place_summary_names")) == _reference_names(conn)
    wrong_day = conn.execute(
        """SELECT count(*) FROM events e JOIN articles a ON a.id = e.article_id
           WHERE e.day IS NOT coalesce(e.date, a.published)"""
    ).fetchone()[0]
    assert wrong_day == 0
    expected_place = dict(
        conn.execute(
            """SELECT e.id, (SELECT p.id FROM places p
                WHERE p.article_id = e.article_id AND p.lat IS NOT NULL AND p.lon IS NOT NULL
                  AND (p.text = e.location OR p.name = e.location) ORDER BY p.idx LIMIT 1)
               FROM events e"""
        ).fetchall()
    )
    assert dict(conn.execute("SELECT id, place_id FROM events").fetchall()) == expected_place
    for table, n in conn.execute("SELECT tbl, n FROM row_counts"):
        assert n == conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_ingest_keeps_days_places_summary_and_counts_exact(current_db: Path, tmp_path: Path) -> None:
    with _read(current_db) as conn:
        _check_derived(conn)
        # the corpus exercises what the summary must get right
        assert conn.execute("SELECT count(*) FROM events WHERE place_id IS NOT NULL").fetchone()[0] > 20
        assert conn.execute("SELECT max(articles) < max(mentions) FROM place_summary").fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM articles WHERE supersedes IS NOT NULL").fetchone()[0] == 3


def test_deletes_and_edits_keep_the_summary_and_counts_exact(current_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "edited.db"
    with closing(sqlite3.connect(current_db)) as src, closing(sqlite3.connect(db)) as dst:
        src.backup(dst)
    with Store(db) as store:
        conn = store.conn
        first = conn.execute("SELECT first_id FROM place_summary ORDER BY mentions DESC LIMIT 1").fetchone()[0]
        owner = conn.execute("SELECT article_id FROM places WHERE id = ?", (first,)).fetchone()[0]
        conn.execute("DELETE FROM articles WHERE id = ? OR supersedes = ?", (owner, owner))  # cascades to its items
        conn.execute("UPDATE places SET name = 'Brinmoor', geonameid = 9002 WHERE id = (SELECT max(id) FROM places)")
        conn.execute("DELETE FROM places WHERE kind = 'camp'")
        _check_derived(conn)
        assert conn.execute("SELECT count(*) FROM place_summary WHERE kind = 'camp'").fetchone()[0] == 0


Plan = list[tuple[int, int, str]]


def _selects(db: Path, call: Any) -> list[str]:
    """The SELECT statements ``call(conn)`` runs."""
    seen: list[str] = []
    with _read(db) as conn:
        conn.set_trace_callback(seen.append)
        call(conn)
        conn.set_trace_callback(None)
    return [sql for sql in seen if sql.lstrip().upper().startswith(("SELECT", "WITH"))]


def _plans(db: Path, call: Any) -> list[Plan]:
    """The query plans (node id, parent id, detail) of every SELECT ``call(conn)`` runs."""
    selects = _selects(db, call)
    with _read(db) as conn:
        return [[(r[0], r[1], r[3]) for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}")] for sql in selects]


def _reads_in_order(plans: list[Plan], index: str) -> bool:
    """Whether some query reads ``index`` with no sort in the same (sub)query: rows come in index order."""
    for plan in plans:
        for _, parent, detail in plan:
            if index in detail.split():
                siblings = [d for _, p, d in plan if p == parent]
                if not any("TEMP B-TREE FOR ORDER BY" in d for d in siblings):
                    return True
    return False


def test_event_pages_are_read_in_index_order_without_a_sort(current_db: Path) -> None:
    plain = _plans(current_db, lambda c: queries.list_events(c, limit=50, offset=100))
    assert _reads_in_order(plain, "events_listing"), plain
    typed = _plans(current_db, lambda c: queries.list_events(c, limit=50, offset=0, type="attack"))
    assert _reads_in_order(typed, "events_type_listing"), typed
    # the check can fail: a listing by another order sorts
    figures = _plans(current_db, lambda c: queries.list_figures(c, limit=50, offset=0, metric="killed"))
    assert not _reads_in_order(figures, "events_listing")


def test_places_and_counts_never_group_or_count_the_mentions(current_db: Path) -> None:
    def reads_mentions(call: Any) -> bool:
        return any(re.search(r"\b(FROM|JOIN) places\b", sql) for sql in _selects(current_db, call))

    assert not reads_mentions(lambda c: queries.list_places(c, limit=50, offset=0, q="ash", located=True))
    assert not reads_mentions(queries.counts)
    # one article's places are still grouped from its mentions (cheap: the article's own rows)
    with _read(current_db) as conn:
        article = conn.execute("SELECT article_id FROM places GROUP BY 1 ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    assert reads_mentions(lambda c: queries.list_places(c, limit=50, offset=0, article_id=article))


def test_a_place_filter_seeks_its_candidate_locations(current_db: Path) -> None:
    plans = _plans(current_db, lambda c: queries.list_events(c, limit=50, offset=0, place="brin", type="raid"))
    assert any("events_location" in d for plan in plans for _, _, d in plan), plans


@pytest.mark.parametrize(
    ("kind", "filters"),
    [("statements", {"q": "hospital"}), ("statements", {"q": "hospital", "stance": "deny"}),
     ("statements", {"q": "road closed"}), ("statements", {"speaker": "nurse"}),
     ("events", {"place": "ash"}), ("events", {"place": "brin", "type": "raid"}), ("events", {"actor": "front"}),
     ("figures", {"place": "ashford town"}), ("figures", {"place": "camp", "metric": "killed"})],
)
def test_filtered_pages_are_the_same_walked_or_sought(
    current_db: Path, monkeypatch: pytest.MonkeyPatch, kind: str, filters: dict[str, Any]
) -> None:
    def pages() -> list[Any]:
        with _read(current_db) as conn:
            return [_LIST[kind](conn, limit=9, offset=o, **filters) for o in range(0, 200, 9)]

    monkeypatch.setattr(queries, "SEEK_FIRST_ROWS", -1)  # read the listing in order ...
    monkeypatch.setattr(queries, "WALK_BUDGET_S", 3600.0)  # ... however long it takes
    walked = pages()
    monkeypatch.setattr(queries, "SEEK_FIRST_ROWS", 10**9)  # find the rows by an index and sort
    sought = pages()
    assert walked == sought
    assert walked[0].total > 5 and walked[0].rows
    # and when the walk runs out of time, the page is sought instead
    monkeypatch.setattr(queries, "SEEK_FIRST_ROWS", -1)
    monkeypatch.setattr(queries, "WALK_BUDGET_S", 0.0)
    monkeypatch.setattr(queries, "SORT_S_PER_ROW", 0.0)
    monkeypatch.setattr(queries, "_PROGRESS_EVERY", 1)
    assert pages() == walked


def test_search_ranks_at_most_the_cap_newest_matches_and_says_so(current_db: Path) -> None:
    with _read(current_db) as conn:
        everything = store_queries.search_page(conn, "hospital", limit=500)
        assert not everything.capped and len(everything.rows) > 20
        ranks = [r["rank"] for r in everything.rows]
        assert ranks == sorted(ranks)
        capped = store_queries.search_page(conn, "hospital", limit=500, cap=10)
        assert capped.capped and len(capped.rows) == 10
        newest = [r[0] for r in conn.execute(
            "SELECT a.id FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid "
            "WHERE articles_fts MATCH 'hospital' ORDER BY a.seq DESC LIMIT 10")]
        assert sorted(r["article_id"] for r in capped.rows) == sorted(newest)
        assert [r["rank"] for r in capped.rows] == sorted(r["rank"] for r in capped.rows)
        # a page of the capped search is a slice of the same order
        page2 = store_queries.search_page(conn, "hospital", limit=4, offset=4, cap=10)
        assert [r["article_id"] for r in page2.rows] == [r["article_id"] for r in capped.rows[4:8]]
        assert store_queries.search_page(conn, "hospital", limit=5, cap=10_000).rows == everything.rows[:5]
        statements = store_queries.search_page(conn, "hospital", scope="statements", limit=5)
        assert statements.rows and all("hospital" in r["snippet"] for r in statements.rows)


def test_totals_follow_new_writes(current_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "growing.db"
    with closing(sqlite3.connect(current_db)) as src, closing(sqlite3.connect(db)) as dst:
        src.backup(dst)
    with _read(db) as conn:
        before = queries.list_events(conn, limit=5, offset=0, place="ash").total
        before_counts = queries.counts(conn)
    rng = random.Random(99)
    _write(db, [_article(rng, 5000 + k) for k in range(30)])
    with _read(db) as conn:
        after = queries.list_events(conn, limit=5, offset=0, place="ash").total
        direct = conn.execute(
            """SELECT count(*) FROM events e LEFT JOIN places p ON p.id = e.place_id
               WHERE e.location LIKE '%ash%' OR p.name LIKE '%ash%'"""
        ).fetchone()[0]
        assert after == direct and after > before
        assert queries.counts(conn)["articles"] == before_counts["articles"] + 30
        _check_derived(conn)


@pytest.mark.parametrize(
    ("kind", "filters"),
    [("statements", {}), ("statements", {"q": "hospital"}), ("statements", {"stance": "deny"}),
     ("statements", {"q": "hospital", "stance": "accuse"}), ("figures", {}), ("figures", {"metric": "killed"})],
)
def test_cursor_pages_are_the_offset_pages(current_db: Path, kind: str, filters: dict[str, Any]) -> None:
    with _read(current_db) as conn:
        by_offset, offset = [], 0
        while True:
            page = _LIST[kind](conn, limit=6, offset=offset, **filters)
            by_offset += page.rows
            offset += 6
            if offset >= page.total:
                break
        by_cursor, page = [], _LIST[kind](conn, limit=6, offset=0, **filters)
        by_cursor += page.rows
        while page.next:
            page = _LIST[kind](conn, limit=6, offset=999_999, after=queries.ArticleCursor.decode(page.next), **filters)
            by_cursor += page.rows
    assert len(by_offset) == page.total > 12
    assert by_cursor == by_offset
    # the corpus has undated articles, so cursors cross from dated to undated ones
    assert any(r["published"] is None for r in by_cursor) and by_cursor[0]["published"] is not None


def test_the_api_hands_out_cursors_and_refuses_forged_ones(current_db: Path) -> None:
    import httpx

    from e2e.server import thread_server

    with thread_server(current_db) as url, httpx.Client(base_url=url, timeout=10) as client:
        first = client.get("/api/statements", params={"limit": 5, "q": "hospital"}).json()
        assert first["next"] and len(first["data"]) == 5
        second = client.get("/api/statements", params={"limit": 5, "q": "hospital", "after": first["next"]}).json()
        by_page = client.get("/api/statements", params={"limit": 5, "q": "hospital", "page": 2}).json()
        assert [r["id"] for r in second["data"]] == [r["id"] for r in by_page["data"]]
        assert second["count"] == first["count"]
        for forged in ("nonsense", "WyJ4Il0", "eyJhIjoxfQ"):
            r = client.get("/api/figures", params={"after": forged})
            assert r.status_code == 422 and r.json()["error"]["message"].startswith("after:")
        search = client.get("/api/search", params={"q": "hospital"}).json()
        assert search["capped"] is False and search["data"]
