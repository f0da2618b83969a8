"""Who is speaking: the speaker noun phrase of a cue, resolved to its fullest mention.

- a person's name ("Mr Klitschko") becomes the fullest mention of that person
  in the article ("Vitali Klitschko");
- a description with an apposed name ("the city's mayor, Vitali Klitschko")
  becomes the name;
- a pronoun ("he said", "it said") becomes the nearest earlier speaker of the
  same kind (person / organisation), else the nearest earlier person named;
- a bare description ("the court", "the official", "the president") becomes the
  nearest earlier fuller mention with the same head word ("the International
  Court of Justice", "an official of the health ministry");
- a document ("a ministry statement said", "the post reads", "according to
  the latest toll from X") gives the speaker its owner, or the previous speaker.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from fogwatch.extract.speech_lexicon import lexicon
from fogwatch.extract.tokens import token_table

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
GROUP_PRONOUNS = frozenset({"it", "they", "them"})
# Entity labels that can name a speaker on their own.
SPEAKER_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
# Dependency labels of the parts of a noun phrase kept in a speaker's name;
# relative clauses, appositions and conjuncts are left out.
_NP_KEEP = frozenset({"compound", "amod", "poss", "nmod", "case", "prep", "pobj", "nummod", "punct", "flat"})
# Prepositions that continue a speaker description ("spokesperson for the IDF",
# "official of the ministry in Gaza", "head of the administration").
_NP_PREPS = frozenset({"of", "for", "in", "at", "from", "to"})
# A speaker name longer than this many words is cut at its head: descriptions
# in the dev gold run to 9 words ("official of the health ministry in the Gaza Strip").
MAX_SPEAKER_WORDS = 12
# How far back (characters) a pronoun, a bare description or a document may
# look for its speaker: the dev articles' longest such gap is ~1,100 characters
# (a description two paragraphs after the full name).
MAX_LOOKBACK_CHARS = 2500


@dataclass(frozen=True)
class Speaker:
    """A resolved speaker: the name as written somewhere in the text."""

    text: str
    start: int
    end: int
    person: bool
    head: str   # lower-case head word, for matching later descriptions


@dataclass(frozen=True)
class Mention:
    """A speaker already resolved earlier in the article (for pronouns)."""

    speaker: Speaker
    at: int   # offset of the cue it was found at
    # the farthest ``at`` of this mention and every one before it in the history (``remember``),
    # so a look back stops where all earlier mentions are out of reach; None: not known
    reach: int | None = None


def remember(history: list[Mention], speaker: Speaker, at: int) -> None:
    """Append the speaker found at cue offset ``at`` to ``history``, keeping ``reach``."""
    before = history[-1].reach if history else at
    history.append(Mention(speaker, at, max(at, before) if before is not None else None))


def _out_of_reach(m: Mention, at: int) -> bool:
    """True when ``m`` and every mention before it are more than MAX_LOOKBACK_CHARS before ``at``."""
    return m.reach is not None and at - m.reach > MAX_LOOKBACK_CHARS


def _span_text(doc: Doc, start_i: int, end_i: int) -> tuple[str, int, int]:
    """Text and char offsets of tokens [start_i, end_i), trimmed of edge punctuation."""
    tb = token_table(doc)
    while start_i < end_i and (tb.is_punct[start_i] or tb.pos[start_i] == "DET"):
        start_i += 1
    while end_i > start_i and tb.is_punct[end_i - 1]:
        end_i -= 1
    if start_i >= end_i:
        return "", 0, 0
    start = tb.idx[start_i]
    end = tb.idx[end_i - 1] + len(tb.text[end_i - 1])
    return tb.text_of(start_i, end_i - 1), start, end   # (doc.text would rebuild the whole text)


def _entity(tok: Token, labels: frozenset[str] = SPEAKER_LABELS) -> Span | None:
    """The entity ``tok`` belongs to, found from its IOB tags (no walk over ``doc.ents``)."""
    if tok.ent_type_ not in labels:
        return None
    doc = tok.doc
    start = tok.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = tok.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=tok.ent_type_)


def noun_phrase(tok: Token) -> tuple[int, int]:
    """Token range of the speaker phrase headed by ``tok`` (no clauses, appositions)."""
    lo = hi = tok.i

    def walk(t: Token) -> None:
        nonlocal lo, hi
        for child in t.children:
            if child.dep_ not in _NP_KEEP:
                continue
            if child.dep_ == "prep" and (child.i < t.i or child.lower_ not in _NP_PREPS):
                continue
            if child.dep_ == "punct" and child.i > tok.i:
                continue
            lo = min(lo, child.left_edge.i if child.dep_ != "prep" else child.i)
            hi = max(hi, child.i)
            walk(child)

    walk(tok)
    if hi - lo + 1 > MAX_SPEAKER_WORDS:
        lo = max(lo, tok.i - 3)
        hi = tok.i
    return lo, hi + 1


_PERSONS_KEY = "fogwatch.speech.persons"


def _person_names(doc: Doc) -> list[Span]:
    """The PERSON entities of the doc, listed once per doc (kept in ``doc.user_data``)."""
    cached = doc.user_data.get(_PERSONS_KEY)
    if cached is None:
        cached = [e for e in doc.ents if e.label_ == "PERSON"]
        doc.user_data[_PERSONS_KEY] = cached
    return cached


def _name_words(text: str) -> list[str]:
    titles = lexicon().titles
    return [w.strip(".").lower() for w in text.replace("-", " ").split() if w.strip(".").lower() not in titles]


_SURNAMES_KEY = "fogwatch.speech.surnames"
_PERSON_ENDS_KEY = "fogwatch.speech.person_ends"


def _positions_of(doc: Doc, lower: str) -> tuple[int, ...]:
    """Indices of the tokens whose lower-case text is ``lower``, in order (the doc's token
    table indexes them once, not once per name looked up)."""
    return token_table(doc).positions(lower)


def _names_by_surname(doc: Doc) -> dict[str, dict[tuple[str, ...], Span]]:
    """Surname -> each distinct name ending in it -> its first PERSON mention, in text order
    (kept in ``doc.user_data``: an article naming one person 1,000 times is 1 name, not 1,000)."""
    cached = doc.user_data.get(_SURNAMES_KEY)
    if cached is None:
        cached = {}
        for ent in _person_names(doc):
            words = tuple(_name_words(ent.text))
            if words:
                cached.setdefault(words[-1], {}).setdefault(words, ent)
        doc.user_data[_SURNAMES_KEY] = cached
    return cached


def fullest_person(doc: Doc, ent: Span) -> Speaker:
    """The longest PERSON mention of the article that ends with the same surname."""
    words = _name_words(ent.text)
    best = ent
    if words:
        fuller = {}
        for ow, other in _names_by_surname(doc).get(words[-1], {}).items():
            if set(words) <= set(ow) and len(ow) > len(words):
                fuller.setdefault(ow, other)
        # two different people share the surname ("Mr. Obama", "Michelle Obama"): keep it as written
        distinct = {names for names in fuller if not any(set(names) < set(o) for o in fuller)}
        if len(distinct) == 1 and not _surname_shared(doc, words[-1]):
            best = max(fuller.values(), key=lambda e: len(_name_words(e.text)))
    text, start, end = _span_text(doc, best.start, best.end)
    if not text:
        text, start, end = best.text, best.start_char, best.end_char
    # titles written inside the entity ("Mr Klitschko") are dropped from the name
    first = doc[best.start]
    if first.lower_.strip(".") in lexicon().titles and best.end - best.start > 1:
        text, start, end = _span_text(doc, best.start + 1, best.end)
    return Speaker(text, start, end, True, words[-1] if words else text.lower())


def _surname_shared(doc: Doc, surname: str) -> bool:
    """True when the surname is written after different honorifics ("Mr. Obama", "Mrs. Obama")."""
    key = f"fogwatch.speech.honorifics.{surname}"
    cached = doc.user_data.get(key)
    if cached is None:
        titles = lexicon().titles
        seen = {doc[i - 1].lower_.strip(".") for i in _positions_of(doc, surname)
                if i > 0 and doc[i - 1].lower_.strip(".") in titles}
        cached = len(seen) > 1
        doc.user_data[key] = cached
    return cached


def _person_by_surname(doc: Doc, tok: Token) -> Speaker | None:
    fuller = [ent for words, ent in _names_by_surname(doc).get(tok.lower_, {}).items() if len(words) > 1]
    if not fuller:
        return None
    return fullest_person(doc, min(fuller, key=lambda ent: ent.start))


def _phrase_speaker(tok: Token) -> Speaker:
    doc = tok.doc
    lo, hi = noun_phrase(tok)
    text, start, end = _span_text(doc, lo, hi)
    if not text:
        text, start, end = tok.text, tok.idx, tok.idx + len(tok)
    ent = _entity(tok)
    # an organisation's name may run past the parse's phrase ("International Court of Justice")
    if ent is not None and ent.label_ != "PERSON" and (ent.start_char < start or ent.end_char > end):
        etext, estart, eend = _span_text(doc, ent.start, ent.end)
        if etext and len(etext) > len(text):
            text, start, end = etext, estart, eend
    return Speaker(text, start, end, False, tok.lemma_.lower())


def _appos_person(tok: Token) -> Span | None:
    """A person's name apposed to a description: "the regional governor, Oleh Synyehubov"."""
    if tok.pos_ != "NOUN":
        # a name with a description apposed ("Simmons, an Obama supporter") is the speaker itself
        return None
    for child in tok.children:
        if child.dep_ == "appos":
            lo, hi = noun_phrase(child)   # not a name inside its relative clause ("a claim Kyiv denied")
            for t in tok.doc[lo:hi]:
                ent = _entity(t, frozenset({"PERSON"}))
                if ent is not None:
                    return ent
            if child.pos_ == "PROPN" and tok.pos_ == "NOUN":
                # a name the entity recogniser missed: "the health minister, Mai Alkaila"
                lo, hi = noun_phrase(child)
                return tok.doc[lo:hi]
    if tok.dep_ == "appos":
        ent = _entity(tok.head, frozenset({"PERSON"}))
        if ent is not None:
            return ent
    if tok.pos_ == "NOUN":
        # the parse hung the name on a deeper noun: "the health minister in the government
        # of Gaza, Mai Alkaila, accused ...": a proper-noun apposition closing the phrase
        for t in tok.subtree:
            if t.dep_ == "appos" and t.pos_ == "PROPN" and t.right_edge.i >= tok.right_edge.i - 1 and t.head.i != tok.i:
                ent = _entity(t, frozenset({"PERSON"}))
                if ent is not None:
                    return ent
                lo, hi = noun_phrase(t)
                return tok.doc[lo:hi]
        # the parse missed the apposition: "the deputy head of the Office, Kyrylo Tymoshenko, a ..."
        doc = tok.doc
        after = tok.right_edge.i + 1
        if after + 1 < len(doc) and doc[after].text == ",":
            ent = _entity(doc[after + 1], frozenset({"PERSON"}))
            if ent is not None and ent.start == after + 1 and ent.end < len(doc) and doc[ent.end].text == ",":
                return ent
    return None


def is_speaker_head(tok: Token) -> bool:
    """Whether ``tok`` can head the subject of a reporting verb as a speaker."""
    lex = lexicon()
    lower = tok.lower_
    if lower in PERSON_PRONOUNS or lower in GROUP_PRONOUNS:
        return True
    if tok.pos_ == "PRON":
        return False
    if tok.ent_type_ in SPEAKER_LABELS or tok.pos_ == "PROPN":
        return True
    lemma = tok.lemma_.lower()
    if lemma in lex.speaker_nouns or lemma in lex.document_nouns or lower in lex.speaker_nouns:
        return True
    # a noun owned by a named party ("Clinton's team", "Houthi fighters") or with a name
    # apposed ("her neighbour, Yusuf Omar")
    return tok.pos_ == "NOUN" and any(
        (c.dep_ in {"poss", "compound", "amod"} and c.ent_type_ in SPEAKER_LABELS)
        or (c.dep_ == "appos" and (c.ent_type_ == "PERSON" or c.pos_ == "PROPN")) for c in tok.children)


def _is_bare(tok: Token) -> bool:
    """A description with nothing but a determiner: "the court", "the officials", "the worker, who ..."."""
    return all(c.dep_ in {"det", "punct", "relcl", "acl", "appos"} for c in tok.children)


_PRONOUN_GENDER = {"he": "m", "him": "m", "she": "f", "her": "f"}
_GENDER_KEY = "fogwatch.speech.gender"
# Words before a name searched for an honorific or a gendered noun: 3 reaches past a two-word
# first name ("spokeswoman Mary Jane Doe") without reaching into the previous phrase.
GENDER_WINDOW = 3


def _gender(doc: Doc, speaker: Speaker) -> str | None:
    """'f', 'm' or None: from the words of the name or written before any mention of its surname."""
    words = lexicon().gender_words
    known: dict[str, str | None] = doc.user_data.setdefault(_GENDER_KEY, {})
    if speaker.text in known:
        return known[speaker.text]
    found = None
    names = [w.strip(".").lower() for w in speaker.text.split()]
    for w in names:
        if w in words:
            found = words[w]
    if found is None and names:
        surname = names[-1]
        for i in _positions_of(doc, surname):
            for prev in reversed(list(doc[max(0, i - GENDER_WINDOW): i])):
                if prev.is_punct:
                    break
                g = words.get(prev.lower_.strip("."))
                if g is not None:
                    found = g
                    break
            if found is not None:
                break
    known[speaker.text] = found
    return found


def _fits(doc: Doc, speaker: Speaker, gender: str | None) -> bool:
    if gender is None:
        return True
    g = _gender(doc, speaker)
    return g is None or g == gender


def _previous(history: list[Mention], at: int, person: bool | None,
              doc: Doc | None = None, gender: str | None = None) -> Speaker | None:
    for m in reversed(history):
        if _out_of_reach(m, at):
            break
        if m.at >= at or at - m.at > MAX_LOOKBACK_CHARS:
            continue
        if (person is None or m.speaker.person == person) and (doc is None or _fits(doc, m.speaker, gender)):
            return m.speaker
    return None


def _earlier_person(doc: Doc, before: int, gender: str | None = None) -> Speaker | None:
    persons = _person_names(doc)
    ends = doc.user_data.get(_PERSON_ENDS_KEY)
    if ends is None:
        ends = [ent.end_char for ent in persons]   # ascending: entities do not overlap
        doc.user_data[_PERSON_ENDS_KEY] = ends
    for n in range(bisect.bisect_right(ends, before) - 1, -1, -1):
        ent = persons[n]
        if before - ent.end_char > MAX_LOOKBACK_CHARS:
            break   # every mention before it ends farther back still
        found = fullest_person(doc, ent)
        if _fits(doc, found, gender):
            return found
    return None


def _earlier_group(tok: Token) -> Speaker | None:
    """For "it said"/"they said" with no earlier speaker: the subject of an earlier sentence
    that names an organisation or a group ("The Red Cross suspended its work. It said ...")."""
    doc = tok.doc
    sent = tok.sent
    while sent.start > 0 and tok.idx - doc[sent.start - 1].idx <= MAX_LOOKBACK_CHARS:
        sent = doc[sent.start - 1].sent
        for t in sent:
            if (t.dep_ == "nsubj" and t.pos_ != "PRON" and t.ent_type_ != "PERSON"
                    and is_speaker_head(t) and t.lemma_.lower() not in lexicon().document_nouns):
                return _phrase_speaker(t)
    return None


def _plural(tok: Token) -> bool:
    return tok.tag_ in {"NNS", "NNPS"}


def _earlier_description(tok: Token, history: list[Mention]) -> Speaker | None:
    """The nearest earlier mention whose head word is this bare description's."""
    doc = tok.doc
    lemma = tok.lemma_.lower()
    for m in reversed(history):
        if _out_of_reach(m, tok.idx):
            break
        if m.at < tok.idx and tok.idx - m.at <= MAX_LOOKBACK_CHARS and (
                lemma in m.speaker.text.lower().split() or tok.lower_ in m.speaker.text.lower().split()):
            return m.speaker
    tb = token_table(doc)
    for i in range(tok.i - 1, -1, -1):
        if tok.idx - tb.idx[i] > MAX_LOOKBACK_CHARS:
            break
        if tb.lemma[i] != lemma and tb.lower[i] != tb.lower[tok.i]:
            continue
        prev = doc[i]
        if _plural(prev) != _plural(tok):
            continue   # "the group" does not point back at "armed groups"
        # a title on a person: "President Volodymyr Zelensky" for "the president"
        if prev.dep_ == "compound":
            ent = _entity(prev.head, frozenset({"PERSON"}))
            if ent is not None:
                return fullest_person(doc, ent)
        found = _phrase_speaker(prev)
        appos = _appos_person(prev)
        if appos is not None:
            return fullest_person(doc, appos)
        if len(found.text.split()) > 1:
            return found
    return None


def _document_owner(tok: Token, history: list[Mention]) -> Speaker | None | bool:
    """The owner of a statement-like noun; False when it has none of its own."""
    for child in tok.children:
        if child.dep_ in {"poss", "compound"} and is_speaker_head(child) and child.lemma_.lower() not in lexicon().document_nouns:
            return resolve(child, history)
        if child.dep_ == "prep" and child.lower_ in {"from", "by", "of"}:
            for obj in child.children:
                if obj.dep_ == "pobj" and is_speaker_head(obj):
                    return resolve(obj, history)
        if child.dep_ == "acl" and child.tag_ == "VBN":
            # "the decree, signed by separatist leader X, said ...": who signed or issued it
            for agent in child.children:
                if agent.dep_ == "agent":
                    for obj in agent.children:
                        if obj.dep_ == "pobj" and is_speaker_head(obj):
                            return resolve(obj, history)
    return False


def resolve(tok: Token, history: list[Mention]) -> Speaker | None:
    """The speaker named by the phrase headed by ``tok``, resolved as the module says."""
    doc = tok.doc
    lower = tok.lower_
    lex = lexicon()
    if lower in PERSON_PRONOUNS:
        # the nearest earlier person whose gender (when known) fits the pronoun; else a person
        # described, not named: "The mayor said ... she told reporters"
        gender = _PRONOUN_GENDER.get(lower)
        found = (_previous(history, tok.idx, True, doc, gender) or _earlier_person(doc, tok.idx, gender)
                 or _previous(history, tok.idx, None))
        if found is not None and gender is not None:
            doc.user_data.setdefault(_GENDER_KEY, {}).setdefault(found.text, gender)
        return found
    if lower in GROUP_PRONOUNS:
        return _previous(history, tok.idx, False) or _earlier_group(tok) or _previous(history, tok.idx, None)
    ent = _entity(tok, frozenset({"PERSON"}))
    if ent is not None:
        return fullest_person(doc, ent)
    appos = _appos_person(tok)
    if appos is not None:
        return fullest_person(doc, appos)
    if tok.pos_ == "PROPN":
        # a surname the entity recogniser labelled otherwise ("Mr Klitschko" as NORP)
        known = _person_by_surname(doc, tok)
        if known is not None:
            return known
    lemma = tok.lemma_.lower()
    if lemma in lex.document_nouns and tok.ent_type_ not in SPEAKER_LABELS:
        owner = _document_owner(tok, history)
        if owner is not False:
            return owner  # type: ignore[return-value]
        if tok.dep_ == "pobj":   # "according to early figures": nobody is named
            return None
        return _previous(history, tok.idx, None)
    if tok.pos_ == "NOUN" and all(c.dep_ in {"poss", "punct", "appos"} for c in tok.children) and any(
            c.dep_ == "poss" and c.lower_ in {"its", "their"} for c in tok.children):
        # "Its officials have called ...": the officials speak for the organisation just named
        owner = _previous(history, tok.idx, False)
        if owner is not None:
            return owner
    if tok.pos_ == "NOUN" and _is_bare(tok):
        earlier = _earlier_description(tok, history)
        if earlier is not None:
            return earlier
        if lemma in lex.generic_group_nouns and not _plural(tok):
            # "The group denied ...": the organisation that spoke last
            previous = _previous(history, tok.idx, False)
            if previous is not None:
                return previous
    # "a compound title on a person": "UNRWA chief Philippe Lazzarini" is caught above
    return _phrase_speaker(tok)
