"""Number phrases: "31,700", "1.7 million", "Ninety-five", "a dozen", with their bound.

``parse_value(words)`` turns the words of a number into an int; ``find_numbers(doc)``
finds every number phrase of a parsed text, with the qualifier written before it
("at least", "more than", "some" ...) turned into a bound. Vague plurals ("dozens",
"hundreds", "thousands of") are not numbers: the gold never counts them as figures.
Lexicons: ``resources/figures/number_words.csv`` and ``bounds.csv``.
"""

from __future__ import annotations

import csv
import functools
import itertools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources

from spacy.tokens import Doc

from fogwatch.extract.tokens import TokenTable, token_table

# Largest value kept as a figure; anything bigger is a parse accident (world population order).
MAX_VALUE = 10_000_000_000
# Longest qualifier looked for before a number, in tokens ("no fewer than" = 3).
MAX_BOUND_TOKENS = 4

_DIGITS = re.compile(r"^\d{1,3}(?:[,\u202f\u00a0]\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_DIGIT_START = re.compile(r"\d")
_QUOTE_CHARS = frozenset("\"'\u201c\u201d\u2018\u2019")
_HYPHENS = frozenset("-\u2010\u2011\u2012\u2013")


@dataclass(frozen=True)
class NumberWord:
    value: int
    kind: str  # unit | multiplier | scale


@dataclass(frozen=True)
class NumberPhrase:
    """A number as written, with its qualifier."""

    start: int          # character offset of the phrase (qualifier included)
    end: int
    text: str
    value: int
    bound: str          # exact | at_least | more_than | about | at_most | fewer_than
    first: int          # token index of the first token of the number itself (qualifier excluded)
    last: int           # token index of its last token
    bound_first: int    # token index where the qualifier starts (== first when none)


def _rows(name: str) -> list[list[str]]:
    path = resources.files("fogwatch.resources").joinpath("figures").joinpath(name)
    with path.open(encoding="utf-8") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.lstrip().startswith("#")]
    rows = list(csv.reader(lines))
    return [[c.strip() for c in r] for r in rows[1:]]


@functools.lru_cache(maxsize=1)
def number_words() -> dict[str, NumberWord]:
    """Spelled-out number words (``number_words.csv``)."""
    return {r[0].lower(): NumberWord(int(r[1]), r[2]) for r in _rows("number_words.csv")}


@functools.lru_cache(maxsize=1)
def bound_phrases() -> dict[tuple[str, ...], str]:
    """Qualifier word sequences -> bound (``bounds.csv``)."""
    return {tuple(r[0].lower().split()): r[1] for r in _rows("bounds.csv")}


def is_digit_number(word: str) -> bool:
    return bool(_DIGITS.match(word))


def parse_value(words: list[str]) -> int | None:
    """The integer value of a number's words; None when they do not form one.

    >>> parse_value(["1.7", "million"])
    1700000
    >>> parse_value(["twenty", "-", "five"])
    25
    """
    vocab = number_words()
    total = Decimal(0)
    group = Decimal(0)
    seen = False
    factor = Decimal(1)
    for raw in words:
        w = raw.lower()
        if w in _HYPHENS or w == "and":
            continue
        if w == "half" and not seen:  # "half a million"
            factor = Decimal("0.5")
            continue
        if w == "a" and not seen:
            group = Decimal(1)
            seen = True
            continue
        if is_digit_number(w):
            try:
                group += Decimal(re.sub(r"[,\u202f\u00a0]", "", w))
            except InvalidOperation:
                return None
            seen = True
            continue
        nw = vocab.get(w)
        if nw is None:
            return None
        seen = True
        if nw.kind == "unit":
            group += nw.value
        elif nw.kind == "multiplier":
            group = (group or Decimal(1)) * nw.value
        else:
            total += (group or Decimal(1)) * nw.value
            group = Decimal(0)
    if not seen:
        return None
    value = (total + group) * factor
    if value != value.to_integral_value() or value <= 0 or value > MAX_VALUE:
        return None
    return int(value)


def parse_phrase(text: str) -> tuple[int, str] | None:
    """Value and bound of a number phrase given as a string ("more than 1,300")."""
    words = [w for w in re.findall(r"\d[\d,.\u202f\u00a0]*\d|\d|[^\W\d_]+|[-\u2013]", text)]
    words = [w for w in words if w not in _QUOTE_CHARS]
    bound = "exact"
    lowered = [w.lower() for w in words]
    for n in range(min(MAX_BOUND_TOKENS, len(words)), 0, -1):
        b = bound_phrases().get(tuple(lowered[:n]))
        if b and parse_value(words[n:]) is not None:
            bound, words = b, words[n:]
            break
    value = parse_value(words)
    return (value, bound) if value is not None else None


def _is_number_word(text: str, lower: str) -> bool:
    # str.isdigit holds for every character \d matches: a cheap test before the regex
    return text[:1].isdigit() and is_digit_number(text) or lower in number_words()


def _can_join(tb: TokenTable, j: int) -> bool:
    """Whether token ``j + 1`` continues the number that token ``j`` is part of."""
    vocab = number_words()
    low, nxt_low = tb.lower[j], tb.lower[j + 1]
    text, nxt_text = tb.text[j], tb.text[j + 1]
    if low == "half":
        return nxt_low in ("a", "an")
    if tb.whitespace[j + 1] and nxt_text in _HYPHENS:
        return False
    if nxt_text in _HYPHENS:
        return low in vocab and not tb.whitespace[j]
    if text in _HYPHENS:  # "twenty-five", "nine-hundred"
        return nxt_low in vocab
    if nxt_low == "and":
        return low in ("hundred", "thousand")
    if low == "and":
        return nxt_low in vocab and vocab[nxt_low].kind == "unit"
    nw = vocab.get(nxt_low)
    if nw is None:
        return False
    if nw.kind == "unit":
        # "twenty five", "hundred ten" — but not "11 two" or "1,200 and 253"
        return low in vocab and not is_digit_number(text)
    return True  # multiplier or scale: "1.7 million", "two hundred", "a dozen"


def _bound_before(tb: TokenTable, first: int) -> tuple[str, int]:
    """The qualifier ending just before token ``first``: (bound, index of its first token)."""
    words: list[tuple[str, int]] = []
    i = first - 1
    while i >= 0 and len(words) < MAX_BOUND_TOKENS:
        if tb.text[i] in _QUOTE_CHARS:
            i -= 1
            continue
        if tb.is_punct[i] or tb.is_space[i]:
            break
        words.insert(0, (tb.lower[i], i))
        i -= 1
    table = bound_phrases()
    for n in range(len(words), 0, -1):
        key = tuple(w for w, _ in words[-n:])
        if key in table:
            return table[key], words[-n][1]
    return "exact", first


def _starts(tb: TokenTable) -> list[int]:
    """Positions where a number phrase can start: a digit, a number word, "a"/"an"/"half"."""
    # a digit as \d reads it: str.isdigit also takes "²", which is_digit_number rejects anyway
    digits = itertools.compress(range(len(tb)), map(_DIGIT_START.match, tb.text))
    return sorted({*tb.where(tb.lower, _start_words()), *digits})


@functools.lru_cache(maxsize=1)
def _start_words() -> frozenset[str]:
    return frozenset(number_words()) | {"a", "an", "half"}


def find_numbers(doc: Doc) -> list[NumberPhrase]:
    """Every number phrase in ``doc``, left to right."""
    out: list[NumberPhrase] = []
    vocab = number_words()
    tb = token_table(doc)
    texts, lowers = tb.text, tb.lower
    n = len(tb)
    i = 0
    for at in _starts(tb):
        if at < i:
            continue   # inside the number read before
        i = at
        low = lowers[i]
        starts_with_a = low in ("a", "an") and i + 1 < n and lowers[i + 1] in vocab \
            and vocab[lowers[i + 1]].kind != "unit"
        if low == "half" and i + 2 < n and lowers[i + 1] in ("a", "an") \
                and vocab.get(lowers[i + 2], NumberWord(0, "unit")).kind == "scale":
            starts_with_a = True  # "half a million"
        if not (_is_number_word(texts[i], low) or starts_with_a):
            continue
        j = i
        while j + 1 < n and _can_join(tb, j):
            j += 1
        while j > i and (texts[j] in _HYPHENS or lowers[j] == "and"):
            j -= 1
        value = parse_value(list(texts[i : j + 1]))
        vague = j + 1 < n and lowers[j + 1] == "of" and lowers[j] in ("dozen", "hundred", "thousand")
        lone_word = i == j and lowers[i] in vocab and vocab[lowers[i]].kind != "unit"
        if value is not None and not vague and not lone_word:
            bound, bfirst = _bound_before(tb, i)
            start = tb.idx[bfirst]
            end = tb.idx[j] + len(texts[j])
            out.append(NumberPhrase(start, end, tb.text_of(bfirst, j), value, bound, i, j, bfirst))
        i = j + 1
    return out
