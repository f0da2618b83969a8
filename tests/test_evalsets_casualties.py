"""The public-corpus converters: parsing of their gold notations (no corpus needed)."""

from __future__ import annotations

from fogwatch.evalsets.casualties import _side, _untokenise, muc_gold_figures


def test_muc_numbers_pair_with_their_effect():
    template = {
        "HUM TGT: NUMBER": ['6: "JESUITS"', '~2: "MAIDS"', '3: "GUARDS"'],
        "HUM TGT: EFFECT OF INCIDENT": ['DEATH: "JESUITS"', 'INJURY: "MAIDS"'],
    }
    assert sorted(muc_gold_figures([template])) == [(2, "injured", True), (6, "killed", False)]


def test_muc_template_without_effect_gives_nothing():
    assert muc_gold_figures([{"HUM TGT: NUMBER": ['50: "PEASANTS"'], "HUM TGT: EFFECT OF INCIDENT": []}]) == []


def test_corenlp_sentences_are_rejoined():
    assert _untokenise("At  least  900  people  have  been  killed ,  the  army  said . ") == (
        "At least 900 people have been killed, the army said."
    )


def test_victim_side_is_none_when_mixed_or_unknown():
    assert _side("Israeli soldiers") == "israel"
    assert _side("Palestinians") == "palestine"
    assert _side("people") is None
