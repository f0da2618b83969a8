"""Figure series: cumulative figures of one metric, victim class and source, by day.

A series is the running total one source gave for one metric and victim class ("people
killed, according to the health ministry"), dated by its article's publication date.
Two breaks are flagged, each with the figure it contradicts:

- ``falls``: a figure below the highest figure the same series gave on an earlier day;
- ``disagrees``: on one day, two sources' figures for one metric and victim class
  differ by more than ``SAME_DAY_TOLERANCE``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from fogwatch.resolve.data import victim_classes
from fogwatch.resolve.places import fold_text
from fogwatch.resolve.reports import ID_CHUNK, source_key

# Same-day tallies of one toll by different sources differ because they are taken at
# different hours: a ministry's morning and evening updates of a toll in the tens of
# thousands move by 1-3% a day at the worst of the wars in the scenario set. A gap
# above 10% is more than a day's change and is worth a reader's look.
SAME_DAY_TOLERANCE = 0.10

# A later figure given as a lower bound ("more than 30,000") may round the earlier
# exact figure down (30,112) without falling. Lower bounds within 5% below the earlier
# figure are read as rounding; exact figures get no tolerance.
ROUNDING_TOLERANCE = 0.05
LOWER_BOUNDS = frozenset({"at_least", "more_than", "about"})


def victim_class(victims: str | None) -> str:
    """The class of a victim phrase: its last listed word, else ``people``."""
    classes = victim_classes()
    words = fold_text(victims or "").split()
    for word in reversed(words):
        if word in classes:
            return classes[word]
    return "people"


def _series_rows(conn: sqlite3.Connection, article_ids: list[str]) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for i in range(0, len(article_ids), ID_CHUNK):
        chunk = article_ids[i : i + ID_CHUNK]
        marks = ",".join("?" * len(chunk))
        for f in conn.execute(  # "+f.scope": a filter, not the index (see reports.load_reports)
            f"""SELECT f.id, f.metric, f.victims, f.value, f.source, f.source_actor, a.outlet, a.published
                FROM figures f JOIN articles a ON a.id = f.article_id
                WHERE f.article_id IN ({marks}) AND +f.scope = 'cumulative'
                  AND a.published IS NOT NULL AND f.value IS NOT NULL""",
            chunk,
        ):
            grp = f"{f['metric']}|{victim_class(f['victims'])}"
            rows.append((f["id"], f"{grp}|{source_key(f, f['outlet'])}", grp, f["published"], f["value"]))
    return rows


def _flag(conn: sqlite3.Connection, series: str, kind: str, figure: int, other: int, detail: dict[str, Any]) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO figure_flags (series, kind, figure_id, other_figure_id, detail) VALUES (?, ?, ?, ?, ?)",
        (series, kind, figure, other, json.dumps(detail)),
    )


def _check_falls(conn: sqlite3.Connection, series: str) -> None:
    conn.execute("DELETE FROM figure_flags WHERE kind = 'falls' AND series = ?", (series,))
    points = conn.execute(
        """SELECT s.figure_id, s.day, s.value, f.bound FROM figure_series s JOIN figures f ON f.id = s.figure_id
           WHERE s.series = ? ORDER BY s.day, s.figure_id""",
        (series,),
    ).fetchall()
    best: tuple[int, int, str] | None = None   # highest earlier point: value, figure id, day
    day_best: tuple[int, int, str] | None = None
    current_day = None
    for p in points:
        if p["day"] != current_day:
            if day_best and (best is None or day_best[0] > best[0]):
                best = day_best
            day_best, current_day = None, p["day"]
        if best is not None:
            tolerance = ROUNDING_TOLERANCE if p["bound"] in LOWER_BOUNDS else 0.0
            if p["value"] < best[0] * (1 - tolerance):
                _flag(conn, series, "falls", p["figure_id"], best[1],
                      {"value": p["value"], "earlier_value": best[0], "earlier_day": best[2],
                       "day": p["day"], "tolerance": tolerance})
        if day_best is None or p["value"] > day_best[0]:
            day_best = (p["value"], p["figure_id"], p["day"])


def _check_day(conn: sqlite3.Connection, grp: str, day: str) -> None:
    tag = f"{grp}@{day}"
    conn.execute("DELETE FROM figure_flags WHERE kind = 'disagrees' AND series = ?", (tag,))
    by_source: dict[str, tuple[int, int]] = {}
    for r in conn.execute("SELECT figure_id, series, value FROM figure_series WHERE grp = ? AND day = ?", (grp, day)):
        prev = by_source.get(r["series"])
        if prev is None or r["value"] > prev[0]:
            by_source[r["series"]] = (int(r["value"]), int(r["figure_id"]))
    items = sorted(by_source.items())
    for i, (sa, (va, fa)) in enumerate(items):
        for sb, (vb, fb) in items[i + 1 :]:
            high = max(va, vb)
            if high and abs(va - vb) / high > SAME_DAY_TOLERANCE:
                low_f, high_f = (fa, fb) if va <= vb else (fb, fa)
                _flag(conn, tag, "disagrees", low_f, high_f,
                      {"day": day, "values": {sa.rsplit("|", 1)[-1]: va, sb.rsplit("|", 1)[-1]: vb},
                       "tolerance": SAME_DAY_TOLERANCE})


def update_series(conn: sqlite3.Connection, article_ids: Iterable[str]) -> int:
    """Add the cumulative figures of ``article_ids`` to their series and re-check the series touched.

    Returns the number of flags the store holds afterwards.
    """
    rows = _series_rows(conn, list(article_ids))
    conn.executemany(
        "INSERT OR REPLACE INTO figure_series (figure_id, series, grp, day, value) VALUES (?, ?, ?, ?, ?)", rows
    )
    for series in sorted({r[1] for r in rows}):
        _check_falls(conn, series)
    for grp, day in sorted({(r[2], r[3]) for r in rows}):
        _check_day(conn, grp, day)
    return int(conn.execute("SELECT count(*) FROM figure_flags").fetchone()[0])
