"""The CAMEO actor/target scorer: CoNLL reading, span agreement, and the real corpus join (when present)."""

from __future__ import annotations

import pytest

from conftest import SHARED
from fogwatch.evalsets.cameo import load, read_conll, spans_agree, spans_of

EVAL_DATA = SHARED / "eval-data"


def test_bio_tags_become_spans_by_role():
    tokens = ["Rebel", "gunmen", "shot", "two", "guards", "and", "a", "driver"]
    tags = ["B-S", "I-S", "O", "B-T", "I-T", "O", "B-T", "I-T"]
    assert spans_of(tokens, tags) == {"S": ["Rebel gunmen"], "T": ["two guards", "a driver"]}


def test_a_stray_inside_tag_starts_a_new_span():
    assert spans_of(["x", "y", "z"], ["I-S", "B-T", "I-S"]) == {"S": ["x", "z"], "T": ["y"]}


def test_conll_sentences_split_on_blank_lines():
    lines = iter(["Troops B-S\n", "fired O\n", "\n", "Talks O\n", "ended O\n"])
    out = list(read_conll(lines))
    assert out[0] == (["Troops", "fired"], {"S": ["Troops"]})
    assert out[1] == (["Talks", "ended"], {})


def test_span_agreement_by_exact_head_or_content_word():
    assert spans_agree("the army", "Army")
    assert spans_agree("government troops", "troops of the government")
    assert spans_agree("a car bomb", "bomb")
    assert not spans_agree("the police", "the protesters")


@pytest.mark.shared
@pytest.mark.skipif(
    not (EVAL_DATA / "conflibert-cameo-actor-target").exists(), reason="needs ../shared/eval-data"
)
def test_corpus_join_keeps_most_sentences_with_material_conflict():
    sentences = load(EVAL_DATA)
    assert len(sentences) > 800
    conflict = [s for s in sentences if s.label == "4"]
    assert len(conflict) > 100
    assert sum(bool(s.sources) for s in conflict) > len(conflict) // 2


def test_cli_reports_a_missing_corpus(tmp_path, capsys):
    from fogwatch.evalsets.cameo import main

    assert main([str(tmp_path)]) == 2
    assert "cannot read the CAMEO corpus" in capsys.readouterr().err
