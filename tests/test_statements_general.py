"""Statements: general rules added while studying errors on the team's tune set.

Every sentence here is written for these tests (varied conflicts), not taken from
any evaluation article.
"""

from __future__ import annotations

import pytest

from fogwatch.extract.context import Context
from fogwatch.extract.statements import find_statements
from fogwatch.model import Statement
from fogwatch.nlp import parse

pytestmark = pytest.mark.model


def statements(text: str) -> list[Statement]:
    found = find_statements(Context(text=text, doc=parse(text)))
    for s in found:
        assert s.text == text[s.start:s.end]
    return found


def one(found: list[Statement], content_start: str) -> Statement:
    hits = [s for s in found if s.text.startswith(content_start)]
    assert len(hits) == 1, [(s.speaker, s.text) for s in found]
    return hits[0]


@pytest.mark.parametrize("text, content", [
    ("The UN envoy warned of mass atrocities in the region.", "mass atrocities in the region"),
    ("An aid official was warning of the spread of cholera in the camps.", "the spread of cholera in the camps"),
])
def test_warned_of_something_is_a_warning(text: str, content: str) -> None:
    st = one(statements(text), content)
    assert st.stance == "warn"
    assert st.text == content
