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
NON_WORD = re.compile(r"[^a-z0-9]+")
# Vowel spellings that vary between transliterations of the same name.
_VOWEL_RULES = (("ou", "u"), ("oo", "u"), ("ee", "i"), ("ey", "ai"), ("ei", "ai"), ("y", "i"), ("w", "u"))
_DOUBLED = re.compile(r"([a-z])\1+")
_VOWELS = re.compile(r"[aeiou]")
# Distinct words remembered by the respelling cache: article mentions reuse a
# small vocabulary (about 20,000 distinct words over 312 news articles), so this
# holds a whole corpus's words while bounding memory (a few MB) on millions of articles.
RESPELL_CACHE_WORDS = 65536


def strip_accents(text: str) -> str:
    if text.isascii():
        return text  # NFKD leaves ASCII alone and it has no combining marks
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalise(text: str) -> str:
    """Case-folded, accent-free text without apostrophes: what :func:`words` splits.

    Character by character (``normalise(a + b) == normalise(a) + normalise(b)``), so
    the words of a longer text begin with the finished words of its start.
    """
    if text.isascii():  # the common case, without the regular expression: ASCII apostrophes are ' and `
        return text.lower().replace("'", "").replace("`", "")
    return _APOSTROPHES.sub("", strip_accents(text).casefold())


def split_words(normalised: str) -> list[str]:
    """The words of a :func:`normalise`-d text."""
    return [w for w in NON_WORD.split(normalised) if w]


@functools.lru_cache(maxsize=65536)
def words(name: str) -> tuple[str, ...]:
    """Lower-case ASCII words of a name, apostrophes dropped, articles kept."""
    return tuple(split_words(normalise(name)))


@functools.lru_cache(maxsize=RESPELL_CACHE_WORDS)
def respell(word: str) -> str:
    """One word's transliteration-neutral spelling (vowel rules, doubled letters)."""
    return _respell(word)


def _respell(word: str) -> str:
    for old, new in _VOWEL_RULES:
        word = word.replace(old, new)
    return _DOUBLED.sub(r"\1", word)


@functools.lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """The matching key of a name (see module docstring); '' when nothing is left."""
    return " ".join([respell(w) for w in words(name) if w not in ARTICLES])


@functools.lru_cache(maxsize=65536)
def skeleton(name: str) -> str:
    """A looser key: each folded word reduced to its first letter plus its consonants."""
    out = []
    for w in fold(name).split():
        out.append(w[0] + _VOWELS.sub("", w[1:]))
    return " ".join(out)
