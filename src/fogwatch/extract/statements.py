"""Direct quotes and reported speech with resolved speakers (issue 3: Extraction I).

Stages, in order:

1. **cues** — every reporting verb of ``resources/speech/cues.csv`` (by lemma)
   outside headings and quotes, not negated and not under a modal ("did not
   say", "must report"), whose subject can be a speaker; plus every source
   phrase ("according to X").
2. **content** — for a verb: the adjacent quotation ('"...," he said' /
   'he said: "..."') when there is one (a direct statement), else its clausal
   complement ("said (that) ..."), else, for verbs that take one, its object
   and complements ("accused Israel of ...", "denied responsibility ...");
   for "according to X": the clause it modifies.
3. **continuations** — a quotation with no cue of its own that opens a
   sentence continues the previous statement's speaker (paragraph-spanning
   quotes, a second quote after "said X").
4. **speaker** and **stance** — ``speech_speakers.resolve`` and
   ``speech_stance.stance_of``.

A cue inside another statement's content (a claim reported within a claim)
gives no statement of its own.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from fogwatch.extract.actors import canonical_actor
from fogwatch.extract.context import Context
from fogwatch.extract.quote_index import QuoteIndex
from fogwatch.extract.quotes import Quote, article_quotes
from fogwatch.extract.span_index import SpanIndex
from fogwatch.extract.speech_lexicon import Cue, lexicon
from fogwatch.extract.speech_speakers import Mention, Speaker, is_speaker_head, remember, resolve
from fogwatch.extract.speech_stance import stance_of
from fogwatch.extract.structure import block_at, blocks, in_heading
from fogwatch.extract.tokens import token_table
from fogwatch.model import Statement

# What find_statements leaves in ctx.cache for later steps: the article's quoted
# passages (quotes.Quote) and the resolved speakers (speech_speakers.Speaker), in order.
CACHE_KEY = "statements.quotes"
SPEAKERS_KEY = "statements.speakers"

# Modal auxiliaries that make a reporting verb a non-event ("must report", "would say").
_NON_EVENT_AUX = frozenset({"must", "should", "can", "could", "may", "might", "will", "would", "shall", "'ll"})
_VERB_POS = frozenset({"VERB", "AUX"})
_RELATIVE_PRONOUNS = frozenset({"which", "who", "that", "whom"})
# Object pronouns that point back at the previous sentence ("reported this on Telegram").
_ANAPHORIC_OBJECTS = frozenset({"this", "so"})
# Complements of an object-taking cue that belong to its content ("accused X of Y",
# "blamed it on Y", "described it as Y"); other prepositions are circumstances.
_CONTENT_PREPS = frozenset({"of", "for", "on", "as", "about", "against", "to"})
_CONTENT_DEPS = frozenset({"dobj", "xcomp", "ccomp", "attr", "oprd", "acomp", "dative"})
# Conjunctions after which a reported clause passes to another voice.
_CLAUSE_BREAKS = frozenset({"but", "while", "whereas"})
# "reported from the scene that ...": a 'that' at most this many tokens after the cue
# opens its content (dev: 4 tokens; further away it belongs to something else).
MAX_THAT_DISTANCE = 6
# Between a closing quote mark and its cue ('," a spokesperson for the army said')
# at most this many words: the dev set's longest is 8 ('a spokesperson for the
# Israel Defense Forces said'); 14 leaves room for a title and a name.
MAX_QUOTE_CUE_GAP_WORDS = 14
# After a quote ending in "!" or "?" its cue follows at once ('"Where can we go?" asked one
# resident'); further than this many words the next sentence has begun.
MAX_GAP_AFTER_EXCLAMATION = 6
# A continuation quote (no cue of its own) has at least this many words; shorter
# ones are scare quotes or labels. The dev set's shortest continuation has 6.
MIN_CONTINUATION_WORDS = 3
# A continuation quote continues a statement of its own paragraph or the one before.
MAX_CONTINUATION_BLOCKS = 1
# Reported content shorter than this many characters is too little to be a claim
# ("said so", "denied it").
MIN_CONTENT_CHARS = 8

_WORDS = re.compile(r"[\w’']+")
# A sentence end inside a gap: a stop that does not close an abbreviation or an
# initial ("Ms. Moore", "Vann R. Newkirk", "Lt. Gen. Ali").
_SENTENCE_STOP = re.compile(r"(?<!\b[A-Z])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z]{2})(?<!\b[A-Z][a-z]{3})[.!?]\s")
_QUOTE_MARKS = frozenset('"“”„«»')
_EDGE = " \t\n,;:.—–-"


@dataclass(frozen=True)
class _Found:
    """A statement before its speaker and stance are settled."""

    start: int
    end: int
    direct: bool
    cue_tok: Token | None        # the reporting verb, or the first word of "according to"
    cue_end: int
    cue_entry: Cue | None
    subject: Token | None        # the phrase naming the speaker


def find_statements(ctx: Context) -> list[Statement]:
    """Every attributed statement of the article, in text order."""
    if not ctx.text.strip() or len(ctx.doc) == 0:
        return []
    doc = ctx.doc
    quotes = article_quotes(ctx)
    ctx.cache[CACHE_KEY] = quotes
    index = QuoteIndex.build(ctx.text, quotes, _WORDS, _QUOTE_MARKS)
    found = _cue_statements(ctx, doc, index)
    found = _drop_nested(found)
    found.sort(key=lambda f: f.start)
    history: list[Mention] = []
    out = _settle(ctx, doc, found, quotes, history)
    ctx.cache[SPEAKERS_KEY] = tuple(m.speaker for m in history)
    return out


# --------------------------------------------------------------------------- cues


def _inside_quote(offset: int, index: QuoteIndex) -> bool:
    return index.covers(offset)


def _subject(cue: Token) -> Token | None:
    """The phrase naming who speaks through ``cue``, following participles and conjuncts."""
    subjects = [c for c in cue.children if c.dep_ == "nsubj"]
    if subjects:
        # "KHARTOUM, June 3 (Reuters) - Sudan's army said": the subject nearest the cue
        before = [c for c in subjects if c.i < cue.i]
        after = [c for c in subjects if c.i > cue.i]
        child = before[-1] if before else subjects[0]
        if before and after and any(t.text in _QUOTE_MARKS for t in cue.doc[child.i + 1: cue.i]):
            child = after[0]   # '"... old people on carts ...," said an aid worker': not a noun inside the quote
        if child.lower_ in _RELATIVE_PRONOUNS and cue.dep_ == "relcl":
            return cue.head
        return _past_dateline(child)
    if cue.dep_ == "pcomp" and cue.head.dep_ == "prep" and cue.tag_ == "VBG":
        verb = cue.head.head   # "X was quoted as saying ...": the subject of "quoted"
        for child in verb.children:
            if child.dep_ == "dobj" and verb.lemma_.lower() == "quote":
                return child   # "the agency quoted the governor as saying ...": the governor
        for child in verb.children:
            if child.dep_ in {"nsubj", "nsubjpass"}:
                return child
    outer = _coordinating_cue(cue)
    if outer is not None:
        return _subject(outer)   # "X said A and denied B": X denies
    inverted = _inverted_subject(cue)
    if inverted is not None:
        return inverted
    swallowed = _swallowed_subject(cue)
    if swallowed is not None:
        return swallowed
    carried = _carrying_head(cue)
    if carried is not None:
        return _subject(carried)   # "Russia has continued to deny ...": Russia denies
    if cue.dep_ in {"conj", "advcl", "xcomp"} and cue.head.i != cue.i and cue.head.pos_ in {"VERB", "AUX"}:
        if cue.dep_ != "conj" and cue.tag_ not in {"VBG", "VBN"}:
            return None
        head = cue.head
        if head.dep_ == "ccomp" and head.head.lemma_.lower() in lexicon().cues:
            # "officials acknowledged that troops opened fire, saying ...": the officials say it;
            # "X said the convoy was hit, rejecting ...": X rejects, not the convoy
            return _subject(head.head)
        passive = next((c for c in head.children if c.dep_ == "nsubjpass"), None)
        if cue.tag_ == "VBG" and passive is not None:
            return passive   # "X was quoted as saying ...", "X was heard saying ..."
        return _subject(head)
    if cue.dep_ in {"acl", "relcl"}:
        head = cue.head
        if is_speaker_head(head) and cue.tag_ != "VBN":
            return head
        # "a case brought by South Africa accusing Israel": the agent of a sibling clause
        for sibling in head.children:
            if sibling.dep_ == "acl" and sibling.i != cue.i:
                for agent in sibling.children:
                    if agent.dep_ == "agent":
                        for obj in agent.children:
                            if obj.dep_ == "pobj":
                                return obj
    return None


def _carrying_head(cue: Token) -> Token | None:
    """'has continued to deny', 'was quick to condemn': the verb (of carrying_verbs.txt)
    whose "to"-complement the cue is, when it happened and passes the act to its subject."""
    head = cue.head
    if (cue.dep_ != "xcomp" or cue.tag_ != "VB" or head.i == cue.i
            or not any(c.dep_ == "aux" and c.lower_ == "to" for c in cue.children)):
        return None
    if head.dep_ == "acomp":
        head = head.head   # "was quick to condemn": the complement hangs on "quick"
    if head.lemma_.lower() not in lexicon().carrying_verbs or not _is_event(head):
        return None
    if any(c.dep_ in {"dobj", "dative"} for c in head.children):
        return None   # "moved the troops to ...": the object, not the subject, acts
    return head


# How far up through a cue's non-finite object ("of trying to decapitate ...") a coordinated
# reporting verb looks for the cue it joins.
MAX_OBJECT_CLIMB = 5


# Subordinators that set another speaker's statement against the first ("..., while Baku said ...").
_CONTRAST_MARKS = frozenset({"while", "whereas", "whilst"})


def _coordinating_cue(cue: Token) -> Token | None:
    """'X said A and denied B': the parse hangs "denied" on A's verb; the reporting verb
    whose clause it joins, when ``cue`` has no subject of its own and the same tense."""
    if cue.dep_ != "conj" or _cue_entry(cue) is None or any(c.dep_ in {"nsubj", "nsubjpass"} for c in cue.children):
        return None   # ("called on all sides to ...": a phrase cue counts too)
    clause = cue.head
    outer = clause.head
    if clause.dep_ == "ccomp":
        if outer.i == clause.i or outer.tag_ != cue.tag_ or outer.lemma_.lower() not in lexicon().cues:
            return None
        return outer
    # "accused X of trying to decapitate the brigade and denied that ...": the parse hung the
    # second verb on the first one's non-finite object; climb it, through no subject of its own
    cur = clause
    for _ in range(MAX_OBJECT_CLIMB):
        if cur.dep_ not in {"xcomp", "pcomp", "prep", "pobj", "dobj"} or cur.head.i == cur.i:
            return None
        if cur.tag_ in {"VBD", "VBZ", "VBP"} or any(c.dep_ in {"nsubj", "nsubjpass"} for c in cur.children):
            return None
        cur = cur.head
        if cur.tag_ == cue.tag_ and _cue_entry(cur) is not None:
            return cur
    return None


def _said_by_who(cue: Token, subject: Token) -> bool:
    """'a designer who said ...': the antecedent of 'who' is a person whatever its noun."""
    return (cue.dep_ == "relcl" and subject.i == cue.head.i and subject.pos_ in {"NOUN", "PROPN"}
            and any(c.dep_ == "nsubj" and c.lower_ in {"who", "whom"} for c in cue.children))


def _past_dateline(subject: Token) -> Token:
    """'THE HAGUE – The court ordered ...': the dateline swallowed the subject; take its apposition."""
    if subject.text.isupper() and len(subject.text) > 1:
        for child in subject.children:
            if child.dep_ == "appos":
                return child
    return subject


def _inverted_subject(cue: Token) -> Token | None:
    """'"...", ruled the court' / '..., said the ministry': a speaker written after the cue."""
    if cue.i == 0 or cue.doc[cue.i - 1].text not in {",", *_QUOTE_MARKS}:
        return None
    if cue.tag_ in {"VBG", "VBN"}:
        return None   # '..., accusing the militia of ...': the participle's object is its addressee
    for child in cue.children:
        if child.i > cue.i and child.dep_ in {"dobj", "attr", "nsubjpass"} and is_speaker_head(child):
            return child
    return None


def _swallowed_subject(cue: Token) -> Token | None:
    """'..., was one of the worst, the city's mayor, Vitali Klitschko, said': the parse put the
    speaker inside the preceding clause; take the phrase written right before the cue."""
    if not any(c.dep_ == "ccomp" and c.i < cue.i for c in cue.children):
        return None
    i = cue.i - 1
    while i >= 0 and cue.doc[i].is_punct:
        i -= 1
    if i < 0:
        return None
    tok = cue.doc[i]
    while tok.head.i < tok.i:
        if tok.dep_ in {"pobj", "prep"}:
            tok = tok.head   # "a spokesman for the governor": from "governor" up to "spokesman"
        elif tok.dep_ in {"appos", "compound", "flat"} and tok.pos_ == "PROPN" and tok.head.pos_ == "NOUN":
            tok = tok.head   # "the city's mayor, Vitali Klitschko": up to the description
        else:
            break
    return tok if is_speaker_head(tok) and tok.pos_ != "PRON" else None


def _is_event(cue: Token) -> bool:
    """False for a reporting verb that did not happen: negated or under a modal."""
    for child in cue.children:
        if child.dep_ == "neg":
            return False
        if child.dep_ == "aux" and child.lower_ in _NON_EVENT_AUX:
            return False
    return True


def _cue_statements(ctx: Context, doc: Doc, index: QuoteIndex) -> list[_Found]:
    lex = lexicon()
    quotes = index.quotes
    out: list[_Found] = []
    used_quotes: set[int] = set()
    phrase_heads = {first: second for first, second in lex.source_phrases}
    for i in _cue_candidates(ctx, phrase_heads):
        tok = doc[i]
        lower = tok.lower_
        if lower in phrase_heads:
            nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            if nxt is not None and nxt.lower_ == phrase_heads[lower]:
                if in_heading(ctx, tok.idx) or _inside_quote(tok.idx, index):
                    continue
                f = _source_phrase_statement(doc, tok, nxt)
                if f is not None:
                    out.append(_as_direct(f, index, used_quotes))
            continue
        if tok.pos_ not in _VERB_POS:
            continue
        cue = _cue_entry(tok)
        if cue is None or in_heading(ctx, tok.idx) or _inside_quote(tok.idx, index):
            continue
        if not _is_event(tok):
            continue
        subject = _subject(tok)
        if subject is None:
            continue
        adjacent = _adjacent_quotes(ctx.text, doc, tok, index)
        fresh = [qi for qi in adjacent if qi not in used_quotes]
        # beside a quotation any noun can speak ("the fisherman said"); elsewhere it must be
        # a name, a pronoun or a speaker noun of the lexicon
        if not (is_speaker_head(subject) or _said_by_who(tok, subject)
                or (fresh and subject.pos_ in {"NOUN", "PROPN"})):
            continue
        if fresh:
            for qi in fresh:
                q = quotes[qi]
                used_quotes.add(qi)
                out.append(_Found(q.start, q.end, True, tok, tok.idx + len(tok), cue, subject))
            continue
        instruction = _instruction(tok)
        if instruction is not None:
            cue = Cue(cue.lemma, "demand", True, True)   # "told residents to leave": an order
            span = instruction
        else:
            span = _verb_content(doc, tok, cue)
        if span is None:
            continue
        start, end = span
        out.append(_as_direct(_Found(start, end, False, tok, tok.idx + len(tok), cue, subject), index, used_quotes))
    return out


def _cue_candidates(ctx: Context, phrase_heads: dict[str, str]) -> list[int]:
    """Positions that can open a source phrase or be a reporting verb ``_cue_entry`` knows:
    the only ones ``_cue_statements`` acts on."""
    tb = ctx.tokens
    verbs = [i for i in tb.where(tb.lemma, _cue_lemmas()) if tb.pos[i] in _VERB_POS]
    return sorted({*tb.where(tb.lower, phrase_heads), *verbs})


@functools.lru_cache(maxsize=1)
def _cue_lemmas() -> frozenset[str]:
    """Every lemma ``_cue_entry`` can return an entry for: a cue, the words before a space in a
    two-word cue ("call for" looked up as lemma + particle), a characterising verb."""
    lex = lexicon()
    out = set(lex.characterise_verbs)
    for key in lex.cues:
        out.add(key)
        out.update(key[:k] for k, ch in enumerate(key) if ch == " ")
    return frozenset(out)


def _as_direct(f: _Found, index: QuoteIndex, used_quotes: set[int]) -> _Found:
    """The statement as a direct quote when its whole content is one quotation
    ('said in a statement that "..."', '"...," according to the ministry');
    of several such quotes, the first in text order."""
    quotes = index.quotes
    qi = min((qi for qi in index.opening_by(f.start + 1, f.start - 1)
              if qi not in used_quotes and quotes[qi].outer_end >= f.end - 1 and quotes[qi].start >= f.start - 1),
             default=None)
    if qi is None:
        return f
    q = quotes[qi]
    used_quotes.add(qi)
    return _Found(q.start, q.end, True, f.cue_tok, f.cue_end, f.cue_entry, f.subject)


def _instruction(cue: Token) -> tuple[int, int] | None:
    """'told residents to evacuate', 'asked the UN to send troops': addressee plus what they must do."""
    if cue.lemma_.lower() not in lexicon().instruct_verbs:
        return None
    obj = next((c for c in cue.children if c.dep_ in {"dobj", "dative"} and c.i > cue.i), None)
    todo = next((c for c in cue.children if c.dep_ == "xcomp" and c.i > cue.i), None)
    if obj is None or todo is None or not any(a.lower_ == "to" for a in todo.children if a.dep_ == "aux"):
        return None
    hi = todo.right_edge.i
    for child in todo.children:
        # "told fighters not to harm civilians and urged employees to stay": the second is its own
        if child.dep_ == "conj" and child.i > todo.i and _cue_entry(child) is not None:
            hi = min(hi, _end_before(child))
    return _trimmed(cue.doc, obj.left_edge.i, hi)


def _end_before(conj: Token) -> int:
    """The last token before a conjunct and its "and"/"but": where the first conjunct's content ends."""
    head = conj.head
    cc = [c for c in head.children if c.dep_ == "cc" and head.i < c.i < conj.i]
    return (cc[-1].i if cc else conj.left_edge.i) - 1


def _cue_entry(tok: Token) -> Cue | None:
    """The lexicon entry of a reporting verb; "call for"/"call on" entries need their particle."""
    cues = lexicon().cues
    lemma = tok.lemma_.lower()
    for child in tok.children:
        if child.dep_ in {"prep", "prt"} and child.i > tok.i:
            entry = cues.get(f"{lemma} {child.lower_}")
            if entry is not None:
                return entry
    return cues.get(lemma) or _characterisation(tok)


def _characterisation(tok: Token) -> Cue | None:
    """'called the accusations a provocation' (deny), 'branded the offensive a threat' (accuse):
    a characterising verb with an object and a predicate after it."""
    lex = lexicon()
    lemma = tok.lemma_.lower()
    if lemma not in lex.characterise_verbs:
        return None
    objects = [c for c in tok.children if c.dep_ == "dobj" and c.i > tok.i]
    predicates = [c for c in tok.children if c.dep_ in {"oprd", "xcomp"} and c.i > tok.i]
    if objects and not (predicates or len(objects) > 1):
        # "called the accusations a provocation staged to ...": the parse made the predicate
        # noun the subject of a clause hung on the object, right after it
        obj = objects[0]
        if any(c.dep_ in {"acl", "relcl"} and any(g.dep_ == "nsubj" and g.pos_ in {"NOUN", "PROPN"}
                                                  and g.left_edge.i == obj.i + 1 for g in c.children) for c in obj.children):
            predicates = [obj]
    if not objects or not (predicates or len(objects) > 1):
        return None
    thing = objects[0].lemma_.lower()
    stance = "deny" if thing in lex.claim_nouns or thing in lex.document_nouns else "accuse"
    return Cue(lemma, stance, True, True)


def _source_phrase_statement(doc: Doc, first: Token, second: Token) -> _Found | None:
    speaker_tok = next((c for c in second.children if c.dep_ == "pobj"), None)
    if speaker_tok is None:
        speaker_tok = next((c for c in first.children if c.dep_ == "pobj"), None)
    if speaker_tok is None or not is_speaker_head(speaker_tok):
        return None
    clause = first.head
    while (clause.pos_ not in {"VERB", "AUX"} or clause.dep_ == "conj") and clause.head.i != clause.i:
        clause = clause.head
    if clause.i == first.i:
        return None
    phrase_lo, phrase_hi = first.left_edge.i, max(first.right_edge.i, second.right_edge.i)
    lo, hi = clause.left_edge.i, clause.right_edge.i
    # the clause on the longer side of the phrase: "..., according to X." / "According to X, ..."
    left, right = phrase_lo - lo, hi - phrase_hi
    if left > 0 and right > 0 and doc[phrase_lo - 1].text == "," and phrase_hi + 1 <= hi and doc[phrase_hi + 1].text == ",":
        pass   # "The toll, according to X, has risen to 2,000": the whole clause
    elif left >= right:
        hi = phrase_lo - 1
    else:
        lo = phrase_hi + 1
    span = _trimmed(doc, lo, hi)
    if span is None:
        return None
    return _Found(span[0], span[1], False, first, second.idx + len(second), None, speaker_tok)


# --------------------------------------------------------------------------- content


def _trimmed(doc: Doc, lo: int, hi: int) -> tuple[int, int] | None:
    """Char span of tokens lo..hi (inclusive) without edge punctuation or a leading 'that'."""
    tb = token_table(doc)
    while lo <= hi and (tb.is_punct[lo] and tb.text[lo] not in _QUOTE_MARKS or tb.dep[lo] == "mark"):
        lo += 1
    while hi >= lo and tb.is_punct[hi] and tb.text[hi] not in _QUOTE_MARKS:
        hi -= 1
    if lo > hi:
        return None
    if _opens_unclosed(tb.text_of(lo, hi)):
        # 'of shelling it "deliberately, one by one"': a quotation the parse split at its comma
        sent_end = doc[hi].sent.end
        close = next((t.i for t in doc[hi + 1: min(sent_end, hi + 1 + MAX_QUOTE_CUE_GAP_WORDS)]
                      if t.text in _QUOTE_MARKS), None)
        if close is not None:
            hi = close
    base = tb.idx[lo]
    text = tb.text_of(lo, hi)   # the span only: doc.text would rebuild the whole article
    start, end = 0, len(text)
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    start, end = base + start, base + end
    following = tb.text[hi + 1] if hi + 1 < len(tb) else ""
    if _opens_unclosed(text) and following in _QUOTE_MARKS and tb.idx[hi + 1] == end:
        end += len(following)   # 'called it "ridiculous"': the closing mark the parse hung elsewhere
    if end - start < MIN_CONTENT_CHARS:
        return None
    return start, end


def _opens_unclosed(text: str) -> bool:
    """True when ``text`` leaves a quotation open ('the statement "ridiculous')."""
    return text.count('"') % 2 == 1 or text.count("“") > text.count("”")


def _previous_sentence(doc: Doc, tok: Token) -> tuple[int, int] | None:
    sent = tok.sent
    if sent.start == 0:
        return None
    prev = doc[sent.start - 1].sent
    return _trimmed(doc, prev.start, prev.end - 1)


def _verb_content(doc: Doc, cue: Token, entry: Cue) -> tuple[int, int] | None:
    clauses = [c for c in cue.children if c.dep_ == "ccomp"]
    if clauses:
        # the clause nearest after the cue, else the one before it ("..., he said")
        after = [c for c in clauses if c.i > cue.i]
        before = [c for c in clauses if c.i < cue.i]
        clause = after[0] if after else clauses[-1]
        if (after and before and before[-1].left_edge.i <= cue.sent.start + 1
                and doc[after[0].left_edge.i - 1].text == ","):
            # "Rebels shelled the town, the governor said, citing figures ...": the clause that
            # opens the sentence is what was said; the one set off after the cue is a comment
            clause = before[-1]
        hi = clause.right_edge.i
        for child in clause.children:
            # "said A but that B ...": what follows "but" is another voice
            if child.dep_ == "cc" and child.lower_ in _CLAUSE_BREAKS and child.i > clause.i:
                hi = min(hi, child.i - 1)
            # "said A and denied B": the second reporting verb is a statement of its own
            if child.dep_ == "conj" and child.i > clause.i and _coordinating_cue(child) == cue:
                hi = min(hi, _end_before(child))
            # "acknowledged that A, saying B": the participle is a statement of its own
            if (child.dep_ == "advcl" and child.i > clause.i and child.lemma_.lower() in lexicon().cues
                    and child.tag_ == "VBG"):
                hi = min(hi, child.left_edge.i - 1)
            # "said 200 were killed, while Baku said 192 died": another speaker's statement
            # (not "after a priest told him ...": a report inside the story told)
            if (child.dep_ == "advcl" and child.i > clause.i and _cue_entry(child) is not None
                    and any(c.dep_ == "nsubj" for c in child.children)
                    and any(c.dep_ == "mark" and c.lower_ in _CONTRAST_MARKS for c in child.children)):
                hi = min(hi, child.left_edge.i - 1)
        if clause.i < cue.i:
            # '..., the city's mayor, Vitali Klitschko, said': the speaker was parsed into the clause
            subject = _subject(cue)
            if subject is not None and clause.left_edge.i < subject.i < cue.i:
                hi = min(hi, subject.left_edge.i - 1)
        lo = clause.left_edge.i
        for child in clause.children:
            # "said on Monday it had ...": a leading time phrase hung on the clause is the cue's
            if (child.i < clause.i and child.left_edge.i == lo and child.dep_ in {"prep", "npadvmod"}
                    and cue.i < lo and any(t.ent_type_ in {"DATE", "TIME"} for t in child.subtree)):
                lo = child.right_edge.i + 1
        return _trimmed(doc, lo, hi)
    for tok in doc[cue.i + 1: min(cue.i + 1 + MAX_THAT_DISTANCE, cue.sent.end)]:
        # "reported from the scene that ...", parsed as a relative clause
        if tok.lower_ == "that" and tok.dep_ == "mark" and tok.head.i > tok.i:
            clause = tok.head
            if entry.takes_object and clause.dep_ == "acl" and clause.head.dep_ == "dobj" and clause.head.head.i == cue.i:
                break   # "rejected Russia's explanation that ...": the whole object is the content
            return _trimmed(doc, tok.i + 1, cue.sent.end - 1)
    head = cue.head
    ends_sentence = all(t.is_punct or t.is_space for t in doc[cue.right_edge.i + 1: cue.sent.end])
    after_comma = cue.left_edge.i > 0 and doc[cue.left_edge.i - 1].text in {",", *_QUOTE_MARKS}
    own_object = entry.takes_object and any(
        c.i > cue.i and (c.dep_ == "dobj" or (c.dep_ == "prep" and c.lower_ in _CONTENT_PREPS)) for c in cue.children)
    if (cue.dep_ in {"parataxis", "ccomp", "advcl", "conj"} and head.i < cue.i and not own_object
            and ends_sentence and after_comma and head.pos_ in {"VERB", "AUX"}):
        # "Rebels shelled the town, the governor said" parsed with the clause on top
        return _trimmed(doc, head.left_edge.i, cue.left_edge.i - 1)
    subject = next((c for c in cue.children if c.dep_ == "nsubj" and c.i < cue.i), None)
    if (subject is not None and subject.left_edge.i > cue.sent.start
            and doc[subject.left_edge.i - 1].text == ","
            and not any(c.dep_ in _CONTENT_DEPS for c in cue.children if c.i > cue.i)):
        # "Rebels must leave Goma, the union demanded on Tuesday" parsed with the cue hung low
        return _trimmed(doc, cue.sent.start, subject.left_edge.i - 2)
    if not entry.takes_object:
        return None
    parts: list[Token] = []
    for child in cue.children:
        if child.i < cue.i:
            continue
        if child.dep_ == "prep" and any(t.ent_type_ in {"DATE", "TIME"} for t in child.children):
            continue   # "on Tuesday": when, not what
        if (child.dep_ in _CONTENT_DEPS or (child.dep_ == "prep" and child.lower_ in _CONTENT_PREPS)
                or (child.dep_ == "prep" and parts)):
            if child.dep_ == "dobj" and child.lower_ in _ANAPHORIC_OBJECTS and len(list(child.subtree)) == 1:
                return _previous_sentence(doc, cue)
            parts.append(child)
        elif child.dep_ == "punct" and child.text == "," and parts:
            break
        elif (child.dep_ == "advcl" and parts and child.left_edge.i == max(p.right_edge.i for p in parts) + 1
              and any(g.dep_ == "aux" and g.lower_ == "to" for g in child.children)):
            parts.append(child)   # "called on all sides to protect civilians": the infinitive is what is asked
        elif child.dep_ in {"cc", "conj", "advcl"} and parts:
            break
    if not parts:
        return _displaced_infinitive(doc, cue, entry)
    lo = min(p.left_edge.i for p in parts)
    hi = max(p.right_edge.i for p in parts)
    for tok in doc[lo: hi + 1]:
        # "accused X of trying to ... and denied that ...": the parse hung the second reporting
        # verb inside the first one's object; it is a statement of its own
        if (tok.dep_ == "conj" and tok.tag_ == cue.tag_ and _cue_entry(tok) is not None
                and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in tok.children)):
            hi = min(hi, _end_before(tok))
            break
    first = min(parts, key=lambda p: p.i)
    if first.dep_ == "prep" and first.i == lo:
        lo += 1   # "called for a ceasefire", "blamed it on X": the preposition is the cue's
    return _trimmed(doc, lo, hi)


def _displaced_infinitive(doc: Doc, cue: Token, entry: Cue) -> tuple[int, int] | None:
    """'vowed in a televised address on Monday to retake the city': the parse hung the
    promised act on the circumstance's noun; for a promising or demanding cue it is the content."""
    if entry.stance not in {"promise", "demand"}:
        return None
    for prep in cue.children:
        if prep.dep_ != "prep" or prep.i < cue.i:
            continue
        for tok in prep.subtree:
            to = next((c for c in tok.children if c.dep_ == "aux" and c.lower_ == "to"), None)
            if tok.dep_ == "acl" and tok.tag_ == "VB" and to is not None:
                return _trimmed(doc, to.i, tok.right_edge.i)
    return None


def _adjacent_quotes(text: str, doc: Doc, cue: Token, index: QuoteIndex) -> list[int]:
    """Quotes written right before ('"...," X said') or right after ('X said: "..."') the cue,
    in text order. Only the quotes near the cue are looked at (``QuoteIndex``): a farther one's
    gap holds the nearer one's gap and fails ``_quiet_gap`` when that one's does."""
    out = []
    quotes = index.quotes
    for qi in index.closing_before(cue.idx, MAX_QUOTE_CUE_GAP_WORDS):
        q = quotes[qi]
        if not q.closed:
            continue
        gap = text[q.outer_end:cue.idx]
        last = text[q.close_at - 1] if q.close_at else ""
        if last == "." or (last in "!?" and len(_WORDS.findall(gap)) > MAX_GAP_AFTER_EXCLAMATION):
            continue   # '"We will win." The army then attacked, officials said': the quote ended its sentence
        if _quiet_gap(gap) and _opens_sentence(text, q, doc):
            out.append(qi)
    cue_end = cue.idx + len(cue)
    for qi in index.opening_from(cue_end, MAX_QUOTE_CUE_GAP_WORDS):
        gap = text[cue_end:quotes[qi].open_at]
        stripped = gap.rstrip()
        if _quiet_gap(gap) and (not stripped or stripped[-1] in ",:" or stripped.lower().endswith("that")):
            out.append(qi)
    return sorted(out)


def _quiet_gap(gap: str) -> bool:
    """No sentence end, no other quote and few words between a quote and its cue."""
    if "\n" in gap or any(ch in _QUOTE_MARKS for ch in gap):
        return False
    if _SENTENCE_STOP.search(gap + " ") and gap.strip() not in {"", ","}:
        return False
    return len(_WORDS.findall(gap)) <= MAX_QUOTE_CUE_GAP_WORDS


def _opens_sentence(text: str, q: Quote, doc: Doc) -> bool:
    """True when nothing but white space precedes the quote in its sentence."""
    i = q.open_at - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] in "\n.!?:" or text[i] in _QUOTE_MARKS


def _drop_nested(found: list[_Found]) -> list[_Found]:
    """Cues inside another statement's content give no statement of their own."""
    contents = SpanIndex.build([(o.start, o.end, n) for n, o in enumerate(found) if not _answers_claim(o)])
    kept = []
    for n, f in enumerate(found):
        at = f.cue_tok.idx if f.cue_tok is not None else f.start
        if contents.holds(at, besides=n):
            continue
        kept.append(f)
    return kept


def _answers_claim(f: _Found) -> bool:
    """'..., a charge Paris denies': the cue answers a claim made in the same sentence."""
    cue = f.cue_tok
    if cue is None:
        return False
    claims = lexicon().claim_nouns
    if cue.dep_ in {"relcl", "acl"} and cue.head.lemma_.lower() in claims:
        return True
    # the same, parsed with the claim noun as the cue's object: "a charge [that] Paris denies"
    return any(c.i < cue.i and c.dep_ in {"dobj", "npadvmod"} and c.lemma_.lower() in claims for c in cue.children)


# --------------------------------------------------------------------------- settling


def _continuations(ctx: Context, quotes: tuple[Quote, ...], found: list[_Found]) -> list[Quote]:
    """Uncued quotes that open a sentence: each continues the statement before it."""
    heading = {b.index for b in blocks(ctx) if b.heading}
    contents = SpanIndex.build([(f.start, f.end, n) for n, f in enumerate(found)])
    out = []
    for q in quotes:
        if contents.meets(q.start, q.end):
            continue
        if q.block in heading or not _opens_sentence(ctx.text, q, ctx.doc):
            continue
        if len(_WORDS.findall(ctx.text[q.start:q.end])) < MIN_CONTINUATION_WORDS:
            continue
        out.append(q)
    return out


def _settle(ctx: Context, doc: Doc, found: list[_Found], quotes: tuple[Quote, ...],
            history: list[Mention]) -> list[Statement]:
    """Speakers, stances and records, in text order (pronouns look back at earlier speakers)."""
    items: list[tuple[int, _Found | Quote]] = [(f.start, f) for f in found]
    items += [(q.start, q) for q in _continuations(ctx, quotes, found)]
    items.sort(key=lambda x: x[0])
    out: list[Statement] = []
    last: tuple[Statement, int] | None = None   # the previous statement and its paragraph

    for _pos, item in items:
        if isinstance(item, Quote):
            if last is None or item.block - last[1] > MAX_CONTINUATION_BLOCKS:
                continue
            st = dataclasses.replace(
                last[0], start=item.start, end=item.end, text=ctx.text[item.start:item.end], direct=True,
                stance=stance_of(None, doc, item.start, item.end))
            out.append(st)
            last = (st, item.block)
            continue
        st = _statement(ctx, doc, item, history)
        if st is None:
            continue
        out.append(st)
        block = block_at(ctx, st.end - 1)   # a continuation follows the content's paragraph
        last = (st, block.index if block is not None else -1)
    out.sort(key=lambda s: s.start)
    return out


def _statement(ctx: Context, doc: Doc, f: _Found, history: list[Mention]) -> Statement | None:
    speaker: Speaker | None = resolve(f.subject, history) if f.subject is not None else None
    if speaker is None or not speaker.text:
        return None
    cue_start = f.cue_tok.idx if f.cue_tok is not None else f.start
    remember(history, speaker, cue_start)
    start = f.start
    if not f.direct and start <= speaker.start < f.end and not ctx.text[start:speaker.start].strip(_EDGE):
        # the parse put the speaker's apposed name into the content: skip past it
        start = speaker.end
        while start < f.end and ctx.text[start] in _EDGE:
            start += 1
        if f.end - start < MIN_CONTENT_CHARS:
            return None
    return Statement(
        start=start, end=f.end, text=ctx.text[start:f.end],
        speaker=speaker.text, cue=ctx.text[cue_start:f.cue_end], direct=f.direct,
        stance=stance_of(f.cue_entry, doc, start, f.end),
        speaker_actor=canonical_actor(speaker.text),
        speaker_start=speaker.start, speaker_end=speaker.end,
        cue_start=cue_start, cue_end=f.cue_end,
    )
