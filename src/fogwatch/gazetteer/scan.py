"""How far a run of tokens can go and still fold to a gazetteer name.

Finding names in an article tries every token window from each capitalised token,
longest first, and folds each window's text. Most windows cannot be a name: once
the finished words of a window, folded, begin no gazetteer name ("israeli
military"), no longer window from the same token can fold to one either, because
:func:`~fogwatch.gazetteer.names.normalise` works character by character, so the
words of a longer window begin with the finished words of the shorter one.
:class:`NameReach` finds that limit, so callers fold (and look up) only the
windows that can still match.
"""

from __future__ import annotations

from collections.abc import Sequence

from fogwatch.gazetteer.load import Gazetteer
from fogwatch.gazetteer.names import ARTICLES, NON_WORD, normalise, respell


class NameReach:
    """The token windows of one text that may fold to a gazetteer name.

    Tokens are given by their character ``starts`` and ``ends`` in ``text``. Each
    token's normalised text is computed once, when first needed.
    """

    def __init__(self, gaz: Gazetteer, text: str, starts: Sequence[int], ends: Sequence[int]) -> None:
        self._gaz = gaz
        self._text = text
        self._starts = starts
        self._ends = ends
        self._alone: dict[int, str] = {}   # token k normalised
        self._joined: dict[int, str] = {}  # token k with the text since token k - 1's end, normalised

    def _piece(self, k: int, first: bool) -> str:
        cache = self._alone if first else self._joined
        piece = cache.get(k)
        if piece is None:
            begin = self._starts[k] if first else self._ends[k - 1]
            piece = cache[k] = normalise(self._text[begin:self._ends[k]])
        return piece

    def reach(self, first: int, limit: int) -> int:
        """The largest ``j`` (``first`` ≤ ``j`` ≤ ``limit``) such that the text of tokens
        ``first``..``j - 1`` may still fold to a gazetteer name; every window ending
        after it folds to no name (``first``: none from ``first`` can).

        Names matched only as written (abbreviations, ``Gazetteer.may_be_abbreviation``)
        do not go through folding and are not covered.
        """
        prefix = ""   # the finished words so far, folded and joined as in fold()
        tail = ""     # the last word, which the next token may continue ("Kharkiv" + "'s")
        for j in range(first + 1, limit + 1):
            parts = NON_WORD.split(tail + self._piece(j - 1, j == first + 1))
            tail = parts.pop()
            grown = False
            for word in parts:
                if word and word not in ARTICLES:
                    prefix = f"{prefix} {respell(word)}" if prefix else respell(word)
                    grown = True
            if grown and not self._gaz.is_name_prefix(prefix):
                return j - 1
        return limit
