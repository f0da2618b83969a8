"""Counts of people harmed, held or moved, with their claimants (issue: Extraction I)."""

from __future__ import annotations

from fogwatch.extract.context import Context
from fogwatch.model import Figure, Statement


def find_figures(ctx: Context, statements: list[Statement]) -> list[Figure]:
    return []
