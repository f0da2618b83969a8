"""Counts of people harmed, held or moved, with their claimants (issue: Extraction I).

For every number phrase (``numbers.find_numbers``) the dependency parse says what
is counted: the counted noun ("12 hostages"), the verb governing it ("were
killed", "killed 12 people", "took 240 people hostage"), a noun governing it ("the
deaths of 220", "the death toll rose to 30", "casualties are 12 women"), or, for a
sub-count ("19 of them children", "among them two children"), the figure it
belongs to. A number with no such word is not a figure, which also drops ages,
dates, money, weapons and buildings; ``non_victims.csv`` and the entity types rule
out the rest. Then:

- bound: the qualifier before the number ("at least"), shared by coordinated
  counts ("a minimum of 12 women and seven children");
- scope: a cue of ``scope_cues.csv`` in the figure's own clause ("since", "war",
  "so far"), a state of holding or displacement in the present or perfect, a
  perfect-tense toll in the thousands, or a toll too large for one incident ->
  cumulative;
- source: the statement whose content holds the number (its resolved speaker),
  else the subject of a speech verb governing the figure's clause ("X said ...",
  "..., say X", "hostages who X said were killed"), else "according to X" or
  "citing X" in the sentence ("the latest toll from X" -> X, "X's tally" -> X);
- disputed_by: "a figure disputed by X", "X rejected the toll", "X called the
  figure exaggerated", "X said the toll was inflated" (same or next sentence).

Lexicons live in ``resources/figures/`` (see its README).
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass, replace
from importlib import resources

from spacy.tokens import Doc, Span, Token

from fogwatch.extract.actors import canonical_actor
from fogwatch.extract.context import Context
from fogwatch.extract.numbers import NumberPhrase, find_numbers
from fogwatch.extract.span_index import SpanIndex
from fogwatch.extract.speech_lexicon import lexicon as speech_lexicon
from fogwatch.extract.structure import in_heading
from fogwatch.extract.tokens import token_table
from fogwatch.model import Figure, Statement

# How many dependency arcs to climb from the counted noun looking for the word
# that says what is counted. 6 reaches "took the lives of 35 residents"
# (residents -> of -> lives -> took) and "the fate of another 35 residents of the
# building is unknown" with room to spare; more starts reaching unrelated clauses.
MAX_CLIMB = 6
# How many arcs to climb from a figure to the speech verb whose content holds it: a
# sentence's depth rarely exceeds this, and a deeper "said" is another clause's.
MAX_ATTRIBUTION_CLIMB = 12
# A killed/injured count this large is a running total, not one incident: the
# largest single-incident toll in the dev articles is 1,400 (Oct 7) and single
# attacks with over 10,000 dead are historically exceptional.
CUMULATIVE_MIN_VALUE = 10_000
# A harm count in the thousands written in the perfect ("have been killed") is a running
# total: dev has 3,000 "had been killed" and 25,490 "have been killed" (both cumulative)
# while its perfect-tense incident tolls are 13 and 35.
CUMULATIVE_PERFECT_MIN_VALUE = 1_000
# How many sentences back a pronoun claimant ("He said 30 were wounded") may find the
# named source it stands for: 2 spans one intervening sentence about the same speaker
# (tune set: a source named, a sentence describing them, then "He said ..."); further
# back the pronoun more often means someone else.
PRONOUN_CARRY_SENTENCES = 2
# Entity labels spaCy gives to numbers that are not counts of people.
NON_COUNT_ENTS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "ORDINAL", "QUANTITY"})
# Modifiers of the counted noun that are not part of the victim group as written
# ("the remaining 129 captives" -> "captives").
VICTIM_SKIP_MODIFIERS = frozenset({"remaining", "reported", "more", "additional", "further", "other",
                                   "another", "total", "confirmed", "estimated", "least", "some"})
# Metrics whose counted noun says only "harmed" and is not reported as the victims
# ("68 casualties", "29 dead": victims null in the guide's examples).
NOUN_IS_METRIC_ONLY = frozenset({"killed", "injured", "killed_or_injured", "missing"})
# Metrics that describe a lasting state: in the present or perfect they are running totals.
STATE_METRICS = frozenset({"displaced", "sheltering", "hostages"})
_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "you", "him", "her", "them", "us"})
_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_INCLUDE_VERBS = frozenset({"include", "comprise", "number"})
_HARM_METRICS = frozenset({"killed", "injured", "killed_or_injured", "missing"})
_PARTITIVE_PRONOUNS = frozenset({"whom", "them", "those", "these", "which"})
_FIRST_PERSON = frozenset({"i", "we", "you", "me", "us"})
_THIRD_PERSON = frozenset({"he", "she", "they"})
_DEFINITE = frozenset({"the", "these", "those"})
_RELATIVES = frozenset({"that", "which", "who"})
_CLAUSE_BREAKS = frozenset({"relcl", "ccomp", "parataxis", "conj", "advcl", "csubj", "acl"})
_QUOTES = frozenset("\"\u201c\u201d")


# ----------------------------------------------------------------------------- lexicons


@dataclass(frozen=True)
class Lexicons:
    verbs: dict[str, str]            # verb lemma -> metric
    nouns: dict[str, str]            # noun lemma -> metric
    adjs: dict[str, str]             # adjective -> metric
    custody: dict[str, str]          # verb lemma -> fallback metric ("" = none)
    verb_objects: dict[tuple[str, str], str]
    non_victims: frozenset[str]
    scope_cues: frozenset[str]
    scope_phrases: tuple[tuple[str, ...], ...]
    speech_verbs: frozenset[str]
    state_verbs: frozenset[str]
    victim_nouns: frozenset[str]
    partitive_quantifiers: frozenset[str]
    report_nouns: frozenset[str]
    dispute_verbs: frozenset[str]
    count_nouns: frozenset[str]


def _rows(name: str) -> list[list[str]]:
    path = resources.files("fogwatch.resources").joinpath("figures").joinpath(name)
    with path.open(encoding="utf-8") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.lstrip().startswith("#")]
    return [[c.strip() for c in r] for r in list(csv.reader(lines))[1:]]


def _column(name: str) -> frozenset[str]:
    return frozenset(r[0].lower() for r in _rows(name) if r)


@functools.lru_cache(maxsize=1)
def lexicons() -> Lexicons:
    """All figure lexicons, read once."""
    verbs: dict[str, str] = {}
    nouns: dict[str, str] = {}
    adjs: dict[str, str] = {}
    for lemma, pos, metric in _rows("metric_words.csv"):
        {"verb": verbs, "noun": nouns, "adj": adjs}[pos][lemma.lower()] = metric
    return Lexicons(
        verbs=verbs, nouns=nouns, adjs=adjs,
        custody={r[0].lower(): (r[1] if len(r) > 1 else "") for r in _rows("custody_verbs.csv")},
        verb_objects={(r[0].lower(), r[1].lower()): r[2] for r in _rows("verb_objects.csv")},
        non_victims=_column("non_victims.csv"),
        scope_cues=frozenset(c for c in _column("scope_cues.csv") if " " not in c),
        scope_phrases=tuple(tuple(c.split()) for c in sorted(_column("scope_cues.csv")) if " " in c),
        speech_verbs=_column("speech_verbs.csv"),
        state_verbs=_column("state_verbs.csv"),
        victim_nouns=_column("victim_nouns.csv"),
        partitive_quantifiers=_column("partitive_quantifiers.csv"),
        report_nouns=_column("report_nouns.csv"),
        dispute_verbs=_column("dispute_verbs.csv"),
        count_nouns=_column("count_nouns.csv"),
    )


# ----------------------------------------------------------------------------- what is counted


@dataclass(frozen=True)
class Counted:
    """What the parse says a number counts."""

    metric: str
    metric_token: Token | None     # the word that said so
    victims: Token | None          # the counted noun, if any
    role_token: Token              # the token whose place in the clause governs the figure
    among: Token | None = None     # "the death toll among X": X


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def _word_metric(tok: Token) -> str | None:
    """Metric of a single word by its part of speech (noun, adjective or verb)."""
    lex = lexicons()
    lem, low = _lemma(tok), tok.lower_
    if tok.pos_ in ("NOUN", "PROPN", "PRON"):
        return lex.nouns.get(lem) or lex.nouns.get(low)
    if tok.pos_ == "ADJ":
        return lex.adjs.get(low) or lex.adjs.get(lem) or lex.nouns.get(low)
    if tok.pos_ in ("VERB", "AUX"):
        if tok.dep_ == "acomp" and tok.tag_ == "VBG":   # "105 were missing" parsed as a participle
            return lex.verbs.get(lem) or lex.adjs.get(low)
        return lex.verbs.get(lem)
    return None


def _noun_metric(noun: Token) -> str | None:
    """Metric a governing noun gives: "death toll", "casualties", "the number of victims killed"."""
    lex = lexicons()
    lem = _lemma(noun)
    if lem in lex.report_nouns or lem == "toll":
        for child in noun.children:
            if child.dep_ in ("compound", "amod") and _word_metric(child):
                return _word_metric(child)
        if lem == "toll":
            return lex.nouns["toll"] if "toll" in lex.nouns else None
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        found = _noun_metric(pobj) or _modifier_metric(pobj)
                        if found:
                            return found
        return None
    return lex.nouns.get(lem) or lex.nouns.get(noun.lower_)


def _modifier_metric(noun: Token) -> str | None:
    """Metric from a clause or adjective on the counted noun: "15 soldiers killed", "29 dead"."""
    lex = lexicons()
    for child in noun.children:
        if child.dep_ in ("acl", "relcl") and child.pos_ in ("VERB", "AUX"):
            m = _verb_metric(child, noun)
            if m:
                return m
            if _lemma(child) in lex.speech_verbs:  # "22 hostages who Hamas said have been killed"
                for said in child.children:
                    if said.dep_ == "ccomp" and lex.verbs.get(_lemma(said)):
                        return lex.verbs[_lemma(said)]
    for child in noun.children:
        if child.dep_ in ("amod", "acomp") and child.pos_ in ("ADJ", "VERB") and child.i > noun.i:
            m = _word_metric(child) or lexicons().verbs.get(_lemma(child))
            if m:
                return m
    return None


def _modifier_adjective(noun: Token) -> str | None:
    for child in noun.rights:
        if child.dep_ in ("amod", "acomp", "oprd") and child.pos_ in ("ADJ", "VERB"):
            m = lexicons().adjs.get(child.lower_)
            if m:
                return m
    return None


def _custody_metric(verb: Token, noun: Token | None) -> str | None:
    lex = lexicons()
    if noun is not None:
        m = _noun_metric(noun)  # "hostages", "prisoners"
        if m in ("hostages", "detained"):
            return m
        for child in noun.children:  # "kidnapped workers", "students abducted last week"
            m = lex.verbs.get(_lemma(child)) or lex.adjs.get(child.lower_)
            if child.dep_ in ("amod", "acl", "relcl") and m in ("hostages", "detained"):
                return m
    fallback = lex.custody.get(_lemma(verb), "")
    if noun is not None and not _is_people(noun):
        return None  # "seized 15 grenades", "freed 3 trucks"
    return fallback or None


def _is_people(noun: Token) -> bool:
    """Whether a counted noun names people (``victim_nouns.csv``, a person/group entity, a metric noun)."""
    lex = lexicons()
    if _lemma(noun) in lex.victim_nouns or noun.lower_ in lex.victim_nouns:
        return True
    if noun.ent_type_ in ("NORP", "PERSON") or _noun_metric(noun):
        return True
    return any(c.dep_ == "compound" and c.ent_type_ in ("NORP", "GPE", "ORG") for c in noun.children)


def _verb_metric(verb: Token, noun: Token | None) -> str | None:
    """Metric a verb gives the number it governs, with its particles and objects."""
    lex = lexicons()
    lem = _lemma(verb)
    for child in verb.children:  # "took 240 people hostage", "are holding them captive", "shot 15 dead"
        if (child.dep_ in ("xcomp", "oprd", "acomp") or (child.dep_ == "advcl" and child.pos_ == "ADJ")) \
                and child.lower_ in lex.adjs:
            return lex.adjs[child.lower_]
        if child.dep_ == "prep" and child.lower_ == "as":  # "registered as displaced", "listed as missing"
            for g in child.children:
                if g.lower_ in lex.adjs:
                    return lex.adjs[g.lower_]
    if verb.i + 1 < len(verb.doc):  # "shot dead 15 worshippers": the adjective parsed onto the object
        after = verb.doc[verb.i + 1]
        if after.pos_ == "ADJ" and after.dep_ == "amod" and after.head.head.i == verb.i \
                and after.head.dep_ == "dobj" and lex.adjs.get(after.lower_) == "killed":
            return "killed"
    objects = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    objects += [p for c in verb.children if c.dep_ == "prep" for p in c.children if p.dep_ == "pobj"]
    # "treating 200 people for burns": the phrase hung on the object
    objects += [p for c in verb.children if c.dep_ == "dobj"
                for r in c.children if r.dep_ == "prep" for p in r.children if p.dep_ == "pobj"]
    for obj in objects:  # "took the lives of 35", "forced from their homes"
        if (lem, _lemma(obj)) in lex.verb_objects:
            return lex.verb_objects[(lem, _lemma(obj))]
    if lem in lex.custody:
        return _custody_metric(verb, noun)
    metric = lex.verbs.get(lem)
    if metric in ("detained", "hostages", "other") and noun is not None and not _is_people(noun):
        return None  # "arrested 1,000 kilos", "abducted 3 trucks", "40 lorries were stranded"
    if metric is None and verb.tag_ in ("VBG", "VBN"):  # "are missing" parsed as a verb
        metric = lex.adjs.get(verb.lower_)
    if metric is None:  # "were forced to flee", "were reported killed"
        for child in verb.children:
            if child.dep_ in ("xcomp", "oprd") and child.pos_ == "VERB":
                own_object = any(g.dep_ == "dobj" for g in child.children)
                metric = lex.verbs.get(_lemma(child)) or (None if own_object else lex.custody.get(_lemma(child)))
                if metric:  # "forced to flee", "ordered to evacuate"
                    break
    if metric is None or metric.startswith("killed_if"):
        return None
    # "killed or wounded", "killed and injured": two metrics on one count
    for child in verb.children:
        between = verb.doc[verb.i + 1 : child.i] if child.i > verb.i else None
        if child.dep_ == "conj" and child.pos_ == "VERB" and between is not None \
                and all(t.dep_ == "cc" for t in between) and len(between) <= 1:
            other = lex.verbs.get(_lemma(child))
            if other and {metric, other} == {"killed", "injured"}:
                return "killed_or_injured"
    return metric


def _copula_metric(be: Token, own: Token) -> tuple[str | None, Token | None, Token | None]:
    """Metric for a number in a "be" clause: "casualties are 12 women", "among the wounded are 14"."""
    among = None
    for child in be.children:
        if child.i == own.i:
            continue
        if child.dep_ in _SUBJECTS + ("attr",) and child.pos_ in ("NOUN", "PROPN"):
            m = _noun_metric(child)
            if m:
                return m, child, _among(child)
        if child.dep_ == "acomp" and _word_metric(child):
            return _word_metric(child), child, None
        if child.dep_ == "prep" and child.lower_ == "in":  # "12 activists are in custody"
            for pobj in child.children:
                if pobj.dep_ == "pobj" and ("be", _lemma(pobj)) in lexicons().verb_objects:
                    return lexicons().verb_objects[("be", _lemma(pobj))], pobj, None
        if child.dep_ == "prep" and child.lower_ in ("among", "of"):
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    among = pobj
                    m = _word_metric(pobj) or _noun_metric(pobj) or _modifier_metric(pobj)
                    if m:
                        return m, pobj, None
    if among is not None and among.lower_ in _PRONOUNS:
        return "inherit", among, None
    return None, None, None


def _among(noun: Token) -> Token | None:
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "among":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    return None


def _people_of(report: Token) -> Token | None:
    """The people a count noun counts: "the number of people killed ... rose to 57" -> people."""
    if _lemma(report) not in lexicons().report_nouns:
        return None
    part = _partitive(report)
    return part if part is not None and part.lower_ not in _PRONOUNS and _is_people(part) else None


def _partitive(tok: Token) -> Token | None:
    """The X in "19 of X", "95 of its soldiers", "50 of the 240 hostages"."""
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    return None


def _inclusive(prep: Token) -> bool:
    """A preposition that adds its object to the count: "including", "among", "along with"."""
    low = prep.lower_
    if low in ("including", "among", "amongst", "plus"):
        return True
    return low == "with" and prep.i > 0 and prep.doc[prep.i - 1].lower_ in ("along", "together")


def _share_of(tok: Token, quantifiers: frozenset[str]) -> bool:
    """Whether ``tok`` is the whole of a share: "half of the 40 victims", "all of its 2.3 million people"."""
    if tok.dep_ != "pobj" or tok.head.lower_ != "of":
        return False
    owner = tok.head.head
    return owner.lower_ in quantifiers or _lemma(owner) in quantifiers


def _counted(doc: Doc, num: NumberPhrase) -> Counted | None:
    """What ``num`` counts, or None when it counts nothing the guide calls a figure."""
    lex = lexicons()
    anchor = doc[num.last]
    noun: Token | None = None
    role = anchor
    if anchor.dep_ in ("nummod", "quantmod", "amod") and anchor.head.pos_ in ("NOUN", "PROPN", "ADJ", "PRON") \
            and anchor.head.i > anchor.i:
        noun = anchor.head
        role = noun
    else:
        part = _partitive(anchor)
        if part is not None:
            noun = part if part.pos_ in ("NOUN", "PROPN") or _word_metric(part) else None
        elif anchor.dep_ in ("nsubj", "nsubjpass") and anchor.head.pos_ == "NOUN" and anchor.head.i > anchor.i:
            noun = anchor.head  # "19 of them children" parsed with "children" as the head
    if noun is not None and (_lemma(noun) in lex.non_victims or noun.lower_ in lex.non_victims):
        return None
    if noun is not None and noun.dep_ == "pobj" and noun.head.lower_ in ("of", "from") and any(
            c.dep_ == "nummod" for c in noun.head.head.children):
        return None  # describes another count: "eight members of one family"
    if anchor.lower_ == "one" and num.first == num.last and (noun is None or noun.i < anchor.i) \
            and not (noun is not None and _word_metric(noun)):
        return None  # the pronoun "one" ("one of the gunmen", "one with whom...") is not a count
    if _share_of(noun if noun is not None else anchor, lex.partitive_quantifiers):
        return None
    # 1. the counted noun itself, when no verb overrides it
    own = _noun_metric(noun) if noun is not None else None
    modified = _modifier_metric(noun) if noun is not None else None
    if modified in _HARM_METRICS and noun is not None:  # "56 people dead", "hostages who were killed"
        return Counted(modified, noun, noun, role, _among(noun))
    own = own or modified
    if noun is None:  # "evacuated 20 wounded": the number's own adjective
        own = _modifier_metric(anchor)
    if noun is not None and not own:  # "leaving 17 guerrillas and 2 soldiers dead": the adjective ends the list
        for conj in noun.children:
            if conj.dep_ == "conj":
                own = _modifier_adjective(conj)
                if own:
                    break
    # 2. climb from the role token to the word governing it
    tok = role
    among: Token | None = _among(noun) if noun is not None else None
    for _ in range(MAX_CLIMB):
        head, dep = tok.head, tok.dep_
        if head.i == tok.i:
            break
        if dep == "conj":  # "12 women and seven children": take the first conjunct's place
            tok = head
            continue
        if head.pos_ in ("VERB", "AUX"):
            if head.dep_ in ("aux", "auxpass") and head.head.pos_ == "VERB" and dep in _SUBJECTS:
                head = head.head  # "67,000 people remained displaced" parsed with "remained" as an auxiliary
            if _lemma(head) == "be":
                m, mtok, among2 = _copula_metric(head, tok)
                if m:
                    return Counted(m, mtok, noun, role, among2 or among)
                break
            m = _verb_metric(head, noun)
            if m and own and dep == "prep":
                return Counted(own, noun, noun, role, among)  # "injured 33, with 29 dead"
            if m and dep == "prep" and not _inclusive(tok):
                m = None  # "killed in clashes with 200 rebels": the rebels are not counted
            if m:
                strong = _lemma(head) not in lex.custody or not own
                return Counted(m if strong else own or m, head, noun, role, among)
            # a count reached through "to"/"at" takes the verb's subject or object noun
            if dep == "prep" and (tok.lower_ in ("to", "at", "of") or _inclusive(tok)):
                for child in head.children:
                    if child.dep_ in ("nsubj", "nsubjpass", "dobj") and child.pos_ in ("NOUN", "PROPN"):
                        nm = _noun_metric(child)
                        if nm:
                            return Counted(nm, child, noun or _people_of(child), role, _among(child) or among)
            if dep in ("dobj", "attr"):  # "the death toll has reached more than 1,000", "the dead included 9"
                subj = _subject(head)
                counts = subj is not None and (_lemma(subj) in lex.report_nouns or _lemma(head) in _INCLUDE_VERBS)
                if subj is not None and counts and (_noun_metric(subj) or _word_metric(subj)):
                    metric = _noun_metric(subj) or _word_metric(subj) or ""
                    return Counted(metric, subj, noun or _people_of(subj), role, _among(subj) or among)
            if dep in ("acl", "relcl", "advcl", "xcomp", "ccomp", "conj") or dep in _SUBJECTS or dep == "dobj":
                break
            tok = head
            continue
        if head.pos_ in ("NOUN", "PROPN") and dep in ("pobj", "prep", "nummod", "appos", "npadvmod", "nsubj",
                                                       "compound"):
            if dep == "prep":
                nm = _noun_metric(head)
                if nm and tok.lower_ in ("of", "among", "to", "at"):
                    return Counted(nm, head, noun, role, _among(head) or among)
            tok = head
            continue
        if head.pos_ == "ADP" or dep in ("npadvmod", "appos", "advmod", "pobj", "prep"):
            tok = head
            continue
        break
    if own:
        return Counted(own, noun, noun, role, among)
    # 3. a metric adjective or clause on the number itself: "at least 29 dead"
    m = _modifier_metric(anchor)
    if m:
        return Counted(m, None, noun, role, among)
    # 4. a metric adjective before the counted noun, when nothing governs it: "1,500 displaced people arrived"
    if noun is not None:
        for child in noun.lefts:
            if child.dep_ == "amod" and child.lower_ in lex.adjs and child.i > anchor.i:
                return Counted(lex.adjs[child.lower_], child, noun, role, among)
    # 5. a sub-count of the figure before it: "26 people, four of whom are policemen, were injured"
    part = _partitive(anchor)
    if part is not None and part.lower_ in _PARTITIVE_PRONOUNS:
        victims = next((c for c in anchor.head.children if c.dep_ == "attr" and c.pos_ == "NOUN"), None)
        return Counted("inherit", None, victims, role, None)
    return None


# ----------------------------------------------------------------------------- filters


def _excluded(doc: Doc, num: NumberPhrase) -> bool:
    """Ages, dates, percentages, money, ranges and ratios are never figures."""
    toks = doc[num.first : num.last + 1]
    if any(t.ent_type_ in NON_COUNT_ENTS for t in toks):
        return True
    nxt = doc[num.last + 1] if num.last + 1 < len(doc) else None
    prev = doc[num.bound_first - 1] if num.bound_first > 0 else None
    if nxt is not None:
        if nxt.text in ("%", "-") or nxt.lower_ in ("percent", "per", "to", "out", "in", "or"):
            after = doc[num.last + 2] if num.last + 2 < len(doc) else None
            if nxt.text in ("%",) or nxt.lower_ in ("percent", "per"):
                return True
            if after is not None and (after.like_num or after.lower_ in ("of",)) and nxt.lower_ != "in":
                return True  # "10 to 20", "10-20", "one out of five"
            if nxt.lower_ == "in" and after is not None and after.like_num:
                return True  # "one in five"
    if prev is not None and prev.text == "," and nxt is not None and nxt.text == "," and num.first >= 2 \
            and doc[num.first - 2].pos_ == "PROPN":
        return True  # an age after a name: "Ahmed Saleh, 25, was killed"
    if prev is not None and (prev.lower_ in ("between", "from", "$", "€", "£", "no.", "number", "aged", "age")
                             or prev.is_currency or prev.text in ("#",)):
        return True
    if len(toks) == 1 and toks[0].text.isdigit() and len(toks[0].text) == 4 and 1900 <= int(toks[0].text) <= 2100:
        return True
    return False


# ----------------------------------------------------------------------------- source, scope, dispute


def _clean_phrase(tok: Token) -> tuple[int, int] | None:
    """Token range of a noun phrase as a name: determiners, appositions and clauses dropped."""
    drop = {t.i for c in tok.children if c.dep_ in ("appos", "relcl", "acl", "punct", "cc", "conj", "advcl")
            for t in c.subtree}
    keep = [t for t in tok.subtree if t.i not in drop]
    while keep and (keep[0].dep_ in ("det", "punct", "cc") or keep[0].text in _QUOTES
                    or (keep[0].dep_ == "poss" and keep[0].pos_ == "PRON")):  # "their lawyers" -> "lawyers"
        keep.pop(0)
    while keep and (keep[-1].is_punct or keep[-1].dep_ == "case"):
        keep.pop()
    if not keep:
        return None
    return keep[0].i, keep[-1].i


def _name_of(doc: Doc, tok: Token) -> str | None:
    rng = _clean_phrase(tok)
    if rng is None:
        return None
    span = doc[rng[0] : rng[1] + 1]
    return _strip_possessive(span.text)


def _strip_possessive(name: str) -> str:
    """"the ministry's" -> "the ministry" (a source is the party, not its tally); "their lawyers" -> "lawyers"."""
    first, _, rest = name.partition(" ")
    if rest and first.lower() in ("his", "her", "its", "their", "our", "my", "your"):
        name = rest
    for suffix in ("'s", "\u2019s", "'", "\u2019"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)].rstrip()
    return name


def _according_to(sent: Span) -> Token | None:
    lex = lexicons()
    tb = token_table(sent.doc)
    for i in range(sent.start, sent.end):
        if tb.lemma[i] != "cite" and tb.lower[i] != "according":
            continue   # (the only two words read below)
        tok = sent.doc[i]
        if _lemma(tok) == "cite" and tok.tag_ == "VBG":  # "..., citing figures from the health ministry"
            for obj in tok.children:
                if obj.dep_ == "dobj" and obj.pos_ in ("NOUN", "PROPN"):
                    return _source_of_report(obj, lex.report_nouns)
        if tok.lower_ == "according":
            for to in tok.children:
                if to.lower_ == "to":
                    for pobj in to.children:
                        if pobj.dep_ == "pobj":
                            return _source_of_report(pobj, lex.report_nouns)
            nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
            if nxt is not None and nxt.lower_ == "to":
                for pobj in nxt.children:
                    if pobj.dep_ == "pobj":
                        return _source_of_report(pobj, lex.report_nouns)
    return None


def _source_of_report(noun: Token, report_nouns: frozenset[str]) -> Token:
    """"the latest toll from X" -> X; "X's tally" -> X; otherwise the noun itself."""
    if _lemma(noun) in report_nouns:
        for child in noun.children:
            if child.dep_ == "poss" and child.lower_ not in _PRONOUNS:
                return child
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
                for pobj in child.children:
                    if pobj.dep_ == "pobj" and pobj.pos_ in ("NOUN", "PROPN"):
                        return pobj
    return noun


def _speech_subject(start: Token) -> Token | None:
    """Subject of the nearest speech verb whose content clause holds ``start``."""
    lex = lexicons()
    for child in start.children:  # "hostages who Hamas said were killed"
        if child.dep_ in ("relcl", "acl") and _lemma(child) in lex.speech_verbs:
            subj = _subject(child)
            if subj is not None and subj.pos_ != "PRON":
                return subj
    tok = start
    for _ in range(MAX_ATTRIBUTION_CLIMB):
        head = tok.head
        # "X said" written after the content, parsed as its dependent
        for child in tok.children:
            if child.dep_ in ("parataxis", "advcl", "ccomp") and _lemma(child) in lex.speech_verbs \
                    and child.i > start.i and not any(g.dep_ in ("ccomp", "mark") for g in child.children):
                subj = _subject(child)
                if subj is not None and subj.lower_ not in _FIRST_PERSON:
                    return subj
        if head.i == tok.i:
            break
        if _lemma(head) in lex.speech_verbs and head.pos_ in ("VERB", "AUX") and tok.dep_ in (
            "ccomp", "parataxis", "xcomp", "conj", "dobj", "nsubj", "nsubjpass"
        ):
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.i < head.i and _same(_subject(head), tok):
                tok = head
                continue
            subj = _subject(head)
            if subj is not None and subj.lower_ not in _FIRST_PERSON:  # "we counted 62 bodies," said X
                return subj
        tok = head
    return None


def _same(a: Token | None, b: Token) -> bool:
    """Token identity (spaCy makes a new Token object on every access, so ``is`` never holds)."""
    return a is not None and a.i == b.i


def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("nsubj",):
            return child
    for child in verb.children:  # "was reported by X"
        if child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    for child in verb.lefts:  # "..., a doctor there said": the parser's npadvmod subject
        if child.dep_ == "npadvmod" and child.pos_ in ("NOUN", "PROPN") and child.i == verb.i - 1 - sum(
                1 for _ in child.rights):
            return child
    return None


def _clause_tokens(head: Token, counted: Counted) -> list[Token]:
    """The figure's own clause: the governing verb's subtree without embedded clauses,
    keeping a "since ..." clause and the counted noun's own modifiers."""
    out: list[Token] = []
    stack = [head]
    while stack:
        tok = stack.pop()
        out.append(tok)
        for child in tok.children:
            if child.dep_ in _CLAUSE_BREAKS and child.i != counted.role_token.i:
                if child.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ == "since" for g in child.children):
                    out.extend(child.subtree)
                continue
            stack.append(child)
    if counted.victims is not None:
        for child in counted.victims.children:
            if child.dep_ in ("relcl", "acl"):
                out.extend(child.subtree)
    if head.dep_ == "conj":  # the subject shared by coordinated verbs: "The war has ... killed"
        subj = _subject(head.head)
        if subj is not None:
            out.extend(subj.subtree)
    # a relative clause's subject "that"/"which" stands for the noun it modifies:
    # "an offensive that has killed 40" reads the cue "offensive"
    first_verb = head.head if head.dep_ == "conj" else head
    relative_subject = _subject(first_verb)
    if first_verb.dep_ == "relcl" and relative_subject is not None and relative_subject.lower_ in _RELATIVES:
        out.append(first_verb.head)
    # modifiers written once for coordinated verbs: "2,345 were killed and 10,200 injured since May"
    first = head.head if head.dep_ == "conj" else head
    for verb in [first, *(c for c in first.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"))]:
        if verb.i == head.i:
            continue
        for child in verb.children:
            if child.dep_ in ("prep", "npadvmod", "advmod") and child.i > verb.i:
                out.extend(child.subtree)
    return out


def _governing_clause(counted: Counted) -> Token:
    """The verb whose clause the figure belongs to."""
    tok = counted.metric_token or counted.role_token
    for _ in range(MAX_CLIMB + 2):
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("acl", "amod"):
            return tok
        if tok.head.i == tok.i:
            return tok
        tok = tok.head
    return tok


def _scope(counted: Counted, clause: list[Token], value: int, verb: Token) -> str:
    lex = lexicons()
    in_clause = {t.i for t in clause}
    for tok in clause:
        if _lemma(tok) in lex.scope_cues or tok.lower_ in lex.scope_cues:
            return "cumulative"
        for phrase in lex.scope_phrases:  # "so far", "this year"
            if tok.lower_ != phrase[0]:
                continue
            end = tok.i + len(phrase)
            if end <= len(tok.doc) and all(i in in_clause for i in range(tok.i, end)) and tuple(
                    t.lower_ for t in tok.doc[tok.i : end]) == phrase:
                return "cumulative"
    if counted.metric in ("killed", "killed_or_injured", "injured"):
        if value >= CUMULATIVE_MIN_VALUE:
            return "cumulative"
        perfect = verb.pos_ in ("VERB", "AUX") and any(
            c.dep_ == "aux" and _lemma(c) == "have" for c in verb.children)
        if perfect and value >= CUMULATIVE_PERFECT_MIN_VALUE:
            return "cumulative"
    if counted.metric not in STATE_METRICS:
        return "incident"
    state_verbs = [verb] if _lemma(verb) in lex.state_verbs or counted.metric != "hostages" else []
    if counted.victims is not None:  # "the 240 hostages it is holding"
        state_verbs += [c for c in counted.victims.children
                        if c.dep_ in ("relcl", "acl") and _lemma(c) in lex.state_verbs]
    for sv in state_verbs:
        if _holds_now(sv):
            return "cumulative"
    return "incident"


def _holds_now(verb: Token) -> bool:
    """Whether a state verb's tense says the state still holds: its finite word (the first
    auxiliary, else the verb) is in the present ("are held", "have fled", "is being
    sheltered"), or a bare participle ("thousands fleeing"). The past ("had fled", "were
    being evacuated") and modals ("will be displaced") describe one moment."""
    auxes = sorted((c for c in verb.children if c.dep_ in ("aux", "auxpass")), key=lambda t: t.i)
    if not auxes:
        return verb.tag_ in ("VBZ", "VBP", "VBG")
    if auxes[0].tag_ == "VBD" and _lemma(auxes[0]) == "have" and _reported(verb) and not _within_period(verb):
        return True   # "the agency said 32,000 had been displaced": "have been", shifted back by "said"
    return auxes[0].tag_ in ("VBZ", "VBP")


def _within_period(verb: Token) -> bool:
    """ "had fled in two days", "had fled on Monday": a count over a bounded time."""
    return any(c.dep_ == "prep" and c.lower_ in {"in", "on", "within", "over", "during"}
               and any(o.dep_ == "pobj" and o.ent_type_ in {"DATE", "TIME"} for o in c.children)
               for c in verb.children)


def _reported(verb: Token) -> bool:
    """The clause is what a past-tense reporting verb says ("X said [that] ... had fled")."""
    head = verb.head
    return verb.dep_ == "ccomp" and head.tag_ == "VBD" and _lemma(head) in speech_lexicon().cues


def _disputed_by(sent: Span, doc: Doc, figure_tokens: set[int]) -> str | None:
    lex = lexicons()
    sents = [sent]
    if sent.end < len(doc):
        sents.append(doc[sent.end].sent)
    tb = token_table(doc)
    for k, s in enumerate(sents):
        for i in range(s.start, s.end):
            if (tb.lemma[i] not in lex.dispute_verbs and tb.lower[i] not in lex.dispute_verbs) \
                    or tb.pos[i] not in ("VERB", "ADJ"):
                continue
            tok = doc[i]
            if tok.pos_ == "ADJ" and tok.dep_ in ("oprd", "acomp", "xcomp", "ccomp") and tok.head.pos_ in ("VERB", "AUX"):
                tok = tok.head  # "Hamas called the figures exaggerated", "X said the toll was inflated"
            target = tok.head if tok.dep_ in ("acl", "amod", "relcl") else None
            objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "nsubj")]
            about_count = any(_lemma(o) in lex.count_nouns for o in objs) or (
                target is not None and (_lemma(target) in lex.count_nouns or target.i in figure_tokens))
            if not about_count:
                continue
            if k == 1 and not any(c.lower_ in ("the", "this", "that", "these", "those")
                                  for o in objs for c in o.children):
                continue
            agent = next((p for c in tok.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"), None)
            who = agent if agent is not None else next((c for c in tok.children if c.dep_ == "nsubj"
                                                        and _lemma(c) not in lex.count_nouns), None)
            if who is None and tok.dep_ == "ccomp" and _lemma(tok.head) in lex.speech_verbs:
                who = _subject(tok.head)  # "Israel said the toll was inflated"
            if who is None and target is not None and target.head.pos_ in ("VERB", "AUX"):
                who = _subject(target.head)  # "the rebels called the figure exaggerated" (parsed as amod)
            if who is not None and who.lower_ in ("which", "who", "that") and tok.dep_ == "relcl":
                who = tok.head  # "Hamas, which disputed the figure"
            if who is not None and who.lower_ not in _PRONOUNS and who.pos_ != "PRON":
                return _name_of(doc, who)
    return None


# ----------------------------------------------------------------------------- victims, span


def _victims_text(doc: Doc, counted: Counted) -> tuple[str | None, list[int]]:
    noun = counted.victims
    if counted.among is not None and counted.among.lower_ not in _PRONOUNS:
        rng = _clean_phrase(counted.among)
        if rng:
            return doc[rng[0] : rng[1] + 1].text, [rng[0], rng[1]]
    if noun is None or noun.lower_ in _PRONOUNS:
        return None, []
    if counted.metric in NOUN_IS_METRIC_ONLY and _noun_metric(noun) == counted.metric:
        return None, [noun.i]
    mods = [c for c in noun.lefts if c.dep_ in ("compound", "amod") and c.lower_ not in VICTIM_SKIP_MODIFIERS
            and not any(t.like_num for t in c.subtree)]  # not the age in "a 12-year-old girl"
    first = min([m.i for m in mods] + [noun.i])
    # keep only a contiguous run ending at the noun
    i = noun.i
    while i > first and doc[i - 1] in mods:
        i -= 1
    return doc[i : noun.i + 1].text, [i, noun.i]


# ----------------------------------------------------------------------------- main


@dataclass(frozen=True)
class _Spoken:
    """The article's statements, and the spans of those with a speaker, indexed."""

    statements: list[Statement]
    spans: SpanIndex

    @classmethod
    def of(cls, statements: list[Statement]) -> _Spoken:
        return cls(statements, SpanIndex.build([(st.start, st.end, n) for n, st in enumerate(statements) if st.speaker]))


def _in_statement(start: int, end: int, spoken: _Spoken) -> Statement | None:
    """The shortest statement with a speaker holding ``start``-``end`` (the first of equal ones)."""
    n = spoken.spans.smallest_holding(start, end)
    return spoken.statements[n] if n is not None else None


def _is_pronoun_name(name: str | None) -> bool:
    return name is None or name.strip().lower() in _PRONOUNS


def find_figures(ctx: Context, statements: list[Statement]) -> list[Figure]:
    """Every figure of the article, in text order."""
    doc = ctx.doc
    spoken = _Spoken.of(statements)
    figures: list[Figure] = []
    last_metric: str | None = None
    last_sent: tuple[int, ...] = ()
    bound_of_noun: dict[int, str] = {}  # counted noun -> bound written for it
    tallies: set[int] = set()  # figures (by start) that update a count: "the toll rose to 30"
    for num in find_numbers(doc):
        if _excluded(doc, num):
            continue
        counted = _counted(doc, num)
        if counted is None:
            continue
        if counted.metric == "inherit":
            here = doc[num.first].sent.start
            if last_metric is None or here not in last_sent:  # the same or the next sentence only
                continue
            counted = Counted(last_metric, counted.metric_token, counted.victims, counted.role_token, None)
        if counted.metric not in _METRICS:
            continue
        last_metric = counted.metric
        last_sent = (doc[num.first].sent.start, doc[num.first].sent.end)
        bound = num.bound
        noun = counted.victims
        if noun is not None:
            if bound == "exact" and noun.dep_ == "conj":  # "at least 12 women and seven children"
                bound = bound_of_noun.get(noun.head.i, bound)
            bound_of_noun[noun.i] = bound
        fig = _build(ctx, num, counted, spoken, bound)
        if fig is not None and _back_reference(doc, num, counted, fig, figures):
            continue
        if fig is not None:
            figures.append(fig)
            if _is_tally(counted):
                tallies.add(fig.start)
    return _carry_sources(doc, _without_restated_headlines(ctx, figures), tallies)


def _without_restated_headlines(ctx: Context, figures: list[Figure]) -> list[Figure]:
    """A headline's "at least 183 killed" restates a figure of the body: it is not a figure of its
    own (no gold set counts one). A heading whose number the body does not give keeps it (text in
    capitals, as old wire copy is, can read as one long heading)."""
    heading = [in_heading(ctx, f.start) for f in figures]
    if not any(heading):
        return figures
    body = {(f.value, f.metric) for f, head in zip(figures, heading, strict=True) if not head}
    return [f for f, head in zip(figures, heading, strict=True) if not (head and (f.value, f.metric) in body)]


def _back_reference(doc: Doc, num: NumberPhrase, counted: Counted, fig: Figure, earlier: list[Figure]) -> bool:
    """A definite count of people an earlier figure already counted: "the bodies of the six
    workers" after "killed seven aid workers". Only a bare "the/these/those N X" is read so;
    "the remaining 129 captives" or "another 12" is news of its own."""
    noun = counted.victims
    if noun is None or num.bound != "exact":
        return False
    dets = [c for c in noun.lefts if c.i < num.bound_first]
    if not any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in dets):
        return False
    if any(c.lower_ in VICTIM_SKIP_MODIFIERS for c in noun.lefts):
        return False
    return any(f.metric == fig.metric and f.value >= fig.value and f.end <= fig.start for f in earlier)


def _sentence_ordinals(doc: Doc) -> dict[int, int]:
    return {s.start: k for k, s in enumerate(doc.sents)}


def _is_tally(counted: Counted) -> bool:
    """Whether a figure updates a count named by a noun ("the death toll rose to 30",
    "among the wounded are 14 children") rather than telling of an event with a verb."""
    tok = counted.metric_token
    if tok is None or tok.pos_ not in ("NOUN", "ADJ"):
        return False
    return counted.victims is None or tok.i != counted.victims.i


def _carry_sources(doc: Doc, figures: list[Figure], tallies: set[int]) -> list[Figure]:
    """Give an unsourced figure the claimant its context names: the previous figure's
    source in the same sentence ("57 killed, governor X said, with 109 wounded"), or,
    when its own claimant is a pronoun ("He said 30 were wounded"), the last named source
    of the previous ``PRONOUN_CARRY_SENTENCES`` sentences, or, for a count update in the
    next sentence of the same paragraph with no claimant of its own ("X said 12 were
    killed. The death toll later rose to 30."), the previous sentence's source."""
    ordinal = _sentence_ordinals(doc)
    out: list[Figure] = []
    last: tuple[str, int] | None = None   # (source, sentence ordinal)
    for fig in figures:
        span = doc.char_span(fig.start, fig.end, alignment_mode="expand")
        first = span[0] if span is not None and len(span) else None
        here = ordinal[first.sent.start] if first is not None else -1
        if fig.source is None and last is not None:
            same_sentence = last[1] == here
            by_pronoun = here - last[1] <= PRONOUN_CARRY_SENTENCES and first is not None \
                and _pronoun_claimant(first.sent, fig)
            update = here - last[1] == 1 and fig.start in tallies and first is not None \
                and _continues(doc, first.sent)
            if same_sentence or by_pronoun or update:
                fig = replace(fig, source=last[0], source_actor=canonical_actor(last[0]))
        if fig.source is not None:
            last = (fig.source, here)
        out.append(fig)
    return out


def _continues(doc: Doc, sent: Span) -> bool:
    """Whether a sentence goes on in the previous one's paragraph with no speech verb
    or "according to" of its own."""
    # the text between the previous token and the sentence is that token's trailing space:
    # read it there, not from doc.text, which rebuilds the whole article on each access
    if sent.start > 0 and "\n" in doc[sent.start - 1].text_with_ws:
        return False
    lex = lexicons()
    if any(_lemma(t) in lex.speech_verbs and t.pos_ in ("VERB", "AUX") for t in sent):
        return False
    return _according_to(sent) is None


def _pronoun_claimant(sent: Span, fig: Figure) -> bool:
    """Whether the figure sits in the content of a speech verb whose subject is a pronoun."""
    inside = [t for t in sent if fig.start <= t.idx < fig.end]
    for tok in inside:
        subj = _speech_subject(tok)
        if subj is not None:
            return subj.lower_ in _THIRD_PERSON
    return False


_METRICS = frozenset({"killed", "injured", "killed_or_injured", "missing", "hostages", "detained",
                      "displaced", "sheltering", "other"})


def _build(ctx: Context, num: NumberPhrase, counted: Counted, spoken: _Spoken, bound: str) -> Figure:
    doc = ctx.doc
    victims, vidx = _victims_text(doc, counted)
    idxs = [num.bound_first, num.last, *vidx]
    if counted.metric_token is not None:
        idxs.append(counted.metric_token.i)
    first, last = min(idxs), max(idxs)
    start, end = doc[first].idx, doc[last].idx + len(doc[last].text)
    verb = _governing_clause(counted)
    clause = _clause_tokens(verb, counted)
    scope = _scope(counted, clause, num.value, verb)
    sent = doc[num.first].sent
    source = _source(doc, sent, counted, num.start, num.end, spoken)  # the number inside a quote
    disputed = _disputed_by(sent, doc, set(range(first, last + 1)))
    return Figure(
        start=start, end=end, text=ctx.text[start:end], number=num.text, value=num.value, bound=bound,
        metric=counted.metric, victims=victims, scope=scope, source=source,
        source_actor=canonical_actor(source), disputed_by=disputed, disputed_by_actor=canonical_actor(disputed),
    )


def _source(doc: Doc, sent: Span, counted: Counted, start: int, end: int,
            spoken: _Spoken) -> str | None:
    lex = lexicons()
    origin = counted.metric_token if counted.metric_token is not None else counted.role_token
    subj = _speech_subject(origin)
    st = _in_statement(start, end, spoken)
    named = subj is not None and subj.lower_ not in _PRONOUNS and subj.pos_ not in ("PRON", "DET")
    nested = named and st is not None and subj is not None and st.start <= subj.idx < st.end
    if st is not None and st.speaker and not _is_pronoun_name(st.speaker) and not nested:
        return _strip_possessive(st.speaker)
    # a speech verb inside the statement's own content is the nearer claimant:
    # "X said ..., after an assault that the UN says killed 100 people" -> the UN
    if subj is not None and subj.lower_ not in _PRONOUNS and subj.pos_ not in ("PRON", "DET"):
        return _name_of(doc, subj)
    acc = _according_to(sent)
    if acc is not None and acc.lower_ not in _PRONOUNS:
        return _name_of(doc, _source_of_report(acc, lex.report_nouns))
    return None
