"""The resolution commands of the CLI against a real SQLite file; one end-to-end run through extraction."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fogwatch.cli import app
from fogwatch.store import Store
from test_resolve_helpers import KYIV, KYIV_HOSPITAL, Doc, write

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def _strike(doc_id, published, outlet, place, killed):
    d = Doc(doc_id, published, outlet)
    d.place(place)
    fig = d.figure(f"{killed} people were killed.", killed, source_actor=f"src-{doc_id}")
    d.event("A missile hit the hospital.", location=place["name"], date="2024-07-08", actor_id="russia-armed-forces",
            actor="Russian forces", mode="missile", figures=(fig,))
    d.statement("Russian forces struck the hospital on purpose", "Ukrainian officials", "accuse",
                "ukraine-government")
    d.statement("striking the hospital", "the defence ministry", "deny", "russia-mod")
    return d


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "cli.db"
    with Store(path) as s:
        write(s, _strike("c1", "2024-07-08", "Wire One", KYIV_HOSPITAL, 2),
              _strike("c2", "2024-07-09", "Wire Two", KYIV, 4))
    return path


def run(db, *args):
    return CliRunner().invoke(app, ["--db", str(db), *args])


def test_resolve_event_split_and_rebuild(db):
    result = run(db, "resolve", "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["clusters"] == 1
    (event,) = json.loads(run(db, "events", "-f", "json").output)
    assert event["report_count"] == 2 and (event["fatalities_low"], event["fatalities_high"]) == (2, 4)
    detail = json.loads(run(db, "event", str(event["id"]), "-f", "json").output)
    joined = next(r for r in detail["reports"] if not r["reasons"].get("founded"))
    assert joined["reasons"]["place"]["relation"] == "same"
    table = run(db, "event", str(event["id"]), "-f", "table").output
    assert "place same" in table and "Wire Two" in table
    result = run(db, "split", str(event["id"]), str(joined["report_id"]))
    assert result.exit_code == 0 and "is now event" in result.output
    run(db, "resolve", "--rebuild")
    events = json.loads(run(db, "events", "-f", "json").output)
    assert sorted(e["report_count"] for e in events) == [1, 1]
    missing = run(db, "split", str(event["id"]), "999999")
    assert missing.exit_code == 1 and "no report" in missing.output


def test_listing_commands_and_exports(db, tmp_path):
    run(db, "resolve")
    contested = list(csv.DictReader(io.StringIO(run(db, "contested", "-f", "csv").output)))
    assert {(r["claim_speaker"], r["counter_speaker"]) for r in contested} == {
        ("Ukrainian officials", "the defence ministry")}
    assert json.loads(run(db, "timeline", "--place", "Kyiv", "--since", "2024-07-01", "-f", "json").output)
    assert json.loads(run(db, "timeline", "--until", "2024-07-01", "-f", "json").output) == []
    assert json.loads(run(db, "timeline", "--actor", "nobody", "-f", "json").output) == []
    statements = json.loads(run(db, "statements", "--stance", "deny", "-f", "json").output)
    assert len(statements) == 2
    out = run(db, "export", "--format", "acled-csv")
    assert out.exit_code == 0 and out.output.startswith("event_id_cnty,event_date,")
    no_output = run(db, "export", "--format", "parquet")
    assert no_output.exit_code == 2 and "--output" in no_output.output
    target = tmp_path / "e.parquet"
    assert run(db, "export", "--format", "parquet", "--output", str(target)).exit_code == 0
    assert target.stat().st_size > 0
    assert json.loads(run(db, "figures", "--flagged", "-f", "json").output) == []


@pytest.mark.model
def test_ingest_resolves_reports_of_one_event_from_four_outlets(tmp_path):
    lines = [line for line in (SCENARIOS / "reports.jsonl").read_text(encoding="utf-8").splitlines()
             if json.loads(line)["id"].startswith("e01-")]
    src = tmp_path / "e01.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "e2e.db"
    assert run(db, "ingest", str(src)).exit_code == 0
    with Store(db) as s:
        by_article = s.conn.execute(
            """SELECT a.external_id, count(DISTINCT r.cluster_id) FROM cluster_reports r
               JOIN articles a ON a.id = r.article_id GROUP BY 1"""
        ).fetchall()
        biggest = s.conn.execute("SELECT max(report_count) FROM clusters").fetchone()[0]
        assert s.conn.execute("SELECT count(*) FROM resolved_articles").fetchone()[0] == 4
    assert len(by_article) >= 3          # the extractor finds an asserted event in most reports
    events = json.loads(run(db, "events", "-f", "json").output)
    top = max(events, key=lambda e: e["report_count"])
    assert top["report_count"] == biggest and top["country_code"] == "UA"
    outlets = {r["outlet"] for r in json.loads(run(db, "event", str(top["id"]), "-f", "json").output)["reports"]}
    assert len(outlets) >= 3             # one event gathers the outlets' reports
