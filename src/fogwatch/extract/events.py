"""Events with actor, target, place, date and modality (issue: Extraction II)."""

from __future__ import annotations

from fogwatch.extract.context import Context
from fogwatch.model import Event, Figure, Place, Statement


def find_events(
    ctx: Context, figures: list[Figure], statements: list[Statement], places: list[Place]
) -> list[Event]:
    return []
