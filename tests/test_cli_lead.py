"""CLI commands wired by the lead: eval, gazetteer import, serve (argument checks)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from conftest import DEV_GOLD, needs_shared
from fogwatch.cli import app

runner = CliRunner()

GEONAMES_ROW = "\t".join(
    ["360630", "Cairo", "Cairo", "Al Qahirah,El Cairo", "30.06263", "31.24967", "P", "PPLC", "EG", "", "11",
     "", "", "", "9606916", "", "23", "Africa/Cairo", "2022-01-01"]
)


def test_gazetteer_import_counts_rows(tmp_path):
    dump = tmp_path / "cities.txt"
    dump.write_text(GEONAMES_ROW + "\n", encoding="utf-8")
    result = runner.invoke(app, ["gazetteer", "import", str(dump), "--dest", str(tmp_path / "g.db")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("imported 1 places into ")


def test_gazetteer_import_missing_file(tmp_path):
    result = runner.invoke(app, ["gazetteer", "import", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "nope.txt: no such file" in result.output


def test_eval_rejects_a_folder_without_gold(tmp_path):
    result = runner.invoke(app, ["eval", str(tmp_path)])
    assert result.exit_code == 2
    assert "no *.json gold files" in result.output


def test_serve_needs_an_existing_database(tmp_path):
    result = runner.invoke(app, ["--db", str(tmp_path / "none.db"), "serve"])
    assert result.exit_code == 2
    assert "no database at" in result.output


@needs_shared
def test_eval_prints_scores_as_json():
    result = runner.invoke(app, ["eval", str(DEV_GOLD), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["articles"] == 12
    assert 0.0 <= scores["figures"]["f1"] <= 1.0
