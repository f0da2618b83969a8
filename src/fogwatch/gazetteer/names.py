"""Name folding: the keys under which gazetteer names and article mentions meet.

Two levels:

- :func:`fold` removes what transliteration and typography vary without changing
  the name: case, diacritics, apostrophes and ayn marks, hyphens, the Arabic
  article (al-/el-/ad-/ash-/...), and a few vowel spellings (y/i, ou/u, ee/i,
  doubled letters). "Khan Younis", "Khan Yunis", "Deir al-Balah", "Dayr al Balah"
  and "Deir el-Balah" fold to the same key.
- :func:`skeleton` keeps only the consonants after the first letter, for a
  second, looser lookup that callers accept only inside the article's countries
  ("El Fasher" / "Al-Fashir").
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Arabic (and Romance) articles written as separate or hyphen-joined words.
ARTICLES = frozenset({"al", "el", "ad", "ash", "as", "at", "ar", "an", "az", "ed", "es", "ez", "et", "adh", "ath", "the"})

_APOSTROPHES = re.compile(r"[\u2018\u2019\u02bb\u02bc\u02be\u02bf\u0060\u00b4'`‘’ʿʾ]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
# Vowel spellings that vary between transliterations of the same name.
_VOWEL_RULES = (("ou", "u"), ("oo", "u"), ("ee", "i"), ("ey", "ai"), ("ei", "ai"), ("y", "i"), ("w", "u"))
_DOUBLED = re.compile(r"([a-z])\1+")
_VOWELS = re.compile(r"[aeiou]")


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=65536)
def words(name: str) -> tuple[str, ...]:
    """Lower-case ASCII words of a name, apostrophes dropped, articles kept."""
    text = _APOSTROPHES.sub("", strip_accents(name).casefold())
    return tuple(w for w in _NON_WORD.split(text) if w)


def _respell(word: str) -> str:
    for old, new in _VOWEL_RULES:
        word = word.replace(old, new)
    return _DOUBLED.sub(r"\1", word)


@functools.lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """The matching key of a name (see module docstring); '' when nothing is left."""
    ws = [w for w in words(name) if w not in ARTICLES]
    return " ".join(_respell(w) for w in ws)


@functools.lru_cache(maxsize=65536)
def skeleton(name: str) -> str:
    """A looser key: each folded word reduced to its first letter plus its consonants."""
    out = []
    for w in fold(name).split():
        out.append(w[0] + _VOWELS.sub("", w[1:]))
    return " ".join(out)
