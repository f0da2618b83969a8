"""Exports of de-duplicated events: every format written, read back and compared."""

from __future__ import annotations

import csv
import io
import json

import pyarrow.parquet as pq
import pytest

from fogwatch.export import FORMATS, ExportError, export
from fogwatch.export.acled import ACLED_COLUMNS, COLUMNS
from fogwatch.resolve import resolve
from fogwatch.store import Store
from test_resolve_helpers import KHARKIV, KYIV, KYIV_HOSPITAL, Doc, write


def _strike(doc_id, published, outlet, place, killed, source_actor, mode="missile"):
    d = Doc(doc_id, published, outlet)
    d.place(place)
    fig = d.figure(f"{killed} people were killed, officials said.", killed, source_actor=source_actor)
    d.event("Russian forces struck the hospital.", location=place["name"], date="2024-07-08",
            actor="Russian forces", actor_id="russia-armed-forces", mode=mode, figures=(fig,),
            target="the hospital")
    return d


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "x.db") as s:
        write(s,
              _strike("x1", "2024-07-08", "Wire One", KYIV_HOSPITAL, 2, "ukraine-government"),
              _strike("x2", "2024-07-09", "Wire Two", KYIV, 5, "klitschko"),
              _strike("x3", "2024-07-08", "Wire Three", KHARKIV, 3, "ukraine-emergency-service", mode="drone"))
        resolve(s)
        yield s


def _text(store, fmt, **filters):
    buf = io.StringIO()
    n = export(store.conn, fmt, stream=buf, **filters)
    return n, buf.getvalue()


def test_acled_csv_round_trip_keeps_every_claimed_figure(store):
    n, text = _text(store, "acled-csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert n == len(rows) == 2
    assert tuple(rows[0]) == COLUMNS and len(ACLED_COLUMNS) == 31
    kyiv = next(r for r in rows if r["report_count"] == "2")
    assert kyiv["fatalities"] == "2"           # the most conservative claim
    assert (kyiv["fatalities_low"], kyiv["fatalities_high"]) == ("2", "5")
    assert json.loads(kyiv["figures_by_source"]) == {"killed": {"klitschko": 5, "ukraine-government": 2}}
    assert kyiv["country"] == "Ukraine" and kyiv["iso"] == "804" and kyiv["event_id_cnty"].startswith("UKR")
    assert kyiv["location"] == "Okhmatdyt" and kyiv["geo_precision"] == "1"
    assert kyiv["sub_event_type"] == "Shelling/artillery/missile attack"
    assert kyiv["source"] == "Wire One; Wire Two"
    kharkiv = next(r for r in rows if r["report_count"] == "1")
    assert kharkiv["sub_event_type"] == "Air/drone strike"


def test_plover_json_round_trip(store):
    n, text = _text(store, "plover-json")
    records = [json.loads(line) for line in text.splitlines()]
    assert n == len(records) == 2
    rec = next(r for r in records if len(r["cite_info"]) == 2)
    assert set(rec) >= {"id", "date", "actor", "recipient", "event", "mode", "event_loc", "size", "text_info",
                        "cite_info"}
    assert rec["event"] == "ASSAULT" and rec["actor"] == ["Russian forces"]
    assert rec["size"]["dead"] == 2 and rec["size"]["dead_by_source"] == {"ukraine-government": 2, "klitschko": 5}
    assert rec["event_loc"]["country_code"] == "UA"
    article = store.conn.execute("SELECT text FROM articles WHERE id = ?",
                                 (rec["text_info"]["article_id"],)).fetchone()[0]
    assert article[rec["text_info"]["start"]:rec["text_info"]["end"]] == rec["text_info"]["text"]


def test_geojson_round_trip(store):
    n, text = _text(store, "geojson")
    data = json.loads(text)
    assert data["type"] == "FeatureCollection" and n == len(data["features"]) == 2
    lon, lat = next(f for f in data["features"] if f["properties"]["place"] == "Kharkiv")["geometry"]["coordinates"]
    assert (round(lat, 2), round(lon, 2)) == (49.98, 36.25)


def test_jsonl_round_trip_carries_reports_and_reasons(store):
    n, text = _text(store, "jsonl", place="Kharkiv")
    records = [json.loads(line) for line in text.splitlines()]
    assert n == len(records) == 1 and records[0]["place"] == "Kharkiv"
    (report,) = records[0]["reports"]
    assert report["outlet"] == "Wire Three" and report["reasons"]["founded"] is True


def test_parquet_round_trip_matches_csv(store, tmp_path):
    path = tmp_path / "events.parquet"
    assert export(store.conn, "parquet", path=path) == 2
    table = pq.read_table(path)
    assert tuple(table.column_names) == COLUMNS
    _, text = _text(store, "acled-csv")
    csv_rows = list(csv.DictReader(io.StringIO(text)))
    for from_parquet, from_csv in zip(table.to_pylist(), csv_rows, strict=True):
        assert {k: "" if v is None else str(v) for k, v in from_parquet.items()} == from_csv


def test_parquet_needs_a_path_and_unknown_formats_fail(store):
    with pytest.raises(ExportError, match="--output"):
        export(store.conn, "parquet", stream=io.StringIO())
    with pytest.raises(ExportError, match="unknown export format"):
        export(store.conn, "xml", stream=io.StringIO())
    assert "parquet" in FORMATS
