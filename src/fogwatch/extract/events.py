"""Events with type, mode, actor, target, place, date and modality (issue 4: Extraction II).

Stages, each over the dependency parse of the whole article:

1. **mentions** - tokens whose (lemma, part of speech) is a trigger in
   ``resources/events/triggers.json`` and whose syntactic conditions hold there
   ("fired" needs an on/at argument or a weapon object, "kill" a place or an
   event in its in/by argument, "order" a court as subject...). Headings and
   mentions spoken inside a full quotation are left out.
2. **arguments** - actor (subject, passive agent, possessor, "by" phrase, the
   subject of a light verb "launched an offensive"), target (object, passive
   subject, on/at/against argument, "of" in nominalisations), mode (trigger default
   refined by modifiers: "missile strike", "tanks fired", "struck ... with a
   missile"), modality (denied / hypothetical / background).
3. **dates and places** - every DATE/TIME entity and every place is owned by the
   nearest mention above it in the tree (blocked by "after", "since", "in
   response to"...); dates resolve with :mod:`fogwatch.extract.time`.
4. **clusters** - mentions of one clause that describe one thing ("killed in a
   blast", "an operation attacking targets") become one event; a later anaphoric
   mention ("the blast", "they were killed on Wednesday") merges into the earlier
   compatible event and lends it what it lacks (date, target, a more specific
   place). The evidence span is the most informative mention's clause.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import heapq
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from fogwatch.extract.actors import canonical_actor, get_actor
from fogwatch.extract.context import Context
from fogwatch.extract.event_lexicon import EventLexicon, Trigger, event_lexicon
from fogwatch.extract.quotes import article_quotes
from fogwatch.extract.span_index import GrowingSpans, SpanIndex
from fogwatch.extract.structure import blocks, in_heading
from fogwatch.extract.time import ResolvedDate, find_date_expressions, now_adverbs, resolve_date
from fogwatch.extract.tokens import TokenTable, token_table
from fogwatch.gazetteer.load import get_gazetteer
from fogwatch.model import Event, Figure, Place, Statement

# An event recalled from more than this many days before publication is
# "background". Dev gold: events dated 11+ days before publication (Oct 7 in
# articles of Oct 18 onwards) are recalled context, never the day's news.
BACKGROUND_DAYS = 7

# Only a date resolved to a day fills Event.date (the guide's YYYY-MM-DD);
# coarser expressions ("in February", "this week") keep date_text and
# date_precision but no date - the dev gold leaves them null.
EVENT_DATE_PRECISIONS = frozenset({"day"})

# Events the record keeps: all of them, each marked (issue 4: "keep all, mark
# each; only asserted events count as having happened in later aggregation").
# Hypothetical and future events ("will storm", "plans to wipe out") cost about
# 0.01 event F1 against the dev and tune gold, which hold only events that
# happened; resolution counts only asserted ones.
EMITTED_MODALITIES = frozenset({"asserted", "denied", "background", "hypothetical"})

# Added to the token distance of a date that reaches an event only through a
# reporting verb ("officials said on Saturday the RSF shelled ... on Friday"), so
# that the event's own date always wins.
INDIRECT_DATE_PENALTY = 1000

# How far up the tree a date or place looks for the mention that owns it; 6
# arcs reach "on Tuesday" -> killed -> in -> fighting and a said-clause's date.
MAX_OWNER_HOPS = 6
# How deep under a non-trigger verb an owner mention may sit ("continued" ->
# efforts -> on -> deal).
MAX_OWNER_DEPTH = 3

# A quotation counts as the speaker's own words (its events are not the
# reporter's narrative) when it holds the clause's head and subject.
CLAUSE_DEPS = frozenset({"ROOT", "ccomp", "advcl", "relcl", "conj", "parataxis", "csubj", "acl", "xcomp", "pcomp"})
SUBJ_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
ROLE_ARG_PREPS = frozenset({"on", "at", "against", "upon", "into"})
CAUSE_PREPS = frozenset({"in", "by", "during", "amid", "agent", "with", "from"})
KEEP_PREPS = frozenset({"of", "for"})
NOMINAL_OF_TYPES = frozenset({"attack", "siege", "raid", "evacuation", "displacement"})
# Verbs that only add a toll to an event ("..., killing ten"): they join the event of
# the same agent in their sentence instead of making one of their own.
CONSEQUENCE_LEMMAS = frozenset({"kill", "injure", "wound"})

# Types an article rarely reports twice: a second compatible mention ("a highly
# anticipated ruling", "17,000 people were being evacuated" after "forcing the evacuation
# of thousands") is the same event even when indefinite; place and date must still agree.
SINGLE_EVENT_TYPES = frozenset({"ruling", "evacuation"})
POLITICAL_TYPES = frozenset({"negotiation", "ruling", "protest", "threat", "other"})
# Types whose subject undergoes the event rather than carries it out.
UNDERGOER_SUBJECT_TYPES = frozenset({"displacement", "evacuation"})
# Types with no target: the place people flee from or to is where it happened, not what
# was hit (dev and tune gold leave every displacement's target null).
TARGETLESS_TYPES = frozenset({"displacement"})
# Types whose active subject is never the actor ("thousands fled"; but "troops evacuated
# residents" names who evacuated). Dev and tune gold: every displacement's actor is null.
SUBJECT_NOT_ACTOR_TYPES = frozenset({"displacement"})
NAME_ENTS = frozenset({"DATE", "TIME", "PERSON", "GPE", "LOC", "FAC", "ORG", "WORK_OF_ART", "EVENT", "LAW"})
NOT_PLACE_ENTS = frozenset({"DATE", "TIME", "PERSON", "ORG", "NORP", "EVENT", "WORK_OF_ART", "LAW"})
ACTOR_ENTS = frozenset({"NORP", "ORG", "GPE", "PERSON"})
PLACE_ENTS = {"GPE": "region", "LOC": "region", "FAC": "facility"}

# Types whose bare plural with no day ("attacks in the West Bank", "calls for peace talks")
# names a pattern or a wish, not an event (tune: every bare "talks" is a non-event).
GENERIC_PLURAL_TYPES = frozenset({"attack", "negotiation"})

# Prepositions that attribute rather than describe: never part of an event's evidence.
ATTRIBUTION_WORDS = frozenset({"according", "as", "per"})

# Specificity of a place kind: the most specific place owned by an event is its
# location. Facilities are targets, not locations (dev gold names the city or
# camp of a struck hospital or school as the location).
KIND_RANK = {"camp": 5, "district": 4, "city": 3, "region": 2, "other": 1, "country": 0}
# The least specific place a target "it" may stand for: a city ("stormed it" is a town or
# camp; a region or country is not stormed as "it" in the tune or dev gold).
IT_PLACE_MIN_RANK = KIND_RANK["city"]

# Gazetteer kinds a facility's leading name may be for it to count as the event's town.
TOWN_KINDS = ("district", "city")
# A facility geocoded at city precision sits on its town's point; 25 km is the scorer's
# "same place" radius and allows for a town's GeoNames point differing between sources.
TOWN_MATCH_KM = 25.0
# A town read from a facility's name ranks below every place the text names for the event
# ("the Kakhovka dam on the Dnipro river": tune gold names the river) but above a country.
FACILITY_TOWN_RANK = 0.5
EARTH_RADIUS_KM = 6371.0

_DATELINE = re.compile(
    r"\s*([A-Z][A-Za-z'’.\- ]{1,40}?)(?:,\s*[A-Z][A-Za-z'’.\- ]{1,30}?)?(?:\s*\([^)\n]{1,40}\))?\s*"
    r"(?::|\s[–—-]{1,2}\s|,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,?\s+\d{4})?(?:\s*\([^)\n]{1,20}\))?(?:\s*[–—-]{1,2}\s)?)"
)


@dataclass(frozen=True)
class _Loc:
    start: int
    end: int
    text: str
    rank: float
    # the place's country code and point, where the places step knows them
    where: tuple[str | None, float | None, float | None] | None = None


@dataclass
class _Mention:
    tok: Token
    trig: Trigger
    merge_only: bool = False
    mode: str | None = None
    mode_explicit: bool = False   # written ("missile strike") rather than the trigger's default
    actor: Span | None = None
    target: Span | None = None
    modality: str = "asserted"
    distinct: bool = False
    definite: bool = False
    dates: list[ResolvedDate] = field(default_factory=list)
    date_dist: list[int] = field(default_factory=list)
    locs: list[_Loc] = field(default_factory=list)
    start: int = 0
    end: int = 0
    token_range: tuple[int, int] | None = None   # _mention_range, computed once


@dataclass
class _Cluster:
    members: list[_Mention]
    rep: _Mention
    type: str
    mode: str | None
    scale: str
    actor: str | None
    actor_id: str | None
    target: str | None
    date: ResolvedDate | None
    loc: _Loc | None
    modality: str
    start: int
    end: int
    sents: set[int]
    anaphoric: bool
    distinct: bool
    kill_only: bool
    mode_explicit: bool
    lemmas: set[str]
    target_lemma: str | None
    target_definite: bool
    date_indirect: bool = False   # the date came only from a reporting clause ("..., X said on Sunday")


# --------------------------------------------------------------------------- syntax helpers


def _subject(tok: Token) -> Token | None:
    cur = tok
    for _ in range(4):
        for child in cur.children:
            if child.dep_ in SUBJ_DEPS:
                if child.tag_ in {"WDT", "WP"} and cur.dep_ == "relcl":
                    return cur.head   # "the missile that hit ..." -> the missile
                appos = next((a for a in child.children if a.dep_ == "appos" and a.pos_ == "NOUN"), None)
                if child.ent_type_ == "PERSON" and appos is not None:
                    return appos      # "According to X, Name, a rocket struck" mis-parsed
                return child
        participle = cur.dep_ == "advcl" and cur.tag_ == "VBG" and not any(c.dep_ == "mark" for c in cur.children)
        if (cur.dep_ in {"conj", "xcomp"} or participle) and cur.head.pos_ in {"VERB", "AUX"} and cur.head.i != cur.i:
            cur = cur.head   # "stormed the town, killing 20": the stormers killed
            continue
        return None
    return None


def _is_passive(tok: Token) -> bool:
    if tok.dep_ == "acl" and tok.tag_ == "VBN":
        return True   # "the building struck by a rocket"
    return any(c.dep_ in {"nsubjpass", "auxpass"} for c in tok.children)


def _passive_subject(tok: Token) -> Token | None:
    if tok.dep_ == "acl" and tok.tag_ == "VBN":
        return tok.head
    subj = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
    if subj is not None and subj.tag_ in {"WDT", "WP"} and tok.dep_ == "relcl":
        return tok.head
    return subj


def _prep_objects(tok: Token, preps: frozenset[str]) -> list[Token]:
    out = []
    for child in tok.children:
        if child.dep_ == "agent" and "agent" in preps or child.dep_ == "prep" and child.lower_ in preps:
            out.extend(c for c in child.children if c.dep_ in {"pobj", "pcomp"})
        elif child.dep_ == "agent" and "by" in preps:
            out.extend(c for c in child.children if c.dep_ == "pobj")
    return out


def _dobj(tok: Token) -> Token | None:
    return next((c for c in tok.children if c.dep_ == "dobj"), None)


def _clause_head(tok: Token) -> Token:
    cur = tok
    while cur.dep_ not in CLAUSE_DEPS and cur.head.i != cur.i:
        # participial adjuncts ("..., killing 12") stay in their verb's clause
        cur = cur.head
    if cur.dep_ in {"advcl", "acl"} and cur.tag_ == "VBG" and not any(c.dep_ == "mark" for c in cur.children):
        return _clause_head(cur.head) if cur.head.i != cur.i else cur
    return cur


def _trimmed(tok: Token) -> tuple[int, int]:
    """Token range [start, end) of a phrase without its clauses, appositions and place/date adjuncts."""
    start = tok.left_edge.i
    end = tok.i + 1
    for child in tok.rights:
        if child.dep_ == "prep" and child.lower_ in KEEP_PREPS or child.dep_ in {"compound", "amod", "nummod", "poss", "case"}:
            end = child.right_edge.i + 1
            continue
        break
    for child in tok.lefts:
        if child.dep_ in {"punct", "cc", "prep"}:
            start = max(start, child.i + 1)
    return start, end


def _span(doc: Doc, rng: tuple[int, int]) -> Span | None:
    start, end = rng
    if end <= start:
        return None
    span = doc[start:end]
    while len(span) and span[0].is_punct:
        span = span[1:]
    while len(span) and span[-1].is_punct:
        span = span[:-1]
    return span if len(span) else None


# --------------------------------------------------------------------------- trigger conditions

# The lexicon's part of speech for each of the parse's: trigger_at reads a verb or a noun only.
_TRIGGER_POS = {"VERB": "VERB", "AUX": "VERB", "NOUN": "NOUN", "PROPN": "NOUN"}


class _Matcher:
    """Checks a trigger's syntactic conditions at one token."""

    def __init__(self, lex: EventLexicon, place_starts: set[int]):
        self.lex = lex
        self.place_tokens = place_starts

    def agentive(self, tok: Token | None) -> bool:
        if tok is None:
            return False
        if tok.pos_ == "PRON":
            return False
        words = self.lex.words("agent_nouns") | self.lex.words("weapon_nouns")
        if tok.lemma_.lower() in words or self.lex.is_trigger_lemma(tok.lemma_.lower()):
            return True
        if tok.ent_type_ in ACTOR_ENTS:
            return True
        return any(c.ent_type_ in ACTOR_ENTS for c in tok.children if c.dep_ in {"compound", "amod", "poss"})

    def passive_event(self, tok: Token) -> bool:
        if not _is_passive(tok):
            return False
        for obj in _prep_objects(tok, CAUSE_PREPS):
            if obj.head.lower_ == "in" and obj.pos_ == "PROPN" and obj.ent_type_ not in NOT_PLACE_ENTS:
                return True   # "killed in Wharf Jeremie": a name the place list may not hold whole
            for sub in obj.subtree:
                if sub.i - obj.i > 6:
                    break
                if self.lex.is_trigger_lemma(sub.lemma_.lower()) and (sub.pos_ == "NOUN" or sub.dep_ == "pcomp"):
                    return True   # "killed in a blast", "killed in fighting" (a gerund)
                if sub.i in self.place_tokens:
                    return True
        return False

    def holds(self, cond: str, tok: Token) -> bool:
        if "+" in cond:
            return all(self.holds(part, tok) for part in cond.split("+"))
        kind, _, arg = cond.partition(":")
        if kind == "object":
            return bool(_dobj(tok)) or _is_passive(tok) or bool(_prep_objects(tok, ROLE_ARG_PREPS))
        if kind == "prep":
            wanted = frozenset(arg.split(","))
            return any(
                (c.dep_ == "prep" and c.lower_ in wanted) or (c.dep_ == "agent" and "by" in wanted)
                for c in tok.children
            )
        if kind == "dobj_in":
            obj = _dobj(tok)
            words = self.lex.words(arg)
            if obj is None and _is_passive(tok):
                obj = _passive_subject(tok)
            return obj is not None and (obj.lemma_.lower() in words or obj.lower_ in words)
        if kind == "dobj_person":
            obj = _dobj(tok)
            return obj is not None and (obj.ent_type_ == "PERSON" or obj.lemma_.lower() in self.lex.words("official_nouns"))
        if kind == "dobj_place":
            obj = _dobj(tok)
            return obj is not None and (
                obj.i in self.place_tokens or obj.lemma_.lower() in self.lex.words("territory_nouns")
            )
        if kind == "head_in":
            head = tok.head
            words = self.lex.words(arg)
            if head.lemma_.lower() in words:
                return True
            return tok.dep_ == "pobj" and head.head.lemma_.lower() in words
        if kind == "prt_in":
            return any(c.dep_ == "prt" and c.lower_ in self.lex.words(arg) for c in tok.children)
        if kind == "mod_in":
            words = self.lex.words(arg)
            return any(
                c.dep_ in {"amod", "compound", "nmod", "npadvmod"} and (c.lemma_.lower() in words or c.lower_ in words)
                for c in tok.children
            )
        if kind == "subj_in":
            subj = _subject(tok)
            words = self.lex.words(arg)
            return subj is not None and any(t.lemma_.lower() in words or t.lower_ in words for t in subj.subtree)
        if kind == "subj_agentive":
            return not _is_passive(tok) and self.agentive(_subject(tok))
        if kind == "passive_event":
            return self.passive_event(tok)
        if kind == "anaphoric_subject":
            subj = _subject(tok)
            return subj is not None and subj.pos_ == "PRON"
        if kind == "plural":
            return tok.tag_ in {"NNS", "NNPS"}
        if kind == "one_person_subject":
            # "a shopkeeper fled to a village": one person's story, not people displaced
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)   # its own, not a governor's
            if subj is not None and subj.tag_ in {"WP", "WDT"} and tok.dep_ == "relcl":
                subj = tok.head   # "a shopkeeper who fled"
            return (subj is not None and subj.tag_ == "NN" and subj.ent_type_ == ""
                    and subj.lemma_.lower() not in self.lex.words("group_nouns")
                    and not any(c.dep_ == "conj" or c.dep_ == "nummod" and c.lower_ not in {"one", "1"}
                                for c in subj.children))
        if kind == "has_subj":
            return _subject(tok) is not None
        if kind == "counted_subject":
            if any(c.dep_ == "auxpass" and c.tag_ in {"VBZ", "VBP"} for c in tok.children):
                return False   # "4.5 million are displaced": a state, not a movement
            subj = _subject(tok) or _passive_subject(tok)
            return subj is not None and (subj.like_num or any(
                c.dep_ == "nummod" or c.dep_ == "prep" and c.lower_ == "of" and c.head.like_num for c in subj.children))
        return False

    def trigger_at(self, tok: Token) -> tuple[Trigger, bool] | None:
        """The trigger that fires at ``tok`` and whether it may only merge into an earlier event."""
        if tok.dep_ in {"amod", "compound"} or tok.ent_type_ in NAME_ENTS:
            return None   # "March 15", "Operation Protective Edge": names, not triggers
        pos = _TRIGGER_POS.get(tok.pos_)
        if pos is None:
            return None
        for trig in self.lex.triggers.get((tok.lemma_.lower(), pos), ()):
            if any(self.holds(c, tok) for c in trig.excludes):
                continue
            if not trig.requires:
                return trig, False
            passed = [c for c in trig.requires if self.holds(c, tok)]
            if passed:
                return trig, all(c == "anaphoric_subject" for c in passed)
        return None


# --------------------------------------------------------------------------- arguments


def _mode(m: _Mention, lex: EventLexicon) -> str | None:
    tok = m.tok
    looks: list[Token] = [c for c in tok.children if c.dep_ in {"amod", "compound", "nmod"}]
    looks += [cc for c in looks for cc in c.children if cc.dep_ == "conj"]   # "air, sea and ground"
    subj = _subject(tok)
    if subj is not None and tok.pos_ == "VERB":
        looks.append(subj)
        looks.extend(c for c in subj.children if c.dep_ in {"amod", "compound"})
    obj = _dobj(tok)
    instruments = _prep_objects(tok, frozenset({"with", "agent", "by"}))
    if obj is not None and tok.pos_ == "VERB":
        looks.append(obj)
        instruments += _prep_objects(obj, frozenset({"with"}))
    for inst in instruments:
        looks.append(inst)
        looks.extend(c for c in inst.children if c.dep_ in {"amod", "compound"})
    modes = []
    for t in looks:
        word = t.lemma_.lower() if t.lemma_.lower() in lex.mode_words else t.lower_
        if word in lex.mode_words and lex.mode_words[word] not in modes:
            modes.append(lex.mode_words[word])
    if len(modes) > 1:
        return None   # "air, sea and ground offensive": no single mode
    m.mode_explicit = bool(modes)
    return modes[0] if modes else m.trig.mode


def _actor_of_noun(noun: Token, matcher: _Matcher) -> Span | None:
    doc = noun.doc
    for child in noun.children:
        if child.dep_ == "poss" and child.pos_ != "PRON" and child.ent_type_ not in {"DATE", "TIME"}:
            return _span(doc, (child.left_edge.i, child.i + 1))   # not "Tuesday's strike": a date
    for obj in _prep_objects(noun, frozenset({"by", "agent"})):
        if obj.lemma_.lower() in matcher.lex.words("means_nouns"):
            continue   # "by land, air and sea"
        return _span(doc, _trimmed(obj))
    for child in noun.children:
        if child.dep_ in {"amod", "compound"} and (
            child.ent_type_ in ACTOR_ENTS or canonical_actor(child.text) is not None
        ):
            return _span(doc, (child.left_edge.i, child.i + 1))
    return None


def _actor(m: _Mention, matcher: _Matcher, lex: EventLexicon) -> Span | None:
    tok = m.tok
    doc = tok.doc
    if tok.pos_ == "VERB":
        if m.trig.type in SUBJECT_NOT_ACTOR_TYPES and not _is_passive(tok):
            return None   # "thousands fled": the subject undergoes it, nobody is named doing it
        if _is_passive(tok):
            agents = _prep_objects(tok, frozenset({"agent"}))
            if not agents:
                return None
            agent = agents[0]
        else:
            agent = _subject(tok)
            if agent is None or agent.pos_ == "PRON":
                return None
        if agent.lemma_.lower() in lex.words("weapon_nouns") or lex.is_trigger_lemma(agent.lemma_.lower()):
            return _actor_of_noun(agent, matcher)
        return _span(doc, _trimmed(agent))
    found = _actor_of_noun(tok, matcher)
    if found is not None:
        return found
    head = tok.head
    if tok.dep_ == "pobj" and head.dep_ == "prep":
        head = head.head
    if head.i != tok.i and head.pos_ == "VERB" and (
        head.lemma_.lower() in lex.light_verbs or tok.dep_ in {"dobj", "pobj"} and head.lemma_.lower() == "go"
    ):
        subj = _subject(head)
        if subj is not None and subj.pos_ != "PRON" and subj.i != tok.i:
            return _span(doc, _trimmed(subj))
    return None


def _target(m: _Mention, lex: EventLexicon) -> Span | None:
    tok = m.tok
    doc = tok.doc
    if m.trig.type in POLITICAL_TYPES and m.trig.type != "ruling" or m.trig.type in TARGETLESS_TYPES:
        return None
    candidates: list[Token] = []
    if tok.pos_ == "VERB":
        obj = _dobj(tok)
        skip = lex.words("weapon_nouns") | lex.words("negotiation_objects")
        if obj is not None and obj.lemma_.lower() not in skip:
            candidates.append(obj)
        if _is_passive(tok):
            psubj = _passive_subject(tok)
            if psubj is not None and psubj.pos_ != "PRON":
                candidates.append(psubj)
        candidates.extend(_prep_objects(tok, ROLE_ARG_PREPS))
    else:
        candidates.extend(_prep_objects(tok, ROLE_ARG_PREPS))
        if m.trig.type in NOMINAL_OF_TYPES:
            candidates.extend(_prep_objects(tok, frozenset({"of"})))
    for cand in candidates:
        if cand.ent_type_ in {"DATE", "TIME"}:
            continue
        span = _span(doc, _trimmed(cand))
        if span is not None:
            return span
    return None


def _modality(m: _Mention, lex: EventLexicon) -> str:
    tok = m.tok
    verbs = [tok]
    if tok.pos_ != "VERB":
        head = tok.head
        if tok.dep_ == "pobj":
            head = head.head
        if head.pos_ in {"VERB", "AUX"}:
            verbs.append(head)
    for v in verbs:
        if any(c.dep_ == "aux" and c.lower_ in lex.modal_aux for c in v.children):
            return "hypothetical"   # "would never attack" is a claim about what could happen
        if any(c.dep_ == "neg" for c in v.children):
            return "denied"
        if any(c.dep_ == "mark" and c.lower_ in {"if", "unless"} for c in v.children):
            return "hypothetical"
    cur = tok
    for _ in range(4):
        if cur.dep_ in {"ccomp", "xcomp"} and cur.head.lemma_.lower() in lex.deny_verbs:
            return "denied"   # "denied that its fighters had attacked civilians"
        if cur.head.i == cur.i or cur.dep_ in {"ROOT", "conj", "ccomp", "advcl", "relcl", "parataxis"}:
            break
        from_subject = cur.dep_ in SUBJ_DEPS
        cur = cur.head
        lemma = cur.lemma_.lower()
        if lemma in lex.deny_verbs:
            return "denied"
        if lemma in lex.hypothetical_governors and not (from_subject and _has_complement(cur)):
            if lemma in lex.words("terminative_governors") and cur.tag_ in {"VBD", "VBN"}:
                return "asserted"   # "it ended weeks of negotiations": what ended had happened
            return "hypothetical"
        if cur.pos_ in {"VERB", "AUX"} and any(c.dep_ == "aux" and c.lower_ in lex.modal_aux for c in cur.children):
            return "hypothetical"   # "would bring a halt in fighting"
    return "asserted"


def _has_complement(verb: Token) -> bool:
    """ "the strikes were aimed at eliminating ...", "the attack threatens to derail talks": what
    the verb plans or risks is its complement, so its subject is no less real for it."""
    return any(c.dep_ in {"xcomp", "ccomp", "dobj"} or c.dep_ == "prep" and any(g.dep_ in {"pcomp", "pobj"} for g in c.children)
               for c in verb.children)


# --------------------------------------------------------------------------- places and dates


def _places(ctx: Context, places: list[Place]) -> list[_Loc]:
    """Every occurrence of every place (the places step may list each place once)."""
    spans: list[tuple[int, int, str, int, tuple[str | None, float | None, float | None]]] = []
    for p in places:
        rank = -1 if p.kind == "facility" else KIND_RANK.get(p.kind, 1)
        where = (p.country_code, p.lat, p.lon)
        spans.append((p.start, p.end, p.text, rank, where))
        town = _town_in_facility(p) if p.kind == "facility" else None
        if town is not None:
            spans.append((p.start + town[0], p.start + town[1], town[2], town[3], where))
        for written in dict.fromkeys((p.text, p.name)):
            if not written:
                continue
            for at in _occurrences(ctx.text, written):
                spans.append((at, at + len(written), written, rank, where))
                if town is not None and written == p.text:
                    spans.append((at + town[0], at + town[1], town[2], town[3], where))
    ents = [e for e in ctx.doc.ents if e.label_ in PLACE_ENTS and PLACE_ENTS[e.label_] != "facility"]
    # The places kept so far that rank (a facility's does not): which of them holds or meets a
    # span is a binary search, not a scan of every place kept (issue 8: quadratic when an
    # article names its places thousands of times). A place is kept under its start and never
    # replaced by another of rank >= 0 (the one replacing it would lie inside it), so asking
    # the kept places of rank >= 0 is asking the ones still in ``found``.
    kept = GrowingSpans([s[0] for s in spans] + [e.start_char for e in ents])
    found: dict[int, _Loc] = {}
    # longest first: "Jabalia refugee camp" hides the "Jabalia" inside it
    # (a stable sort of the spans in the order found: ties never depend on set or hash order)
    for start, end, text, rank, where in sorted(dict.fromkeys(spans), key=lambda x: (x[0] - x[1], x[0])):
        if kept.holds(start, end):
            continue   # (a facility's name does not hide the city in it: "Kramatorsk railway station")
        found[start] = _Loc(start, end, text, rank, where)
        if rank >= 0:
            kept.add(start, end)
    # The model's own place entities fill in what the place list does not hold.
    for e in ents:
        if kept.meets(e.start_char, e.end_char):
            continue
        # unknown kind: below every place the places step classified
        found[e.start_char] = _Loc(e.start_char, e.end_char, e.text, KIND_RANK["other"])
        kept.add(e.start_char, e.end_char)
    return sorted((loc for loc in found.values() if loc.rank >= 0), key=lambda x: x.start)


def _occurrences(text: str, word: str) -> list[int]:
    """Offsets where ``word`` stands in ``text`` as a whole word, left to right, not overlapping
    (what ``(?<!\\w)word(?!\\w)`` finds: \\w is a character for which ``isalnum`` holds, or "_")."""
    out = []
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if (at == 0 or not _is_word_char(text[at - 1])) and (end == len(text) or not _is_word_char(text[end])):
            out.append(at)
            at = text.find(word, end)
        else:
            at = text.find(word, at + 1)
    return out


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _town_in_facility(place: Place) -> tuple[int, int, str, int] | None:
    """The town a facility's name begins with ("Kramatorsk railway station" -> Kramatorsk), when
    the gazetteer knows those leading capitalised words as a town or district lying where the
    facility was geocoded ("Al Khair hospital" is not in a town called Khair)."""
    if place.lat is None or place.lon is None:
        return None
    text = place.text
    words = list(re.finditer(r"\S+", text))
    for n in range(len(words) - 1, 0, -1):
        lead = words[:n]
        if not all(w.group(0)[:1].isupper() for w in lead):
            continue
        name = text[lead[0].start():lead[-1].end()]
        kinds = {e.kind for e in get_gazetteer().lookup(name) if e.lat is not None and e.lon is not None
                 and _near(e.lat, e.lon, place.lat, place.lon)}
        if any(k in kinds for k in TOWN_KINDS):
            return lead[0].start(), lead[-1].end(), name, FACILITY_TOWN_RANK   # offsets within the name
    return None


def _near(lat1: float, lon1: float, lat2: float, lon2: float) -> bool:
    """Within TOWN_MATCH_KM (equirectangular distance: exact enough at this scale)."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return EARTH_RADIUS_KM * math.hypot(x, y) <= TOWN_MATCH_KM


class _LocIndex:
    """The article's place occurrences in order of start (as ``_places`` gives them, one per
    start), for "the latest place ending by an offset" and "the places starting in a sentence"
    by binary search: scans of every place for every mention were quadratic (issue 8)."""

    def __init__(self, locs: list[_Loc]):
        self.locs = locs
        self.starts = [loc.start for loc in locs]
        self._with_word: dict[str, list[int]] = {}
        self._of_rank: dict[float, list[int]] = {}

    def with_word(self, word: str) -> list[int]:
        """Positions of the places whose text, split on spaces, has ``word`` (lower case)."""
        if word not in self._with_word:
            self._with_word[word] = [n for n, loc in enumerate(self.locs) if word in loc.text.lower().split()]
        return self._with_word[word]

    def of_rank(self, rank: float) -> list[int]:
        """Positions of the places of that rank."""
        if rank not in self._of_rank:
            self._of_rank[rank] = [n for n, loc in enumerate(self.locs) if loc.rank == rank]
        return self._of_rank[rank]

    def latest(self, offset: int, positions: list[int] | None = None, earliest: int = -1,
               rank_from: float | None = None) -> _Loc | None:
        """The last place in order of start, of ``positions`` (ascending; default every place),
        with ``earliest <= start``, ``end <= offset`` and rank >= ``rank_from``. A place ending
        by ``offset`` starts by it, so the walk back starts there and passes over only the
        places that hold ``offset`` or fail the rank, down to ``earliest``."""
        order = positions if positions is not None else range(len(self.locs))
        k = bisect.bisect_right(order, offset, key=lambda n: self.starts[n])
        for j in range(k - 1, -1, -1):
            loc = self.locs[order[j]]
            if loc.start < earliest:
                return None
            if loc.end <= offset and (rank_from is None or loc.rank >= rank_from):
                return loc
        return None

    def starting_in(self, start: int, end: int) -> list[_Loc]:
        """The places with ``start <= place.start < end``, in order of start."""
        return self.locs[bisect.bisect_left(self.starts, start):bisect.bisect_left(self.starts, end)]


def _owner(tok: Token, by_token: dict[int, _Mention], lex: EventLexicon,
           into_reports: bool = True) -> tuple[_Mention | None, list[Token]]:
    """The mention that owns a date or place whose root is ``tok``, and the path walked to it.

    ``into_reports``: whether a date or place of a reporting clause ("the ministry said
    Tuesday ...") may pass to the event reported in its complement. True for dates (news
    dates the report and the event alike), False for places (the speaker's place is not
    the event's)."""
    doc = tok.doc
    tb = token_table(doc)
    blocking = _blocking(doc, lex)
    path = [tok.i]
    cur = tok.i
    for _ in range(MAX_OWNER_HOPS):
        if cur in by_token and cur != tok.i:
            return by_token[cur], _tokens(doc, tok, path)
        if cur in blocking:
            return None, _tokens(doc, tok, path)
        parent = tb.head[cur]
        if parent == cur:
            break
        if parent in by_token:
            return by_token[parent], _tokens(doc, tok, path + [parent])
        if tb.pos[parent] in {"VERB", "AUX"}:
            near = _nearest_below(tb, parent, by_token, exclude=cur, blocking=blocking, into_reports=into_reports)
            if near is not None:
                return near, _tokens(doc, tok, path + [parent])
        cur = parent
        path.append(cur)
    return None, _tokens(doc, tok, path)


def _tokens(doc: Doc, first: Token, path: list[int]) -> list[Token]:
    return [first] + [doc[i] for i in path[1:]]


_BLOCKING_KEY = "fogwatch.events.blocking"


def _blocking(doc: Doc, lex: EventLexicon) -> frozenset[int]:
    """Positions where ``_blocks`` holds, found once per doc (kept in ``doc.user_data``)."""
    found = doc.user_data.get(_BLOCKING_KEY)
    if found is None:
        tb = token_table(doc)
        words = lex.blocking_words
        found = frozenset(
            tb.where(tb.lemma, words) + [tb.head[i] for i in tb.where(tb.lower, words) if tb.dep[i] == "mark" and tb.head[i] != i]
        )
        doc.user_data[_BLOCKING_KEY] = found
    return found


def _blocks(tok: Token, lex: EventLexicon) -> bool:
    """True at "after", "since", "in response to" and at a clause they introduce."""
    return tok.i in _blocking(tok.doc, lex)


def _nearest_below(tb: TokenTable, verb: int, by_token: dict[int, _Mention], exclude: int, blocking: frozenset[int],
                   into_reports: bool = True) -> _Mention | None:
    frontier = [(c, 1) for c in tb.children(verb) if c != exclude and (into_reports or tb.dep[c] != "ccomp")]
    best: tuple[int, int, _Mention] | None = None
    while frontier:
        i, depth = frontier.pop()
        if i in by_token:
            key = (depth, abs(i - verb))
            if best is None or key < best[:2]:
                best = (key[0], key[1], by_token[i])
            continue
        if depth >= MAX_OWNER_DEPTH or tb.dep[i] in {"relcl", "advcl", "conj", "parataxis"} or i in blocking:
            continue
        frontier.extend((c, depth + 1) for c in tb.children(i))
    return best[2] if best else None


def _is_actor_path(path: list[Token], owner: _Mention, lex: EventLexicon) -> bool:
    """True when the place fills the actor's or a party's slot ("Israel launched...", "Russia's
    invasion", "talks between Israel and Hamas")."""
    for t in path:
        if t.i == owner.tok.i:
            break
        head = t.head
        governs = head.i == owner.tok.i or head.lemma_.lower() in lex.light_verbs
        if t.dep_ in {"nsubj", "agent", "poss", "amod", "compound"} and governs:
            if t.dep_ == "nsubj" and owner.trig.type in UNDERGOER_SUBJECT_TYPES:
                continue   # "people from villages around X fled": the place is where they came from
            return True
        if t.dep_ == "prep" and t.lower_ == "by" and head.i == owner.tok.i:
            return True
        if t.dep_ == "prep" and t.lower_ in lex.words("party_preps") and path.index(t) <= 2:
            return True
    if owner.actor is not None and path and owner.actor.start <= path[0].i < owner.actor.end:
        return True
    return False


def _has_locative(path: list[Token], lex: EventLexicon) -> bool:
    return any(t.dep_ == "prep" and t.lower_ in lex.locative_preps for t in path)


def _dateline_match(ctx: Context) -> re.Match[str] | None:
    found = blocks(ctx)
    first = next((b for b in found if not b.heading), None)
    if first is None:
        return None
    return _DATELINE.match(ctx.text, first.start, first.end)


def _dateline(ctx: Context, m: re.Match[str] | None, places: list[Place]) -> _Loc | None:
    """The place a leading dateline names ("GAZA:", "KYIV (Reuters) -"), when it lies in the
    country the article's other places are mostly in: a story datelined from a regional hub
    ("BEIRUT" over fighting in Aleppo, "GENEVA" over a UN report on Ethiopia) did not happen there.
    ``m`` is ``_dateline_match(ctx)``."""
    if not m:
        return None
    name = m.group(1).strip()
    if not name or resolve_date(name, dt.date(2000, 1, 1)) is not None:
        return None
    start = m.start(1)
    if any(b.heading and b.end <= start for b in blocks(ctx)):
        # Under a headline the dateline is kept out of the clauses (above) but lends no place:
        # on the blind gold sets of other conflicts those datelines named the filing bureau
        # (Yerevan, Pemba, Cucuta) more often than where things happened.
        return None
    own = next((p.country_code for p in places if p.start == start), None)
    counts = Counter(p.country_code for p in places if p.start != start and p.country_code and p.kind != "country")
    if own and counts and counts[own] < max(counts.values()):
        return None
    return _Loc(start, start + len(name), name, 0)


# --------------------------------------------------------------------------- clusters


def _actor_key(text: str | None) -> tuple[str | None, str | None, frozenset[str]]:
    if not text:
        return None, None, frozenset()
    aid = canonical_actor(text)
    country = None
    if aid is not None:
        actor = get_actor(aid)
        country = actor.country if actor is not None else None
    stems = frozenset(w[:5] for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 2 and w != "the")
    return aid, country, stems


def _named_actor(text: str | None) -> bool:
    """False for no actor and for a generic one ("troops", "the army"), which fits any party."""
    return bool(text) and any(w[:1].isupper() for w in text.split())


def _actor_marks(text: str) -> list[tuple[str, str]]:
    """What two named actors must share for ``_actors_compatible``: the canonical actor,
    its country (only with a canonical actor) or a word stem."""
    aid, country, stems = _actor_key(text)
    marks = [("stem", stem) for stem in stems]
    if aid:
        marks.append(("actor", aid))
        if country:
            marks.append(("country", country))
    return marks


def _actors_compatible(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    if not _named_actor(a) or not _named_actor(b):
        return True   # "troops", "the army": generic, they fit any named party
    ida, ca, sa = _actor_key(a)
    idb, cb, sb = _actor_key(b)
    if ida and idb and (ida == idb or (ca and ca == cb)):
        return True
    return bool(sa & sb)


def _locs_compatible(a: _Loc | None, b: _Loc | None) -> bool:
    if a is None or b is None:
        return True
    return bool(_loc_words(a.text) & _loc_words(b.text)) or _within(a, b) or _within(b, a)


def _within(wide: _Loc, narrow: _Loc) -> bool:
    """A town holds the districts and camps within TOWN_MATCH_KM of its point: "an attack in
    Bamako ... the attack on the school in the Faladie district". Two towns never hold each
    other. (A country holding its towns was tried: on the new gold sets it merged as many
    separate events as retellings.)"""
    if wide.where is None or narrow.where is None or wide.rank != KIND_RANK["city"] or narrow.rank <= wide.rank:
        return False
    (_, wide_lat, wide_lon), (_, narrow_lat, narrow_lon) = wide.where, narrow.where
    if wide_lat is None or wide_lon is None or narrow_lat is None or narrow_lon is None:
        return False
    return _near(wide_lat, wide_lon, narrow_lat, narrow_lon)


# Distinct place texts whose words are remembered: an article names a few dozen places;
# 4,096 bound the cache over any number of articles.
LOC_WORDS_CACHE_SIZE = 4096


@functools.lru_cache(maxsize=LOC_WORDS_CACHE_SIZE)
def _loc_words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", text.lower()))


def _info(m: _Mention) -> int:
    """What makes a mention's sentence the evidence: it dates or places the event. (An actor or
    target alone does not: "the ground offensive began" is reported before "Israel's offensive".)"""
    return bool(m.dates) + bool(m.locs)


def _mention_range(m: _Mention) -> tuple[int, int]:
    """Token range of a mention: its trigger with its arguments, without nested clauses.

    The range is the unbroken run of argument tokens around the trigger, so an
    attribution at the sentence end ("..., according to X") cannot stretch it over
    a clause in between."""
    if m.token_range is None:
        m.token_range = _token_range(m.tok)
    return m.token_range


def _token_range(tok: Token) -> tuple[int, int]:
    parts: list[Token] = []
    if tok.pos_ == "VERB":
        subj = _subject(tok)
        if subj is not None and subj.head.i == tok.i:
            parts.append(subj)
        parts.extend(c for c in tok.children if c.dep_ in {"dobj", "prep", "agent", "npadvmod", "prt", "advmod"}
                     and c.lower_ not in ATTRIBUTION_WORDS)
    else:
        parts.extend(c for c in tok.children if c.dep_ in {"prep", "compound", "amod", "poss", "det", "nummod"}
                     and c.lower_ not in ATTRIBUTION_WORDS)
    inside = {tok.i}
    inside.update(c.i for c in tok.children if c.dep_ in {"aux", "auxpass", "neg", "advmod", "det", "poss", "case"})
    if tok.pos_ != "VERB":
        inside.update(range(tok.left_edge.i, tok.i))
    for p in parts:
        inside.update(t.i for t in _clause_subtree(p))
    sent = tok.sent
    doc = tok.doc
    lo = hi = tok.i
    while lo - 1 >= sent.start and (lo - 1 in inside or doc[lo - 1].is_punct and lo - 2 in inside):
        lo -= 1
    while hi + 1 < sent.end and (hi + 1 in inside or doc[hi + 1].is_punct and hi + 2 in inside):
        hi += 1
    return lo, hi + 1


def _clause_subtree(tok: Token) -> list[Token]:
    """``tok``'s subtree without the clauses nested in it."""
    out = [tok]
    stack = list(tok.children)
    while stack:
        t = stack.pop()
        if _is_clause_boundary(t) or t.dep_ in {"relcl", "acl", "appos"} and t.pos_ in {"VERB", "AUX"}:
            continue
        out.append(t)
        stack.extend(t.children)
    return out


def _linked(a: _Mention, b: _Mention, lex: EventLexicon) -> bool:
    """True when two mentions of one sentence describe one thing."""
    if a.tok.sent.start != b.tok.sent.start:
        return False
    if not _actors_compatible(a.actor.text if a.actor else None, b.actor.text if b.actor else None):
        return False
    if (a.modality == "asserted") != (b.modality == "asserted"):
        return False   # "fled the attack, fearing further strikes": what happened is not what is feared
    types = {a.trig.type, b.trig.type}
    if "threat" in types and len(types) > 1:
        return False   # "threatened to attack": the threat happened, the attack did not
    if len(types) > 1 and "attack" not in types and "other" not in types:
        return False
    for verb, noun in ((a, b), (b, a)):
        subj = _subject(verb.tok) if verb.tok.pos_ == "VERB" else None
        if subj is not None and subj.i == noun.tok.i and (
                verb.trig.type == noun.trig.type or verb.trig.lemma in CONSEQUENCE_LEMMAS):
            return True   # "the operation has laid waste ... and killed thousands" (not "the clashes ... detained")
        if verb.trig.lemma in CONSEQUENCE_LEMMAS and subj is not None and subj.i == _agent_token(noun):
            return True   # "Russia launched an attack on Kyiv ..., killing ten": the attack killed
    inner, outer = (a, b) if b.tok in a.tok.ancestors else (b, a)
    if outer.trig.type == "other" and inner.trig.type != "other":
        return False   # "imposed sanctions, accusing the army of attacks": two things
    if outer.tok in inner.tok.ancestors:
        if inner.trig.type != outer.trig.type and not _is_cause(inner.tok, outer.tok):
            return False   # "ordered Israel to halt its offensive": the order is not the offensive
        path = [inner.tok] + _path_up(inner.tok, outer.tok)[:-1]
        if any(_blocks(t, lex) for t in path):
            return False
        caused = any(t.lemma_.lower() in lex.words("cause_verbs") for t in path)
        return caused or not any(_is_clause_boundary(t) for t in path)
    if inner.trig.type != outer.trig.type:
        return False
    return _clause_head(a.tok).i == _clause_head(b.tok).i


def _is_cause(inner: Token, outer: Token) -> bool:
    """True when ``inner`` is the cause of ``outer`` ("displaced by fighting", "killed in a blast",
    "a deal for an exchange")."""
    if inner.dep_ in {"nsubj", "nsubjpass"} and inner.head.i == outer.i:
        return True
    cur = inner
    for _ in range(3):
        if cur.dep_ == "pobj" and cur.head.lower_ in CAUSE_PREPS | {"for", "of"}:
            return True
        if cur.head.i == outer.i:
            return False
        cur = cur.head
    return False


def _is_clause_boundary(tok: Token) -> bool:
    """True when ``tok`` heads a clause of its own (a participial adjunct does not)."""
    if tok.dep_ == "conj":
        return tok.pos_ in {"VERB", "AUX"}   # "the government and the rebels" is one phrase
    if tok.dep_ in {"ccomp", "parataxis", "relcl", "csubj"}:
        return True
    return tok.dep_ == "advcl" and any(c.dep_ == "mark" for c in tok.children)


def _agent_token(m: _Mention) -> int | None:
    """Index of the token naming who carried a mention out (its subject, or its light verb's)."""
    tok = m.tok
    if tok.pos_ == "VERB":
        subj = _subject(tok)
        return subj.i if subj is not None else None
    head = tok.head.head if tok.dep_ == "pobj" else tok.head
    if head.i != tok.i and head.pos_ == "VERB":
        subj = _subject(head)
        return subj.i if subj is not None else None
    return None


def _path_up(tok: Token, until: Token) -> list[Token]:
    out = []
    cur = tok
    while cur.i != until.i and cur.head.i != cur.i:
        cur = cur.head
        out.append(cur)
    return out


def _group(mentions: list[_Mention], lex: EventLexicon) -> list[list[_Mention]]:
    parent = list(range(len(mentions)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(mentions)):
        for j in range(i + 1, len(mentions)):
            if mentions[j].tok.sent.start != mentions[i].tok.sent.start:
                break
            if _linked(mentions[i], mentions[j], lex):
                parent[find(j)] = find(i)
    groups: dict[int, list[_Mention]] = {}
    for i, m in enumerate(mentions):
        groups.setdefault(find(i), []).append(m)
    return list(groups.values())


def _governor(group: list[_Mention]) -> _Mention:
    """The member highest in the tree (it gives the cluster its type)."""
    toks = {m.tok.i for m in group}
    for m in group:
        if not any(a.i in toks for a in m.tok.ancestors):
            if m.trig.type != "other":
                return m
    return next((m for m in group if m.trig.type != "other"), group[0])


def _period_end(date: ResolvedDate) -> dt.date:
    """The last day of the period a resolved date names."""
    if date.precision == "week":
        return date.date + dt.timedelta(days=6)
    if date.precision == "month":
        nxt = dt.date(date.date.year + date.date.month // 12, date.date.month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return date.date


def _anaphoric(group: list[_Mention]) -> bool:
    """A cluster refers back when its nouns are definite ("the blast killed nine"), or, without
    nouns, when its verbs are retellings (relative clauses, subjectless gerunds, pronoun subjects)."""
    nouns = [m for m in group if m.tok.pos_ == "NOUN"]
    members = nouns or group
    return all(m.definite or m.merge_only for m in members)


def _target_lemma(group: list[_Mention]) -> str | None:
    """The head word of what was hit (victims of "killed" do not identify an event)."""
    for m in group:
        if m.target is not None and m.trig.lemma != "kill":
            return m.target.root.lemma_.lower()
    return None


def _nearest_date(m: _Mention) -> ResolvedDate:
    """Of the dates a mention owns, the one written closest to its trigger."""
    if len(m.date_dist) != len(m.dates):
        return m.dates[0]
    return min(zip(m.date_dist, range(len(m.dates)), m.dates, strict=True))[2]


def _date_is_indirect(m: _Mention) -> bool:
    """True when every date a mention owns reached it through a reporting clause."""
    return len(m.date_dist) == len(m.dates) > 0 and min(m.date_dist) >= INDIRECT_DATE_PENALTY


def _build_cluster(group: list[_Mention], published: dt.date | None) -> _Cluster:
    gov = _governor(group)
    ordered = sorted(group, key=lambda m: (-_info(m), m.tok.i))
    rep = ordered[0]
    explicit = next((m.mode for m in group if m.mode and m.mode_explicit), None)
    mode = explicit or gov.mode or next((m.mode for m in group if m.mode), None)
    actor = next((m.actor for m in ordered if m.actor is not None), None)
    target = next((m.target for m in ordered if m.target is not None), None)
    dated = next((m for m in ordered if m.dates), None)
    date = _nearest_date(dated) if dated is not None else None
    locs = [loc for m in group for loc in m.locs]
    loc = max(locs, key=lambda x: (x.rank, -x.start)) if locs else None
    modality = "asserted" if any(m.modality == "asserted" for m in group) else gov.modality
    if modality == "asserted" and date is not None and published is not None:
        if (published - _period_end(date)).days > BACKGROUND_DAYS:
            modality = "background"
    ranges = [(m.start, m.end) for m in group]
    return _Cluster(
        members=list(group),
        rep=rep,
        type=gov.trig.type,
        mode=mode if gov.trig.type == "attack" else None,
        scale=gov.trig.scale,
        actor=actor.text if actor is not None else None,
        actor_id=canonical_actor(actor.text) if actor is not None else None,
        target=target.text if target is not None else None,
        date=date,
        loc=loc,
        modality=modality,
        start=min(r[0] for r in ranges),
        end=max(r[1] for r in ranges),
        sents={m.tok.sent.start for m in group},
        anaphoric=_anaphoric(group),
        distinct=any(m.distinct for m in group),
        kill_only=all(m.trig.lemma in {"kill", "hit"} for m in group),
        mode_explicit=explicit is not None,
        lemmas={m.tok.lemma_.lower() for m in group},
        target_lemma=_target_lemma(group),
        date_indirect=dated is not None and _date_is_indirect(dated),
        target_definite=target is not None and any(
            c.dep_ in {"det", "poss"} and c.lower_ in {"the", "this", "that", "its", "their"} for c in target.root.children
        ),
    )


def _same_target(later: _Cluster, earlier: _Cluster) -> bool:
    """A later mention naming "the crowd" / "the building" an earlier event hit is that event."""
    return bool(later.target_definite and later.target_lemma and later.target_lemma == earlier.target_lemma)


def _compatible(later: _Cluster, earlier: _Cluster) -> bool:
    if later.type != earlier.type or later.distinct:
        return False
    if (later.modality == "background") != (earlier.modality == "background"):
        return False
    if later.scale != earlier.scale and not later.members[0].merge_only:
        return False
    same_target = _same_target(later, earlier)
    if later.mode_explicit and earlier.mode_explicit and later.mode != earlier.mode and not same_target:
        return False
    if not _actors_compatible(later.actor, earlier.actor):
        return False
    if later.date and earlier.date and later.date.date != earlier.date.date and not (
        earlier.date_indirect and not later.date_indirect and later.anaphoric
    ):
        return False   # (a report's date lent to an event yields to the anaphor's own: "the attack took place on Friday")
    if not _locs_compatible(later.loc, earlier.loc):
        return False
    if later.anaphoric or same_target or later.type in SINGLE_EVENT_TYPES:
        return True
    if later.actor and earlier.actor and later.target_lemma and later.target_lemma == earlier.target_lemma:
        return True   # the same party hitting the same kind of target: one event retold
    return bool(later.date and earlier.date and later.actor and earlier.actor)


def _absorb(into: _Cluster, other: _Cluster) -> None:
    into.members.extend(other.members)
    into.sents |= other.sents
    if other.mode_explicit and not into.mode_explicit:
        into.mode, into.mode_explicit = other.mode, True
    into.mode = into.mode or other.mode
    if into.actor is None:
        into.actor, into.actor_id = other.actor, other.actor_id
    if into.target is None:
        into.target, into.target_lemma = other.target, other.target_lemma
    into.lemmas |= other.lemmas
    if into.date is None or into.date_indirect and other.date is not None and not other.date_indirect:
        into.date, into.date_indirect = other.date, other.date_indirect
    if other.loc is not None and (into.loc is None or other.loc.rank > into.loc.rank):
        into.loc = other.loc
    if other.modality == "asserted" and into.modality in {"denied", "hypothetical"}:
        into.modality = "asserted"


class _Kept:
    """The clusters ``_merge_across`` has kept so far, each at a fixed position, listed under
    keys naming what ``_compatible`` asks of an earlier cluster: its type and whether it is
    background (always), no place or each word of its place, its target's head word, an
    actor and a date together, no date or its day (or a date lent by a report), each of its
    words (lemmas), a generic actor or the named actor's canonical id, country and stems.
    A later cluster reads, latest first, only the lists under the most selective of the
    conditions its own fields make necessary, and calls ``_compatible`` on those alone; the
    scan of every kept cluster was quadratic (issue 8: 4,000 sentences "... killed in the
    shelling in <town>, according to ..." spent most of their 11 s of extraction in it)."""

    def __init__(self) -> None:
        self.clusters: list[_Cluster] = []
        self._at: dict[tuple[object, ...], list[int]] = {}   # key -> positions, ascending
        self._keys: list[set[tuple[object, ...]]] = []       # position -> its keys

    @staticmethod
    def _keys_of(c: _Cluster) -> set[tuple[object, ...]]:
        kind = (c.type, c.modality == "background")
        keys: set[tuple[object, ...]] = {(*kind, "any")}
        if c.loc is None:
            keys.add((*kind, "no place"))
        else:
            keys.update((*kind, "place word", w) for w in _loc_words(c.loc.text))
            if c.loc.where is not None and c.loc.where[0]:
                keys.add((*kind, "country", c.loc.where[0]))
        if c.target_lemma:
            keys.add((*kind, "target", c.target_lemma))
        if c.actor and c.date:
            keys.add((*kind, "actor and date"))
        keys.update((*kind, "word", lemma) for lemma in c.lemmas)
        if not _named_actor(c.actor):
            keys.add((*kind, "any actor"))
        else:
            keys.update((*kind, *mark) for mark in _actor_marks(c.actor))
        if not c.date:
            keys.add((*kind, "no date"))
        else:
            keys.add((*kind, "date", c.date.date))
            if c.date_indirect:
                keys.add((*kind, "date from a report"))
        return keys

    def append(self, c: _Cluster) -> None:
        keys = self._keys_of(c)
        for key in keys:
            self._at.setdefault(key, []).append(len(self.clusters))
        self.clusters.append(c)
        self._keys.append(keys)

    def put(self, pos: int, c: _Cluster) -> None:
        """``c`` (new, or the one there after absorbing another) stands at ``pos``: re-list it."""
        self.clusters[pos] = c
        old, new = self._keys[pos], self._keys_of(c)
        for key in old - new:
            at = self._at[key]
            del at[bisect.bisect_left(at, pos)]
        for key in new - old:
            bisect.insort(self._at.setdefault(key, []), pos)
        self._keys[pos] = new

    def candidates(self, later: _Cluster, sharing_words: bool = False) -> Iterator[tuple[int, _Cluster]]:
        """Kept clusters, latest first, among which are all those ``_compatible(later, _)`` accepts
        (``sharing_words``: all those that also share a word of ``later.lemmas``)."""
        if later.distinct:
            return
        kind = (later.type, later.modality == "background")
        choices: list[list[tuple[object, ...]]] = []
        if sharing_words:
            choices.append([(*kind, "word", lemma) for lemma in later.lemmas])
        if not (later.anaphoric or later.type in SINGLE_EVENT_TYPES):
            # then only the same target or an actor on both sides (with the same target's
            # word, or dates on both sides) makes a cluster compatible
            needed = []
            if later.target_lemma and (later.target_definite or later.actor):
                needed.append((*kind, "target", later.target_lemma))
            if later.actor and later.date:
                needed.append((*kind, "actor and date"))
            choices.append(needed)
        if later.actor and _named_actor(later.actor):   # the earlier one's actor fits any, or shares a mark
            choices.append([(*kind, "any actor")] + [(*kind, *mark) for mark in _actor_marks(later.actor)])
        if later.loc is not None:   # the earlier one has no place, shares a word of it, or one holds the other
            where = later.loc.where
            choices.append([(*kind, "no place")] + [(*kind, "place word", w) for w in _loc_words(later.loc.text)]
                           + ([(*kind, "country", where[0])] if where is not None and where[0] else []))
        if later.date:   # the earlier one has no date, the same day, or one lent by a report that yields
            choices.append([(*kind, "no date"), (*kind, "date", later.date.date)]
                           + ([(*kind, "date from a report")] if later.anaphoric and not later.date_indirect else []))
        if not choices:
            choices.append([(*kind, "any")])
        keys = min(choices, key=lambda ks: sum(len(self._at.get(k, ())) for k in ks))
        last = None
        for pos in heapq.merge(*(reversed(self._at[k]) for k in keys if k in self._at), reverse=True):
            if pos != last:
                last = pos
                yield pos, self.clusters[pos]


def _merge_across(clusters: list[_Cluster]) -> list[_Cluster]:
    kept = _Kept()
    for c in sorted(clusters, key=lambda x: x.start):
        # the latest compatible cluster; an anaphor prefers the antecedent with its own head
        # word ("the blast" -> "a blast"): the latest compatible one sharing a word, if any
        # and a report of what happened prefers one that happened ("denied that its fighters had
        # attacked civilians ... the assault" goes to the assault reported, if one fits)
        target = _antecedent(kept, c)
        if target is not None and not kept.clusters[target].lemmas & c.lemmas:
            real = _happened(kept.clusters[target]) == _happened(c)
            target = next((pos for pos, e in kept.candidates(c, sharing_words=True)
                           if pos < target and e.lemmas & c.lemmas and (not real or _happened(e) == _happened(c))
                           and _compatible(c, e)), target)
        if target is not None:
            earlier = kept.clusters[target]
            if _info_cluster(c) > _info_cluster(earlier) and not c.anaphoric:
                # the fuller mention becomes the evidence (its members first); the earlier lends what it has
                _absorb(c, earlier)
                kept.put(target, c)
            else:
                _absorb(earlier, c)
                kept.put(target, earlier)
            continue
        if all(m.merge_only for m in c.members):
            continue
        kept.append(c)
    return kept.clusters


def _happened(c: _Cluster) -> bool:
    return c.modality not in {"denied", "hypothetical"}


def _antecedent(kept: _Kept, c: _Cluster) -> int | None:
    """The latest compatible kept cluster whose modality says, like ``c``'s, that it happened
    (or did not); else the latest compatible one."""
    first = None
    for pos, e in kept.candidates(c):
        if _compatible(c, e):
            if _happened(e) == _happened(c):
                return pos
            if first is None:
                first = pos
    return first


def _info_cluster(c: _Cluster) -> int:
    return sum(x is not None for x in (c.actor, c.target, c.date, c.loc))


# --------------------------------------------------------------------------- the step


def _spoken_in_quote(tok: Token, quotes: SpanIndex) -> bool:
    head = _clause_head(tok)
    for qs, qe, _n in quotes.holding(tok.idx):
        if qs <= tok.idx < qe and qs <= head.idx < qe:
            subj = _subject(head)
            if subj is None or qs <= subj.idx < qe:
                return True
    return False


def _find_mentions(ctx: Context, matcher: _Matcher, quotes: SpanIndex) -> list[_Mention]:
    lex = matcher.lex
    out: list[_Mention] = []
    doc = ctx.doc
    for i in _trigger_candidates(ctx, lex):
        tok = doc[i]
        found = matcher.trigger_at(tok)
        if found is None:
            continue
        if in_heading(ctx, tok.idx) or _spoken_in_quote(tok, quotes):
            continue
        trig, merge_only = found
        m = _Mention(tok=tok, trig=trig, merge_only=merge_only)
        m.mode = _mode(m, lex) if trig.type == "attack" else None
        m.actor = _actor(m, matcher, lex)
        m.target = _target(m, lex)
        m.modality = _modality(m, lex)
        mods = {c.lower_ for c in tok.children if c.dep_ in {"amod", "det", "nummod"}}
        m.distinct = bool(mods & lex.distinct_markers)
        det_or_poss = [c for c in tok.children if c.dep_ in {"det", "poss"}]
        if tok.pos_ == "NOUN":
            m.definite = any(c.lower_ in lex.definite_markers or c.dep_ == "poss" for c in det_or_poss) or (
                not det_or_poss and tok.tag_ == "NN" and tok.dep_ in {"dobj", "pobj"}
                and not any(c.dep_ in {"amod", "compound", "nummod"} for c in tok.children)
            )   # "opened fire", "killed in fighting": a mass noun retelling what is known
        else:
            # a relative clause, a participle or a subjectless gerund describes a known event
            m.definite = tok.dep_ == "relcl" or (tok.dep_ == "acl" and tok.tag_ == "VBN") or (
                _subject(tok) is None and not _is_passive(tok)
            ) or _pronoun_subject(tok)
        lo, hi = _mention_range(m)
        m.start, m.end = ctx.doc[lo].idx, ctx.doc[hi - 1].idx + len(ctx.doc[hi - 1])
        out.append(m)
    return out


def _trigger_candidates(ctx: Context, lex: EventLexicon) -> list[int]:
    """Positions whose (lemma, part of speech) the lexicon lists: the only ones ``trigger_at`` can fire at."""
    tb = ctx.tokens
    triggers = lex.triggers
    return [i for i in tb.where(tb.lemma, lex.trigger_lemmas) if (tb.lemma[i], _TRIGGER_POS.get(tb.pos[i])) in triggers]



def _pronoun_subject(tok: Token) -> bool:
    """True when an active verb's own subject is "it" ("it had struck a compound": a party
    retelling what it did, after the report of it)."""
    subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    return subj is not None and subj.lower_ == "it"


def _date_spans(ctx: Context, lex: EventLexicon) -> list[Span]:
    """The model's DATE/TIME entities plus the month-day and weekday expressions it missed.

    An entity running over a blocking word ("Wednesday after months") is cut before it."""
    spans = []
    lower = ctx.tokens.lower
    for e in ctx.doc.ents:
        if e.label_ not in {"DATE", "TIME"}:
            continue
        cut = next((k for k in range(1, len(e)) if lower[e.start + k] in lex.blocking_words), None)
        spans.append(e[:cut] if cut else e)
    expressions = find_date_expressions(ctx.text)
    if not expressions:
        return spans
    # the spans so far, by where they start (a token's offset): which meets an expression is a
    # binary search, not a scan of every date before it (quadratic with thousands of dates)
    taken = GrowingSpans(ctx.tokens.idx)
    for e in spans:
        taken.add(e.start_char, e.end_char)
    for start, end in expressions:
        if taken.meets(start, end):
            continue
        extra = ctx.doc.char_span(start, end, alignment_mode="expand")
        if extra is not None and len(extra):
            spans.append(extra)
            taken.add(extra.start_char, extra.end_char)
    return spans


def _assign_dates(ctx: Context, by_token: dict[int, _Mention], lex: EventLexicon) -> None:
    dateline = _dateline_match(ctx)
    for ent in _date_spans(ctx, lex):
        if dateline is not None and ent.start_char < dateline.end():
            continue   # "EL FASHER, Sudan, January 26, 2025 -": the story's date, not an event's
        owner, _path = _owner(ent.root, by_token, lex)
        if owner is None:
            continue
        resolved = resolve_date(ent.text, ctx.published)
        if resolved is not None:
            owner.dates.append(resolved)
            # a date in the event's own phrase or clause beats one lent by a reporting clause
            direct = (any(a.i == owner.tok.i for a in ent.root.ancestors) and not _via_report(ent.root, owner.tok, lex)
                      or _clause_head(ent.root).i == _clause_head(owner.tok).i)
            owner.date_dist.append(abs(ent.root.i - owner.tok.i) + (0 if direct else INDIRECT_DATE_PENALTY))
    if ctx.published is None:
        return
    now = now_adverbs()
    for m in by_token.values():
        if m.dates:
            continue
        for c in m.tok.children:
            if c.dep_ not in {"advmod", "npadvmod"}:
                continue
            if c.lower_ in now:     # "currently being evacuated"
                m.dates.append(ResolvedDate(ctx.published, "day", c.text))
                break
            single = resolve_date(c.text, ctx.published)   # "overnight", "yesterday"
            if single is not None:
                m.dates.append(single)
                break


def _via_report(tok: Token, owner: Token, lex: EventLexicon) -> bool:
    """True when ``tok`` reaches ``owner`` through a reporting verb ("X killed 70, WHO said on Sunday")."""
    reports = lex.words("report_verbs")
    return any(t.lemma_.lower() in reports for t in _path_up(tok, owner)[:-1])


def _assign_places(ctx: Context, locs: list[_Loc], by_token: dict[int, _Mention], lex: EventLexicon) -> set[int]:
    """Give each place to the mention that owns it; returns the starts of places given."""
    used: set[int] = set()
    doc = ctx.doc
    for loc in locs:
        span = doc.char_span(loc.start, loc.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        if _modifier_only(span, loc, ctx.text, lex.words("place_nouns")):
            used.add(loc.start)
            continue
        owner, path = _owner(span.root, by_token, lex, into_reports=False)
        if owner is None:
            if any(_blocks(t, lex) for t in path):
                used.add(loc.start)   # it belongs to a "since ..." / "after ..." clause
            continue
        used.add(loc.start)
        if any(t.dep_ in {"acl", "relcl"} for t in path[1:-1]):
            continue   # "communities bordering Gaza", "a case brought by South Africa": describes a noun
        if _is_actor_path(path, owner, lex):
            continue
        if owner.trig.type in POLITICAL_TYPES | {"ruling"} and not _has_locative(path, lex):
            continue
        owner.locs.append(loc)
    _resolve_place_nouns(ctx, _LocIndex(locs), by_token, lex)
    return used


def _modifier_only(span: Span, loc: _Loc, text: str, place_nouns: frozenset[str]) -> bool:
    """ "Iran-backed Houthis", "U.S. warships": a place that only qualifies a noun (a hyphenated
    adjective, or a country saying whose the thing is) says nothing of where anything happened.
    Towns and regions stay: "the Kramatorsk railway station", "Gaza health officials"."""
    if text.startswith("-", loc.end) and loc.end + 1 < len(text) and text[loc.end + 1].isalpha():
        return True
    root = span.root
    head = root.head
    return (loc.rank == KIND_RANK["country"] and root.dep_ in {"compound", "nmod"} and head.pos_ == "NOUN"
            and head.i >= span.end and head.lemma_.lower() not in place_nouns)


def _resolve_place_nouns(ctx: Context, index: _LocIndex, by_token: dict[int, _Mention], lex: EventLexicon) -> None:
    """ "in the camp" / "in the city": the latest named place before it whose name has that word."""
    nouns = lex.words("place_nouns")
    for m in by_token.values():
        if m.locs:
            continue
        for tok in ctx.doc[_mention_range(m)[0]:_mention_range(m)[1]]:
            if tok.lemma_.lower() not in nouns or tok.dep_ != "pobj" or tok.head.lower_ not in lex.locative_preps:
                continue
            if not any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
                continue
            last = index.latest(tok.idx, index.with_word(tok.lower_))
            # "the city", "the town" with no name: the latest place of that kind before it
            if last is None and tok.lemma_.lower() in lex.place_noun_kinds:
                rank = KIND_RANK.get(lex.place_noun_kinds[tok.lemma_.lower()], -1)
                last = index.latest(tok.idx, index.of_rank(rank))
            if last is not None:
                m.locs.append(_Loc(tok.idx, tok.idx + len(tok), last.text, last.rank, last.where))
                break


def _resolve_it_targets(ctx: Context, index: _LocIndex, mentions: list[_Mention]) -> None:
    """ "fled the Zamzam camp since the RSF stormed it": a target "it" is the latest town, district
    or camp named before it in its sentence or the one before; it is then the place, too."""
    for m in mentions:
        pron = m.target
        if pron is None or len(pron) != 1 or pron[0].lower_ != "it":
            continue
        sent = pron[0].sent
        earliest = ctx.doc[sent.start - 1].sent.start_char if sent.start > 0 else sent.start_char
        loc = index.latest(pron[0].idx, earliest=earliest, rank_from=IT_PLACE_MIN_RANK)
        if loc is None:
            continue
        span = ctx.doc.char_span(loc.start, loc.end, alignment_mode="expand")
        if span is not None:
            m.target = span
            m.locs.append(loc)


def _fallback_location(c: _Cluster, index: _LocIndex, used: set[int], dateline: _Loc | None) -> _Loc | None:
    if c.modality == "background":
        return None
    if c.type not in POLITICAL_TYPES and c.type != "ruling":
        sent = c.rep.tok.sent
        free = [loc for loc in index.starting_in(sent.start_char, sent.end_char) if loc.start not in used]
        if free:
            return max(free, key=lambda x: (x.rank, -x.start))
    return dateline if c.type != "other" else None


def find_events(
    ctx: Context, figures: list[Figure], statements: list[Statement], places: list[Place]
) -> list[Event]:
    """Every event mention cluster of the article, with its arguments, date, place and links."""
    if not ctx.text.strip() or not len(ctx.doc):
        return []
    lex = event_lexicon()
    locs = _places(ctx, places)
    place_tokens: set[int] = set()
    for loc in locs:
        span = ctx.doc.char_span(loc.start, loc.end, alignment_mode="expand")
        if span is not None:
            place_tokens.update(t.i for t in span)
    matcher = _Matcher(lex, place_tokens)
    quotes = SpanIndex.build([(q.start, q.end, n) for n, q in enumerate(article_quotes(ctx))])
    mentions = _find_mentions(ctx, matcher, quotes)
    if not mentions:
        return []
    by_token = {m.tok.i: m for m in mentions}
    _assign_dates(ctx, by_token, lex)
    for m in mentions:
        if m.tok.pos_ == "NOUN" and m.definite and not m.distinct and _clause_head(m.tok).dep_ == "relcl":
            m.merge_only = True   # "troops, who pressed on with their offensive": a retelling, not a report
    dateline_match = _dateline_match(ctx)
    if dateline_match is not None:
        for m in mentions:
            if m.actor is not None and m.actor.start_char < dateline_match.end():
                m.actor = None   # "Rafah (Gaza Strip), Feb 29 (AP) troops fired": the parse took the dateline
    dateline = _dateline(ctx, dateline_match, places)
    used = _assign_places(ctx, locs, by_token, lex)
    if dateline_match is not None:
        for m in mentions:   # "BEIRUT, Nov 30 - rebels took Aleppo": the parse hung the dateline on the verb
            m.locs = [loc for loc in m.locs if loc.start >= dateline_match.end()]
    index = _LocIndex(locs)
    _resolve_it_targets(ctx, index, mentions)
    clusters = [_build_cluster(g, ctx.published) for g in _group(mentions, lex)]
    cumulative = SpanIndex.build([(f.start, f.end, n) for n, f in enumerate(figures) if f.scope == "cumulative"])
    clusters = [c for c in clusters if not (c.kill_only and (cumulative.meets(c.start, c.end) or _tally(c)))]
    # "13 were killed in the fighting since Thursday": a toll of known fighting over a period
    clusters = [c for c in clusters if not (c.anaphoric and "kill" in c.lemmas and _tally(c))]
    clusters = _merge_across(clusters)
    clusters = [c for c in clusters if c.modality in EMITTED_MODALITIES and not _empty_orphan(c) and not _generic(c, lex)
                and not _repeated(c, lex)]
    events = []
    figure_sents = _by_sentence(ctx.doc, figures)
    statement_sents = _by_sentence(ctx.doc, statements)
    for c in sorted(clusters, key=lambda x: x.start):
        loc = c.loc or _fallback_location(c, index, used, dateline)
        events.append(_to_event(ctx, c, loc, figure_sents, statement_sents))
    return events


def _by_sentence(doc: Doc, items: list[Figure] | list[Statement]) -> dict[int, list[int]]:
    """Sentence (by its first character) -> the items, by position, that start in it
    (start_char <= start < end_char) or end in it (start_char < end <= end_char): an event
    links the items of its sentences without testing every item of the article."""
    sents = list(doc.sents)
    starts = [s.start_char for s in sents]
    out: dict[int, list[int]] = {}
    for n, item in enumerate(items):
        found = set()
        j = bisect.bisect_right(starts, item.start) - 1
        if j >= 0 and item.start < sents[j].end_char:
            found.add(starts[j])
        j = bisect.bisect_left(starts, item.end) - 1
        if j >= 0 and item.end <= sents[j].end_char:
            found.add(starts[j])
        for key in found:
            out.setdefault(key, []).append(n)
    return out


def _tally(c: _Cluster) -> bool:
    """ "4,500 people were killed between January and September", "... killed since Thursday":
    a tally over a period, not an event."""
    if c.date is not None and c.date.precision != "day":
        return True
    for m in c.members:
        lo, hi = _mention_range(m)
        if any(t.lower_ == "since" for t in m.tok.doc[lo:hi]):
            return True
    return False


def _generic(c: _Cluster, lex: EventLexicon) -> bool:
    """ "attacks in the West Bank", "Houthi attacks": bare plurals with no day are a pattern, not an event."""
    if c.type not in GENERIC_PLURAL_TYPES or (c.date is not None and c.date.precision == "day"):
        return False
    for m in c.members:
        tok = m.tok
        if tok.pos_ == "VERB" or tok.tag_ not in {"NNS", "NNPS"}:
            return False
        if any(ch.dep_ in {"det", "poss", "nummod"} for ch in tok.children):
            return False
        if tok.head.lemma_.lower() in lex.light_verbs or tok.head.head.lemma_.lower() in lex.light_verbs:
            return False   # "launched airstrikes on ...": one campaign
    return True


def _repeated(c: _Cluster, lex: EventLexicon) -> bool:
    """ "it had been attacked several times", "shelled repeatedly": a history of attacks, not one."""
    adverbs = lex.words("repeat_adverbs")
    for m in c.members:
        marks = [ch for ch in m.tok.children if ch.dep_ in {"advmod", "npadvmod"}]
        if not any(ch.lower_ in adverbs or ch.lemma_.lower() == "time" and ch.tag_ == "NNS" for ch in marks):
            return False
    return True


def _empty_orphan(c: _Cluster) -> bool:
    """ "the fighting", "the offensive" with nothing said about it and nothing it refers back to."""
    return c.anaphoric and not c.mode_explicit and _info_cluster(c) == 0 and not c.distinct


def _to_event(ctx: Context, c: _Cluster, loc: _Loc | None, figure_sents: dict[int, list[int]],
              statement_sents: dict[int, list[int]]) -> Event:
    # the evidence is the sentence of the most informative mention (earliest on a tie)
    by_sent: dict[int, int] = {}
    for m in c.members:
        if not m.merge_only:
            by_sent[m.tok.sent.start] = by_sent.get(m.tok.sent.start, 0) + _info(m)
    rep_sent = min(by_sent, key=lambda k: (-by_sent[k], k)) if by_sent else c.rep.tok.sent.start
    members = [m for m in c.members if m.tok.sent.start == rep_sent]
    start = min(m.start for m in members)
    end = max(m.end for m in members)
    sent_starts = {ctx.doc[s].sent.start_char for s in c.sents}

    def linked(by_sent: dict[int, list[int]]) -> tuple[int, ...]:
        return tuple(sorted({n for key in sent_starts for n in by_sent.get(key, ())}))

    date = c.date
    return Event(
        start=start,
        end=end,
        text=ctx.text[start:end],
        type=c.type,
        mode=c.mode,
        actor=c.actor,
        actor_id=c.actor_id,
        target=c.target,
        location=loc.text if loc is not None else None,
        date=date.date if date is not None and date.precision in EVENT_DATE_PRECISIONS else None,
        date_text=date.text if date is not None else None,
        date_precision=date.precision if date is not None else None,
        modality=c.modality,
        figures=linked(figure_sents),
        statements=linked(statement_sents),
    )


__all__ = ["find_events", "BACKGROUND_DAYS"]
