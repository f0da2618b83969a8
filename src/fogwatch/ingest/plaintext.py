"""Plain-text articles, with an optional ``date YYYY-MM-DD`` line and an optional headline.

Shapes read (header lines are not part of ``Article.text``, so offsets index the body):

* ``date 2024-01-22`` on the first line, then the body;
* a headline line followed by a blank line, then the body (headline → title);
* both, date line first; or just a body.

The body is kept exactly as decoded from its first non-blank line on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from fogwatch.errors import ReadError
from fogwatch.ingest.articles import build_article
from fogwatch.ingest.dates import parse_date
from fogwatch.ingest.decoding import DecodeFailure, decode_document
from fogwatch.ingest.options import ReadOptions
from fogwatch.ingest.sources import Source
from fogwatch.model import Article

_DATE_LINE = re.compile(r"[ \t]*date[ \t]*:?[ \t]*(\d{4}-\d{2}-\d{2})[ \t]*", re.IGNORECASE)
_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")

# A headline is one short line: longer ones are opening paragraphs. The longest
# headlines of wire services run to ~20 words / ~150 characters.
MAX_HEADLINE_WORDS = 25
MAX_HEADLINE_CHARS = 200
# A line ending like this is a sentence or a dateline ("GAZA, Jan 22 (Reuters) -"), not a headline.
_NOT_HEADLINE_END = (",", ";", ":", "-", "–", "—", '"', "”")
# ... and one ending with a full stop is a headline only in Title Case: some corpora end
# headlines with "." (PolNeAR: 840 political news texts, most headlines so), while a short
# opening sentence is written in sentence case. Words of 4+ letters, 3 at least, 75% capitalised.
TITLE_CASE_MIN_WORD_LEN = 4
TITLE_CASE_MIN_WORDS = 3
TITLE_CASE_SHARE = 0.75
_WORD = re.compile(r"[^\W\d_]+")
_BLANK_LINES = re.compile(r"(?:[^\S\n]*(?:\n|\Z))*")


@dataclass(frozen=True)
class PlainText:
    """A plain-text file split into its header fields and its body."""

    body: str
    title: str | None
    date_text: str | None


def _skip_blank(text: str, pos: int) -> int:
    """Position of the first non-blank line at or after ``pos`` (the start of a line)."""
    return _BLANK_LINES.match(text, pos).end()


def _title_case(line: str) -> bool:
    """Most longer words capitalised, as in "Army Says 13 Soldiers Killed In Fighting."."""
    long_words = [w for w in _WORD.findall(line) if len(w) >= TITLE_CASE_MIN_WORD_LEN]
    capitalised = sum(w[0].isupper() for w in long_words)
    return capitalised >= TITLE_CASE_MIN_WORDS and capitalised >= TITLE_CASE_SHARE * len(long_words)


def _is_headline(line: str) -> bool:
    stripped = line.strip()
    if not stripped or len(stripped) > MAX_HEADLINE_CHARS or len(stripped.split()) > MAX_HEADLINE_WORDS:
        return False
    if stripped.endswith("."):
        return _title_case(stripped)
    return not stripped.endswith(_NOT_HEADLINE_END)


def split_header(text: str) -> PlainText:
    """Separate the optional date line and headline from the body."""
    pos = _skip_blank(text, 0)
    date_text = None
    first_end = text.find("\n", pos)
    first_end = len(text) if first_end < 0 else first_end
    match = _DATE_LINE.fullmatch(text[pos:first_end])
    if match:
        date_text = match.group(1)
        pos = _skip_blank(text, first_end)
    title = None
    line_end = text.find("\n", pos)
    if line_end >= 0 and _is_headline(text[pos:line_end]):
        next_end = text.find("\n", line_end + 1)
        blank_follows = not text[line_end + 1 : next_end if next_end >= 0 else len(text)].strip()
        body_start = _skip_blank(text, line_end + 1)
        if blank_follows and body_start < len(text):
            title = text[pos:line_end].strip()
            pos = body_start
    return PlainText(body=text[pos:] if (date_text or title) else text, title=title, date_text=date_text)


def read_txt(source: Source, data: bytes, options: ReadOptions) -> Iterator[Article | ReadError]:
    """One article from a plain-text file's bytes."""
    try:
        text = decode_document(data)
    except DecodeFailure as failure:
        yield ReadError(source.name, str(failure))
        return
    parts = split_header(text)
    published = parse_date(parts.date_text)
    if published is None:
        in_name = None if source.is_stdin else _DATE_IN_NAME.search(source.path.name)
        published = parse_date(in_name.group(1)) if in_name else None
    yield build_article(
        parts.body, source.name, options, title=parts.title, published=published, external_id=source.stem
    )
