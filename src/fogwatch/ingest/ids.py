"""Stable article ids from the normalised text."""

from __future__ import annotations

import hashlib
import unicodedata

# 16 hex digits = 64 bits: even odds of any collision need ~5 billion articles (birthday bound).
ID_HEX_DIGITS = 16


def normalise_for_id(text: str) -> str:
    """NFKC, whitespace runs collapsed to one space, trimmed, casefolded."""
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def article_id(text: str) -> str:
    """Stable id of an article: the first 16 hex digits of sha256 over the normalised text.

    The same story re-saved with other line breaks, spacing or letter case gets the same id.
    """
    digest = hashlib.sha256(normalise_for_id(text).encode("utf-8")).hexdigest()
    return digest[:ID_HEX_DIGITS]
