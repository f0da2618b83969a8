"""Pieces of SQL ``WHERE`` clauses that several listing queries share."""

from __future__ import annotations

import datetime as dt
from typing import Any


def date_range(
    where: list[str], params: dict[str, Any], column: str,
    since: dt.date | str | None, until: dt.date | str | None,
) -> None:
    """Add an inclusive date range on ``column`` (ISO dates as text) to ``where`` and
    ``params``, as ``:since`` and ``:until``; a missing bound adds nothing."""
    for name, op, value in (("since", ">=", since), ("until", "<=", until)):
        if value:
            where.append(f"{column} {op} :{name}")
            params[name] = value.isoformat() if isinstance(value, dt.date) else value
