"""Figures quality on the hand-annotated dev articles (issue 3 targets), figures step alone."""

from __future__ import annotations

import pytest

from conftest import DEV_GOLD, needs_shared

pytestmark = [pytest.mark.model, pytest.mark.shared, needs_shared, pytest.mark.slow]

# Issue 3 targets for the dev set.
FIGURES_F1 = 0.92
METRIC_BOUND_F1 = 0.88
SOURCE_ACCURACY = 0.85


def test_figures_meet_issue_3_targets() -> None:
    from fogwatch.evaluate import evaluate, load_gold
    from fogwatch.extract.context import Context
    from fogwatch.extract.figures import find_figures
    from fogwatch.extract.statements import find_statements
    from fogwatch.model import ArticleRecord
    from fogwatch.nlp import parse

    def predict(gold: dict) -> dict:
        ctx = Context(text=gold["text"], doc=parse(gold["text"]))
        statements = find_statements(ctx)
        figs = find_figures(ctx, statements)
        return ArticleRecord(id=gold["id"], published=None, figures=tuple(figs),
                             statements=tuple(statements)).to_dict()

    summary = evaluate(load_gold(DEV_GOLD), predict).as_dict()
    print(summary)
    figures = summary["figures"]
    assert figures["f1"] >= FIGURES_F1
    assert figures["metric_bound_f1"] >= METRIC_BOUND_F1
    assert figures["source_accuracy"] >= SOURCE_ACCURACY
