"""Quality gate: the extractor's dev-set scores may not fall below the floors in quality_floors.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import DEV_GOLD, needs_shared

FLOORS = json.loads((Path(__file__).parent / "quality_floors.json").read_text())


@pytest.fixture(scope="module")
def dev_report():
    from fogwatch.evaluate import evaluate, load_gold

    return evaluate(load_gold(DEV_GOLD)).as_dict()


@needs_shared
@pytest.mark.model
@pytest.mark.parametrize("metric", sorted(k for k in FLOORS if not k.startswith("_")))
def test_dev_score_holds_floor(dev_report, metric):
    kind, name = metric.split(".", 1)
    value = dev_report[kind][name]
    assert value >= FLOORS[metric], f"{metric} fell to {value:.4f} (floor {FLOORS[metric]})"
