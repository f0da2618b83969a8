"""Figures: rules added after studying the tune gold set's errors, each tested with
sentences written for this file from varied conflicts (none taken from any gold set)."""

from __future__ import annotations

import pytest

from fogwatch.extract.context import Context
from fogwatch.extract.figures import find_figures
from fogwatch.model import Figure, Statement

pytestmark = pytest.mark.model


def figures(text: str, statements: list[Statement] | None = None) -> list[Figure]:
    from fogwatch.nlp import parse

    return find_figures(Context(text=text, doc=parse(text)), statements or [])


def one(text: str) -> Figure:
    found = figures(text)
    assert len(found) == 1, found
    return found[0]


# ----------------------------------------------------------------------------- scope of states


@pytest.mark.parametrize("text", [
    "UNHCR said some 8,000 people had fled Kalehe territory by Friday.",
    "Officials said 4,200 residents were being evacuated from Cap-Haitien on Tuesday.",
    "The agency said that 900 families had been displaced by the floods in Marib.",
])
def test_past_states_are_one_moment(text: str) -> None:
    assert one(text).scope == "incident"


@pytest.mark.parametrize("text", [
    "More than 30,000 people have fled Sittwe, the UN said.",
    "About 1,500 villagers are being sheltered in a monastery near Lashio.",
    "Armed groups are holding 12 aid workers hostage in northern Mali.",
])
def test_present_states_are_running_totals(text: str) -> None:
    assert one(text).scope == "cumulative"
