"""The fast parse: the statistical pipeline runs only on sentences that can yield a record.

Every extractor needs a lexical anchor in the sentence it reads a record from: a
statement needs a quotation mark or a speech cue, a figure a count word beside a
number, an event its trigger, a place a gazetteer name. This module

1. tokenises the whole text once with the tokenizer alone and splits it into
   sentences with a punctuation rule (``sentence_spans``), reading token fields
   from the ``Doc``'s arrays (``Tokens``) rather than through ``Token`` objects;
2. keeps the sentences that hold an anchor (``Anchors.wants``), with the anchor
   words read from the extractors' own lexicons under ``resources/``;
3. runs the full pipeline (``fogwatch.nlp.get_nlp``) with ``nlp.pipe`` over the
   kept runs of sentences only, fed as docs built from the plan's own tokens
   (``_kept_docs``: no second tokenisation), in batches of at most ``BATCH_TOKENS``
   tokens, a run longer than ``MAX_PIECE_TOKENS`` cut at sentence starts, and
4. writes the kept pieces' annotations into the plan's doc with one
   ``Doc.from_array`` (``_assemble``), so ``doc.text`` is the article's text and
   character offsets are exact; the extractors run unchanged. An unparsed sentence
   has no tags, lemmas or entities and a flat tree (``_flat_piece``) that keeps it a
   sentence of its own.

Measured on 150 bench articles (CPU seconds, loaded machine): before steps 1, 3 and
4 read the plan's tokens, the plan took 1.3 s, re-tokenising kept pieces 0.5 s and
``Doc.from_docs`` 0.4 s; now 0.9 s (most of it the tokenizer creating lexemes, which
every path pays once per word), 0.05 s and 0.06 s. The docs are identical to the
previous ``Doc.from_docs`` joins on 312 texts (every array attribute, entities and
sentences) except NORM on skipped tokens, now the tokenizer's (as in the full parse;
no extractor reads NORM).

The full parse (``fogwatch.nlp.parse``) is the same machinery with every sentence kept
(``keep_all``): a text within ``MAX_PIECE_TOKENS`` is one piece, parsed as
``nlp(text)`` would; a longer one is parsed in pieces, so memory stays bounded.
"""

from __future__ import annotations

import bisect
import csv
import functools
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources

import numpy
from spacy.attrs import (
    DEP,
    ENT_ID,
    ENT_IOB,
    ENT_KB_ID,
    ENT_TYPE,
    HEAD,
    IDX,
    IS_SPACE,
    LEMMA,
    LOWER,
    MORPH,
    NORM,
    ORTH,
    POS,
    SENT_START,
    SPACY,
    TAG,
)
from spacy.language import Language
from spacy.tokens import Doc

from fogwatch.errors import LexiconError
from fogwatch.nlp import MAX_CHARS, get_nlp

# Quotation marks that open a statement (straight and typographic, single and double).
QUOTE_CHARS = frozenset("\"“”«»„")
# Sentence-final punctuation tokens for the cheap sentence splitter.
_FINAL = frozenset({".", "!", "?", "...", "…"})
# Tokens that may follow a full stop inside the same boundary (closing quotes, brackets).
_CLOSERS = frozenset({"\"", "”", "’", "'", ")", "]", "»"})
# Kept pieces per ``nlp.pipe`` batch (and per window of articles held at once). On the
# bulk corpus ~92% of the text is kept, so a piece is often a whole article: 256 pieces
# peaked at 702 MB RSS on 150 bench articles (the full path: 281 MB); 64 matches the
# ingest batch and the baseline's nlp.pipe batch. Model time barely moves with it (150
# articles' kept pieces, CPU s, two runs: 16 -> 11.6/11.1, 64 -> 9.2/9.0, 256 -> 9.5/9.7;
# sorted by length within a batch 8.5/8.9, within noise, so pieces keep article order).
PIPE_BATCH = 64
# Tokens per ``nlp.pipe`` batch, whatever the number of pieces: the models' working memory
# grows with a batch's tokens. Peak RSS parsing 300 bench articles in batches (CPU s in
# brackets): 5,000 tokens 353 MB (18.3 s) full, 354 MB (16.9) fast; 10,000: 435 (18.1),
# 434 (17.2); unbounded: 752 (18.0), 442 (16.9). One 1,000,000-character text parsed
# whole peaked at 3.3 GB; in pieces with this budget at 536 MB (10,000: 616; 40,000: 1,104).
BATCH_TOKENS = 5_000
# Longest piece the models see, in tokens (so a piece fits a batch). A longer run of kept
# sentences is cut at sentence starts, or at the limit inside one longer sentence.
MAX_PIECE_TOKENS = 5_000

# Longest gazetteer name tried, in tokens ("Deir al-Balah", "Democratic Republic of the Congo").
MAX_NAME_TOKENS = 6

_DIGIT = re.compile(r"\d")


def _resource(path: str) -> str:
    try:
        return resources.files("fogwatch.resources").joinpath(path).read_text(encoding="utf-8")
    except OSError as exc:  # pragma: no cover - a packaging error
        raise LexiconError(f"missing lexicon {path}: {exc}") from exc


def _csv_column(path: str, column: int = 0) -> set[str]:
    rows = (line for line in io.StringIO(_resource(path)) if line.strip() and not line.startswith("#"))
    out = set()
    for k, row in enumerate(csv.reader(rows)):
        if k == 0 or len(row) <= column:  # header row
            continue
        out.add(row[column].strip().lower())
    return out - {""}


def _lines(path: str) -> set[str]:
    return {ln.strip().lower() for ln in _resource(path).splitlines() if ln.strip() and not ln.startswith("#")}


def _inflections(lemma: str) -> set[str]:
    """Regular English inflections of a lemma (over-generating is harmless: it only keeps
    a sentence for parsing)."""
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"}
    if lemma.endswith("e"):
        forms.add(lemma[:-1] + "ing")
    if lemma.endswith("y"):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if len(lemma) > 2 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou":
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return forms


@dataclass(frozen=True)
class Anchors:
    """Word forms that make a sentence worth parsing, one set per extractor."""

    speech: frozenset[str]   # speech cues and attribution words (statements, figure sources)
    counts: frozenset[str]   # words that say what a number counts (figures)
    numbers: frozenset[str]  # spelled-out numbers and quantifiers
    triggers: frozenset[str]  # event triggers

    def wants(self, words: Sequence[str], raw: str, has_place: Callable[[], bool]) -> bool:
        """Whether a sentence with lower-cased ``words`` and text ``raw`` may yield a record;
        ``has_place`` (the slowest test) is asked last."""
        if not QUOTE_CHARS.isdisjoint(raw):
            return True
        ws = set(words)
        if not ws.isdisjoint(self.speech) or not ws.isdisjoint(self.triggers):
            return True
        has_number = _DIGIT.search(raw) is not None or not ws.isdisjoint(self.numbers)
        return (has_number and not ws.isdisjoint(self.counts)) or has_place()


@functools.lru_cache(maxsize=1)
def get_anchors() -> Anchors:
    """Anchor word forms from the extractors' lexicons, with spaCy's irregular forms."""
    speech = _csv_column("speech/cues.csv") | _csv_column("figures/speech_verbs.csv")
    speech |= _csv_column("figures/dispute_verbs.csv") | _lines("speech/source_phrases.txt")
    counts = set()
    for name in ("metric_words", "victim_nouns", "count_nouns", "custody_verbs", "state_verbs",
                 "report_nouns", "non_victims"):
        counts |= _csv_column(f"figures/{name}.csv")
    counts |= _csv_column("figures/verb_objects.csv", 0) | _csv_column("figures/verb_objects.csv", 1)
    numbers = _csv_column("figures/number_words.csv")  # "a dozen", "three hundred"; digits are tested apart
    spec = json.loads(_resource("events/triggers.json"))
    triggers = {t["lemma"].lower() for t in spec["triggers"]}
    triggers |= _lines("speech/attack_verbs.txt") | _lines("speech/attack_nouns.txt")
    irregular = _irregular_forms()

    def forms(lemmas: set[str]) -> frozenset[str]:
        out: set[str] = set()
        for phrase in lemmas:
            lemma = phrase.split()[0]  # a phrase anchors on its first word ("according to")
            out |= _inflections(lemma) | irregular.get(lemma, set())
        return frozenset(out)

    return Anchors(speech=forms(speech), counts=forms(counts), numbers=forms(numbers), triggers=forms(triggers))


def _irregular_forms() -> dict[str, set[str]]:
    """lemma -> irregular forms, from spaCy's own exception tables and the speech lexicon."""
    out: dict[str, set[str]] = {}
    lemmatizer = get_nlp().get_pipe("lemmatizer")
    for table_name in ("lemma_exc",):
        if table_name not in lemmatizer.lookups:
            continue
        table = lemmatizer.lookups.get_table(table_name)
        for pos in ("verb", "noun", "adj"):
            for form, lemmas in dict(table.get(pos, {})).items():
                for lemma in lemmas:
                    out.setdefault(lemma, set()).add(form)
    for line in _resource("speech/irregular_forms.csv").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        lemma, *rest = [p.strip().lower() for p in line.split(",")]
        out.setdefault(lemma, set()).update(rest)
    return out


# --------------------------------------------------------------------------- sentences


@dataclass(frozen=True)
class Tokens:
    """Plain per-token fields of a tokenised text, read once from the ``Doc``'s arrays
    (building a ``Token`` object per access cost more than the sentence rules themselves)."""

    text: list[str]
    lower: list[str]
    idx: list[int]
    space_after: list[int]  # 1 when a trailing space follows the token
    is_space: list[int]

    @classmethod
    def of(cls, doc: Doc) -> Tokens:
        strings = doc.vocab.strings
        if not len(doc):
            return cls([], [], [], [], [])
        orth, lower, idx, spacy_, is_space = doc.to_array([ORTH, LOWER, IDX, SPACY, IS_SPACE]).T.tolist()
        return cls([strings[o] for o in orth], [strings[w] for w in lower], idx, spacy_, is_space)


def sentence_spans(doc: Doc, toks: Tokens | None = None) -> list[tuple[int, int]]:
    """Token ranges of sentences by punctuation and line breaks; together they cover the doc."""
    toks = toks or Tokens.of(doc)
    text, space_after, is_space = toks.text, toks.space_after, toks.is_space
    n = len(text)
    spans: list[tuple[int, int]] = []
    start = 0
    i = 0
    while i < n:
        word = text[i]
        end = None
        if word in _FINAL:
            if space_after[i] or (i + 1 < n and is_space[i + 1]):
                end = i + 1
            elif i + 1 < n and text[i + 1] in _CLOSERS and space_after[i + 1]:
                end = i + 2
        elif is_space[i] and "\n" in word:
            end = i + 1
        if end is not None:
            while end < n and is_space[end]:  # trailing spaces stay with the sentence
                end += 1
            if end >= n or "\n" in text[end - 1] or _can_start(text[end]):
                spans.append((start, end))
                start = end
                i = end
                continue
        i += 1
    if start < n:
        spans.append((start, n))
    return spans


def _can_start(word: str) -> bool:
    c = word[0]
    return c.isupper() or c.isdigit() or c in QUOTE_CHARS or c in "'‘("


# --------------------------------------------------------------------------- places


class _PlaceProbe:
    """Capitalised token windows whose text names a gazetteer place."""

    def __init__(self) -> None:
        from fogwatch.gazetteer.load import get_gazetteer

        self.gaz = get_gazetteer()

    def hit(self, toks: Tokens, text: str, start: int, end: int) -> bool:
        words, idx, is_space = toks.text, toks.idx, toks.is_space
        for i in range(start, end):
            if not words[i][:1].isupper():
                continue
            for j in range(min(end, i + MAX_NAME_TOKENS), i, -1):
                last = words[j - 1]
                if not last[:1].isupper() or is_space[j - 1]:
                    continue
                if self.gaz.lookup(text[idx[i]:idx[j - 1] + len(last)]):
                    return True
        return False


@functools.lru_cache(maxsize=1)
def _place_probe() -> _PlaceProbe:
    return _PlaceProbe()


# --------------------------------------------------------------------------- the parse


@dataclass(frozen=True, eq=False)
class Plan:
    """One article cut into pieces: (start_char, end_char, parse?) covering the text in order,
    the same pieces as token ranges of ``doc`` (the text tokenised once), and where the
    splitter starts sentences."""

    text: str
    pieces: tuple[tuple[int, int, bool], ...]
    sent_starts: tuple[int, ...]  # token indices where the splitter starts a sentence
    doc: Doc
    token_pieces: tuple[tuple[int, int, bool], ...]

    @property
    def parsed_chars(self) -> int:
        return sum(e - s for s, e, keep in self.pieces if keep)

    @property
    def parsed_tokens(self) -> int:
        return sum(e - s for s, e, keep in self.token_pieces if keep)

    @property
    def whole(self) -> bool:
        """Every token is in one kept piece: ``doc`` itself is parsed, in place."""
        return self.token_pieces == ((0, len(self.doc), True),)


def plan(text: str, nlp: Language | None = None, *, keep_all: bool = False,
         max_tokens: int = MAX_PIECE_TOKENS) -> Plan:
    """Choose which sentences of ``text`` go through the statistical pipeline: those with an
    anchor, or with ``keep_all`` every one. No piece is longer than ``max_tokens``; a text
    kept whole within that is parsed as one doc, exactly as ``nlp(text)``."""
    nlp = nlp or get_nlp()
    text = text[:MAX_CHARS]
    doc = nlp.make_doc(text)
    n = len(doc)
    if keep_all and n <= max_tokens:
        if not n:
            return Plan(text, (), (), doc, ())
        return Plan(text, ((0, len(text), True),), (0,), doc, ((0, n, True),))
    toks = Tokens.of(doc)
    anchors, probe = get_anchors(), _place_probe()
    runs: list[list] = []  # [start token, end token, keep]
    starts: list[int] = []
    lower, idx = toks.lower, toks.idx
    for s, e in sentence_spans(doc, toks):
        starts.append(s)
        ce = idx[e] if e < len(idx) else len(text)
        keep = keep_all or anchors.wants(lower[s:e], text[idx[s]:ce], functools.partial(probe.hit, toks, text, s, e))
        if runs and runs[-1][2] == keep:
            runs[-1][1] = e
        else:
            runs.append([s, e, keep])
    token_pieces = tuple(_capped(runs, starts, max_tokens))
    chars = [[idx[s], idx[e] if e < n else len(text), k] for s, e, k in token_pieces]
    if chars:
        chars[0][0] = 0  # leading text the tokenizer put in no sentence (none expected)
    return Plan(text, tuple((s, e, k) for s, e, k in chars), tuple(starts), doc, token_pieces)


def _capped(runs: Iterable[Sequence], starts: Sequence[int], max_tokens: int) -> Iterator[tuple[int, int, bool]]:
    """``runs`` with every kept run longer than ``max_tokens`` cut into pieces of at most that
    many tokens: at the last sentence start that fits, or at the limit when none does.
    ``starts``: ascending token indices of sentence starts."""
    for s, e, keep in runs:
        if not keep:
            yield s, e, False
            continue
        while e - s > max_tokens:
            limit = s + max_tokens
            k = bisect.bisect_right(starts, limit) - 1  # the last sentence start at or before the limit
            cut = starts[k] if k >= 0 and starts[k] > s else limit
            yield s, cut, True
            s = cut
        yield s, e, True


# Token fields a parsed piece hands to the joined doc. The lexical ones (ORTH, NORM, SPACY)
# are the plan doc's own: a piece starts and ends at the plan's token boundaries.
_ANNOTATIONS = [TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE, ENT_KB_ID, ENT_ID, SENT_START]
_COL_DEP, _COL_HEAD = _ANNOTATIONS.index(DEP), _ANNOTATIONS.index(HEAD)


def _kept_docs(p: Plan) -> list[Doc]:
    """The kept pieces as their own docs, built from the plan's tokens (no re-tokenising).
    NORM is copied too: tokenizer exceptions set it ("n't" -> "not") and NER reads it.
    On 150 bench articles: 0.05 s, against 0.08 s re-tokenising and 0.31 s ``Span.as_doc``.
    A plan kept whole (the full parse of a short text, or a fast one that keeps every
    sentence) is its own doc: nothing is copied out and back."""
    if p.whole:
        return [p.doc]
    vocab = p.doc.vocab
    strings = vocab.strings
    arr = p.doc.to_array([ORTH, SPACY, NORM])
    out = []
    for s, e, keep in p.token_pieces:
        if keep:
            piece = arr[s:e]
            doc = Doc(vocab, words=[strings[o] for o in piece[:, 0].tolist()],
                      spaces=[bool(x) for x in piece[:, 1].tolist()])
            doc.from_array([NORM], numpy.ascontiguousarray(piece[:, 2]))
            out.append(doc)
    return out


def _assemble(p: Plan, parsed: Iterator[Doc], nlp: Language) -> Doc:
    """The plan's doc with each kept piece's annotations and a flat tree over each skipped one."""
    doc = p.doc
    if p.whole:
        return next(parsed)  # ``doc`` itself, parsed in place
    if not p.token_pieces:
        return doc
    arrays = []
    starts = set(p.sent_starts)
    for s, e, keep in p.token_pieces:
        arrays.append(next(parsed).to_array(_ANNOTATIONS) if keep else _flat_piece(nlp, s, e, starts))
    doc.from_array(_ANNOTATIONS, numpy.concatenate(arrays))
    return doc


# Dependency label of every non-root token in a skipped sentence: spaCy's "unclassified
# dependent" label, which no extractor rule looks for.
FLAT_DEP = "dep"


def _flat_piece(nlp: Language, start: int, end: int, starts: set[int]) -> numpy.ndarray:
    """Skipped sentences as flat trees (first token the root, every other token its ``dep``):
    with a parse in the joined doc, sentence starts come from heads, so each skipped
    sentence needs its own tree to stay its own sentence. Returns the ``_ANNOTATIONS``
    columns of tokens ``start:end``."""
    strings = nlp.vocab.strings
    root_dep, flat_dep = strings.add("ROOT"), strings.add(FLAT_DEP)
    out = numpy.zeros((end - start, len(_ANNOTATIONS)), dtype=numpy.uint64)
    heads = out[:, _COL_HEAD]
    deps = out[:, _COL_DEP]
    root = start
    for i in range(start, end):
        if i == start or i in starts:
            root = i
            deps[i - start] = root_dep
        else:
            deps[i - start] = flat_dep
            heads[i - start] = numpy.uint64((root - i) % 2**64)  # a relative head, as to_array gives it
    return out


def parse_texts(texts: Iterable[str], *, fast: bool = True, batch_size: int = PIPE_BATCH,
                budget: int = BATCH_TOKENS, max_tokens: int = MAX_PIECE_TOKENS) -> Iterator[Doc]:
    """Parses of ``texts`` in order: with ``fast`` only the sentences that can yield a record
    (the rest get a flat tree), otherwise every sentence. Pieces of many articles share
    ``nlp.pipe`` batches of at most ``batch_size`` pieces and ``budget`` tokens (a piece
    longer than the budget goes alone), and no piece is longer than ``max_tokens``."""
    nlp = get_nlp()
    window: list[Plan] = []
    pieces = tokens = 0
    for text in texts:
        p = plan(text, nlp, keep_all=not fast, max_tokens=max_tokens)
        window.append(p)
        pieces += sum(1 for piece in p.token_pieces if piece[2])
        tokens += p.parsed_tokens
        if pieces >= batch_size or tokens >= budget:
            yield from _flush(window, nlp, batch_size, budget)
            window, pieces, tokens = [], 0, 0
    yield from _flush(window, nlp, batch_size, budget)


def _flush(window: list[Plan], nlp: Language, batch_size: int, budget: int) -> Iterator[Doc]:
    kept = (d for p in window for d in _kept_docs(p))
    # Each batch goes in with the full ``batch_size``, not its own length: the parser and NER
    # cut a batch into sub-batches of a quarter of ``batch_size`` (at least 2), and smaller
    # ones cost ~4% more model time on the bench corpus.
    parsed = (doc for batch in _batches(kept, batch_size, budget) for doc in nlp.pipe(batch, batch_size=batch_size))
    for p in window:
        yield _assemble(p, parsed, nlp)


def _batches(docs: Iterable[Doc], size: int, budget: int) -> Iterator[list[Doc]]:
    """``docs`` in order, in lists of at most ``size`` docs and ``budget`` tokens (at least one doc)."""
    batch: list[Doc] = []
    tokens = 0
    for doc in docs:
        if batch and (len(batch) >= size or tokens + len(doc) > budget):
            yield batch
            batch, tokens = [], 0
        batch.append(doc)
        tokens += len(doc)
    if batch:
        yield batch


def parse_many(texts: Iterable[str], batch_size: int = PIPE_BATCH) -> Iterator[Doc]:
    """Fast parses of ``texts`` in order; kept sentences of many articles share ``nlp.pipe`` batches."""
    return parse_texts(texts, fast=True, batch_size=batch_size)


def parse_fast(text: str) -> Doc:
    """The fast parse of one text; ``doc.text == text[:MAX_CHARS]``."""
    return next(parse_texts([text]))
