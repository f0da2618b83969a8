"""The event trigger lexicon (``resources/events/triggers.json``), read once.

Each trigger is a (lemma, part of speech) with its event type, attack mode, scale
and the syntactic conditions under which it counts; the word lists those
conditions name, the mode modifiers and the modality cues live in the same file,
so users extend the vocabulary without touching code.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources

from fogwatch.errors import LexiconError

EVENT_TYPES = frozenset({
    "attack", "raid", "siege", "arrest", "protest", "negotiation", "ruling", "aid",
    "evacuation", "displacement", "threat", "other",
})
ATTACK_MODES = frozenset({"airstrike", "shelling", "gunfire", "ground_assault", "drone", "missile", "explosive", "fire"})
SCALES = frozenset({"incident", "campaign"})


@dataclass(frozen=True)
class Trigger:
    """One lexicon entry: when ``lemma`` with part of speech ``pos`` names an event."""

    lemma: str
    pos: str                      # NOUN | VERB
    type: str
    mode: str | None
    scale: str
    requires: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()


@dataclass(frozen=True)
class EventLexicon:
    triggers: dict[tuple[str, str], tuple[Trigger, ...]]
    lists: dict[str, frozenset[str]]
    mode_words: dict[str, str]
    light_verbs: frozenset[str]
    distinct_markers: frozenset[str]
    definite_markers: frozenset[str]
    deny_verbs: frozenset[str]
    hypothetical_governors: frozenset[str]
    modal_aux: frozenset[str]
    blocking_words: frozenset[str]
    locative_preps: frozenset[str]
    place_noun_kinds: dict[str, str]

    def words(self, name: str) -> frozenset[str]:
        return self.lists.get(name, frozenset())

    def is_trigger_lemma(self, lemma: str) -> bool:
        return (lemma, "NOUN") in self.triggers or (lemma, "VERB") in self.triggers

    @functools.cached_property
    def trigger_lemmas(self) -> frozenset[str]:
        """Every lemma a trigger is listed under, of either part of speech."""
        return frozenset(lemma for lemma, _pos in self.triggers)


_CONDITION_KINDS = frozenset({
    "object", "prep", "dobj_in", "head_in", "mod_in", "subj_in", "subj_agentive", "passive_event",
    "anaphoric_subject", "plural", "has_subj", "prt_in", "dobj_place", "dobj_person", "one_person_subject",
    "counted_subject",
})


def _check_condition(cond: str, lists: dict[str, frozenset[str]]) -> None:
    if "+" in cond:
        for part in cond.split("+"):
            _check_condition(part, lists)
        return
    kind, _, arg = cond.partition(":")
    if kind not in _CONDITION_KINDS:
        raise LexiconError(f"unknown trigger condition {cond!r}")
    if kind.endswith("_in") and arg not in lists:
        raise LexiconError(f"condition {cond!r} names an unknown word list")


def parse_lexicon(data: dict) -> EventLexicon:
    """Validate and index the lexicon's JSON form."""
    lists = {name: frozenset(w.lower() for w in words) for name, words in data.get("lists", {}).items()}
    index: dict[tuple[str, str], list[Trigger]] = {}
    for raw in data.get("triggers", []):
        trig = Trigger(
            lemma=raw["lemma"].lower(),
            pos=raw["pos"],
            type=raw["type"],
            mode=raw.get("mode"),
            scale=raw.get("scale", "incident"),
            requires=tuple(raw.get("requires", ())),
            excludes=tuple(raw.get("excludes", ())),
        )
        if trig.type not in EVENT_TYPES:
            raise LexiconError(f"trigger {trig.lemma!r}: unknown type {trig.type!r}")
        if trig.mode is not None and trig.mode not in ATTACK_MODES:
            raise LexiconError(f"trigger {trig.lemma!r}: unknown mode {trig.mode!r}")
        if trig.scale not in SCALES:
            raise LexiconError(f"trigger {trig.lemma!r}: unknown scale {trig.scale!r}")
        if trig.pos not in {"NOUN", "VERB"}:
            raise LexiconError(f"trigger {trig.lemma!r}: pos must be NOUN or VERB")
        for cond in trig.requires + trig.excludes:
            _check_condition(cond, lists)
        index.setdefault((trig.lemma, trig.pos), []).append(trig)
    modes = {k.lower(): v for k, v in data.get("mode_words", {}).items()}
    for word, mode in modes.items():
        if mode not in ATTACK_MODES:
            raise LexiconError(f"mode word {word!r}: unknown mode {mode!r}")

    def words(key: str) -> frozenset[str]:
        return frozenset(w.lower() for w in data.get(key, []))

    return EventLexicon(
        triggers={k: tuple(v) for k, v in index.items()},
        lists=lists,
        mode_words=modes,
        light_verbs=words("light_verbs"),
        distinct_markers=words("distinct_markers"),
        definite_markers=words("definite_markers"),
        deny_verbs=words("deny_verbs"),
        hypothetical_governors=words("hypothetical_governors"),
        modal_aux=words("modal_aux"),
        blocking_words=words("blocking_words"),
        locative_preps=words("locative_preps"),
        place_noun_kinds={k.lower(): v for k, v in data.get("place_noun_kinds", {}).items()},
    )


@functools.lru_cache(maxsize=1)
def event_lexicon() -> EventLexicon:
    """The packaged lexicon (read and validated once per process)."""
    path = resources.files("fogwatch").joinpath("resources/events/triggers.json")
    return parse_lexicon(json.loads(path.read_text(encoding="utf-8")))
