"""The shipped ``attribute_ruler`` + ``lemmatizer`` of en_core_web_sm, recomputed from memo tables.

Both shipped components do their work in Python per token (a ``Span`` and a
``set_token_attrs`` call per matcher hit; a ``Token`` and a cache probe per lemma):
on 150 bench articles they cost 1.3 s + 1.1 s of the ~14 s pipeline. Their result
is a pure function of a few token fields, so ``FastAttributes`` computes it once
per distinct key and afterwards only looks it up:

* the attribute ruler's single-token patterns test only ``LOWER``, ``TAG``, ``DEP``
  and ``IS_SPACE`` (functions of ``(ORTH, TAG, DEP)``), so the ordered list of
  patterns that fire on a token is memoised on that key; its few multi-token
  patterns ("gon na", expletive + "is") are checked against the neighbours, and
  all hits are applied in the ruler's own order (pattern index, then position);
* the rule lemmatizer's own cache key is ``(ORTH, POS, MORPH)``: the lemma is
  memoised on that key, computed on a miss by the shipped lemmatizer itself. Its
  ``lemma_index`` table holds each part of speech's known words as a list (57,528
  nouns), which the lemmatizer tests candidate forms against with ``in``: a linear
  scan, ~75 us of every miss. ``FastAttributes`` replaces each list by a frozenset
  of the same words (membership is the table's only use), which makes a cold run
  of 150 bench articles ~0.7 s faster with the same lemmas.

Patterns with an operator or attribute this module does not evaluate raise
``LexiconError`` when the component is built; ``fogwatch.nlp`` then keeps the
shipped components. Identity with them (TAG, DEP, POS, MORPH, LEMMA, heads and
sentences) was checked on every token of ``bench/corpus.build(3000)``: 1,275,396
tokens, no difference; the shipped pair took 200 s there, this component 41 s (CPU
shared with other jobs; cold memo tables included). ``tests/test_fast_parse.py``
repeats the check on hand-written sentences that fire the multi-token patterns.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy
from spacy.attrs import DEP, LEMMA, MORPH, ORTH, POS, TAG
from spacy.tokens import Doc

from fogwatch.errors import LexiconError

# Token fields read from and written back to the doc, in array column order.
_COLUMNS = [ORTH, TAG, DEP, POS, MORPH, LEMMA]
_WRITTEN = {TAG: 1, DEP: 2, POS: 3, MORPH: 4}  # attribute id -> column; LEMMA is written last

# A token's view for the ruler's predicates: (lower, tag, dep, is_space) as strings/bool.
TokenView = tuple[str, str, str, bool]
Predicate = Callable[[TokenView], bool]
_FIELD = {"LOWER": 0, "TAG": 1, "DEP": 2, "IS_SPACE": 3}


def _predicate(key: str, value: Any) -> Predicate:
    if key not in _FIELD:
        raise LexiconError(f"attribute ruler pattern tests {key}, which FastAttributes does not evaluate")
    k = _FIELD[key]
    if isinstance(value, dict):
        if len(value) != 1:
            raise LexiconError(f"attribute ruler pattern operator {value!r} not supported")
        op, arg = next(iter(value.items()))
        if op == "IN":
            allowed = frozenset(arg)
            return lambda v: v[k] in allowed
        if op == "NOT_IN":
            banned = frozenset(arg)
            return lambda v: v[k] not in banned
        if op == "REGEX":
            rx = re.compile(arg)
            return lambda v: rx.search(v[k]) is not None
        raise LexiconError(f"attribute ruler pattern operator {op} not supported")
    if isinstance(value, bool) or isinstance(value, str):
        return lambda v: v[k] == value
    raise LexiconError(f"attribute ruler pattern value {value!r} not supported")


def _lower_gate(spec: dict) -> frozenset[str] | None:
    """The words a token spec allows, when its LOWER test is a word or a word list."""
    value = spec.get("LOWER")
    if isinstance(value, str):
        return frozenset([value])
    if isinstance(value, dict) and set(value) == {"IN"}:
        return frozenset(value["IN"])
    return None


def _token_spec(spec: dict) -> Predicate:
    preds = [_predicate(key, value) for key, value in spec.items()]
    return lambda v: all(p(v) for p in preds)


def _index_as_sets(lemmatizer: Any) -> None:
    """Swap each word list of the lemmatizer's ``lemma_index`` for a frozenset (see above)."""
    table = lemmatizer.lookups.get_table("lemma_index", None)
    if table is None:
        return
    for pos, words in list(table.items()):
        if isinstance(words, list):
            table[pos] = frozenset(words)


def _order(hit: tuple[int, dict[int, int]]) -> int:
    return hit[0]


class FastAttributes:
    """Sets exactly what ``attribute_ruler`` then ``lemmatizer`` would set, from memo tables."""

    def __init__(self, ruler: Any, lemmatizer: Any) -> None:
        self.vocab = ruler.vocab
        self.lemmatizer = lemmatizer
        if lemmatizer.mode != "rule" or lemmatizer.overwrite:
            raise LexiconError("FastAttributes mirrors a rule lemmatizer that does not overwrite")
        # Single-token patterns (pattern order, predicate, attrs). Those that test LOWER are
        # indexed by the word they require (``by_lower``) or tried on every new word
        # (``lexical``); the others depend only on (tag, dep, is_space), memoised apart, so a
        # new word costs a handful of predicate calls instead of one per pattern.
        self.by_lower: dict[str, list[tuple[int, Predicate, dict[int, int]]]] = {}
        self.lexical: list[tuple[int, Predicate, dict[int, int]]] = []
        self.shape: list[tuple[int, Predicate, dict[int, int]]] = []
        self._shape_memo: dict[tuple[str, str, bool], tuple[tuple[int, dict[int, int]], ...]] = {}
        # Multi-token patterns: (pattern order, token predicates, target index, attrs), and per
        # token spec the set of words it allows (None: any), a cheap test before the predicate.
        self.multi_gates: list[list[frozenset[str] | None]] = []
        self.multi: list[tuple[int, list[Predicate], int, dict[int, int]]] = []
        for order, (attrs, index) in enumerate(zip(ruler.attrs, ruler.indices, strict=True)):
            _label, alternatives = ruler.matcher.get(str(order))
            for pattern in alternatives:
                specs = [_token_spec(s) for s in pattern]
                if len(specs) == 1:
                    self._index_single(pattern[0], (order, specs[0], dict(attrs)))
                else:
                    self.multi.append((order, specs, index % len(specs), dict(attrs)))
                    self.multi_gates.append([_lower_gate(t) for t in pattern])
        singles = [h for group in (*self.by_lower.values(), self.lexical, self.shape) for h in group]
        for attrs in [a for _o, _p, a in singles] + [a for *_r, a in self.multi]:
            if set(attrs) - {TAG, DEP, POS, MORPH, LEMMA}:
                raise LexiconError(f"attribute ruler sets {set(attrs)}, which FastAttributes does not write")
        _index_as_sets(lemmatizer)
        # (orth, tag, dep) -> (single-pattern hits in order, multi-pattern spec positions matched)
        self._token_memo: dict[tuple[int, int, int], tuple[tuple[tuple[int, dict[int, int]], ...], frozenset]] = {}
        self._lemma_memo: dict[tuple[int, int, int], int] = {}

    def _index_single(self, spec: dict, entry: tuple[int, Predicate, dict[int, int]]) -> None:
        if isinstance(spec.get("LOWER"), str):
            self.by_lower.setdefault(spec["LOWER"], []).append(entry)
        elif "LOWER" in spec:
            gate = _lower_gate(spec)
            if gate is None:
                self.lexical.append(entry)
            else:
                for word in gate:
                    self.by_lower.setdefault(word, []).append(entry)
        else:
            self.shape.append(entry)

    def _hits(self, orth: int, tag: int, dep: int) -> tuple[tuple[tuple[int, dict[int, int]], ...], frozenset]:
        key = (orth, tag, dep)
        got = self._token_memo.get(key)
        if got is None:
            strings = self.vocab.strings
            lex = self.vocab[orth]
            view = (lex.lower_, strings[tag], strings[dep], lex.is_space)
            shape_key = view[1:]
            shape = self._shape_memo.get(shape_key)
            if shape is None:
                shape = self._shape_memo[shape_key] = tuple((o, a) for o, p, a in self.shape if p(view))
            lexical = [(o, a) for o, p, a in self.by_lower.get(view[0], []) + self.lexical if p(view)]
            single = tuple(sorted(shape + tuple(lexical), key=_order)) if lexical else shape
            multi = frozenset((m, k) for m, (_o, specs, _i, _a) in enumerate(self.multi)
                              for k, spec in enumerate(specs)
                              if (self.multi_gates[m][k] is None or view[0] in self.multi_gates[m][k]) and spec(view))
            got = self._token_memo[key] = (single, multi)
        return got

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        arr = doc.to_array(_COLUMNS)
        rows = arr.tolist()
        hits = [self._hits(r[0], r[1], r[2]) for r in rows]
        extra = self._multi_hits(hits) if self.multi else {}
        for i, (single, _multi) in enumerate(hits):
            applied = sorted(single + tuple(extra[i]), key=_order) if i in extra else single
            row = rows[i]
            for _o, attrs in applied:
                for attr, value in attrs.items():
                    row[_WRITTEN.get(attr, 5)] = value
        out = numpy.asarray(rows, dtype=numpy.uint64)
        doc.from_array([TAG, DEP, POS, MORPH], out[:, 1:5])
        lemmas = self._lemmas(doc, rows)
        if lemmas is not None:
            doc.from_array([LEMMA], numpy.asarray(lemmas, dtype=numpy.uint64))
        return doc

    def _multi_hits(self, hits: Sequence[tuple[Any, frozenset]]) -> dict[int, list[tuple[int, dict[int, int]]]]:
        extra: dict[int, list[tuple[int, dict[int, int]]]] = {}
        n = len(hits)
        for i, (_single, multi) in enumerate(hits):
            if not multi:
                continue
            for m, (order, specs, index, attrs) in enumerate(self.multi):
                if (m, 0) not in multi or i + len(specs) > n:
                    continue
                if all((m, k) in hits[i + k][1] for k in range(1, len(specs))):
                    extra.setdefault(i + index, []).append((order, attrs))
        return extra

    def _lemmas(self, doc: Doc, rows: list[list[int]]) -> list[int] | None:
        """Lemma ids for tokens the ruler gave none, as the rule lemmatizer computes them."""
        if all(r[5] for r in rows):
            return None
        memo = self._lemma_memo
        strings = self.vocab.strings
        out = []
        for i, r in enumerate(rows):
            lemma = r[5]
            if not lemma:
                key = (r[0], r[3], r[4])
                lemma = memo.get(key)
                if lemma is None:
                    lemma = memo[key] = strings.add(self.lemmatizer.lemmatize(doc[i])[0])
            out.append(lemma)
        return out
