"""Which of a set of character spans holds an offset or meets a range, by binary search.

Statements ask it which content holds a cue (``_drop_nested``) and which quotes no
statement covers (``_continuations``); figures which statement holds a number; events
whether a cumulative figure meets a cluster. Each was a scan over every span for every
question: quadratic in long articles.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class SpanIndex:
    """Half-open spans ``[start, end)`` sorted by start, for "which span holds or meets this" look-ups."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]       # along starts
    owners: tuple[int, ...]     # the caller's id of each span, along starts
    best: tuple[tuple[int, int], ...]     # (end, owner) of the farthest-reaching span so far
    second: tuple[int, ...]     # the farthest end so far among spans other than best's owner

    @classmethod
    def build(cls, spans: Sequence[tuple[int, int, int]]) -> SpanIndex:
        """``spans`` are (start, end, owner) triples; owners must be distinct."""
        ordered = sorted(spans)
        best: list[tuple[int, int]] = []
        second: list[int] = []
        top, runner_up = (-1, -1), -1
        for _start, end, owner in ordered:
            if end > top[0]:
                runner_up = top[0]
                top = (end, owner)
            elif end > runner_up:
                runner_up = end
            best.append(top)
            second.append(runner_up)
        return cls(tuple(s for s, _, _ in ordered), tuple(e for _, e, _ in ordered), tuple(o for _, _, o in ordered),
                   tuple(best), tuple(second))

    def holds(self, offset: int, besides: int | None = None) -> bool:
        """True when a span other than ``besides``'s has start <= offset < end."""
        k = bisect.bisect_right(self.starts, offset)
        if k == 0:
            return False
        end, owner = self.best[k - 1]
        if owner == besides:
            end = self.second[k - 1]
        return end > offset

    def meets(self, start: int, end: int) -> bool:
        """True when some span overlaps ``[start, end)`` (span.start < end and start < span.end)."""
        k = bisect.bisect_left(self.starts, end)
        return k > 0 and self.best[k - 1][0] > start

    def holding(self, offset: int) -> list[tuple[int, int, int]]:
        """Every (start, end, owner) with start <= offset < end, in order of start. Walks back
        from ``offset`` only while an earlier span still reaches past it."""
        out = []
        for j in range(bisect.bisect_right(self.starts, offset) - 1, -1, -1):
            if self.best[j][0] <= offset:
                break
            if self.ends[j] > offset:
                out.append((self.starts[j], self.ends[j], self.owners[j]))
        out.reverse()
        return out

    def smallest_holding(self, start: int, end: int) -> int | None:
        """The owner of the shortest span with span.start <= start and end <= span.end (of equal
        lengths, the lowest owner), or None. Walks back from ``start`` only while an earlier span
        still reaches ``end``: a few spans unless spans nest deeply."""
        found: tuple[int, int] | None = None   # (length, owner)
        for j in range(bisect.bisect_right(self.starts, start) - 1, -1, -1):
            if self.best[j][0] < end:
                break   # no span starting here or earlier reaches the end
            if self.ends[j] >= end:
                candidate = (self.ends[j] - self.starts[j], self.owners[j])
                if found is None or candidate < found:
                    found = candidate
        return found[1] if found is not None else None
