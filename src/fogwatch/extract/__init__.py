"""Per-article extraction: text + publication date in, records out. Pure: no I/O.

Order matters: places first (events need them), statements before figures
(a figure inside a quote belongs to its speaker), events last (they link the
figures and statements of their sentence).
"""

from __future__ import annotations

import datetime as dt
import sys
import types

from spacy.tokens import Doc

from fogwatch.extract.context import Context
from fogwatch.extract.events import find_events
from fogwatch.extract.figures import find_figures
from fogwatch.extract.places import find_places
from fogwatch.extract.statements import find_statements
from fogwatch.model import ArticleRecord
from fogwatch.nlp import parse
from fogwatch.nlp_fast import parse_fast


def extract(
    text: str, published: dt.date | str | None = None, *, id: str | None = None,  # noqa: A002
    fast: bool = False, doc: Doc | None = None,
) -> ArticleRecord:
    """Extract every record kind from one article's text.

    ``fast`` parses only the sentences that can yield a record (``fogwatch.nlp_fast``);
    ``doc`` is a parse of ``text`` made beforehand (e.g. by ``nlp_fast.parse_many``).
    """
    if isinstance(published, str):
        published = _iso_date(published)
    if doc is None:
        doc = parse_fast(text) if fast else parse(text)
    ctx = Context(text=text, doc=doc, published=published)
    places = find_places(ctx)
    statements = find_statements(ctx)
    figures = find_figures(ctx, statements)
    events = find_events(ctx, figures, statements, places)
    return ArticleRecord(
        id=id or "",
        published=published,
        figures=tuple(figures),
        statements=tuple(statements),
        events=tuple(events),
        places=tuple(places),
    )


def _iso_date(value: str) -> dt.date | None:
    """A YYYY-MM-DD prefix as a date; anything else is no date (extract never raises on its input)."""
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


class _CallableModule(types.ModuleType):
    """This package, callable as ``fogwatch.extract(text, published)``.

    ``fogwatch.extract`` is both the public function and this subpackage; once the
    subpackage is imported, Python binds the name on ``fogwatch`` to the module, so
    the module answers calls the way the function does.
    """

    def __call__(self, text: str, published: dt.date | str | None = None, **kwargs) -> ArticleRecord:
        return extract(text, published, **kwargs)


sys.modules[__name__].__class__ = _CallableModule

__all__ = ["extract", "Context"]
