"""The stance of a statement: from its cue verb, else from the content's main verb.

- a cue with a stance of its own (deny, accuse, warn, demand, promise) or a
  ``fixed`` cue (acknowledge, confirm) decides alone;
- otherwise the content's main verb decides: a modal ``must``/``should`` makes
  a demand, ``will``/``would`` a promise (``resources/speech/stance_markers.csv``);
  an attack verb whose agent is an armed party ("troops fired on the crowd",
  "the missile was launched by a unit of the army"), or a crime named as what
  something is or did ("this is a violation of international law"), an accusation;
- the speaker negating something about itself ("said it had not targeted civilians") a denial;
- everything else is an assertion.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from fogwatch.extract.speech_lexicon import Cue, lexicon
from fogwatch.extract.tokens import token_table

_SUBJECTS = frozenset({"nsubj", "nsubjpass"})


def content_root(doc: Doc, start: int, end: int) -> Token | None:
    """The main word of the content ``[start, end)``: the first token whose head lies outside it."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    tb = token_table(doc)
    first: int | None = None
    for i in range(span.start, span.end):
        if tb.is_punct[i]:
            continue
        head = tb.head[i]
        if head == i or not (span.start <= head < span.end):
            if tb.pos[i] in {"VERB", "AUX"}:
                return doc[i]
            if first is None:
                first = i
    return doc[first] if first is not None else None


def _agent_heads(verb: Token) -> list[Token]:
    heads = []
    for child in verb.children:
        if child.dep_ == "nsubj":
            heads.append(child)
        elif child.dep_ == "agent":
            heads.extend(c for c in child.children if c.dep_ == "pobj")
    return heads


def _is_attack(verb: Token) -> bool:
    lex = lexicon()
    lemma = verb.lemma_.lower()
    if lemma in lex.attack_verbs:
        return True
    # "opened fire"
    return any(c.dep_ == "dobj" and c.lemma_.lower() in lex.attack_verbs for c in verb.children)


# Entity labels that name a party to a conflict when written as an attacker
# ("sabotaged by Ukraine", "the RSF shelled ...").
_PARTY_LABELS = frozenset({"GPE", "ORG", "NORP"})


def _armed(tok: Token) -> bool:
    """The agent phrase names an armed party: its head or a noun it owns/compounds, or a
    named country, organisation or group at its head. Not the speaker's own ("its fighters
    had killed dozens", "we struck their positions"): a claim of its own act asserts it."""
    if _speakers_own(tok):
        return False
    lex = lexicon()
    if tok.ent_type_ in _PARTY_LABELS and tok.pos_ == "PROPN":
        return True
    for t in tok.subtree:
        if t.lemma_.lower() in lex.hostile_agents and (t.i == tok.i or t.dep_ in {"pobj", "compound", "conj"}):
            return True
    return False


def _speakers_own(tok: Token) -> bool:
    """ "its fighters", "our forces", "we": the agent is the speaker or belongs to it."""
    if tok.lower_ in {"we", "i"}:
        return True
    return any(c.dep_ == "poss" and c.lower_ in {"its", "our", "my"} for c in tok.children)


# Subjects through which a quoted speaker performs the act it names ("We call for ...").
_FIRST_PERSON = frozenset({"we", "i"})


def _performed_stance(root: Token) -> str | None:
    """'We call for a ceasefire', 'I condemn this attack', 'We continue to urge ...': a speaker
    saying in the first person that it demands, warns, accuses or denies does so."""
    if root.pos_ not in {"VERB", "AUX"} or not any(
            c.dep_ == "nsubj" and c.lower_ in _FIRST_PERSON for c in root.children):
        return None
    if any(c.dep_ == "neg" or (c.dep_ == "aux" and c.lower_ in lexicon().modal_stance) for c in root.children):
        return None   # "we will not accept ...", "we would call for ...": not the act itself
    cues = lexicon().cues
    verbs = [root] + [c for c in root.children if c.dep_ == "xcomp" and c.pos_ == "VERB"]
    for verb in verbs:
        lemma = verb.lemma_.lower()
        entry = None
        for child in verb.children:
            if child.dep_ in {"prep", "prt"} and child.i > verb.i:
                entry = cues.get(f"{lemma} {child.lower_}") or entry
        entry = entry or cues.get(lemma)
        if entry is not None and entry.stance != "assert":
            return entry.stance
    return None


def _marker_stance(root: Token) -> str | None:
    lex = lexicon()
    performed = _performed_stance(root)
    if performed is not None:
        return performed
    # only the main verb's modal counts: "there was evidence and the court would not ..." asserts
    for child in root.children:
        if child.dep_ == "aux" and child.lower_ in lex.modal_stance:
            return lex.modal_stance[child.lower_]
    stance = lex.verb_stance.get(root.lemma_.lower())
    if stance and any(c.dep_ == "xcomp" or (c.dep_ == "prep" and c.lower_ == "to") for c in root.children):
        return stance
    if root.pos_ in {"NOUN", "PROPN"} and root.lemma_.lower() in lex.noun_stance:
        return lex.noun_stance[root.lemma_.lower()]
    for child in root.children:
        if (child.dep_ == "dobj" and child.lemma_.lower() in lex.noun_stance
                and not any(d.lower_ == "no" for d in child.children)):   # "had no plans to ..."
            return lex.noun_stance[child.lemma_.lower()]
    return None


def _accusation(root: Token) -> bool:
    lex = lexicon()
    if root.pos_ == "NOUN" and root.lemma_.lower() in lex.attack_nouns:
        # "reported an Israeli strike on the crowd": an attack with a party named on it
        if any(c.ent_type_ in {"NORP", "GPE", "ORG"} for c in root.children if c.dep_ in {"amod", "poss", "compound"}):
            return True
    if any(c.dep_ in {"attr", "dobj"} and c.lemma_.lower() in lex.accusation_nouns for c in root.children):
        return True   # "this is a clear violation of ...", "they committed a massacre"
    if root.pos_ == "VERB":
        entry = lex.cues.get(root.lemma_.lower())
        if entry is not None and entry.stance == "accuse" and _agent_heads(root):
            return True   # "the gang leader blamed older residents for ...": a reported accusation
        if (any(c.dep_ == "dobj" and c.lemma_.lower() in lex.attack_nouns for c in root.children)
                and any(_armed(h) for h in _agent_heads(root))):
            return True   # "a gang leader ordered the killing of ...", "the army carried out strikes"
    if any(c.dep_ == "nsubj" and _named_attack(c) for c in root.children):
        return True   # "an Israeli airstrike set fire to the camp": an attack a party is named on
    shared = _agent_heads(root)
    verbs = [root] + [c for c in root.children if c.dep_ == "conj" and c.pos_ == "VERB"]
    for verb in verbs:
        # "gang members hunted people down and killed them": the conjunct shares the subject
        agents = _agent_heads(verb) or shared
        if _is_attack(verb) and any(_armed(h) for h in agents):
            return True
    return False


def _named_attack(tok: Token) -> bool:
    """An attack noun with the party that made it named on it ("Russian shelling", "Israel's strike")."""
    return tok.lemma_.lower() in lexicon().attack_nouns and any(
        c.ent_type_ in {"NORP", "GPE", "ORG"} for c in tok.children if c.dep_ in {"amod", "poss", "compound"})


# Subjects through which a speaker talks about itself ("the army said it had not ...").
_SELF_SUBJECTS = frozenset({"it", "we", "i", "they", "he", "she"})


def _self_negation(root: Token) -> bool:
    """'the group said it was not involved': the speaker negates something about itself."""
    if root.pos_ not in {"VERB", "AUX"} or not any(c.dep_ == "neg" for c in root.children):
        return False
    if not any(c.dep_ in _SUBJECTS and c.lower_ in _SELF_SUBJECTS for c in root.children):
        return False
    lex = lexicon()
    # what is negated must be an act or a part in one: "did not target", "was not involved"
    words = [root] + [c for c in root.children if c.dep_ in {"acomp", "attr", "prep", "advmod"}]
    return any(w.lemma_.lower() in lex.negated_stance or w.lemma_.lower() in lex.attack_verbs for w in words)


def _negative_imperative(root: Token) -> bool:
    """'Do not wait for the shelling to reach your street': a prohibition addressed to the
    listener (no subject, "do not" + bare verb) warns them."""
    return (root.pos_ == "VERB" and root.tag_ == "VB"
            and not any(c.dep_ in _SUBJECTS for c in root.children)
            and any(c.dep_ == "aux" and c.lemma_.lower() == "do" for c in root.children)
            and any(c.dep_ == "neg" for c in root.children))


def _denied_attack(root: Token) -> bool:
    """'our army would never attack a camp', 'the troops did not fire on anyone': an armed
    party's attack negated is a denial (even under "would", which would otherwise promise)."""
    if root.pos_ != "VERB" or not _is_attack(root) or not any(c.dep_ == "neg" for c in root.children):
        return False
    return any(_armed(h) or h.lower_ in _SELF_SUBJECTS for h in _agent_heads(root))


def stance_of(cue: Cue | None, doc: Doc, start: int, end: int) -> str:
    """The stance of a statement whose cue is ``cue`` (None: "according to") and content ``[start, end)``."""
    if cue is not None and (cue.fixed or cue.stance != "assert"):
        return cue.stance
    root = content_root(doc, start, end)
    if root is None:
        return cue.stance if cue is not None else "assert"
    if _denied_attack(root):
        return "deny"
    if _negative_imperative(root):
        return "warn"
    marked = _marker_stance(root)
    if marked is not None:
        return marked
    if _self_negation(root):
        return "deny"
    if _accusation(root):
        return "accuse"
    return "assert"
