"""Turning a user's search words into an FTS5 query that cannot be a syntax error."""

from __future__ import annotations

import re

# Words as FTS5's unicode61 tokenizer sees them: letters, digits, marks; anything else
# (quotes, parentheses, operators' punctuation, column filters' colons) separates.
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


# FTS5's operator keywords (upper case only). In a query that failed to parse they are
# dropped: the user meant them as operators, and as search words they match nothing useful.
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})


def plain_terms(query: str) -> str:
    """Every word of ``query`` as a quoted FTS5 string, all required (implicit AND).

    ``"foo OR (`` becomes ``"foo"``; punctuation and operator keywords are dropped.
    Returns ``""`` when the query holds no word at all.
    """
    words = [w for w in _WORD.findall(query) if w not in _OPERATORS]
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)
