"""``fogwatch ingest --progress``: the bar counts articles against a total estimated without a
second read of the inputs (``fogwatch.ingest.counting``), or without a total where none is cheap."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fogwatch.cli import app

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
STORIES = [
    "Shelling struck the market town of Velmora on Tuesday, killing at least 12 people, the regional "
    "governor said.",
    "About 2,000 families fled the hill villages around Kelt on Sunday as fighting moved closer, an aid "
    "group said.",
]


def ingest_with_progress(tmp_path: Path, *paths: Path) -> str:
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "fw.db"), "ingest", "--progress",
                                      *map(str, paths)])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.model
def test_progress_bar_counts_against_the_estimated_total(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"p-{i}", "text": t}) + "\n" for i, t in enumerate(STORIES)),
                   encoding="utf-8")
    output = ingest_with_progress(tmp_path, src)
    assert re.search(r"ingesting\b.*\b2/2\b", output), output


@pytest.mark.model
@pytest.mark.skipif(not (SAMPLES / "warc").exists(), reason="needs the samples folder")
def test_progress_bar_for_a_warc_archive_has_no_total(tmp_path):
    output = ingest_with_progress(tmp_path, SAMPLES / "warc")
    assert re.search(r"ingesting\b.*\b3/\?", output), output
