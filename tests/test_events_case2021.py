"""The CASE 2021 event-type converter: reading, label mapping and scoring (own snippets)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fogwatch.evalsets.case2021 import TSV, main, predicted, read_snippets, score

SHARED = Path("/work/shared/eval-data")

OWN_TSV = (
    "id\tEventSnippet\tSubType\n"
    "1\tGovernment warplanes bombed a market in the town of Kafr Nabl on Monday, killing four people.\tAIR_STRIKE\n"
    "2\tPolice arrested 14 opposition activists in the capital on Friday.\tARREST\n"
    "3\tHeavy rains flooded several districts of the city.\tNATURAL_DISASTER\n"
    "4\tA line without a known label\tNOT_A_LABEL\n"
)


def test_reads_snippets_and_skips_unknown_labels(tmp_path):
    path = tmp_path / "snippets.tsv"
    path.write_text(OWN_TSV, encoding="utf-8")
    snippets = read_snippets(path)
    assert [s.label for s in snippets] == ["AIR_STRIKE", "ARREST", "NATURAL_DISASTER"]


def test_first_event_is_the_prediction():
    record = {"events": [{"start": 40, "type": "arrest", "mode": None},
                         {"start": 3, "type": "attack", "mode": "drone"}]}
    assert predicted(record) == ("attack", "drone")
    assert predicted({"events": []}) == ("none", None)
    assert predicted({"events": [{"start": 0, "type": "aid", "mode": None}]}) == ("none", None)


@pytest.mark.model
def test_scores_own_snippets_with_the_real_extractor(tmp_path):
    path = tmp_path / "snippets.tsv"
    path.write_text(OWN_TSV, encoding="utf-8")
    result = score(read_snippets(path))
    assert result["snippets"] == 3
    assert result["type_accuracy"] == 1.0
    assert result["mode_accuracy"] == 1.0 and result["mode_snippets"] == 1


@pytest.mark.model
@pytest.mark.shared
@pytest.mark.skipif(not (SHARED / TSV).exists(), reason="needs ../shared/eval-data")
def test_case2021_sample_type_accuracy_floor(capsys):
    assert main([str(SHARED), "--sample", "60"]) == 0
    result = json.loads(capsys.readouterr().out)
    # the full set scores 0.77; a 60-snippet sample stays well above this floor
    assert result["snippets"] == 60
    assert result["type_accuracy"] >= 0.6


def test_missing_directory_is_a_clear_error(tmp_path, capsys):
    assert main([str(tmp_path)]) == 2
    assert "not found" in capsys.readouterr().err
