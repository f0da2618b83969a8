"""The sentence around a stored span, so flags and pairs show whole sentences."""

from __future__ import annotations

import re

# Sentence ends: ., ! or ? (optionally closed by a quote or bracket) before a space, or a line break.
_SENTENCE_END = re.compile(r"""[.!?]["'”’)\]]*(?=\s)|\n""")


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` holding ``text[start:end]``, whitespace collapsed."""
    start, end = max(0, start), min(len(text), end)
    left = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        left = match.end()
    match = _SENTENCE_END.search(text, max(end - 1, left))
    right = match.end() if match else len(text)
    return " ".join(text[left:right].split())
