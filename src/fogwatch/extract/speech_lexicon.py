"""The speech lexicons of ``resources/speech/`` (see its README), read once per process."""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from importlib import resources

from fogwatch.errors import FogwatchError

STANCES = ("assert", "deny", "accuse", "warn", "demand", "promise")


@dataclass(frozen=True)
class Cue:
    """A reporting verb: the stance it carries and what may count as its content."""

    lemma: str
    stance: str
    takes_object: bool   # an object / prepositional complement is content, not only a clause
    fixed: bool          # the content never changes the stance


@dataclass(frozen=True)
class SpeechLexicon:
    cues: dict[str, Cue]
    source_phrases: tuple[tuple[str, str], ...]
    speaker_nouns: frozenset[str]
    document_nouns: frozenset[str]
    modal_stance: dict[str, str]
    noun_stance: dict[str, str]
    verb_stance: dict[str, str]
    negated_stance: dict[str, str]
    attack_verbs: frozenset[str]
    hostile_agents: frozenset[str]
    titles: frozenset[str]
    attack_nouns: frozenset[str]
    claim_nouns: frozenset[str]
    accusation_nouns: frozenset[str]
    gender_words: dict[str, str]
    instruct_verbs: frozenset[str]
    generic_group_nouns: frozenset[str]
    characterise_verbs: frozenset[str]
    carrying_verbs: frozenset[str]


def _lines(name: str) -> list[str]:
    path = resources.files("fogwatch.resources").joinpath("speech").joinpath(name)
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            rows.append(line)
    return rows


def _rows(name: str) -> list[list[str]]:
    return [[c.strip() for c in row] for row in csv.reader(_lines(name))]


@functools.lru_cache(maxsize=1)
def lexicon() -> SpeechLexicon:
    cues = {}
    for lemma, stance, content, fixed in _rows("cues.csv"):
        if stance not in STANCES:
            raise FogwatchError(f"resources/speech/cues.csv: unknown stance {stance!r} for {lemma!r}")
        cues[lemma] = Cue(lemma, stance, content == "object", fixed == "yes")
    phrases = []
    for line in _lines("source_phrases.txt"):
        words = line.lower().split()
        if len(words) == 2:
            phrases.append((words[0], words[1]))
    by_kind: dict[str, dict[str, str]] = {"modal": {}, "noun": {}, "verb": {}, "negated": {}}
    for kind, word, stance in _rows("stance_markers.csv"):
        by_kind.setdefault(kind, {})[word.lower()] = stance
    return SpeechLexicon(
        cues=cues,
        source_phrases=tuple(phrases),
        speaker_nouns=frozenset(w.lower() for w in _lines("speaker_nouns.txt")),
        document_nouns=frozenset(w.lower() for w in _lines("document_nouns.txt")),
        modal_stance=by_kind["modal"],
        noun_stance=by_kind["noun"],
        verb_stance=by_kind["verb"],
        negated_stance=by_kind["negated"],
        attack_verbs=frozenset(w.lower() for w in _lines("attack_verbs.txt")),
        hostile_agents=frozenset(w.lower() for w in _lines("hostile_agents.txt")),
        titles=frozenset(w.lower() for w in _lines("titles.txt")),
        attack_nouns=frozenset(w.lower() for w in _lines("attack_nouns.txt")),
        claim_nouns=frozenset(w.lower() for w in _lines("claim_nouns.txt")),
        accusation_nouns=frozenset(w.lower() for w in _lines("accusation_nouns.txt")),
        gender_words={w.lower(): g for w, g in _rows("gender_words.csv")},
        instruct_verbs=frozenset(w.lower() for w in _lines("instruct_verbs.txt")),
        generic_group_nouns=frozenset(w.lower() for w in _lines("generic_group_nouns.txt")),
        characterise_verbs=frozenset(w.lower() for w in _lines("characterise_verbs.txt")),
        carrying_verbs=frozenset(w.lower() for w in _lines("carrying_verbs.txt")),
    )
