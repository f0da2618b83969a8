"""The PolNeAR converter (fogwatch.evalsets.polnear) on a tiny corpus written here in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from fogwatch.errors import FogwatchError
from fogwatch.evalsets import polnear

TEXT = ("Town Hall Debate Ends Early\n\n"
        "The mayor said the budget would be balanced by June. \u201cWe have no choice,\u201d she told reporters.\n")


def _span(text: str, part: str) -> str:
    start = text.index(part)
    return f"{start} {start + len(part)}"


def _corpus(root: Path) -> Path:
    (root / "dev" / "text").mkdir(parents=True)
    (root / "dev" / "attributions").mkdir()
    (root / "metadata.tsv").write_text(
        "compartment\tfilename\tlevel\tannotators\tpublisher\n"
        "dev\tpaper_2016-01-01_budget\t1\taaaa|bbbb\tpaper\n", encoding="utf-8")
    (root / "dev" / "text" / "paper_2016-01-01_budget.txt").write_text(TEXT, encoding="utf-8")
    ann = "\n".join([
        f"T1\tSource {_span(TEXT, 'The mayor')}\tThe mayor",
        f"T2\tCue {_span(TEXT, 'said')}\tsaid",
        f"T3\tContent {_span(TEXT, 'the budget would be balanced by June')}\tthe budget would be balanced by June",
        f"T4\tAttribution {_span(TEXT, 'said')}\tsaid",
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        f"T5\tSource {_span(TEXT, 'she')}\tshe",
        f"T6\tCue {_span(TEXT, 'told')}\ttold",
        f"T7\tContent {_span(TEXT, 'We have no choice')}\tWe have no choice",
        "E2\tAttribution:T6 Content:T7 Cue:T6 Source:T5",
        f"T8\tCue {_span(TEXT, 'Ends')}\tEnds",
        f"T9\tContent {_span(TEXT, 'Early')}\tEarly",
        "E3\tAttribution:T8 Content:T9 Cue:T8",
        "#1\tAnnotatorNotes T1\tignored",
    ])
    (root / "dev" / "attributions" / "paper_2016-01-01_budget_aaaa.ann").write_text(ann, encoding="utf-8")
    (root / "dev" / "attributions" / "paper_2016-01-01_budget_bbbb.ann").write_text("", encoding="utf-8")
    return root


def test_converts_attributions_to_guide_statements(tmp_path):
    golds = list(polnear.load(_corpus(tmp_path)))
    assert len(golds) == 1
    g = golds[0]
    assert g["text"] == TEXT and g["id"] == "paper_2016-01-01_budget"
    got = [(s["speaker"], s["cue"], s["quote"], s["direct"]) for s in g["statements"]]
    assert got == [
        ("The mayor", "said", "the budget would be balanced by June", False),
        ("she", "told", "We have no choice", True),
        (None, "Ends", "Early", False),
    ]
    for s in g["statements"]:
        assert s["quote"] in TEXT


def test_speech_only_keeps_sourced_speech_cues(tmp_path):
    golds = list(polnear.load(_corpus(tmp_path), speech_only=True))
    assert [s["cue"] for s in golds[0]["statements"]] == ["said", "told"]


def test_missing_corpus_is_a_domain_error(tmp_path):
    with pytest.raises(FogwatchError):
        list(polnear.load(tmp_path / "nowhere"))


@pytest.mark.model
def test_scores_the_extractor_on_the_converted_gold(tmp_path):
    from fogwatch.extract.context import Context
    from fogwatch.extract.statements import find_statements
    from fogwatch.model import ArticleRecord
    from fogwatch.nlp import parse

    def predict(g):
        found = find_statements(Context(text=g["text"], doc=parse(g["text"])))
        return ArticleRecord(id=g["id"], published=None, statements=tuple(found)).to_dict()

    result = polnear.score(list(polnear.load(_corpus(tmp_path), speech_only=True)), predict)
    assert result["gold"] == 2 and result["tp"] == 2
    assert result["named_speaker_accuracy"] == 1.0
