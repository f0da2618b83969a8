"""Named places, geocoded from the offline gazetteer (issue: Extraction II)."""

from __future__ import annotations

from fogwatch.extract.context import Context
from fogwatch.model import Place


def find_places(ctx: Context) -> list[Place]:
    return []
