"""Formatting rows for the terminal and for scripts: Rich tables, one JSON array, CSV.

Rows are plain dicts (as the store's queries return them). Every listing command
of the CLI goes through ``render_rows``; ``render_article`` draws one article with
its extracted spans highlighted.
"""

from __future__ import annotations

import csv
import enum
import json
import re
from collections.abc import Sequence
from typing import IO, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from fogwatch.store.queries import SNIPPET_CLOSE, SNIPPET_OPEN


class Format(enum.StrEnum):
    """How a listing is printed."""

    table = "table"
    json = "json"
    csv = "csv"


def default_format(stream: IO[str]) -> Format:
    """A table for a person at a terminal, JSON for a script reading a pipe."""
    isatty = getattr(stream, "isatty", None)
    return Format.table if isatty is not None and isatty() else Format.json


def _columns(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None) -> list[str]:
    if columns is not None:
        return list(columns)
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def to_json(value: Any) -> str:
    """JSON text as fogwatch prints it: UTF-8 kept, two-space indent."""
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def write_csv(rows: Sequence[dict[str, Any]], stream: IO[str], columns: Sequence[str] | None = None) -> None:
    """Rows as CSV with a header line; lists and dicts as JSON text, ``None`` as empty."""
    cols = _columns(rows, columns)
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(cols)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in cols])


# Search matches as the store marks them in snippets («word»), shown in this style.
_SNIPPET_MATCH = re.compile(f"{re.escape(SNIPPET_OPEN)}[^{re.escape(SNIPPET_CLOSE)}]*{re.escape(SNIPPET_CLOSE)}")
MATCH_STYLE = "bold reverse"
_WHITESPACE = re.compile(r"\s+")

# Cells up to this long (a 16-digit id, an ISO timestamp is 25) are never wrapped in tables.
SHORT_CELL_CHARS = 25


def rows_table(
    rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None, title: str | None = None
) -> Table:
    """A Rich table of ``rows``."""
    cols = _columns(rows, columns)
    # One line per value in a table: paragraph breaks inside snippets become spaces.
    cells = [[_WHITESPACE.sub(" ", _cell(row.get(c))) for c in cols] for row in rows]
    table = Table(title=title, show_lines=False, expand=False)
    for i, col in enumerate(cols):
        widest = max((len(r[i]) for r in cells), default=0)
        # Ids, dates and counts stay on one line; prose columns wrap.
        short = widest <= SHORT_CELL_CHARS
        table.add_column(col, no_wrap=short, min_width=max(widest, len(col)) if short else None, overflow="fold")
    for r in cells:
        row = [Text(c) for c in r]
        for cell in row:
            cell.highlight_regex(_SNIPPET_MATCH, MATCH_STYLE)
        table.add_row(*row)
    return table


def render_rows(
    rows: Sequence[dict[str, Any]],
    fmt: Format,
    console: Console,
    *,
    columns: Sequence[str] | None = None,
    title: str | None = None,
) -> None:
    """Print ``rows``: a table, ONE JSON array, or CSV with a header."""
    if fmt is Format.json:
        console.file.write(to_json(list(rows)) + "\n")
    elif fmt is Format.csv:
        write_csv(rows, console.file, columns)
    else:
        if not rows:
            console.print(f"(no {title or 'rows'})", highlight=False)
            return
        console.print(rows_table(rows, columns, title))


# Terminal styles of highlighted spans, by item kind. Applied in this order, so a
# narrower span (a place inside a figure inside a quote) shows on top.
KIND_STYLES: dict[str, str] = {
    "statements": "green",
    "events": "underline yellow",
    "figures": "bold red",
    "places": "bold cyan",
}

# Columns shown for each kind of item under an article (all fields are in JSON).
ITEM_COLUMNS: dict[str, tuple[str, ...]] = {
    "figures": ("idx", "start", "end", "number", "value", "bound", "metric", "victims", "scope", "source",
                "disputed_by"),
    "statements": ("idx", "start", "end", "speaker", "cue", "direct", "stance", "text"),
    "events": ("idx", "start", "end", "type", "mode", "actor", "target", "location", "date", "modality"),
    "places": ("idx", "start", "end", "name", "kind", "lat", "lon", "country_code"),
}


def highlighted_text(text: str, items: dict[str, list[dict[str, Any]]]) -> Text:
    """The article text with each extracted span styled by its kind."""
    rich_text = Text(text)
    for kind, style in KIND_STYLES.items():
        for item in items.get(kind, []):
            start, end = item.get("start"), item.get("end")
            if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
                rich_text.stylize(style, start, end)
    return rich_text


def render_article(detail: dict[str, Any], console: Console) -> None:
    """One article for a person: header, highlighted text, a legend, then its items."""
    header = Text()
    header.append(detail.get("title") or "(untitled)", style="bold")
    meta = [
        f"id {detail['id']}",
        detail.get("outlet") or "",
        detail.get("published") or "",
        f"version {detail.get('version')}",
        detail.get("url") or "",
    ]
    header.append("\n" + "  ·  ".join(m for m in meta if m), style="dim")
    if detail.get("supersedes"):
        header.append(f"\nsupersedes {detail['supersedes']}", style="dim")
    console.print(header)
    console.print()
    items = {kind: detail.get(kind, []) for kind in KIND_STYLES}
    console.print(highlighted_text(detail.get("text", ""), items))
    console.print()
    legend = Text("legend: ")
    for kind, style in KIND_STYLES.items():
        legend.append(kind, style=style)
        legend.append(f" ({len(items[kind])})  ")
    console.print(legend)
    for kind in ("figures", "statements", "events", "places"):
        if items[kind]:
            console.print(rows_table(items[kind], ITEM_COLUMNS[kind], title=kind))
