"""Direct quotes and reported speech with resolved speakers (issue: Extraction I)."""

from __future__ import annotations

from fogwatch.extract.context import Context
from fogwatch.model import Statement


def find_statements(ctx: Context) -> list[Statement]:
    return []
