"""Figure series: cumulative figures grouped by metric, source and country, in publication order.

A series is what one source reported for one metric over time ("the death toll
according to the health ministry"), one point per figure. The country (the one the
figure's article names most) keeps one agency's totals for different conflicts apart:
on the sample corpus, the UN's displacement figures for five countries made one
series with 8 of 10 points flagged. Until the resolve stage stores series of its own,
this module builds them from the figures table and flags the one break that needs no
tolerance: a running total that falls below what the same source said on an earlier day.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# Key for figures in the reporter's own voice (no source named).
REPORTER = "reporter"

# A running total should never fall; any drop below the highest value the same source
# gave earlier is flagged. No tolerance yet: no measured corpus of revisions says how
# much rounding ("more than 30,000" after "30,112") is normal. 0.0 flags every drop.
FALL_TOLERANCE = 0.0

# Sentence ends: ., ! or ? (optionally closed by a quote or bracket) before a space, or a line break.
_SENTENCE_END = re.compile(r"""[.!?]["'”’)\]]*(?=\s)|\n""")


@dataclass(frozen=True)
class SeriesKey:
    metric: str
    source: str  # canonical actor id, else the lowercased source as written, else REPORTER
    country: str | None = None  # ISO code of the country the article is about, if known
    victim_class: str | None = None  # the resolve stage's victim class (its series only)


def series_key(figure: Mapping[str, Any]) -> SeriesKey:
    resolved = figure.get("series")
    if resolved:
        # The resolve stage's key: metric|victim class|source (the source may hold "|").
        metric, victim_class, source = (str(resolved).split("|", 2) + ["", ""])[:3]
        return SeriesKey(metric=metric, source=source, victim_class=victim_class)
    source = figure.get("source_actor") or (figure.get("source") or "").strip().lower() or REPORTER
    return SeriesKey(metric=figure.get("metric") or "other", source=source, country=figure.get("country"))


def sentence_in(window: str, start: int, end: int) -> str:
    """The sentence of ``window`` holding ``window[start:end]``, trimmed."""
    left = 0
    for match in _SENTENCE_END.finditer(window, 0, start):
        left = match.end()
    right = len(window)
    match = _SENTENCE_END.search(window, end)
    if match:
        right = match.end()
    return " ".join(window[left:right].split())


def point_sentence(figure: Mapping[str, Any]) -> str:
    """The sentence around a figure row from ``queries.cumulative_figures``."""
    window = figure.get("window") or ""
    offset = int(figure.get("window_start") or 0)
    start = int(figure["start"]) - offset
    end = int(figure["end"]) - offset
    if not window or start < 0 or end > len(window):
        return str(figure.get("text") or "")
    return sentence_in(window, start, end)


def _label(figures: list[Mapping[str, Any]], key: SeriesKey) -> str:
    if key.source == REPORTER or key.source.endswith("(reporter)"):
        return key.source if key.source != REPORTER else "reporter's own voice"
    written = [str(f["source"]) for f in figures if f.get("source")]
    if written:
        return max(set(written), key=lambda w: (written.count(w), -len(w)))
    return key.source


def build_series(figures: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Group cumulative figure rows (in publication order) into series with flagged falls.

    Rows from the resolve stage (``queries.resolved_series_figures``) carry their
    series key and flag; those are used as they are instead of computed here.

    Each series: ``metric``, ``source`` and ``country`` (the key), ``label``, ``flagged`` (count) and
    ``points``; each point carries the figure's id, article, date, value, bound,
    evidence text, sentence and ``flag`` (why it breaks the series, or ``None``).
    """
    groups: dict[SeriesKey, list[Mapping[str, Any]]] = {}
    for figure in figures:
        groups.setdefault(series_key(figure), []).append(figure)
    out = []
    for key, members in groups.items():
        points = []
        # The highest value given on an earlier day: figures of the same day (a total and
        # its "including 3,600 children" part) are not compared with each other.
        highest: tuple[int, str | None] | None = None
        today: tuple[int, str | None] | None = None
        for f in members:
            value = int(f["value"])
            day = f.get("published")
            if today is not None and day != today[1]:
                if highest is None or today[0] > highest[0]:
                    highest = today
                today = None
            flag = None
            if "series" in f:
                flag = f.get("flag")
            elif highest is not None and day is not None and value < highest[0] * (1 - FALL_TOLERANCE):
                flag = f"falls from {highest[0]:,} reported earlier ({highest[1] or 'undated'})"
            if today is None or value > today[0]:
                today = (value, day)
            points.append(
                {
                    "figure_id": f["id"],
                    "article_id": f["article_id"],
                    "idx": f["idx"],
                    "date": f.get("published"),
                    "value": value,
                    "bound": f.get("bound"),
                    "victims": f.get("victims"),
                    "text": f.get("text"),
                    "sentence": point_sentence(f),
                    "article_title": f.get("article_title"),
                    "outlet": f.get("outlet"),
                    "flag": flag,
                }
            )
        out.append(
            {
                "metric": key.metric,
                "source": key.source,
                "country": key.country,
                "victim_class": key.victim_class,
                "label": _label(members, key)
                + (f" — {key.victim_class}" if key.victim_class and key.victim_class != "people" else "")
                + (f" ({key.country})" if key.country else ""),
                "flagged": sum(1 for p in points if p["flag"]),
                "points": points,
            }
        )
    out.sort(key=lambda s: (s["metric"], -len(s["points"]), s["source"], s["country"] or "", s["victim_class"] or ""))
    return out


def flagged_figure_ids(series: Iterable[Mapping[str, Any]]) -> set[int]:
    return {int(p["figure_id"]) for s in series for p in s["points"] if p["flag"]}
