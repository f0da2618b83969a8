"""Named places, geocoded from the offline gazetteer (issue 4).

Stages, each a small function over the parsed ``Doc``:

1. gazetteer mentions: every token window that starts and ends with a capital
   (no punctuation or sentence end inside) whose folded text is a gazetteer name
   (``fogwatch.gazetteer``), checked against the parse and NER. Curated places,
   countries and regions are taken unless inside a person's name or an
   organisation's ("Sudan Doctors Network", "Arakan Army"); a GeoNames town
   needs NER, a locative cue or designator, "in <its country or region>", a
   dateline, or a big population under its main name. Hyphened modifiers
   ("Kenya-led") and demonyms are not places. A proper name no rule vouches for
   is kept as a *weak* mention, taken later only inside the article's countries;
2. designators: "Kharkiv oblast", "region of Kharkiv" make the region of that
   name, "Hpakant township" the district; "Kharkiv city" stays the city
   (``resources/gazetteer/designators.csv``);
3. NER spans the packaged gazetteer does not know: the user's GeoNames import
   (``fogwatch.gazetteer.import_geonames``), then the consonant skeleton inside
   the article's countries;
4. named facilities and camps: a proper name followed by a head noun of
   ``resources/gazetteer/facility_words.csv`` ("Nasser hospital", "Zamzam
   camp"), unless the name is itself a place and the head generic ("Gaza
   hospital"; but "Kramatorsk railway station");
5. resolution: same-named places go to the country of a following "in <country>",
   else to the countries the article names most, else to the biggest; a main name
   beats another place's variant; facilities without a point take their city's
   ("city" precision);
6. one Place per place referred to (a bare "Jabalia" beside "Jabalia refugee
   camp" is the camp), named by its gazetteer name if written, else its fullest
   mention, listed in order of first mention. Every mention's span is left in
   ``ctx.cache["place_mentions"]`` as (start, end, index into the places).
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from dataclasses import dataclass, replace

from spacy.attrs import IDX, IS_ALPHA, IS_PUNCT, IS_SPACE, LOWER, ORTH, POS, SENT_START, SPACY, TAG
from spacy.strings import StringStore
from spacy.tokens import Doc, Span, Token

from fogwatch.errors import GazetteerError
from fogwatch.extract.actors import canonical_actor, get_actor
from fogwatch.extract.context import Context
from fogwatch.gazetteer.entry import GazEntry
from fogwatch.gazetteer.load import Gazetteer, get_gazetteer, read_csv, read_lines, stopwords
from fogwatch.gazetteer.names import ARTICLES, fold
from fogwatch.gazetteer.scan import NameReach
from fogwatch.gazetteer.user import has_user_gazetteer, user_lookup
from fogwatch.model import Place

# Longest place name tried, in tokens ("Al - Ahli al - Arabi hospital" is 7).
MAX_NAME_TOKENS = 9
# A GeoNames town with no NER label and no locative cue is still taken when this
# big: on dev, every unlabelled town the small model missed was a large city
# (Dnipro, Kharkiv), and towns this size are rarely ordinary words.
UNLABELLED_MIN_POPULATION = 100_000
# NER often labels conflict town names PERSON or ORG (Khan Yunis → PERSON); such an
# exact entity is taken as the town when the town is at least this big.
MISLABEL_MIN_POPULATION = 10_000
# Weight of "in one of the article's countries" against population when choosing
# between same-named places: it must beat any population ratio (log10 scale).
COUNTRY_CONTEXT_WEIGHT = 20.0
# A place matched only through one of its alternate names (often a former name:
# Engels was once "Pokrovsk"; an Israeli town's variant "Tire") loses against one
# whose main name is written, unless its country is named clearly more often
# (8 = 40% of the country weight: "Tyre ... in south Lebanon" stays Lebanese in an
# article naming Israel more often) or it is vastly bigger.
ALTERNATE_NAME_PENALTY = 8.0

# Actor kinds a place name may stand for by metonymy ("Moscow said").
PLACE_LIKE_ACTORS = frozenset({"state", "government"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# NER labels conflict town names PERSON or ORG; NORP (Syrian, Thai) is never a place.
MISLABELS = frozenset({"PERSON", "ORG"})
LOCATIVE_CUES = frozenset({"in", "near", "outside", "at", "from", "to", "into", "around", "toward", "towards"})
NAME_PARTICLES = frozenset({"al", "el", "bin", "ibn", "de", "du", "des", "la", "le"})
NAME_CONNECTORS = ARTICLES | NAME_PARTICLES
_NAME_PUNCT = frozenset({"-", "'", "’", "‘", "."})
_FUNCTION_POS = frozenset({"DET", "PRON", "ADP", "CCONJ", "SCONJ", "AUX", "VERB", "PART", "NUM"})
# "<town> in <country or region>" / "<town>, <country>": the words that link them,
# and the longest container name tried ("Democratic Republic of Congo" is handled
# by the NER or dateline rules; four tokens cover "North Kivu", "Shan State").
CONTAINER_LINKS = frozenset({"in", ",", "("})
CONTAINER_MAX_TOKENS = 4
# Tokens of a list of names skipped before its "in": "Tyre , Sidon and Nabatieh in".
CONTAINER_LIST_TOKENS = 8
CITY_LIKE = frozenset({"city", "camp", "district"})
# Sentence-dash datelines: "GAZA:", "THE HAGUE –", "KYIV, Ukraine".
_DATELINE_FOLLOWERS = frozenset({":", "-", "–", "—", ",", "("})


@dataclass(frozen=True)
class Mention:
    start: int                    # token indexes into the Doc
    end: int
    candidates: tuple[GazEntry, ...]
    kind: str | None = None       # forced kind ("region" from a designator)
    loose: bool = False           # found by skeleton: only inside the article's countries
    facility_core: str | None = None  # the proper name of an uncurated facility/camp
    keys: frozenset[str] = frozenset()  # the folded forms of the mention's name
    container: str | None = None  # country of a following "in <country/region>"
    weak: bool = False            # no rule vouched for it: kept only inside the article's countries
    city_cue: bool = False        # "Kharkiv city", "the town of X": the town itself, never its region


# --------------------------------------------------------------------------- lexicons


@functools.lru_cache(maxsize=1)
def _designators() -> tuple[dict[str, str], dict[tuple[str, ...], str]]:
    after: dict[str, str] = {}
    before: dict[tuple[str, ...], str] = {}
    for row in read_csv("designators.csv"):
        words = tuple(row["word"].lower().split())
        if row["position"] == "after" and len(words) == 1:
            after[words[0]] = row["kind"]
        elif row["position"] == "before":
            before[words] = row["kind"]
    return after, before


@functools.lru_cache(maxsize=1)
def _party_words() -> frozenset[str]:
    return read_lines("party_words.txt")


@functools.lru_cache(maxsize=1)
def _civil_words() -> frozenset[str]:
    return read_lines("civil_words.txt")


@functools.lru_cache(maxsize=1)
def _facility_heads() -> dict[tuple[str, ...], str]:
    return {tuple(r["word"].lower().split()): r["kind"] for r in read_csv("facility_words.csv")}


@functools.lru_cache(maxsize=1)
def _named_by_place() -> frozenset[tuple[str, ...]]:
    """Heads for which "<Town> <head>" is one named facility ("Kramatorsk railway station")."""
    return frozenset(
        tuple(r["word"].lower().split()) for r in read_csv("facility_words.csv")
        if (r.get("named_by_place") or "").strip().lower() == "yes"
    )


# --------------------------------------------------------------------------- helpers


def _capitalised(tok: Token) -> bool:
    return _capitalised_word(tok.text, tok.is_alpha)


def _capitalised_word(text: str, is_alpha: bool) -> bool:
    return text[:1].isupper() and (is_alpha or any(c.isalpha() for c in text))


@dataclass(frozen=True)
class _Tokens:
    """Per-token attributes of a doc read in one go (``Doc.to_array``), without
    making a spaCy ``Token`` object per token."""

    strings: StringStore
    text: list[str]
    lower: list[str]
    pos_ids: list[int]       # Token.pos, named by pos()
    tag_ids: list[int]       # Token.tag, named by tag()
    idx: list[int]
    # Flags as 0/1 (read them as truth values):
    spaced: list[int]        # followed by a space (Token.whitespace_ == " ")
    is_alpha: list[int]
    is_punct: list[int]
    is_space: list[int]
    sent_start: list[bool]   # Token.is_sent_start is True (not False, not unset)

    def __len__(self) -> int:
        return len(self.text)

    def pos(self, k: int) -> str:
        return self.strings[self.pos_ids[k]]

    def tag(self, k: int) -> str:
        return self.strings[self.tag_ids[k]]

    def span_text(self, start: int, end: int) -> str:
        """``doc[start:end].text``: the tokens with the spaces between them."""
        if start >= end:
            return ""
        text, spaced = self.text, self.spaced
        return "".join([text[k] + " " if spaced[k] else text[k] for k in range(start, end - 1)]) + text[end - 1]

    def capitalised(self, k: int) -> bool:
        return _capitalised_word(self.text[k], self.is_alpha[k])


# Words remembered by hash (ORTH/LOWER values are hashes of the string itself, the
# same in every vocabulary): a dict read costs less than a StringStore read, and an
# article's words are mostly ones met before (17,781 distinct words and lower-cased
# forms over 312 news articles); the table starts afresh past this size (~15 MB).
WORD_CACHE_SIZE = 200_000
_words_by_hash: dict[int, str] = {}


def _strings_of(strings: StringStore, hashes: list[int]) -> list[str]:
    if len(_words_by_hash) > WORD_CACHE_SIZE:
        _words_by_hash.clear()
    out = [_words_by_hash.get(h) for h in hashes]
    if None in out:
        for k, h in enumerate(hashes):
            if out[k] is None:
                out[k] = _words_by_hash[h] = strings[h]
    return out  # type: ignore[return-value]


def _tokens(doc: Doc) -> _Tokens:
    strings = doc.vocab.strings
    orth, lower, pos, tag, idx, spaced, alpha, punct, space, sent = doc.to_array(
        [ORTH, LOWER, POS, TAG, IDX, SPACY, IS_ALPHA, IS_PUNCT, IS_SPACE, SENT_START]).T.tolist()
    return _Tokens(
        strings=strings, text=_strings_of(strings, orth), lower=_strings_of(strings, lower), pos_ids=pos,
        tag_ids=tag, idx=idx, spaced=spaced, is_alpha=alpha, is_punct=punct, is_space=space,
        sent_start=[v == 1 for v in sent],
    )


def _ent_span(doc: Doc, doc_ents: tuple[Span, ...]) -> list[tuple[int, int, str] | None]:
    """Per token: (entity start, entity end, label) or None."""
    out: list[tuple[int, int, str] | None] = [None] * len(doc)
    for ent in doc_ents:
        for i in range(ent.start, ent.end):
            out[i] = (ent.start, ent.end, ent.label_)
    return out


def _is_dateline(toks: _Tokens, start: int, end: int) -> bool:
    n = len(toks)
    nxt = toks.text[end] if end < n else ""
    if not (nxt in _DATELINE_FOLLOWERS or end == n):
        return False
    return start == 0 or "\n" in toks.text[start - 1] or toks.is_space[start - 1] and start == 1


# --------------------------------------------------------------------------- stage 1


def _accept(doc: Doc, toks: _Tokens, ents: list, start: int, end: int, cands: tuple[GazEntry, ...],
            surnames: frozenset[str]) -> bool:
    span_text = toks.span_text(start, end)
    sources = {c.source for c in cands}
    strong = sources <= {"curated", "country", "region"}
    all_countries = all(c.kind == "country" for c in cands)
    stop = stopwords()
    ent = ents[start]
    if ent is not None and ent[2] in MISLABELS and _is_coordination(toks, ent):
        ent = None  # "Kyiv and Kharkiv" labelled one ORG: judge each name alone
    inside_one_ent = ent is not None and all(ents[i] == ent for i in range(start, end))
    label = ent[2] if inside_one_ent else None
    exact_ent = inside_one_ent and ent[0] == start and ent[1] == end
    strictly_inside = inside_one_ent and not exact_ent
    # NER often labels only part of a long name ("Deir" of "Deir ez-Zor"): a place
    # entity that lies wholly inside the span also counts.
    touching = {ents[i] for i in range(start, end) if ents[i] is not None}
    place_labelled = label in PLACE_LABELS or (
        bool(touching) and all(e[0] >= start and e[1] <= end for e in touching)
        and any(e[2] in PLACE_LABELS for e in touching)
    )

    if end + 1 < len(toks) and toks.text[end] == "-" and toks.text[end + 1].islower():
        return False  # "Kenya-led mission", "Iran-backed Houthis": a modifier, not a place named
    if span_text.islower():
        return all_countries and span_text not in stop
    if span_text.isupper() and not (all_countries or _is_dateline(toks, start, end)):
        return False  # headline capitals, acronyms (UN, ICJ); datelines are fine
    if span_text in stop and not place_labelled:
        return False
    if strictly_inside and label == "PERSON":
        return False
    if strong:
        if strictly_inside and label in ("WORK_OF_ART", "EVENT", "LAW"):
            return False
        if strictly_inside and label == "ORG" and not _possessive_after(toks, end):
            root = doc[ent[0]:ent[1]].root.lower_
            if root in _civil_words() or (root in _party_words() and not all_countries):
                return False  # "the Sudan Doctors Network", "the Arakan Army"
        return True
    if strictly_inside and not (place_labelled and _rest_is_lowercase(toks, ent, start, end)):
        return False  # "Mai" of a person's name; but "Saada" of "Saada province" is fine
    if exact_ent and label not in PLACE_LABELS | MISLABELS and not _designated(toks, start, end):
        # "the Thai border" (NORP, an alternate name of a Malaysian city) is out; a
        # place's own main name ("Sanaa") or a designated one ("Saada province") stays.
        if not any(fold(c.name) == fold(span_text) for c in cands):
            return False
    if _names_party(span_text):
        return False  # "Hamas" (an exonym of Hamm)
    if place_labelled or _is_dateline(toks, start, end):
        return True
    biggest = max(c.population for c in cands)
    if exact_ent and label == "PERSON" and span_text in surnames:
        return False  # "Türk said", after "Volker Türk"
    if exact_ent and label in MISLABELS and biggest >= MISLABEL_MIN_POPULATION:
        return True
    alpha, lower = toks.is_alpha, toks.lower
    propn = all(toks.pos(k) == "PROPN" or not alpha[k] or lower[k] in NAME_CONNECTORS for k in range(start, end))
    if not propn:
        return False
    if _designated(toks, start, end) or _in_named_container(toks, end, cands):
        return True
    # Unlabelled and uncued: only a big place written with its own main name (not
    # "Türk", a variant of a city in Uzbekistan, in "Volker Türk").
    main_named = [c for c in cands if fold(c.name) == fold(span_text)]
    return bool(main_named) and max(c.population for c in main_named) >= UNLABELLED_MIN_POPULATION \
        and not toks.sent_start[start]


def _designated(toks: _Tokens, start: int, end: int) -> bool:
    """A designator or locative cue beside the span says it is a place ("Saada province", "in Saada")."""
    after, before = _designators()
    lower = toks.lower
    if end < len(toks) and lower[end] in after:
        return True
    if start > 0 and lower[start - 1] in LOCATIVE_CUES:
        return True
    return any(start >= len(w) and tuple(lower[start - len(w):start]) == w for w in before)


def _in_named_container(toks: _Tokens, end: int, cands: tuple[GazEntry, ...]) -> bool:
    """'Adre in Chad', 'Hsenwi, Shan State': the next name is a country or region of a candidate."""
    return _container_country(toks, end) in {c.country_code for c in cands}


def _container_country(toks: _Tokens, end: int) -> str | None:
    """The country of the "in <country or region>" that follows a name or a list of
    names ("Tyre and Nabatieh in south Lebanon" → LB), or None."""
    n = len(toks)
    text, lower = toks.text, toks.lower
    k = end
    while k < n and k - end < CONTAINER_LIST_TOKENS and lower[k] not in CONTAINER_LINKS:
        if not (toks.capitalised(k) or lower[k] in ("and", ",", "-") or lower[k] in NAME_CONNECTORS):
            return None
        k += 1
    if k >= n or lower[k] not in CONTAINER_LINKS:
        return None
    k += 1
    skipped = 0
    while k < n and skipped < 3 and text[k].islower() and toks.pos(k) in ("DET", "ADJ", "PROPN", "NOUN"):
        k += 1  # "in the occupied West Bank", "in south Lebanon"
        skipped += 1
    gaz = get_gazetteer()
    for size in range(CONTAINER_MAX_TOKENS, 0, -1):
        if k + size <= n and all(toks.capitalised(t) or text[t] == "-" for t in range(k, k + size)):
            for e in gaz.lookup(toks.span_text(k, k + size)):
                if e.kind in ("country", "region") and e.country_code:
                    return e.country_code
    return None


def _is_coordination(toks: _Tokens, ent: tuple[int, int, str]) -> bool:
    return any(toks.pos(k) == "CCONJ" or toks.text[k] == "," for k in range(ent[0], ent[1]))


def _rest_is_lowercase(toks: _Tokens, ent: tuple[int, int, str], start: int, end: int) -> bool:
    """The entity's words outside the span are only lower-case ones ("the", "province")."""
    rest = [*range(ent[0], start), *range(end, ent[1])]
    return all(not toks.capitalised(k) or toks.lower[k] == "the" for k in rest)


def _possessive_after(toks: _Tokens, end: int) -> bool:
    return end < len(toks) and toks.tag(end) == "POS"


def _surnames(doc_ents: tuple[Span, ...]) -> frozenset[str]:
    """Last words of the article's multi-word PERSON names."""
    return frozenset(e[-1].text for e in doc_ents if e.label_ == "PERSON" and len(e) > 1)


def _names_party(name: str) -> bool:
    """True when the name is an armed group, agency or person of the actor table
    (not a state or government: "Kyiv", "Moscow" stand for governments and are places)."""
    actor_id = canonical_actor(name)
    if actor_id is None:
        return False
    actor = get_actor(actor_id)
    return actor is None or actor.kind not in PLACE_LIKE_ACTORS


def _can_end(text: str, is_alpha: bool) -> bool:
    if is_alpha or (text[:1].isalpha() and text[-1:].isalnum()):
        return True
    return text.endswith(".") and text.replace(".", "").isupper()  # "U.S.", "U.K."


def _gazetteer_mentions(doc: Doc, text: str, gaz: Gazetteer, ents: list, toks: _Tokens,
                        surnames: frozenset[str]) -> list[Mention]:
    n = len(doc)
    # The window search below only reads these lists.
    starts = toks.idx
    ends = [k + len(t) for k, t in zip(starts, toks.text, strict=True)]
    alpha = toks.is_alpha
    # _capitalised_word, inlined: this runs for every token of every article
    capital = [t[:1].isupper() and (a or any(c.isalpha() for c in t)) for t, a in zip(toks.text, alpha, strict=True)]
    enders = [c and _can_end(t, a) for c, t, a in zip(capital, toks.text, alpha, strict=True)]
    # A name never runs across other punctuation or a sentence boundary ("Marib. The").
    breaks = [(p and t not in _NAME_PUNCT) or sp or (k > 0 and ss)
              for k, (t, p, sp, ss) in enumerate(zip(toks.text, toks.is_punct, toks.is_space, toks.sent_start,
                                                    strict=True))]
    starters = gaz.lowercase_starts
    lower_ok = [a and w in starters for a, w in zip(alpha, toks.lower, strict=True)]
    name_reach = NameReach(gaz, text, starts, ends)
    longest_exact = gaz.longest_exact_name()
    out: list[Mention] = []
    i = 0
    while i < n:
        lower_start = not capital[i]
        if lower_start and not lower_ok[i]:
            i += 1
            continue
        found = None
        limit, top = i + 1, min(n, i + MAX_NAME_TOKENS)
        while limit < top and not breaks[limit]:
            limit += 1
        # Longest first, the windows that fold to a name, and the ones short enough
        # to be an abbreviation matched as written (US, U.K.): no other can match.
        named = name_reach.name_ends(i, limit)
        short = i
        while short < limit and ends[short] - starts[i] <= longest_exact:
            short += 1
        tried = range(short, i, -1)
        if named and named[-1] > short:
            tried = [*(j for j in reversed(named) if j > short), *tried]
        for j in tried:
            if not (enders[j - 1] or (lower_start and alpha[j - 1])):
                continue
            span_text = text[starts[i]:ends[j - 1]]
            if j <= short and j not in named and not gaz.is_exact_name(span_text):
                continue
            if "\n" in span_text:
                continue
            cands = gaz.lookup(span_text)
            if cands and span_text[:4].lower() == "the " and not any(c.name.lower().startswith("the ") for c in cands):
                continue
            if cands:
                found = (j, cands)
                break
        if found and _accept(doc, toks, ents, i, found[0], found[1], surnames):
            out.append(_with_designator(toks, Mention(i, found[0], found[1])))
            i = found[0]
        elif found and (weak := _weak_candidates(toks, ents, i, found[0], found[1])):
            out.append(Mention(i, found[0], weak, loose=True, weak=True))
            i = found[0]
        else:
            i += 1
    return out


def _weak_candidates(toks: _Tokens, ents: list, start: int, end: int,
                     cands: tuple[GazEntry, ...]) -> tuple[GazEntry, ...]:
    """A proper name no rule vouches for ("in the West Bank Bethlehem was hushed"):
    kept, as a loose mention, only if it is the main name of a town of some size; it
    survives only when that town lies in a country the article's other places are in."""
    if any(ents[k] is not None for k in range(start, end)) or toks.sent_start[start]:
        return ()
    span_text = toks.span_text(start, end)
    if span_text in stopwords() or not span_text.istitle() or _names_party(span_text):
        return ()
    text, lower = toks.text, toks.lower
    if not all(toks.pos(k) == "PROPN" or lower[k] in NAME_CONNECTORS or text[k] == "-" for k in range(start, end)):
        return ()
    key = fold(span_text)
    return tuple(c for c in cands if fold(c.name) == key and c.population >= MISLABEL_MIN_POPULATION)


# --------------------------------------------------------------------------- stage 2


def _with_designator(toks: _Tokens, m: Mention) -> Mention:
    """'Kharkiv oblast' / 'region of Kharkiv' → the region; 'Kharkiv city' → the city."""
    if not any(c.kind in ("city", "region") for c in m.candidates):
        return m
    after, before = _designators()
    lower = toks.lower
    if m.end < len(toks):
        kind = after.get(lower[m.end])
        if kind in ("region", "district"):
            return replace(m, end=m.end + 1, kind=kind)
        if kind == "same":
            return replace(m, city_cue=True)
    for words, kind in before.items():
        k = len(words)
        if m.start >= k and tuple(lower[m.start - k:m.start]) == words:
            return replace(m, kind="region") if kind == "region" else replace(m, city_cue=True)
    return m


# --------------------------------------------------------------------------- stage 3


def _ner_mentions(toks: _Tokens, gaz: Gazetteer, taken: set[int], doc_ents: tuple[Span, ...],
                  users: bool) -> list[Mention]:
    """``users``: there is a user gazetteer to ask (``has_user_gazetteer``)."""
    out = []
    after, _ = _designators()
    lower = toks.lower
    for ent in doc_ents:
        if ent.label_ not in PLACE_LABELS | MISLABELS or any(i in taken for i in range(ent.start, ent.end)):
            continue
        if ent.label_ in MISLABELS:
            m = _mislabelled_village(toks, ent.start, ent.end) if users else None
            if m is not None:
                out.append(m)
            continue
        start, end = ent.start, ent.end
        if lower[start] == "the":
            start += 1
        kind = None
        if end - start > 1 and lower[end - 1] in after:
            kind = after[lower[end - 1]] if after[lower[end - 1]] in ("region", "district") else None
            end -= 1
        if start >= end:
            continue
        name = toks.span_text(start, end)
        if gaz.lookup(name):
            continue  # stage 1 saw this name and turned it down ("Kenya-led")
        cands = user_lookup(name) if users else ()
        loose = False
        if not cands:
            cands, loose = gaz.lookup_loose(name), True
        if cands:
            out.append(Mention(start, ent.end, cands, kind=kind, loose=loose))
    return out


def _mislabelled_village(toks: _Tokens, start: int, end: int) -> Mention | None:
    """A PERSON/ORG entity that names a village of the user's GeoNames import.

    The small model labels unknown village names PERSON ("fled Umm Qurayn"). Only
    the user gazetteer is asked (the packaged one was tried in stage 1), and
    without a locative cue or a "village"/"town" next to it the village must lie
    in one of the article's countries.
    """
    cands = user_lookup(toks.span_text(start, end))
    if not cands:
        return None
    after, _ = _designators()
    lower = toks.lower
    cue = (start > 0 and lower[start - 1] in LOCATIVE_CUES) or (end < len(toks) and lower[end] in after)
    return Mention(start, end, cands, loose=not cue)


def _cued_user_places(doc: Doc, taken: set[int], users: bool) -> list[Mention]:
    """Proper-name runs NER missed, with a locative cue or "village"/"town" beside
    them, looked up in the user's GeoNames import (only when there is one)."""
    if not users:
        return []
    after, _ = _designators()
    out = []
    i, n = 0, len(doc)
    def name_word(k: int) -> bool:
        return k not in taken and _capitalised(doc[k]) and doc[k].pos_ not in _FUNCTION_POS

    while i < n:
        if not name_word(i):
            i += 1
            continue
        j = i + 1
        while j < n and name_word(j):
            j += 1
        cue = (i > 0 and doc[i - 1].lower_ in LOCATIVE_CUES) or (j < n and doc[j].lower_ in after)
        if cue and not doc[i:j].ents and any(t.pos_ == "PROPN" for t in doc[i:j]):
            cands = user_lookup(doc[i:j].text)
            if cands:
                out.append(Mention(i, j, cands))
        i = j
    return out


# --------------------------------------------------------------------------- stage 4


def _facility_mentions(doc: Doc, gaz: Gazetteer, ents: list, lowers: list[str]) -> list[Mention]:
    heads = _facility_heads()
    longest = max((len(h) for h in heads), default=1)
    last_words = {h[-1] for h in heads}
    out = []
    for k, low in enumerate(lowers):
        if low not in last_words or doc[k].tag_ in ("NNS", "NNPS"):
            continue
        hit = None
        for size in range(min(longest, k + 1), 0, -1):
            words = tuple(lowers[k - size + 1:k + 1])
            if words in heads:
                hit = (k - size + 1, heads[words])
                break
        if hit is None:
            continue
        head_start, kind = hit
        start = _name_start(doc, head_start)
        if start is None:
            continue
        m = _facility_mention(doc, gaz, ents, start, head_start, k + 1, kind,
                              tuple(lowers[head_start:k + 1]) in _named_by_place())
        if m is not None:
            out.append(m)
    return out


def _inner_connector(doc: Doc, k: int) -> bool:
    """A lower-case particle inside a name: "bin", "de", or an article hyphened to
    the next word ("al-", "at-"); never the English words "the", "at", "as", "an"."""
    low = doc[k].lower_
    if low in NAME_PARTICLES:
        return True
    return low in ARTICLES and k + 1 < len(doc) and doc[k + 1].text == "-"


def _name_start(doc: Doc, head_start: int) -> int | None:
    """Leftmost token of the proper name just before a facility head, or None."""
    i = head_start
    start = None
    while i > 0:
        t = doc[i - 1]
        if _capitalised(t) and t.lower_ != "the" and not t.is_punct:
            start = i - 1
        elif t.text == "-" or _inner_connector(doc, i - 1):
            if start is None:
                return None
        else:
            break
        i -= 1
    return start


def _facility_mention(doc: Doc, gaz: Gazetteer, ents: list, start: int, head_start: int, end: int,
                      kind: str, named_by_place: bool) -> Mention | None:
    name_span = doc[start:head_start]
    name = name_span.text
    full = doc[start:end].text
    if _capitalised(doc[end - 1]) and end + 1 < len(doc) and doc[end].lower_ == "of" and _capitalised(doc[end + 1]):
        return None  # "Yale School of Public Health": an institution's name, not a site
    curated = gaz.lookup(full)
    if curated:
        return Mention(start, end, curated)
    if name.isupper() or name in stopwords() or _names_party(name):
        return None
    ent = ents[start]
    head_capital = _capitalised(doc[head_start])
    if ent is not None and ent[2] in ("NORP", "DATE", "TIME", "CARDINAL", "ORDINAL") and not head_capital:
        return None
    town = gaz.lookup(name)
    if town and not named_by_place and kind != "camp":
        return None  # "Gaza hospital", "Kyiv hospital": a place, not a named facility
    if town and named_by_place:
        # "Kramatorsk railway station": the town's point, the town's country
        best = max(town, key=lambda e: e.population)
        entry = GazEntry(
            key=f"fac:{kind}:{fold(full)}", name=full, kind=kind, lat=best.lat, lon=best.lon, geonameid=None,
            country_code=best.country_code, precision="city" if best.lat is not None else None, source="derived",
        )
        return Mention(start, end, (entry,), facility_core=name)
    if name_span[0].is_sent_start and len(name_span) == 1 and name_span[0].pos_ != "PROPN":
        return None
    entry = GazEntry(
        key=f"fac:{kind}:{fold(name)}", name=full, kind=kind, lat=None, lon=None, geonameid=None,
        country_code=None, precision=None, source="derived",
    )
    return Mention(start, end, (entry,), facility_core=name)


# --------------------------------------------------------------------------- stage 5


def _drop_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Longest mention wins where mentions overlap; ties go to the earlier stage."""
    chosen: list[Mention] = []
    used: set[int] = set()
    for m in sorted(mentions, key=lambda m: -(m.end - m.start)):
        toks = set(range(m.start, m.end))
        if toks & used:
            continue
        used |= toks
        chosen.append(m)
    return sorted(chosen, key=lambda m: m.start)


def _keys(toks: _Tokens, m: Mention) -> frozenset[str]:
    """Folded forms of what is written: the whole mention, and without a trailing designator."""
    keys = {fold(toks.span_text(m.start, m.end))}
    if m.end - m.start > 1:
        keys.add(fold(toks.span_text(m.start, m.end - 1)))
    return frozenset(keys)


def _article_countries(mentions: list[Mention]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for m in mentions:
        if m.loose or m.weak:
            continue
        codes = {c.country_code for c in m.candidates if c.country_code}
        if len(codes) == 1:
            counts[codes.pop()] += 1
    return counts


def _choose(m: Mention, countries: Counter[str]) -> GazEntry | None:
    """The candidate in the article's most-mentioned countries, then the most populous."""
    best, best_score = None, -math.inf
    top = max(countries.values(), default=1)
    candidates = m.candidates
    if m.container and any(c.country_code == m.container for c in candidates):
        candidates = tuple(c for c in candidates if c.country_code == m.container)
    for c in candidates:
        share = countries.get(c.country_code or "", 0) / top
        if m.loose and not share:
            continue
        score = COUNTRY_CONTEXT_WEIGHT * share + math.log10(c.population + 1)
        if fold(c.name) not in m.keys:
            score -= ALTERNATE_NAME_PENALTY
        if score > best_score:
            best, best_score = c, score
    return best


def _area_of(entry: GazEntry, kind: str) -> GazEntry:
    """The region or district named after a town ("Kharkiv oblast", "Hpakant township"),
    placed at the town's point."""
    if entry.kind == kind or entry.kind not in ("city", "region", "district"):
        return entry
    precision = "region" if kind == "region" else "city"
    return GazEntry(
        key=f"{kind}-of:{entry.key}", name=entry.name, kind=kind, lat=entry.lat, lon=entry.lon,
        geonameid=None, country_code=entry.country_code, precision=precision if entry.lat is not None else None,
        source="derived",
    )


@dataclass
class _Group:
    entry: GazEntry
    spans: list[tuple[int, int]]   # char offsets of every mention
    names: list[str]               # each mention as written
    core: str | None = None
    city_cue: bool = False         # some mention says "city"/"town" of it


def _city_for(groups: list[_Group], pos: int, home: str | None) -> _Group | None:
    """The located city-like place for a facility: in the article's main country
    when there is one, then the nearest, preferring one after it ("X hospital in Y")."""
    cityish = [g for g in groups if g.entry.kind in CITY_LIKE and g.entry.lat is not None]
    if home and any(g.entry.country_code == home for g in cityish):
        cityish = [g for g in cityish if g.entry.country_code == home]
    best, best_d = None, math.inf
    for g in cityish:
        for s, _e in g.spans:
            d = (s - pos) if s >= pos else (pos - s) * 2
            if d < best_d:
                best, best_d = g, d
    return best


def _fallback_point(groups: list[_Group], pos: int, home: str | None) -> GazEntry | None:
    city = _city_for(groups, pos, home)
    if city is not None:
        return city.entry
    for kind in ("region", "country"):
        located = [g for g in groups if g.entry.kind == kind and g.entry.lat is not None]
        if located:
            return min(located, key=lambda g: min(abs(s - pos) for s, _e in g.spans)).entry
    return None


def _merge_groups(groups: list[_Group]) -> list[_Group]:
    """A bare town name that names an article's camp is that camp, or its region when the
    region is named and nothing says "city"; nested facility names are one."""
    camp_cores = {fold(g.core or _core_of(g.entry.name)): g for g in groups if g.entry.kind == "camp"}
    regions = {g.entry.key: g for g in groups if g.entry.key.startswith("region-of:")}
    out: list[_Group] = []
    for g in groups:
        target = None
        if g.entry.kind == "city":
            target = next((camp_cores[fold(n)] for n in g.names if fold(n) in camp_cores), None)
            if target is None and not g.city_cue:
                # "Saada province ... in Saada": with the region named and nothing
                # saying "city", the bare name is the region
                target = regions.get(f"region-of:{g.entry.key}")
        if target is not None and target is not g:
            target.spans.extend(g.spans)
            target.names.extend(g.names)
            continue
        out.append(g)
    facilities = [g for g in out if g.entry.kind in ("facility", "camp") and g.entry.source == "derived"]
    for small in facilities:
        words = set(fold(small.entry.name).split())
        for big in out:
            if big is small or big.entry.kind != small.entry.kind:
                continue
            if words < set(fold(big.entry.name).split()):
                big.spans.extend(small.spans)
                big.names.extend(small.names)
                out = [g for g in out if g is not small]
                break
    return out


def _core_of(name: str) -> str:
    heads = _facility_heads()
    words = name.split()
    for size in range(len(words) - 1, 0, -1):
        if tuple(w.lower() for w in words[-size:]) in heads:
            return " ".join(words[:-size])
    return name


# --------------------------------------------------------------------------- stage 6


def _best_span(text: str, spans: list[tuple[int, int]], entry: GazEntry) -> tuple[int, int]:
    """The mention that names the place best: the gazetteer's own name if written
    ("russia", not "russian federation"), else the fullest; not all capitals; earliest."""
    canonical = fold(entry.name) if entry.source != "derived" else ""

    def rank(se: tuple[int, int]) -> tuple[int, int, int, int]:
        s, e = se
        t = text[s:e]
        return (0 if fold(t) == canonical else 1, -len(t.split()), 1 if t.isupper() else 0, s)
    return min(spans, key=rank)


def find_places(ctx: Context) -> list[Place]:
    """Every named place of the article, one Place per place, geocoded."""
    doc = ctx.doc
    if len(doc) == 0:
        return []
    try:
        gaz = get_gazetteer()
    except GazetteerError:
        return []
    # Read once: spaCy builds a new Span for every entity and a new Token for every
    # token each time they are asked for.
    doc_ents = tuple(doc.ents)
    toks = _tokens(doc)
    ents = _ent_span(doc, doc_ents)
    mentions = _gazetteer_mentions(doc, ctx.text, gaz, ents, toks, _surnames(doc_ents))
    taken = {i for m in mentions for i in range(m.start, m.end)}
    users = has_user_gazetteer()
    mentions += _ner_mentions(toks, gaz, taken, doc_ents, users)
    taken = {i for m in mentions for i in range(m.start, m.end)}
    mentions += _cued_user_places(doc, taken, users)
    mentions += _facility_mentions(doc, gaz, ents, toks.lower)
    mentions = _drop_overlaps(mentions)

    mentions = [
        replace(m, keys=_keys(toks, m), container=_container_country(toks, m.end) if len(m.candidates) > 1 else None)
        for m in mentions
    ]
    countries = _article_countries(mentions)
    groups: dict[str, _Group] = {}
    for m in mentions:
        entry = _choose(m, countries)
        if entry is None:
            continue
        if m.kind in ("region", "district"):
            entry = _area_of(entry, m.kind)
        span = (toks.idx[m.start], toks.idx[m.end - 1] + len(toks.text[m.end - 1]))
        g = groups.get(entry.key)
        if g is None:
            g = groups[entry.key] = _Group(entry, [], [], m.facility_core)
        g.spans.append(span)
        g.names.append(ctx.text[span[0]:span[1]])
        g.city_cue = g.city_cue or m.city_cue
    merged = _merge_groups(list(groups.values()))
    # The article's main country: where an unplaced facility most likely is.
    home = countries.most_common(1)[0][0] if countries else None

    located = []
    for g in merged:
        entry = g.entry
        lat, lon, precision, cc = entry.lat, entry.lon, entry.precision, entry.country_code
        if lat is None:
            near = _fallback_point(merged, g.spans[0][0], home)
            if near is not None:
                lat, lon, cc = near.lat, near.lon, cc or near.country_code
                precision = "city" if near.kind in CITY_LIKE else near.precision
        s, e = _best_span(ctx.text, g.spans, entry)
        place = Place(
            start=s, end=e, text=ctx.text[s:e], name=ctx.text[s:e], kind=entry.kind,
            lat=lat, lon=lon, geonameid=entry.geonameid, coord_precision=precision, country_code=cc,
        )
        located.append((place, g.spans))
    # In order of first mention (the Place's own span is its best-named mention).
    located.sort(key=lambda ps: min(ps[1]))
    # For later steps (event locations): every mention (start, end, index into the places).
    ctx.cache["place_mentions"] = sorted(
        (s, e, i) for i, (_p, spans) in enumerate(located) for s, e in spans
    )
    return [p for p, _spans in located]
