"""Server-side highlighting of extracted spans: nesting, splitting, escaping."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from fogwatch.web.highlight import Mark, clean_marks, render, segments


class _Marks(HTMLParser):
    """Collects, per anchor id, the text inside each mark (continuations included) and checks nesting."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: dict[str, str] = {}
        self.plain = ""
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        assert tag == "mark"
        ref = dict(attrs)["data-ref"] or ""
        self.stack.append(ref.removeprefix("rec-"))

    def handle_endtag(self, tag: str) -> None:
        assert tag == "mark" and self.stack
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.plain += data
        for anchor in self.stack:
            self.text[anchor] = self.text.get(anchor, "") + data


def _parse(html: str) -> _Marks:
    parser = _Marks()
    parser.feed(html)
    parser.close()
    assert parser.stack == [], "every mark is closed"
    return parser


def test_nested_spans_become_nested_marks() -> None:
    text = "Officials said 12 people died in Aleppo."
    statement = Mark("statement", 0, 15, 39)
    figure = Mark("figure", 0, 15, 24)
    place = Mark("place", 0, 33, 39)
    html = str(render(text, [place, figure, statement]))
    assert html.startswith("Officials said <mark class=\"hl hl-statement\" id=\"statement-0\"")
    assert '<mark class="hl hl-figure" id="figure-0"' in html
    parsed = _parse(html)
    assert parsed.plain == text
    assert parsed.text == {"statement-0": text[15:39], "figure-0": "12 people", "place-0": "Aleppo"}
    assert "hl-cont" not in html


def test_crossing_spans_are_split_and_only_the_first_piece_has_the_id() -> None:
    text = "abcdefghijklmnop"
    a = Mark("event", 1, 0, 10)
    b = Mark("statement", 2, 5, 15)
    html = str(render(text, [a, b]))
    parsed = _parse(html)
    assert parsed.plain == text
    assert parsed.text["event-1"] == text[0:10]
    assert parsed.text["statement-2"] == text[5:15]
    assert html.count('id="statement-2"') == 1
    assert html.count("hl-cont") == 1


def test_identical_spans_nest_by_kind_order() -> None:
    text = "the raid"
    html = str(render(text, [Mark("figure", 0, 0, 8), Mark("event", 0, 0, 8)]))
    assert html.index("hl-event") < html.index("hl-figure")
    assert _parse(html).plain == text


def test_text_and_labels_are_escaped() -> None:
    text = 'x <script>alert("1")</script> & <img src=x onerror=alert(2)> y'
    label = '"><script>alert(3)</script>'
    html = str(render(text, [Mark("statement", 0, 2, 29, label)]))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&amp;" in html
    assert re.search(r'title="&#34;&gt;&lt;script&gt;', html)
    assert _parse(html).plain == text


def test_bad_offsets_are_clipped_or_dropped() -> None:
    text = "short text"
    marks = [Mark("figure", 0, -5, 5), Mark("place", 1, 6, 99), Mark("event", 2, 4, 4), Mark("bogus", 3, 0, 3)]
    cleaned = clean_marks(text, marks)
    assert [(m.kind, m.start, m.end) for m in cleaned] == [("figure", 0, 5), ("place", 6, 10)]
    assert _parse(str(render(text, marks))).plain == text


def test_segments_cover_the_text_without_gaps() -> None:
    text = "0123456789"
    marks = clean_marks(text, [Mark("figure", 0, 2, 6), Mark("place", 0, 4, 8)])
    segs = segments(text, marks)
    assert [(s.start, s.end) for s in segs] == [(0, 2), (2, 4), (4, 6), (6, 8), (8, 10)]
    assert [len(s.marks) for s in segs] == [0, 1, 2, 1, 0]
