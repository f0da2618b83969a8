"""Turning a user's search words into an FTS5 query that cannot be a syntax error."""

from __future__ import annotations

import re

# Words as FTS5's unicode61 tokenizer sees them: letters, digits, marks; anything else
# (quotes, parentheses, operators' punctuation, column filters' colons) separates.
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


def plain_terms(query: str) -> str:
    """Every word of ``query`` as a quoted FTS5 string, all required (implicit AND).

    ``"foo OR (`` becomes ``"foo" "OR"``: operators are searched as the words they
    are. Returns ``""`` when the query holds no word at all.
    """
    words = _WORD.findall(query)
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)
