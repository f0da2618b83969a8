"""Statement quality on the hand-annotated dev articles (issue 3 targets), statements alone.

Scored with fogwatch.evaluate's own matching rules; the floors are the issue's targets,
not the figures reached, so that tuning elsewhere cannot silently lose them.
"""

from __future__ import annotations

import pytest

from conftest import DEV_GOLD, needs_shared
from fogwatch.evaluate import evaluate, load_gold
from fogwatch.extract.context import Context
from fogwatch.extract.statements import find_statements
from fogwatch.model import ArticleRecord
from fogwatch.nlp import parse

pytestmark = [pytest.mark.model, pytest.mark.shared, needs_shared]

TARGETS = {"f1": 0.88, "speaker_f1": 0.82, "stance_accuracy": 0.80}


def _statements_only(gold: dict) -> dict:
    ctx = Context(text=gold["text"], doc=parse(gold["text"]))
    return ArticleRecord(id=gold["id"], published=None, statements=tuple(find_statements(ctx))).to_dict()


def test_dev_statements_meet_the_issue_targets():
    summary = evaluate(load_gold(DEV_GOLD), _statements_only).tallies["statements"].summary()
    for name, floor in TARGETS.items():
        assert summary[name] >= floor, (name, summary[name])


def test_no_statement_comes_from_a_headline_of_the_dev_articles():
    from fogwatch.extract.structure import blocks

    for gold in load_gold(DEV_GOLD):
        ctx = Context(text=gold["text"], doc=parse(gold["text"]))
        headings = [b for b in blocks(ctx) if b.heading]
        for s in find_statements(ctx):
            assert not any(b.start <= s.start < b.end for b in headings)
