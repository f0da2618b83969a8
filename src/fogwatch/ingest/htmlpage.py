"""Saved HTML pages: main text, title, date and site name via trafilatura."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import trafilatura

from fogwatch.errors import ReadError
from fogwatch.ingest.articles import build_article
from fogwatch.ingest.dates import parse_date
from fogwatch.ingest.decoding import DecodeFailure, declared_html_charset, decode_document, known_codec
from fogwatch.ingest.options import ReadOptions
from fogwatch.ingest.sources import Source
from fogwatch.model import Article

# Fewer characters of main text than this is a page without an article (an index, a
# login wall, a cookie notice). The shortest real wire briefs are ~300 characters.
MIN_BODY_CHARS = 200

# htmldate settings: the publication (not modification) date, and no "extensive search",
# whose last resort turns a "© 2021" footer into 2021-01-01. Seen on hand-written pages:
# meta tags, <time datetime>, and "Posted March 3, 2022" date lines are still found.
DATE_PARAMS = {"extensive_search": False, "original_date": True}


def paragraphs(text: str, title: str | None = None) -> str:
    """trafilatura's one-line-per-block text with blank lines between blocks, as articles are
    written; a first block that repeats the title (the page's <h1>) is dropped, so that, as
    for plain text, ``Article.text`` is the body and the headline is ``Article.title``."""
    blocks = [line.strip() for line in text.split("\n") if line.strip()]
    if blocks and title and " ".join(blocks[0].split()).casefold() == " ".join(title.split()).casefold():
        blocks = blocks[1:]
    return "\n\n".join(blocks)


def article_from_html(
    data: bytes,
    where: str,
    options: ReadOptions,
    *,
    url: str | None = None,
    charset: str | None = None,
    external_id: str | None = None,
) -> Article | ReadError:
    """An article from one page's bytes; ``charset`` is the one a server or WARC declared."""
    try:
        html = decode_document(data, known_codec(charset) or declared_html_charset(data))
    except DecodeFailure as failure:
        return ReadError(where, str(failure))
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        deduplicate=False,
        date_extraction_params=dict(DATE_PARAMS),
    )
    body = paragraphs(document.text or "", document.title) if document is not None else ""
    if len(body) < MIN_BODY_CHARS:
        return ReadError(where, "no article body found in the HTML")
    outlet = document.sitename or (urlsplit(url).hostname if url else None) or document.hostname
    return build_article(
        body,
        where,
        options,
        url=document.url or url,
        outlet=outlet,
        title=document.title,
        published=parse_date(document.date),
        external_id=external_id,
    )


def read_html(source: Source, data: bytes, options: ReadOptions) -> Iterator[Article | ReadError]:
    """One article from a saved page."""
    yield article_from_html(data, source.name, options, external_id=source.stem)
