"""Which of a set of character spans holds an offset or meets a range, by binary search.

Statements ask it which content holds a cue (``_drop_nested``) and which quotes no
statement covers (``_continuations``); figures which statement holds a number; events
whether a cumulative figure meets a cluster. Each was a scan over every span for every
question: quadratic in long articles.

``GrowingSpans`` answers the same two questions while spans are still being added (events:
a place hidden inside a longer one, a date expression the model's entities already cover).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
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


class GrowingSpans:
    """Spans ``[start, end)`` added one at a time, each starting at one of the offsets given
    beforehand; "does an added span hold / meet this range" by a Fenwick tree holding the
    farthest end over every prefix of the starts (O(log n) per question and per addition)."""

    def __init__(self, starts: Iterable[int]):
        self._keys = sorted(set(starts))
        self._reach = [-1] * (len(self._keys) + 1)   # 1-based Fenwick tree; -1: no span (offsets are >= 0)

    def add(self, start: int, end: int) -> None:
        """Add ``[start, end)``; ``start`` must be one of the offsets the index was made with."""
        k = bisect.bisect_left(self._keys, start)
        if k == len(self._keys) or self._keys[k] != start:
            raise ValueError(f"{start} is not a start this index was made for")
        k += 1
        while k < len(self._reach):
            if self._reach[k] < end:
                self._reach[k] = end
            k += k & -k

    def _farthest(self, count: int) -> int:
        """The farthest end among spans starting at the first ``count`` offsets (-1 if none)."""
        best = -1
        while count > 0:
            if self._reach[count] > best:
                best = self._reach[count]
            count -= count & -count
        return best

    def holds(self, start: int, end: int) -> bool:
        """True when an added span has span.start <= start and end <= span.end."""
        return self._farthest(bisect.bisect_right(self._keys, start)) >= end

    def meets(self, start: int, end: int) -> bool:
        """True when an added span overlaps ``[start, end)`` (span.start < end and start < span.end)."""
        return self._farthest(bisect.bisect_left(self._keys, end)) > start
