"""Converters from public annotated corpora to the guide's gold format, for scoring only.

Each reads the corpus where it lies (``../shared/eval-data``); nothing is copied into the repository.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

# Samples are drawn with this seed so that scores are comparable between runs.
SAMPLE_SEED = 7

Extract = Callable[[str, dt.date | None], dict[str, Any]]


def extract_dict(text: str, published: dt.date | None) -> dict[str, Any]:
    """The real extractor's record as a plain dict (the contract's JSON shape)."""
    from fogwatch.extract import extract

    return extract(text, published).to_dict()


def seeded_sample(rows: list[Any], n: int | None) -> list[Any]:
    """``n`` rows drawn with SAMPLE_SEED (all of them when ``n`` is None or not smaller)."""
    if n is None or n >= len(rows):
        return rows
    return random.Random(SAMPLE_SEED).sample(rows, n)


def share(num: int, den: int) -> float:
    """``num / den`` to four places; 0.0 when there is nothing to divide."""
    return round(num / den, 4) if den else 0.0

