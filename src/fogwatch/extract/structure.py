"""Paragraphs, headlines and section headings of an article (shared by every step).

Articles arrive as plain text whose paragraphs are separated by a blank line
(GUIDE.md); texts without any blank line are split at single line breaks.
A block is a heading when it is one short line that does not end like a
sentence: a headline ("Army Says Rebels Shelled Market"), a section heading
("Background"), or a ``date YYYY-MM-DD`` / ``title:`` header line.

The blocks are computed once per article and kept in ``ctx.cache``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from fogwatch.extract.context import Context

CACHE_KEY = "structure.blocks"

# A heading is at most this many words: the longest headline in the dev
# articles has 12 words, section headings 1-4; 20 leaves room for long
# headlines without letting an unpunctuated paragraph pass as one.
HEADING_MAX_WORDS = 20
# A quoted section heading inside the article ('"A grave mistake"') is at most this many words:
# section headings in the dev and tune articles run 1-4 words; 8 leaves room for a short quote.
QUOTED_SECTION_MAX_WORDS = 8

# Characters that end a sentence (or a quoted sentence) at the end of a line.
_SENTENCE_END = frozenset(".!?;:…\"”’'»)")

_CLOSING_QUOTES = "\"”’'»"
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_LINE_BREAK = re.compile(r"\n\s*")
# "date 2024-01-22" (the ingest header) or "title: ..." style metadata lines
_HEADER_LINE = re.compile(r"^(date\s*:?\s*\d{4}-\d{2}-\d{2}|(title|published|source|url)\s*:\s*\S)", re.IGNORECASE)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Block:
    """One paragraph or heading: ``text[start:end]`` without surrounding white space."""

    index: int
    start: int
    end: int
    heading: bool


def split_blocks(text: str) -> tuple[Block, ...]:
    """The paragraphs and headings of ``text``, in order (pure; no parse needed)."""
    separator = _BLANK_LINE if _BLANK_LINE.search(text) else _LINE_BREAK
    blocks: list[Block] = []
    pos = 0
    pieces: list[tuple[int, int]] = []
    for m in separator.finditer(text):
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, len(text)))
    spans = []
    for start, end in pieces:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start != end:
            spans.append((start, end))
    for n, (start, end) in enumerate(spans):
        heading = _looks_like_heading(text[start:end], first=not blocks, last=n == len(spans) - 1)
        blocks.append(Block(len(blocks), start, end, heading))
    return tuple(blocks)


def _looks_like_heading(block: str, first: bool = False, last: bool = False) -> bool:
    if "\n" in block:
        return False
    if _HEADER_LINE.match(block):
        return True
    if block[-1] in _CLOSING_QUOTES:
        # a headline may end on a quotation: 'UN chief: "Gaza is a graveyard for children"';
        # so may a short section heading ('"A grave mistake"'), but a quoted paragraph ends its sentence
        inner = block.rstrip(_CLOSING_QUOTES)
        if last and not first:
            return False   # nothing follows it: a quoted closing line, not a section heading
        limit = HEADING_MAX_WORDS if first else QUOTED_SECTION_MAX_WORDS
        return bool(inner) and inner[-1] not in ".!?,;" and len(_WORD.findall(block)) <= limit
    if block[-1] in _SENTENCE_END:
        return False
    if block.count('"') % 2 or block.count("\u201c") != block.count("\u201d"):
        return False   # an open quotation: a paragraph cut short, not a heading
    return len(_WORD.findall(block)) <= HEADING_MAX_WORDS


def blocks(ctx: Context) -> tuple[Block, ...]:
    """The article's blocks, computed once and cached in ``ctx.cache``."""
    cached = ctx.cache.get(CACHE_KEY)
    if cached is None:
        cached = split_blocks(ctx.text)
        ctx.cache[CACHE_KEY] = cached
    return cached


def block_at(ctx: Context, offset: int) -> Block | None:
    """The block holding character ``offset``, or None when it falls between blocks."""
    found = blocks(ctx)
    starts = ctx.cache.get(CACHE_KEY + ".starts")
    if starts is None:
        starts = [b.start for b in found]
        ctx.cache[CACHE_KEY + ".starts"] = starts
    i = bisect.bisect_right(starts, offset) - 1
    if i >= 0 and found[i].start <= offset < found[i].end:
        return found[i]
    return None


def in_heading(ctx: Context, offset: int) -> bool:
    """True when ``offset`` lies inside a headline, section heading or header line."""
    block = block_at(ctx, offset)
    return block is not None and block.heading
