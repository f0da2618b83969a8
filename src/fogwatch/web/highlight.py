"""Article text with every extracted span highlighted, computed server-side.

Spans of different kinds overlap freely (a figure inside a statement inside an
event's evidence). The text is cut at every span boundary; each piece is wrapped
in the marks covering it, outermost first. Spans that nest become nested marks;
a span that crosses another's end is split into pieces, and only its first piece
carries the anchor id. All text and attribute values are escaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

# Drawing order when two spans cover exactly the same characters: the broader kind outside.
KIND_ORDER: dict[str, int] = {"event": 0, "statement": 1, "figure": 2, "place": 3}


@dataclass(frozen=True)
class Mark:
    """One span to highlight: ``kind`` and ``idx`` name its record (anchor ``kind-idx``)."""

    kind: str
    idx: int
    start: int
    end: int
    label: str = ""

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.idx}"


@dataclass(frozen=True)
class Segment:
    """A stretch of text and the marks covering it, outermost first."""

    start: int
    end: int
    marks: tuple[Mark, ...]


def _order(mark: Mark) -> tuple[int, int, int, int]:
    return (mark.start, -mark.end, KIND_ORDER.get(mark.kind, len(KIND_ORDER)), mark.idx)


def clean_marks(text: str, marks: Iterable[Mark]) -> list[Mark]:
    """Marks clipped to the text, empty and unknown-kind ones dropped, in nesting order."""
    n = len(text)
    kept = []
    for m in marks:
        if m.kind not in KIND_ORDER:
            continue
        start, end = max(0, m.start), min(n, m.end)
        if start < end:
            kept.append(Mark(m.kind, m.idx, start, end, m.label))
    return sorted(kept, key=_order)


def segments(text: str, marks: Sequence[Mark]) -> list[Segment]:
    """Cut ``text`` at every boundary of ``marks`` (already cleaned); covers the whole text."""
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = tuple(m for m in marks if m.start <= a and m.end >= b)
        out.append(Segment(a, b, covering))
    return out


def _open_tag(mark: Mark, first: bool) -> str:
    classes = f"hl hl-{mark.kind}" + ("" if first else " hl-cont")
    anchor = f' id="{escape(mark.anchor)}"' if first else ""
    title = f' title="{escape(mark.label)}"' if mark.label else ""
    return f'<mark class="{classes}"{anchor} data-ref="rec-{escape(mark.anchor)}"{title}>'


def render(text: str, marks: Iterable[Mark]) -> Markup:
    """``text`` as escaped HTML with a ``<mark>`` per span, properly nested."""
    cleaned = clean_marks(text, marks)
    parts: list[str] = []
    stack: list[Mark] = []
    opened: set[Mark] = set()
    for seg in segments(text, cleaned):
        wanted = list(seg.marks)
        keep = 0
        while keep < len(stack) and keep < len(wanted) and stack[keep] == wanted[keep]:
            keep += 1
        parts.extend("</mark>" for _ in range(len(stack) - keep))
        del stack[keep:]
        for mark in wanted[keep:]:
            parts.append(_open_tag(mark, mark not in opened))
            opened.add(mark)
            stack.append(mark)
        parts.append(str(escape(text[seg.start : seg.end])))
    parts.extend("</mark>" for _ in stack)
    return Markup("".join(parts))
