"""Range look-ups over an article's quotes and the gaps between them (issue 8: 10,000 quotes).

Pairing a reporting verb with the quotation written beside it, asking whether an
offset lies inside a quote, or whether a content span is one quotation were scans
over every quote of the article for every cue, which is quadratic: an article of
1,000 quotes took 19 s. Here the quotes are sorted once by where they open and where
they close, so each question is a binary search plus a walk over the few quotes
near the offset asked about.

The walks are exact, not capped: a gap between a quote and a cue stops being
"quiet" (``statements._quiet_gap``) once it holds a line break, a quotation mark or
more than a number of words, and each of these only grows as the gap widens, so the
walk stops at the first quote whose gap fails them; every quote further away fails too.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from fogwatch.extract.quotes import Quote


@dataclass(frozen=True)
class QuoteIndex:
    """The quotes of one article, sorted for look-ups; positions are indices into ``quotes``."""

    quotes: tuple[Quote, ...]
    by_open: tuple[int, ...]        # quote positions in order of their opening mark
    opens: tuple[int, ...]          # open_at along by_open (ascending)
    reach: tuple[int, ...]          # running maximum of outer_end along by_open
    by_close: tuple[int, ...]       # quote positions in order of outer_end
    closes: tuple[int, ...]         # outer_end along by_close (ascending)
    starts_sorted: bool             # content starts ascend along by_open (quotes do not nest)
    barriers: tuple[int, ...]       # offsets of line breaks and double quotation marks
    word_starts: tuple[int, ...]    # the article's words (runs of ``word``), start offsets
    word_ends: tuple[int, ...]      # ... and end offsets

    @classmethod
    def build(cls, text: str, quotes: Sequence[Quote], word: re.Pattern[str], marks: Iterable[str]) -> QuoteIndex:
        """Index ``quotes`` of ``text``: ``word`` is the pattern a gap's words are counted with,
        ``marks`` the quotation marks that, like a line break, end a quiet gap."""
        quotes = tuple(quotes)
        barrier = re.compile("[" + re.escape("\n" + "".join(sorted(marks))) + "]")
        by_open = tuple(sorted(range(len(quotes)), key=lambda i: (quotes[i].open_at, i)))
        reach: list[int] = []
        for i in by_open:
            end = quotes[i].outer_end
            reach.append(max(reach[-1], end) if reach else end)
        by_close = tuple(sorted(range(len(quotes)), key=lambda i: (quotes[i].outer_end, i)))
        starts = [quotes[i].start for i in by_open]
        words = [(m.start(), m.end()) for m in word.finditer(text)]
        return cls(
            quotes=quotes,
            by_open=by_open,
            opens=tuple(quotes[i].open_at for i in by_open),
            reach=tuple(reach),
            by_close=by_close,
            closes=tuple(quotes[i].outer_end for i in by_close),
            starts_sorted=all(a <= b for a, b in zip(starts, starts[1:], strict=False)),
            barriers=tuple(m.start() for m in barrier.finditer(text)),
            word_starts=tuple(s for s, _ in words),
            word_ends=tuple(e for _, e in words),
        )

    def covers(self, offset: int) -> bool:
        """True when ``offset`` lies between a quote's opening mark and its outer end."""
        k = bisect.bisect_right(self.opens, offset)
        return k > 0 and self.reach[k - 1] > offset

    def words_between(self, lo: int, hi: int) -> int:
        """How many words ``word.findall(text[lo:hi])`` finds (a word cut by an edge counts once)."""
        if hi <= lo:
            return 0
        return max(0, bisect.bisect_left(self.word_starts, hi) - bisect.bisect_right(self.word_ends, lo))

    def _open_gap(self, lo: int, hi: int, max_words: int) -> bool:
        """True while ``text[lo:hi]`` holds no barrier and at most ``max_words`` words."""
        k = bisect.bisect_left(self.barriers, lo)
        if k < len(self.barriers) and self.barriers[k] < hi:
            return False
        return self.words_between(lo, hi) <= max_words

    def closing_before(self, offset: int, max_words: int) -> Iterator[int]:
        """Quotes whose outer end is at or before ``offset``, nearest first, while the gap
        from the quote to ``offset`` could still be quiet (no barrier, at most ``max_words``)."""
        k = bisect.bisect_right(self.closes, offset)
        for j in range(k - 1, -1, -1):
            qi = self.by_close[j]
            if not self._open_gap(self.quotes[qi].outer_end, offset, max_words):
                return
            yield qi

    def opening_from(self, offset: int, max_words: int) -> Iterator[int]:
        """Quotes whose opening mark is at or after ``offset``, nearest first, while the gap
        from ``offset`` to the mark could still be quiet."""
        k = bisect.bisect_left(self.opens, offset)
        for j in range(k, len(self.opens)):
            qi = self.by_open[j]
            if not self._open_gap(offset, self.quotes[qi].open_at, max_words):
                return
            yield qi

    def opening_by(self, offset: int, min_start: int) -> Iterator[int]:
        """Every quote that opens at or before ``offset`` with content starting at or after
        ``min_start`` (and, when quotes nest, others that open at or before ``offset``)."""
        k = bisect.bisect_right(self.opens, offset)
        if not self.starts_sorted:
            yield from self.by_open[:k]
            return
        for j in range(k - 1, -1, -1):
            qi = self.by_open[j]
            if self.quotes[qi].start < min_start:
                return
            yield qi
