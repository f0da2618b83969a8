"""Event de-duplication: reports of one event become one cluster, each merge with its reasons.

Blocking keeps it near-linear: a new report is compared only with the reports stored
under its type, its country (or any country when it has none) and dates within
``MAX_DATE_GAP_DAYS`` of its own, read through the ``cluster_reports_block`` index.
Reports are taken oldest first; each joins the cluster of its best-scoring compatible
match (single link) or founds a new one. A user's split (``cluster_overrides``) forbids
the pair for ever after, so clustering never undoes it.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from fogwatch.errors import NotFound, StoreError
from fogwatch.resolve.compare import MAX_DATE_GAP_DAYS, Match, compare
from fogwatch.resolve.places import most_specific
from fogwatch.resolve.reports import EVENT_METRICS, Report

# Vetoes that hold against every report of a cluster, not only the best match: a strike
# by one party is not joined to a cluster holding another party's, nor a count of 400
# dead to one holding 3 (single link on these would chain unrelated events together).
CLUSTER_VETOES = frozenset({"different actors", "inconsistent figures"})

# A cluster's reports are dated at most this many days apart, whichever member a new
# report matches. Single link on dates alone chains a place shelled every day (Monday's
# reports match Sunday's, Tuesday's match Monday's, ...) into one "event" months long,
# whose pairwise work then grows with its length. Two days hold one event's spread: its
# day, the next morning's stories, and a follow-up dated by publication a day later.
MAX_CLUSTER_SPAN_DAYS = 2


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _shift(date: str, days: int) -> str:
    return (dt.date.fromisoformat(date) + dt.timedelta(days=days)).isoformat()


def _candidates(conn: sqlite3.Connection, report: Report) -> list[tuple[int, Report]]:
    if not report.date:
        return []
    rows = conn.execute(
        """SELECT article_id, idx, cluster_id, features FROM cluster_reports
           WHERE block_type = :type AND block_date BETWEEN :lo AND :hi
             AND (:country IS NULL OR block_country IS NULL OR block_country = :country)""",
        {
            "type": report.type, "country": report.country,
            "lo": _shift(report.date, -MAX_DATE_GAP_DAYS), "hi": _shift(report.date, MAX_DATE_GAP_DAYS),
        },
    )
    return [
        (int(r["cluster_id"]), Report.from_features(r["article_id"], int(r["idx"]), json.loads(r["features"])))
        for r in rows
    ]


def _forbidden(conn: sqlite3.Connection, key: str) -> set[str]:
    rows = conn.execute(
        """SELECT report_b FROM cluster_overrides WHERE kind = 'cannot_link' AND report_a = ?
           UNION SELECT report_a FROM cluster_overrides WHERE kind = 'cannot_link' AND report_b = ?""",
        (key, key),
    )
    return {r[0] for r in rows}


def _within_span(conn: sqlite3.Connection, cluster_id: int, date: str) -> bool:
    """Whether a report dated ``date`` keeps the cluster within ``MAX_CLUSTER_SPAN_DAYS``."""
    first, last = conn.execute(
        "SELECT min(block_date), max(block_date) FROM cluster_reports WHERE cluster_id = ?", (cluster_id,)
    ).fetchone()
    if first is None:
        return True
    return _shift(min(first, date), MAX_CLUSTER_SPAN_DAYS) >= max(last, date)


def best_cluster(conn: sqlite3.Connection, report: Report) -> tuple[int, Match] | None:
    """The cluster ``report`` should join and the match that decided it, or ``None``."""
    forbidden = _forbidden(conn, report.key)
    by_cluster: dict[int, list[Report]] = {}
    for cluster_id, other in _candidates(conn, report):
        by_cluster.setdefault(cluster_id, []).append(other)
    best: tuple[int, Match] | None = None
    for cluster_id, members in by_cluster.items():
        if forbidden and any(m.key in forbidden for m in members):
            continue
        if report.date and not _within_span(conn, cluster_id, report.date):
            continue
        matches = [compare(report, member) for member in members]
        if any(m.reasons.get("veto") in CLUSTER_VETOES for m in matches):
            continue
        for match in matches:
            if match.ok and (best is None or match.score > best[1].score):
                best = (cluster_id, match)
    return best


def _new_cluster(conn: sqlite3.Connection, report: Report) -> int:
    cur = conn.execute("INSERT INTO clusters (type, updated_at) VALUES (?, ?)", (report.type, now()))
    return int(cur.lastrowid or 0)


def _insert_report(conn: sqlite3.Connection, cluster_id: int, report: Report, reasons: dict[str, Any]) -> None:
    conn.execute(
        """INSERT OR REPLACE INTO cluster_reports
           (article_id, idx, cluster_id, block_type, block_country, block_date, features, reasons)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            report.article_id, report.idx, cluster_id, report.type, report.country, report.date,
            json.dumps(report.features(), ensure_ascii=False), json.dumps(reasons, ensure_ascii=False),
        ),
    )


def assign(conn: sqlite3.Connection, reports: Sequence[Report]) -> set[int]:
    """Put each report in a cluster (joining or founding one); return the clusters touched."""
    touched: set[int] = set()
    for report in reports:
        found = best_cluster(conn, report)
        if found is None:
            cluster_id = _new_cluster(conn, report)
            reasons: dict[str, Any] = {"founded": True, "type": report.type}
        else:
            cluster_id, match = found
            reasons = match.reasons
        _insert_report(conn, cluster_id, report, reasons)
        touched.add(cluster_id)
    return touched


def _members(conn: sqlite3.Connection, cluster_id: int) -> list[Report]:
    rows = conn.execute(
        "SELECT article_id, idx, features FROM cluster_reports WHERE cluster_id = ? ORDER BY article_id, idx",
        (cluster_id,),
    )
    return [Report.from_features(r["article_id"], int(r["idx"]), json.loads(r["features"])) for r in rows]


def _most_common(values: Iterable[Any]) -> Any:
    counted = Counter(v for v in values if v)
    return counted.most_common(1)[0][0] if counted else None


def summarise(conn: sqlite3.Connection, cluster_ids: Iterable[int]) -> None:
    """Recompute the summary columns of ``cluster_ids``; delete the ones left empty."""
    for cluster_id in cluster_ids:
        members = _members(conn, cluster_id)
        if not members:
            conn.execute("DELETE FROM clusters WHERE id = ?", (cluster_id,))
            continue
        place = most_specific([m.place for m in members if m.place])
        by_metric: dict[str, dict[str, int]] = {}
        for m in members:
            for metric, by_source in m.figures.items():
                target = by_metric.setdefault(metric, {})
                for source, value in by_source.items():
                    target[source] = max(target.get(source, 0), value)
        killed = list(by_metric.get("killed", {}).values())
        injured = list(by_metric.get("injured", {}).values())
        dates = [m.date for m in members if m.date]
        event_dates = [m.date for m in members if m.date and m.date_from == "event"]
        conn.execute(
            """UPDATE clusters SET type = ?, mode = ?, date = ?, place = ?, place_kind = ?, country_code = ?,
                   lat = ?, lon = ?, actor = ?, actor_id = ?, target = ?, report_count = ?,
                   fatalities_low = ?, fatalities_high = ?, injured_low = ?, injured_high = ?,
                   figures_by_source = ?, updated_at = ? WHERE id = ?""",
            (
                _most_common(m.type for m in members),
                _most_common(m.mode for m in members),
                _most_common(event_dates) or (min(dates) if dates else None),
                place["name"] if place else None,
                place["kind"] if place else None,
                (place.get("country_code") if place else None) or _most_common(m.country for m in members),
                place["lat"] if place else None,
                place["lon"] if place else None,
                _most_common(m.actor for m in members),
                _most_common(m.actor_id for m in members),
                _most_common(m.target for m in members),
                len(members),
                min(killed) if killed else None,
                max(killed) if killed else None,
                min(injured) if injured else None,
                max(injured) if injured else None,
                json.dumps({k: by_metric[k] for k in EVENT_METRICS if k in by_metric}, ensure_ascii=False),
                now(),
                cluster_id,
            ),
        )


def report_ref(conn: sqlite3.Connection, ref: str) -> tuple[str, int]:
    """(article_id, idx) of a report given as an events.id number or as ``article_id:idx``."""
    if ref.isdigit():
        row = conn.execute("SELECT article_id, idx FROM events WHERE id = ?", (int(ref),)).fetchone()
    elif ":" in ref:
        article_id, _, idx = ref.rpartition(":")
        row = conn.execute(
            "SELECT article_id, idx FROM events WHERE article_id = ? AND idx = ?",
            (article_id, int(idx) if idx.isdigit() else -1),
        ).fetchone()
    else:
        row = None
    if row is None:
        raise NotFound(f"no report {ref!r} (give the report id shown by `fogwatch event`)")
    return str(row[0]), int(row[1])


def split(conn: sqlite3.Connection, cluster_id: int, ref: str) -> int:
    """Take a report out of its cluster into a cluster of its own; return the new cluster's id.

    The report and every other report of the cluster are recorded as never to be linked,
    so later runs, full rebuilds included, keep them apart.
    """
    article_id, idx = report_ref(conn, ref)
    row = conn.execute(
        "SELECT cluster_id, features FROM cluster_reports WHERE article_id = ? AND idx = ?", (article_id, idx)
    ).fetchone()
    if row is None or int(row["cluster_id"]) != cluster_id:
        raise NotFound(f"report {ref} is not in event {cluster_id}")
    others = [m for m in _members(conn, cluster_id) if (m.article_id, m.idx) != (article_id, idx)]
    if not others:
        raise StoreError(f"event {cluster_id} has only report {ref}; nothing to split")
    key = f"{article_id}:{idx}"
    stamp = now()
    conn.executemany(
        "INSERT OR IGNORE INTO cluster_overrides (kind, report_a, report_b, created_at) VALUES ('cannot_link', ?, ?, ?)",
        [(key, m.key, stamp) for m in others],
    )
    report = Report.from_features(article_id, idx, json.loads(row["features"]))
    new_id = _new_cluster(conn, report)
    _insert_report(conn, new_id, report, {"founded": True, "type": report.type, "split_from": cluster_id})
    summarise(conn, [cluster_id, new_id])
    return new_id
