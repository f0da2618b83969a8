"""The ``fogwatch`` command line, run in-process with Typer's CliRunner against a real SQLite file."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from fogwatch.cli import app

STORIES = [
    "Shelling struck the market town of Velmora on Tuesday, killing at least 12 people, the regional "
    'governor said. "This was a deliberate attack on civilians," he told reporters.',
    "Rescue teams in the river city of Darsk searched for 30 people missing after a dam was hit by a "
    "missile on Friday, the emergency service said.",
    "About 2,000 families fled the hill villages around Kelt on Sunday as fighting moved closer, an aid "
    "group said. The army denied shelling the villages.",
]


def write_jsonl(path, stories, extra_lines=()):
    lines = [
        json.dumps({"id": f"story-{i}", "text": t, "published": f"2024-06-1{i}", "outlet": "Example Wire",
                    "url": f"https://news.example/{i}", "title": t.split(",")[0]})
        for i, t in enumerate(stories)
    ]
    path.write_text("\n".join([*lines, *extra_lines]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    """A database with the three stories ingested by the real extractor (one spaCy load)."""
    tmp = tmp_path_factory.mktemp("cli")
    src = write_jsonl(tmp / "news.jsonl", STORIES)
    db = tmp / "fw.db"
    result = CliRunner().invoke(app, ["--db", str(db), "ingest", str(src)])
    assert result.exit_code == 0, result.output
    return db


def invoke(runner, db, *args):
    return runner.invoke(app, ["--db", str(db), *args])


# -- ingest ------------------------------------------------------------------------------


@pytest.mark.model
def test_ingest_prints_a_summary_and_exits_0(runner, tmp_path):
    src = write_jsonl(tmp_path / "news.jsonl", STORIES)
    result = invoke(runner, tmp_path / "fw.db", "ingest", str(src), "--summary-format", "json")
    assert result.exit_code == 0, result.output
    (summary,) = json.loads(result.stdout)
    assert summary["articles_added"] == 3 and summary["errors"] == 0
    assert result.stderr == ""
    again = invoke(runner, tmp_path / "fw.db", "ingest", str(src), "--summary-format", "json")
    (summary,) = json.loads(again.stdout)
    assert (summary["articles_added"], summary["articles_skipped"]) == (0, 3)


@pytest.mark.model
def test_ingest_with_bad_inputs_prints_one_line_each_and_exits_1(runner, tmp_path):
    src = write_jsonl(tmp_path / "news.jsonl", STORIES[:1], extra_lines=["{broken"])
    missing = tmp_path / "nope.txt"
    db = tmp_path / "fw.db"
    result = invoke(runner, db, "ingest", str(src), str(missing))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"error: {src}:2: invalid JSON")
    assert lines[1] == f"error: {missing}: no such file or directory"
    assert "ingest summary" in result.stdout and "articles added" in result.stdout
    listed = json.loads(invoke(runner, db, "errors", "--format", "json").stdout)
    assert {e["path"] for e in listed} == {f"{src}:2", str(missing)}


@pytest.mark.model
def test_db_comes_from_the_environment(runner, tmp_path, monkeypatch):
    src = write_jsonl(tmp_path / "news.jsonl", STORIES[:1])
    monkeypatch.setenv("FOGWATCH_DB", str(tmp_path / "env.db"))
    assert runner.invoke(app, ["ingest", str(src)]).exit_code == 0
    assert (tmp_path / "env.db").exists()


def test_custom_field_names(runner, tmp_path):
    src = tmp_path / "custom.jsonl"
    src.write_text(json.dumps({"key": "k-1", "body": "x"}) + "\n", encoding="utf-8")
    result = invoke(runner, tmp_path / "fw.db", "ingest", str(src), "--text-field", "content")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {src}:1: ")
    assert "content" in result.stderr


def test_unknown_input_format_is_a_usage_error(runner, tmp_path):
    result = invoke(runner, tmp_path / "fw.db", "ingest", "x.txt", "--format", "pdf")
    assert result.exit_code == 2


# -- read commands on a missing database --------------------------------------------------


@pytest.mark.parametrize("command", [["articles"], ["stats"], ["errors"], ["search", "x"], ["show", "abc"]])
def test_read_commands_without_a_database_fail_clearly(runner, tmp_path, command):
    db = tmp_path / "none.db"
    result = invoke(runner, db, *command)
    assert result.exit_code == 2
    assert result.stderr == f"error: no database at {db} (run `fogwatch ingest` first or pass --db)\n"
    assert not db.exists()


# -- listings in every format ------------------------------------------------------------------


LISTINGS = {
    "articles": ["articles"],
    "search": ["search", "Velmora OR Darsk"],
    "stats": ["stats"],
    "errors": ["errors"],
}


@pytest.mark.model
@pytest.mark.parametrize("name", sorted(LISTINGS))
def test_listing_json_is_one_array(runner, ingested, name):
    result = invoke(runner, ingested, *LISTINGS[name], "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    expected = {"articles": 3, "search": 2, "stats": None, "errors": 0}[name]
    if expected is not None:
        assert len(rows) == expected


@pytest.mark.model
@pytest.mark.parametrize("name", sorted(LISTINGS))
def test_listing_csv_has_a_header_and_rows(runner, ingested, name):
    result = invoke(runner, ingested, *LISTINGS[name], "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    as_json = json.loads(invoke(runner, ingested, *LISTINGS[name], "--format", "json").stdout)
    assert len(rows) - 1 == len(as_json)
    if as_json:
        assert rows[0] == list(as_json[0])


@pytest.mark.model
@pytest.mark.parametrize("name", sorted(LISTINGS))
def test_listing_table(runner, ingested, name):
    result = invoke(runner, ingested, *LISTINGS[name], "--format", "table")
    assert result.exit_code == 0, result.output
    if name == "errors":
        assert result.stdout.strip() == "(no errors)"
    else:
        assert "┃" in result.stdout  # a Rich table header


@pytest.mark.model
def test_articles_limit_and_fields(runner, ingested):
    rows = json.loads(invoke(runner, ingested, "articles", "--limit", "2", "--format", "json").stdout)
    assert [r["published"] for r in rows] == ["2024-06-12", "2024-06-11"]
    assert {"id", "title", "outlet", "figures", "statements", "events", "places"} <= set(rows[0])


@pytest.mark.model
def test_stats_totals(runner, ingested):
    rows = json.loads(invoke(runner, ingested, "stats", "--format", "json").stdout)
    total = rows[0]
    assert total["scope"] == "total" and total["articles"] == 3 and total["errors"] == 0
    assert {r["key"] for r in rows if r["scope"] == "outlet"} == {"Example Wire"}


@pytest.mark.model
@pytest.mark.parametrize("query", ['"foo OR (', "NEAR(", "*", "'", "Velmora AND", ")"])
def test_search_hostile_queries_exit_0(runner, ingested, query):
    result = invoke(runner, ingested, "search", query, "--format", "json")
    assert result.exit_code == 0, result.output
    assert isinstance(json.loads(result.stdout), list)


@pytest.mark.model
def test_search_marks_matches_and_searches_statements(runner, ingested):
    rows = json.loads(invoke(runner, ingested, "search", "dam", "--format", "json").stdout)
    assert len(rows) == 1 and "«dam»" in rows[0]["snippet"]
    result = invoke(runner, ingested, "search", "denied OR deliberate", "--in", "statements", "--format", "json")
    assert result.exit_code == 0
    assert all(r["article_id"] for r in json.loads(result.stdout))


# -- show ----------------------------------------------------------------------------------


@pytest.mark.model
def test_show_json_and_table(runner, ingested):
    detail = json.loads(invoke(runner, ingested, "show", "story-1", "--format", "json").stdout)
    assert detail["external_id"] == "story-1" and detail["text"] == STORIES[1]
    for kind in ("figures", "statements", "events", "places"):
        for item in detail[kind]:
            assert detail["text"][item["start"]:item["end"]] == item["text"]
    table = invoke(runner, ingested, "show", detail["id"][:8], "--format", "table")
    assert table.exit_code == 0
    assert "Rescue teams" in table.stdout and "legend:" in table.stdout


def test_show_highlights_spans_by_kind():
    from fogwatch.output import KIND_STYLES, highlighted_text

    text = "Shelling killed 12 people in Velmora."
    items = {"figures": [{"start": 16, "end": 25}], "places": [{"start": 29, "end": 36}],
             "statements": [{"start": 50, "end": 60}]}  # out of range: ignored, not a crash
    rendered = highlighted_text(text, items)
    styled = {(s.start, s.end): str(s.style) for s in rendered.spans}
    assert styled == {(16, 25): KIND_STYLES["figures"], (29, 36): KIND_STYLES["places"]}


@pytest.mark.model
def test_show_unknown_id_exits_1(runner, ingested):
    result = invoke(runner, ingested, "show", "0000000000000000")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: no article with id '0000000000000000' (list ids with `fogwatch articles`)\n"
    )


# -- extract (no database) -----------------------------------------------------------------


@pytest.mark.model
def test_extract_prints_one_json_line_per_article_with_the_input_id(runner, tmp_path):
    src = write_jsonl(tmp_path / "news.jsonl", STORIES[:2], extra_lines=["not json at all"])
    result = runner.invoke(app, ["--db", str(tmp_path / "unused.db"), "extract", str(src)])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in lines] == ["story-0", "story-1"]
    assert [r["published"] for r in lines] == ["2024-06-10", "2024-06-11"]
    for record, text in zip(lines, STORIES, strict=False):
        assert set(record) == {"id", "published", "figures", "statements", "events", "places"}
        for kind in ("figures", "statements", "events", "places"):
            for item in record[kind]:
                assert text[item["start"]:item["end"]] == item["text"]
    assert result.stderr.startswith(f"error: {src}:3: invalid JSON")
    assert not (tmp_path / "unused.db").exists()


@pytest.mark.model
def test_ingest_reads_stdin(runner, tmp_path):
    line = json.dumps({"id": "stdin-1", "text": STORIES[2], "published": "2024-06-20"})
    db = tmp_path / "fw.db"
    result = runner.invoke(app, ["--db", str(db), "ingest", "-", "--summary-format", "json"], input=line + "\n")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["articles_added"] == 1
    listed = json.loads(invoke(runner, db, "articles", "--format", "json").stdout)
    assert listed[0]["external_id"] == "stdin-1"


def test_table_cells_highlight_search_matches():
    from fogwatch.output import MATCH_STYLE, rows_table

    table = rows_table([{"snippet": "…the «dam» was hit…"}])
    cell = table.columns[0]._cells[0]
    assert [(s.start, s.end, str(s.style)) for s in cell.spans] == [(5, 10, MATCH_STYLE)]
