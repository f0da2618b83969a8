"""The events/places corpus scorers: gold notations, label mappings, and one real run on a hand-made corpus."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import SHARED
from fogwatch.evalsets.events_places import (
    Counts,
    extract_dict,
    fakes_actor_class,
    fix_mojibake,
    head_noun,
    india_predictions,
    is_police,
    kairos_type,
    muc_date_ranges,
    muc_dateline,
    muc_fillers,
    muc_locations,
    muc_relevant,
    names_match,
    nearest_governorate,
    norm_name,
    re3d_documents,
    score_muc4,
    score_re3d,
    wikievents_text,
)

EVAL_DATA = SHARED / "eval-data"


def test_muc_open_range_and_alternatives():
    ranges = muc_date_ranges(["(- 12 MAR 89) / (10 MAR 89 - 12 MAR 89)"])
    assert ranges[1] == (dt.date(1989, 3, 10), dt.date(1989, 3, 12))
    first, last = ranges[0]
    assert last == dt.date(1989, 3, 12) and first < dt.date(1989, 3, 1)
    assert muc_date_ranges(["*"]) == []


def test_muc_location_keeps_the_most_specific_level():
    specific, every = muc_locations(["(PERU: JUNIN (DEPARTMENT): HUANCAYO (CITY)) / (PERU)"])
    assert specific == {"huancayo", "peru"}
    assert every == {"peru", "junin", "huancayo"}


def test_muc_fillers_split_alternatives_and_descriptions():
    fillers = muc_fillers(['"SOLDIERS" / "ARMY PATROL"', '"MAYOR": "JUAN PEREZ"', "-"])
    assert fillers == [("SOLDIERS", "ARMY PATROL"), ("MAYOR", "JUAN PEREZ")]


def test_muc_relevance_and_dateline():
    assert muc_relevant({"MESSAGE: TEMPLATE": ["2 (OPTIONAL)"]})
    assert not muc_relevant({"MESSAGE: TEMPLATE": ["*"]})
    assert muc_dateline("   Lima, 4 Feb 90 (Radio X) -- [Text] ...") == dt.date(1990, 2, 4)
    assert muc_dateline("No dateline here.") is None


def test_head_noun_match_ignores_articles_modifiers_and_plural():
    assert norm_name("The [local] Rebels") == "rebels"
    assert head_noun("troops of the fifth brigade") == "troop"
    assert names_match("a rebel column of guerrillas", "REBEL COLUMN")
    assert names_match("an urban guerrilla", "GUERRILLAS")
    assert not names_match("the army", "GUERRILLAS")


def test_fakes_actor_classes():
    assert fakes_actor_class("Russian warplanes") == "syrian government or russian troops"
    assert fakes_actor_class("Daesh fighters").endswith("isis")
    assert fakes_actor_class("the US-led coalition") == "international coalition forces"
    assert fakes_actor_class("unknown gunmen") is None


def test_nearest_governorate_picks_the_closer_capital():
    points = {"north": (36.0, 37.0), "south": (33.5, 36.3)}
    assert nearest_governorate(35.8, 37.2, points) == "north"
    assert nearest_governorate(33.0, 36.0, points) == "south"


def test_police_actor_and_predictions():
    assert is_police("armed policemen") and is_police("the Rapid Action Force")
    assert not is_police("a mob") and not is_police("the rafters")
    record = {
        "figures": [{"metric": "killed"}],
        "events": [
            {
                "type": "attack",
                "modality": "asserted",
                "actor": "police",
                "figures": [0],
                "text": "police fired",
            },
            {"type": "arrest", "modality": "asserted", "actor": None, "figures": [], "text": "arrested"},
            {
                "type": "attack",
                "modality": "asserted",
                "actor": "a mob",
                "figures": [],
                "text": "a mob killed",
            },
        ],
    }
    assert india_predictions(record) == {"KILL", "ARREST"}


def test_mojibake_is_undone_and_clean_text_kept():
    assert fix_mojibake("the \u00e2\u20ac\u0153word\u00e2\u20ac\u009d") == "the \u201cword\u201d"
    assert fix_mojibake("lost \u00e2\u20ac\ufffd end") == "lost \u201d end"
    assert fix_mojibake("plain \u201cquoted\u201d caf\u00e9") == "plain \u201cquoted\u201d caf\u00e9"


def test_kairos_types_that_map_cleanly():
    assert kairos_type("Conflict.Attack.DetonateExplode") == "attack"
    assert kairos_type("Justice.ArrestJailDetain.Unspecified") == "arrest"
    assert kairos_type("Life.Die.Unspecified") is None
    assert kairos_type("Conflict.AttackX") is None


def test_wikievents_text_puts_tokens_at_their_offsets():
    doc = {
        "sentences": [
            [[["Rain", 0, 4], ["fell", 5, 9]], "Rain fell"],
            [[["It", 10, 12], ["ended", 13, 18]], "It ended"],
        ]
    }
    text = wikievents_text(doc)
    assert text == "Rain fell\nIt ended"
    assert text[13:18] == "ended"


def test_counts_add_and_score():
    c = Counts(1, 1, 2, 4) + Counts(1, 1, 2, 0)
    assert c.scores("x") == {"x_precision": 0.5, "x_recall": 0.5, "x_f1": 0.5}


# ----------------------------------------------------------------- real runs (hand-made corpora)


def _write_jsonl(path: Path, rows: list[dict], bom: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        ("\ufeff" if bom else "") + "\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8"
    )


@pytest.mark.model
def test_re3d_scorer_runs_the_real_extractor(tmp_path):
    text = "Fighting continued near Mosul on Tuesday, officials in Baghdad said."
    part = tmp_path / "re3d" / "Invented"
    _write_jsonl(part / "documents.json", [{"_id": "d1", "text": text}], bom=True)
    _write_jsonl(
        part / "entities.json",
        [
            {"documentId": "d1", "type": "Location", "value": "Mosul", "confidence": 1},
            {"documentId": "d1", "type": "Location", "value": "Baghdad", "confidence": 0.9},
            {"documentId": "d1", "type": "Location", "value": "Basra", "confidence": 0.2},
        ],
        bom=True,
    )
    result = score_re3d(tmp_path, None, extract_dict)
    assert result["documents"] == 1
    assert result["place_recall"] == 1.0
    assert result["place_precision"] == 1.0


@pytest.mark.model
def test_muc4_scorer_detects_an_incident_and_its_place(tmp_path):
    text = (
        "   Lima, 4 Feb 90 (Radio X) -- [Text] Guerrillas attacked a police station in Huancayo "
        "yesterday, killing two policemen, the army said.\n"
    )
    _write_jsonl(
        tmp_path / "muc4" / "documents.jsonl",
        [
            {"doc_id": "TST4-X-1", "set": "tst4", "text": text.upper(), "text_mixed_case": text},
            {
                "doc_id": "TST4-X-2",
                "set": "tst4",
                "text": "X",
                "text_mixed_case": "The minister opened a school.\n",
            },
        ],
    )
    _write_jsonl(
        tmp_path / "muc4" / "templates.jsonl",
        [
            {
                "doc_id": "TST4-X-1",
                "MESSAGE: TEMPLATE": ["1"],
                "INCIDENT: LOCATION": ["PERU: HUANCAYO (CITY)"],
                "INCIDENT: DATE": ["03 FEB 90"],
                "PERP: INDIVIDUAL ID": ['"GUERRILLAS"'],
                "PHYS TGT: ID": ['"POLICE STATION"'],
            },
            {"doc_id": "TST4-X-2", "MESSAGE: TEMPLATE": ["*"]},
        ],
    )
    result = score_muc4(tmp_path, None, extract_dict)
    assert result["documents"] == 2
    assert (result["incident_precision"], result["incident_recall"]) == (1.0, 1.0)
    assert result["location_accuracy_specific"] == 1.0
    assert result["perpetrator_recall"] == 1.0


@pytest.mark.shared
@pytest.mark.skipif(not (EVAL_DATA / "re3d").exists(), reason="needs ../shared/eval-data/re3d")
def test_re3d_corpus_parses_with_gold_locations():
    docs = re3d_documents(EVAL_DATA)
    assert len(docs) == 98
    assert sum(len(gold) for _, gold in docs) > 500


def test_cli_says_which_corpus_is_missing(tmp_path, capsys):
    from fogwatch.evalsets.events_places import main

    assert main([str(tmp_path), "--set", "re3d"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: re3d: cannot read the corpus") and str(tmp_path) in err
