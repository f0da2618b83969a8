"""Shared test helpers: where ../shared lives, and skips for what needs it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FOGWATCH_SHARED", REPO.parent / "shared"))
DEV_GOLD = SHARED / "eval" / "dev"

needs_shared = pytest.mark.skipif(not DEV_GOLD.is_dir(), reason=f"{DEV_GOLD} not present")
