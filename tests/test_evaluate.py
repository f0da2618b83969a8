"""The scorer's matching rules, on small hand-written gold."""

from __future__ import annotations

import pytest

from fogwatch.evaluate import KINDS, evaluate, greedy_match, names_match, new_tallies, score_article

TEXT = (
    "KHARTOUM: At least 40 people were killed when shells hit a market in Omdurman on Sunday, "
    "the health ministry said. \"We will not leave,\" a trader told reporters."
)

GOLD = {
    "id": "t-1",
    "published": "2024-05-06",
    "text": TEXT,
    "figures": [{"quote": "At least 40 people were killed", "value": 40, "bound": "at_least", "metric": "killed",
                 "victims": "people", "scope": "incident", "source": "health ministry", "disputed_by": None}],
    "statements": [{"speaker": "a trader", "cue": "told", "quote": "We will not leave", "direct": True, "stance": "assert"}],
    "events": [{"type": "attack", "mode": "shelling", "actor": None, "target": "a market", "location": "Omdurman",
                "date": "2024-05-05", "quote": "shells hit a market in Omdurman on Sunday"}],
    "places": [{"name": "Omdurman", "kind": "city", "lat": 15.64, "lon": 32.48}],
}


def _span(quote: str) -> dict:
    i = TEXT.index(quote)
    return {"start": i, "end": i + len(quote), "text": quote}


def _oracle() -> dict:
    return {
        "figures": [{**f, **_span(f["quote"])} for f in GOLD["figures"]],
        "statements": [{**s, **_span(s["quote"])} for s in GOLD["statements"]],
        "events": [{**e, **_span(e["quote"])} for e in GOLD["events"]],
        "places": [dict(p) for p in GOLD["places"]],
    }


def test_perfect_prediction_scores_one():
    report = evaluate([GOLD], lambda g: _oracle())
    for kind in KINDS:
        assert report.tallies[kind].f1 == 1.0, kind
    assert report.tallies["figures"].strict_f1("metric_bound") == 1.0
    assert report.tallies["statements"].accuracy("speaker") == 1.0
    assert report.tallies["events"].accuracy("date") == 1.0
    assert report.tallies["places"].summary()["geocoded"] == 1.0


def test_figure_needs_equal_value_and_overlap():
    pred = _oracle()
    pred["figures"][0]["value"] = 41
    tallies = new_tallies()
    score_article(GOLD, pred, tallies)
    assert tallies["figures"].tp == 0 and tallies["figures"].pred == 1 and tallies["figures"].gold == 1

    pred = _oracle()
    pred["figures"][0].update(_span("the health ministry said"))  # same value, no overlap
    tallies = new_tallies()
    score_article(GOLD, pred, tallies)
    assert tallies["figures"].tp == 0


def test_statement_coverage_thresholds():
    # covers only "We will" (< half of the gold quote): no match
    pred = _oracle()
    pred["statements"][0].update(_span("We will"))
    tallies = new_tallies()
    score_article(GOLD, pred, tallies)
    assert tallies["statements"].tp == 0
    # covers the quote but mostly lies outside it (< 30% inside): no match
    pred = _oracle()
    pred["statements"][0].update(_span("the health ministry said. \"We will not leave,\" a trader told reporters."))
    tallies = new_tallies()
    score_article(GOLD, pred, tallies)
    assert tallies["statements"].tp == 0


def test_wrong_attributes_lower_accuracy_not_f1():
    pred = _oracle()
    pred["figures"][0]["bound"] = "exact"
    pred["statements"][0]["speaker"] = "Omdurman residents"
    tallies = new_tallies()
    score_article(GOLD, pred, tallies)
    assert tallies["figures"].f1 == 1.0
    assert tallies["figures"].strict_f1("metric_bound") == 0.0
    assert tallies["statements"].strict_f1("speaker") == 0.0


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("the Israeli military", "Israeli military", True),
        ("Gaza health ministry", "Gaza's Hamas-run health ministry", True),
        ("Hamas", "Israel", False),
        (None, None, True),
        (None, "Hamas", False),
        ("RSF", "Rapid Support Forces", False),
    ],
)
def test_name_rule(a, b, expected):
    assert names_match(a, b) is expected


def test_greedy_is_one_to_one():
    pairs = greedy_match([1, 2], [1], lambda p, g: 1.0)
    assert pairs == [(0, 0)]

