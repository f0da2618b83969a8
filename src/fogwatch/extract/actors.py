"""Canonical actors from the alias table ``resources/actors.csv`` (issue: Extraction I).

Interface used by every other step:
- ``canonical_actor(name)`` -> actor id or None, for any mention as written
  ("IDF", "the Israeli military", "Gaza's Hamas-run health ministry");
- ``get_actor(actor_id)`` -> Actor; ``all_actors()`` -> list of Actor.

Matching, strongest evidence first (the first stage that decides wins):
1. the mention equals a name or alias once case, articles, possessive "'s" and
   punctuation are folded;
2. the same after dropping descriptive words (``resources/actor_words.txt``:
   "Hamas-run", "spokesperson", "latest"...);
3. "X in/of/for Y" read as "Y X" ("health authorities in Gaza" = "Gaza health
   authorities"), or as Y alone when X was only a role ("spokesperson for the IDF");
4. the longest alias whose words all occur in the mention, if only one actor has
   it and it is not a lone generic word ("Gaza civil defence chief" ⊇ "Gaza civil
   defence").
Anything weaker ("the army", "officials", "the health ministry") gives None.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

from fogwatch.model import Actor

# All-capital aliases this short are matched case-sensitively, so "WHO", "IS",
# "PA" never match the words "who", "is", "pa".
CASE_SENSITIVE_MAX_LEN = 3
# Mentions whose answer is remembered: the same speakers and sources recur across
# articles (5,615 lookups of 1,626 distinct mentions over 312 news articles); the
# bound keeps memory to a few MB however many articles are read.
ACTOR_CACHE_MENTIONS = 16384

_LEADING = frozenset({"the", "a", "an", "of", "for", "from", "by", "to"})
_SPLITTERS = ("in", "of", "for", "at", "from")
_WORD = re.compile(r"[\w][\w'-]*", re.UNICODE)
_POSSESSIVE = re.compile(r"'s\b")
_SHORT_ALIAS = re.compile(r"[A-Z][A-Za-z0-9]*")
# Words that on their own never identify one party: a subset match needs more.
_GENERIC = frozenset({
    "health", "ministry", "minister", "officials", "official", "authorities", "authority", "army",
    "military", "forces", "force", "troops", "soldiers", "government", "police", "office",
    "president", "prime", "defence", "defense", "foreign", "interior", "affairs", "agency", "un",
    "united", "nations", "national", "state", "general", "staff", "armed", "service", "services",
    "civil", "council", "court", "international", "group", "movement", "rebels", "militants",
    "fighters", "regime", "junta", "mayor", "governor", "emergency", "committee", "human", "rights",
    "media", "coalition", "brigades", "wing", "in", "of", "and", "for", "the", "mission",
})


# Actor kinds whose one-word aliases are usually place names (a capital, a country).
_PLACE_NAMED_KINDS = frozenset({"government", "state"})


@dataclass(frozen=True)
class _Index:
    actors: dict[str, Actor]
    exact: dict[str, str]              # folded alias -> id (None-valued keys are ambiguous)
    case_sensitive: dict[str, str]     # short capitalised alias -> id
    by_words: tuple[tuple[frozenset[str], int, str], ...]  # (alias words, n words, id)
    drop_words: frozenset[str]
    by_word: dict[str, tuple[int, ...]]  # word -> indexes into by_words of the aliases having it


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    text = text.casefold()
    text = _POSSESSIVE.sub("", text)
    text = text.replace("'", "")
    return text


def _words(text: str) -> list[str]:
    """Folded words; hyphenated words stay whole ("hamas-run")."""
    out = [w.strip("-") for w in _WORD.findall(_fold(text))]
    return [w for w in out if w]


def _strip_leading(words: list[str]) -> list[str]:
    i = 0
    while i < len(words) and words[i] in _LEADING:
        i += 1
    return words[i:]


def _key(words: list[str]) -> str:
    return " ".join(p for w in words for p in w.split("-") if p)


def _read_lines(name: str) -> list[str]:
    path = resources.files("fogwatch.resources").joinpath(name)
    with path.open(encoding="utf-8") as fh:
        return [ln for ln in fh if ln.strip() and not ln.lstrip().startswith("#")]


@functools.lru_cache(maxsize=1)
def _index() -> _Index:
    actors: dict[str, Actor] = {}
    exact: dict[str, str | None] = {}
    case_sensitive: dict[str, str] = {}
    by_words: list[tuple[frozenset[str], int, str]] = []
    for row in csv.DictReader(_read_lines("actors.csv")):
        aid = row["id"].strip()
        aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
        actor = Actor(id=aid, name=row["name"].strip(), kind=(row.get("kind") or "other").strip(),
                      country=(row.get("country") or "").strip() or None, aliases=aliases)
        actors[aid] = actor
        for alias in (actor.name, *aliases):
            if alias.isupper() and len(alias) <= CASE_SENSITIVE_MAX_LEN:
                case_sensitive[alias] = aid
                continue
            words = _strip_leading(_words(alias))
            key = _key(words)
            if not key:
                continue
            if key in exact and exact[key] != aid:
                exact[key] = None  # the same alias names two actors: never decide on it
            else:
                exact.setdefault(key, aid)
            parts = frozenset(key.split())
            by_words.append((parts, len(key.split()), aid))
    drop = frozenset(w.strip().casefold() for w in _read_lines("actor_words.txt"))
    clean_exact = {k: v for k, v in exact.items() if v is not None}
    by_word: dict[str, list[int]] = {}
    for i, (parts, _n, _aid) in enumerate(by_words):
        for w in parts:
            by_word.setdefault(w, []).append(i)
    return _Index(actors, clean_exact, case_sensitive, tuple(by_words), drop,
                  {w: tuple(ix) for w, ix in by_word.items()})


_DESCRIPTIVE_SUFFIXES = ("-run", "-controlled", "-led", "-backed", "-based", "-installed",
                         "-affiliated", "-linked", "-allied", "-appointed")


def _drop_descriptive(words: list[str], drop: frozenset[str]) -> list[str]:
    return [w for w in words if w not in drop and not w.endswith(_DESCRIPTIVE_SUFFIXES)]


def _candidates(words: list[str], drop: frozenset[str]) -> list[list[str]]:
    """Readings of a mention to look up, strongest first (stages 1-3)."""
    out = [words]
    out.append(_strip_leading([w for w in words if w not in drop]))  # keeps "hamas-run" for its own alias
    dropped = _strip_leading(_drop_descriptive(words, drop))
    out.append(dropped)
    for base in (words, dropped):
        for i, w in enumerate(base):
            if w in _SPLITTERS and 0 < i < len(base) - 1:
                head, tail = base[:i], _strip_leading(base[i + 1 :])
                head_kept = _strip_leading(_drop_descriptive(head, drop))
                if head_kept:
                    out.append(tail + head_kept)   # "health ministry in gaza" -> "gaza health ministry"
                    out.append(tail + head)
                else:
                    out.append(tail)               # "spokesperson for the idf" -> "idf"
                break
    return out


def canonical_actor(name: str | None) -> str | None:
    """The actor id a mention refers to, or None when the evidence is weak."""
    if not name or not name.strip():
        return None
    return _canonical(name)


@functools.lru_cache(maxsize=ACTOR_CACHE_MENTIONS)
def _canonical(name: str) -> str | None:
    idx = _index()
    raw = name.strip()
    words = _strip_leading(_words(raw))
    if not words:
        return None
    for cand in _candidates(words, idx.drop_words):
        key = _key(cand)
        if key in idx.exact:
            return idx.exact[key]
    # Short capitalised aliases ("IDF", "RSF", "WHO") as a word of the mention.
    shorts = {idx.case_sensitive[t] for t in _SHORT_ALIAS.findall(raw) if t in idx.case_sensitive}
    if len(shorts) == 1:
        return shorts.pop()
    return _subset_match(_key(_strip_leading(_drop_descriptive(words, idx.drop_words))), idx)


def _subset_match(key: str, idx: _Index) -> str | None:
    """Stage 4: the longest alias contained in the mention, if unambiguous and specific."""
    mention = frozenset(key.split())
    if not mention:
        return None
    best_len, best_ids = 0, set()
    # Only aliases sharing a word with the mention can lie inside it.
    rows = {i for w in mention for i in idx.by_word.get(w, ())}
    for parts, n, aid in (idx.by_words[i] for i in rows):
        if n < best_len or not parts <= mention or parts <= _GENERIC:
            continue
        if n == 1 and idx.actors[aid].kind in _PLACE_NAMED_KINDS:
            continue  # "Kyiv", "Israel" inside a longer mention is a place, not the government
        if n > best_len:
            best_len, best_ids = n, {aid}
        else:
            best_ids.add(aid)
    if len(best_ids) == 1:
        return best_ids.pop()
    return None


def get_actor(actor_id: str) -> Actor | None:
    """The actor with this id, or None."""
    return _index().actors.get(actor_id)


def all_actors() -> list[Actor]:
    """Every actor of the alias table, in file order."""
    return list(_index().actors.values())
