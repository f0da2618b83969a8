"""Quoted passages of an article: where each pair of quotation marks opens and closes.

Straight (") and curly (“ ” „ « ») double marks are paired inside each
paragraph. News style continues a quotation over several paragraphs by
leaving the closing mark off each earlier paragraph and reopening in the
next one, so a quote still open at the end of its paragraph ends there
(``closed`` False) and the next paragraph's quote is its continuation.
Single marks are read only in articles that use no double marks (see ``find_quotes``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fogwatch.extract.context import Context
from fogwatch.extract.structure import Block, blocks

CACHE_KEY = "quotes.found"

_OPENERS = frozenset("“„«")
_CLOSERS = frozenset("”»")
_STRAIGHT = '"'
_DOUBLE_MARKS = frozenset('"“”„«»')
_SINGLE_OPEN = "‘"
_SINGLE_CLOSE = "’"
# Punctuation on either side of a closing single mark tells it from an apostrophe.
_CLOSING_PUNCT = frozenset(",.;:!?")
# Stripped from the inside edges of a quote: the comma or stop before the
# closing mark belongs to the sentence around the quote (GUIDE: the quote is
# the content "without quotation marks").
_EDGE_PUNCT = " \t\n,.;:"
# Every character _is_opener or _is_closer can accept, in each mode.
_DOUBLE_MARK = re.compile("[" + re.escape("".join(sorted(_OPENERS | _CLOSERS | {_STRAIGHT}))) + "]")
_SINGLE_MARK = re.compile("[" + re.escape(_SINGLE_OPEN + _SINGLE_CLOSE) + "]")


@dataclass(frozen=True)
class Quote:
    """A quoted passage: ``start``/``end`` bound its content without the marks."""

    start: int
    end: int
    open_at: int          # offset of the opening mark
    close_at: int | None  # offset of the closing mark; None when the paragraph ends first
    block: int            # index of the paragraph holding it

    @property
    def closed(self) -> bool:
        return self.close_at is not None

    @property
    def outer_end(self) -> int:
        """Just past the closing mark (or the content's end when unclosed)."""
        return self.close_at + 1 if self.close_at is not None else self.end


def find_quotes(text: str, blocks: tuple[Block, ...]) -> tuple[Quote, ...]:
    """Every quoted passage of every non-heading block, in text order.

    An article that uses no double mark at all but curly single ones quotes with
    those (British and South Asian styles): ‘ opens, and ’ closes when it is not an
    apostrophe (it follows punctuation, or punctuation follows it: ‘We will stay,’ / ‘terrorists’.).
    """
    single = not any(ch in text for ch in _DOUBLE_MARKS) and _SINGLE_OPEN in text
    found: list[Quote] = []
    for block in blocks:
        if block.heading:
            continue
        found.extend(_quotes_in_block(text, block, single))
    return tuple(found)


def article_quotes(ctx: Context) -> tuple[Quote, ...]:
    """``find_quotes`` of the article, computed once and kept in ``ctx.cache`` (statements and events both read it)."""
    cached = ctx.cache.get(CACHE_KEY)
    if cached is None:
        cached = find_quotes(ctx.text, blocks(ctx))
        ctx.cache[CACHE_KEY] = cached
    return cached


def _is_opener(text: str, i: int, single: bool) -> bool:
    ch = text[i]
    if single:
        return ch == _SINGLE_OPEN and (i == 0 or not text[i - 1].isalnum())
    return ch in _OPENERS or ch == _STRAIGHT


def _is_closer(text: str, i: int, single: bool) -> bool:
    ch = text[i]
    if single:
        if ch != _SINGLE_CLOSE:
            return False
        after = text[i + 1] if i + 1 < len(text) else " "
        before = text[i - 1] if i > 0 else " "
        return not after.isalnum() and (before in _CLOSING_PUNCT or after in _CLOSING_PUNCT)
    return ch in _CLOSERS or ch == _STRAIGHT


def _quotes_in_block(text: str, block: Block, single: bool = False) -> list[Quote]:
    out: list[Quote] = []
    open_at: int | None = None
    # only a quotation mark can open or close a quote: visit those, not every character
    for mark in (_SINGLE_MARK if single else _DOUBLE_MARK).finditer(text, block.start, block.end):
        i = mark.start()
        ch = text[i]
        if open_at is None:
            if _is_opener(text, i, single):
                open_at = i
            continue
        if _is_closer(text, i, single):
            _add(out, text, block, open_at, i)
            open_at = None
        elif _is_opener(text, i, single) and ch != _STRAIGHT:
            # a new opening mark before the old one closed: the old one ran on unclosed
            _add(out, text, block, open_at, None, limit=i)
            open_at = i
    if open_at is not None:
        _add(out, text, block, open_at, None, limit=block.end)
    return out


def _add(out: list[Quote], text: str, block: Block, open_at: int, close_at: int | None,
         limit: int | None = None) -> None:
    start = open_at + 1
    end = close_at if close_at is not None else (limit if limit is not None else block.end)
    while start < end and text[start] in _EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in _EDGE_PUNCT:
        end -= 1
    if end > start:
        out.append(Quote(start, end, open_at, close_at, block.index))
