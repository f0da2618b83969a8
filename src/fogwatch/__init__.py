"""fogwatch: a sourced record of conflict and crisis news."""

from fogwatch.model import Actor, Article, ArticleRecord, Event, Figure, Place, Span, Statement

__version__ = "0.1.0"


def extract(text: str, published=None, *, id: str | None = None) -> ArticleRecord:  # noqa: A002
    """Extract figures, statements, events and places from one article (pure; no I/O)."""
    from fogwatch.extract import extract as _extract

    return _extract(text, published, id=id)


__all__ = [
    "Actor",
    "Article",
    "ArticleRecord",
    "Event",
    "Figure",
    "Place",
    "Span",
    "Statement",
    "extract",
]
