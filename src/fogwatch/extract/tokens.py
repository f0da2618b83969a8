"""The token attributes the extraction steps scan, as plain per-document tuples (issue 7).

Reading ``tok.lower_`` or ``tok.pos_`` costs a string-store lookup each time, and the
rules used to scan every token of an article this way several times (numbers, trigger
words, reporting verbs). ``token_table(doc)`` reads those attributes once with
``Doc.to_array`` and maps the hashes to strings through a bounded cache, so that scans walk
tuples of strings and build a ``Token`` only where a rule needs the parse around it.
The table is kept in ``doc.user_data``: it lives and dies with its doc.

Every tuple is indexed by token position: ``table.lower[i] == doc[i].lower_`` and so
on (``tests/test_tokens.py`` checks each field against the doc's tokens on real parses).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Collection
from dataclasses import dataclass

from spacy.attrs import DEP, HEAD, IDX, IS_PUNCT, IS_SPACE, LEMMA, LOWER, ORTH, POS, SPACY
from spacy.strings import StringStore
from spacy.tokens import Doc

_TABLE_KEY = "fogwatch.tokens"
_STRING_ATTRS = (ORTH, LOWER, LEMMA, POS, DEP)
_INT_ATTRS = (IDX, SPACY, IS_PUNCT, IS_SPACE, HEAD)
_ATTRS = [*_STRING_ATTRS, *_INT_ATTRS]

# Hash -> string of the words seen so far (one cache per form), shared by every doc. An
# article has ~290 distinct hashes (median of the 312 bench texts) and 312 articles fill
# 18,700 entries (~2.6 MB): most words come back in the next article. 200,000 entries
# (~30 MB) hold a news stream's working vocabulary; the cache starts afresh when full, so
# millions of articles cannot grow it without bound.
MAX_CACHED_STRINGS = 200_000
_names: dict[int, str] = {}
_lowered: dict[int, str] = {}   # a lemma's hash -> the lemma lower-cased


@dataclass(frozen=True)
class TokenTable:
    """Per-token attributes of one doc (``lemma`` is lower-cased: every rule compares it so)."""

    text: tuple[str, ...]
    lower: tuple[str, ...]
    lemma: tuple[str, ...]
    pos: tuple[str, ...]
    dep: tuple[str, ...]
    head: tuple[int, ...]          # position of the syntactic head (a root is its own head)
    idx: tuple[int, ...]           # character offset of the token
    whitespace: tuple[bool, ...]   # followed by a space
    is_punct: tuple[bool, ...]
    is_space: tuple[bool, ...]

    def __len__(self) -> int:
        return len(self.text)

    @functools.cached_property
    def _by_lower(self) -> dict[str, tuple[int, ...]]:
        found: dict[str, list[int]] = {}
        for i, w in enumerate(self.lower):
            found.setdefault(w, []).append(i)
        return {w: tuple(p) for w, p in found.items()}

    @functools.cached_property
    def _children(self) -> dict[int, tuple[int, ...]]:
        found: dict[int, list[int]] = {}
        for i, h in enumerate(self.head):
            if h != i:
                found.setdefault(h, []).append(i)
        return {h: tuple(c) for h, c in found.items()}

    def children(self, i: int) -> tuple[int, ...]:
        """Positions of the syntactic children of token ``i``, left to right (``Token.children``)."""
        return self._children.get(i, ())

    def where(self, column: tuple[str, ...], words: Collection[str]) -> list[int]:
        """Positions whose value in ``column`` (e.g. ``self.lemma``) is one of ``words``, left to right."""
        return list(itertools.compress(range(len(column)), map(words.__contains__, column)))

    def text_of(self, first: int, last: int) -> str:
        """The text from token ``first`` to the end of token ``last`` (``doc[first:last + 1].text``)."""
        text, space = self.text, self.whitespace
        return "".join([text[k] + " " if space[k] else text[k] for k in range(first, last)]) + text[last]

    def positions(self, lower: str) -> tuple[int, ...]:
        """Positions of the tokens written ``lower`` (compared lower-cased), left to right."""
        return self._by_lower.get(lower, ())


def token_table(doc: Doc) -> TokenTable:
    """The table of ``doc``, built on first use and kept in ``doc.user_data``."""
    table = doc.user_data.get(_TABLE_KEY)
    if table is None:
        table = _build(doc)
        doc.user_data[_TABLE_KEY] = table
    return table


def _build(doc: Doc) -> TokenTable:
    if len(doc) == 0:
        return TokenTable((), (), (), (), (), (), (), (), (), ())
    cols = doc.to_array(_ATTRS).T.tolist()
    store = doc.vocab.strings
    text, lower, lemma, pos, dep = (_column(col, store, _names, str) for col in cols[:5])
    idx, space, punct, blank, rel_head = cols[5:]
    return TokenTable(
        text=text, lower=lower, lemma=_column(cols[2], store, _lowered, str.lower), pos=pos, dep=dep,
        head=tuple([i + (r if r < _SIGN_BIT else r - _WRAP) for i, r in enumerate(rel_head)]), idx=tuple(idx),
        whitespace=tuple(map(bool, space)), is_punct=tuple(map(bool, punct)), is_space=tuple(map(bool, blank)),
    )


# Doc.to_array holds every column as uint64: a head to the left (a negative offset) wraps round.
_SIGN_BIT = 1 << 63
_WRAP = 1 << 64


def _column(hashes: list[int], store: StringStore, cache: dict[int, str], form: Callable[[str], str]) -> tuple[str, ...]:
    """The strings of ``hashes`` (through ``form``), from ``cache`` or else the doc's string store."""
    try:
        return tuple([cache[h] for h in hashes])
    except KeyError:
        if len(cache) > MAX_CACHED_STRINGS:
            cache.clear()
        for h in hashes:
            if h not in cache:
                cache[h] = form(store[h])
        return tuple([cache[h] for h in hashes])


__all__ = ["TokenTable", "token_table", "MAX_CACHED_STRINGS"]
