"""Which token windows of a text fold to a gazetteer name, without folding each one.

Finding names in an article tries every token window from each capitalised token,
longest first. Folding every window's text anew is most of the cost, and most
windows cannot be a name: once the finished words of a window, folded, begin no
gazetteer name ("israeli military"), no longer window from the same token folds
to one either. :func:`~fogwatch.gazetteer.names.normalise` works character by
character, so the words of a longer window begin with the finished words of the
shorter one: :class:`NameReach` extends the folded words token by token, looks
each window's folded text up in the name index, and stops as soon as no name can
follow.
"""

from __future__ import annotations

from collections.abc import Sequence

from fogwatch.gazetteer.load import Gazetteer
from fogwatch.gazetteer.names import ARTICLES, NON_WORD, normalise, respell

# Steps remembered (folded words so far, last word, next token's text -> what follows):
# the same capitalised words and word pairs start windows in article after article
# (30,863 distinct steps over 312 news articles, about 70,000 steps taken); the memo
# starts afresh past this size (about 30 MB).
SCAN_MEMO_STEPS = 100_000
_NO_NAME = ("", "", False)  # the step after which no window folds to a name (compared by identity)


class NameReach:
    """The token windows of one text whose text folds to a gazetteer name.

    Tokens are given by their character ``starts`` and ``ends`` in ``text``. Each
    token's normalised text is computed once, when first needed.
    """

    def __init__(self, gaz: Gazetteer, text: str, starts: Sequence[int], ends: Sequence[int]) -> None:
        self._names = gaz.folded_names()
        self._prefixes = gaz.name_prefixes()
        self._steps = gaz.scan_memo()
        self._text = text
        self._starts = starts
        self._ends = ends
        self._alone: dict[int, str] = {}   # token k normalised
        self._joined: dict[int, str] = {}  # token k with the text since token k - 1's end, normalised

    def name_ends(self, first: int, limit: int) -> list[int]:
        """Every ``j`` (``first`` < ``j`` ≤ ``limit``), in increasing order, such that
        ``fold()`` of the text from token ``first`` to token ``j - 1`` is a name of the
        gazetteer's folded index.

        Names matched only as written (abbreviations: ``Gazetteer.is_exact_name``)
        do not go through folding and are not covered.
        """
        text, ends, steps = self._text, self._ends, self._steps
        if len(steps) > SCAN_MEMO_STEPS:
            steps.clear()
        found = []
        prefix = ""   # the finished words so far, folded and joined as fold() joins them
        tail = ""     # the last word, which the next token may continue ("Kharkiv" + "'s")
        piece = self._alone.get(first)
        if piece is None:
            piece = self._alone[first] = normalise(text[self._starts[first]:ends[first]])
        for j in range(first + 1, limit + 1):
            if j > first + 1:
                piece = self._joined.get(j - 1)
                if piece is None:
                    piece = self._joined[j - 1] = normalise(text[ends[j - 2]:ends[j - 1]])
            state = (prefix, tail, piece)
            step = steps.get(state)
            if step is None:
                step = steps[state] = self._step(prefix, tail, piece)
            if step is _NO_NAME:
                break   # this window and every longer one fold to no name
            prefix, tail, named = step
            if named:
                found.append(j)
        return found

    def _step(self, prefix: str, tail: str, piece: str) -> tuple[str, str, bool]:
        """The folded words after one more token's normalised ``piece``: (finished words,
        last word, whether the window folds to a name), or ``_NO_NAME``."""
        if piece.isascii() and piece.isalnum():
            tail += piece   # all word characters: the last word goes on
        else:
            parts = NON_WORD.split(tail + piece)
            tail = parts.pop()
            grown = False
            for word in parts:
                if word and word not in ARTICLES:
                    prefix = prefix + " " + respell(word) if prefix else respell(word)
                    grown = True
            if grown and prefix not in self._prefixes:
                return _NO_NAME
        if tail and tail not in ARTICLES:
            key = prefix + " " + respell(tail) if prefix else respell(tail)
        else:
            key = prefix
        return prefix, tail, key in self._names
