"""The Jinja2 environment of the pages: package templates, autoescape always on."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import jinja2
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

WEB_DIR = Path(__file__).resolve().parent
TEMPLATE_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"

# Markers the store puts around search matches in snippets (fogwatch.store.queries).
SNIPPET_OPEN = "«"
SNIPPET_CLOSE = "»"


def snippet_html(snippet: str | None) -> Markup:
    """A search snippet escaped, with its match markers turned into ``<mark>``."""
    escaped = str(escape(snippet or ""))
    return Markup(escaped.replace(SNIPPET_OPEN, "<mark>").replace(SNIPPET_CLOSE, "</mark>"))


def query_string(params: dict[str, object], **changes: object) -> str:
    """``?a=1&b=2`` of ``params`` with ``changes`` applied and empty values dropped."""
    merged = {**params, **changes}
    kept = {k: v for k, v in merged.items() if v not in (None, "", False)}
    return "?" + urlencode(kept) if kept else "?"


def make_templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["snippet"] = snippet_html
    env.globals["query_string"] = query_string
    return Jinja2Templates(env=env)
