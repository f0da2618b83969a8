"""Quality gate: the extractor's scores may not fall below the floors in quality_floors.json.

Five gold sets: the dev set in ../shared (skipped when absent); the team's own annotated
articles from other conflicts in tests/gold/tune and tune2 (tuned on) and tests/gold/heldout and
heldout2 (never tuned on: only their summaries are looked at), which always run.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import DEV_GOLD

HERE = Path(__file__).parent
FLOORS = json.loads((HERE / "quality_floors.json").read_text())
GOLD_SETS = {
    "dev": DEV_GOLD,
    "heldout": HERE / "gold" / "heldout",
    "tune": HERE / "gold" / "tune",
    "tune2": HERE / "gold" / "tune2",
    "heldout2": HERE / "gold" / "heldout2",
}
CASES = [(name, metric) for name in GOLD_SETS for metric in sorted(FLOORS.get(name, {}))]

_reports: dict[str, dict] = {}


def _report(name: str) -> dict:
    if name not in _reports:
        from fogwatch.evaluate import evaluate, load_gold

        _reports[name] = evaluate(load_gold(GOLD_SETS[name])).as_dict()
    return _reports[name]


@pytest.mark.model
@pytest.mark.parametrize(("gold_set", "metric"), CASES, ids=[f"{g}:{m}" for g, m in CASES])
def test_score_holds_floor(gold_set, metric):
    if not GOLD_SETS[gold_set].is_dir():
        pytest.skip(f"{GOLD_SETS[gold_set]} not present")
    kind, name = metric.split(".", 1)
    value = _report(gold_set)[kind][name]
    floor = FLOORS[gold_set][metric]
    assert value >= floor, f"{gold_set} {metric} fell to {value:.4f} (floor {floor})"


SCENARIOS = HERE.parent / "scenarios"
_scenario_scores: dict[str, float] = {}


@pytest.mark.model
@pytest.mark.parametrize("metric", sorted(FLOORS.get("scenarios", {})))
def test_scenario_resolution_holds_floor(metric):
    """Cross-article resolution on the scenario set: clustering, planted conflicts, claim/denial pairs."""
    if not _scenario_scores:
        from fogwatch.resolve.score import score_dir

        _scenario_scores.update(score_dir(SCENARIOS).to_dict())
    value = _scenario_scores[metric]
    floor = FLOORS["scenarios"][metric]
    assert value >= floor, f"scenarios {metric} fell to {value} (floor {floor})"
