"""Contested claims: a statement paired with the denial or counter-accusation of it by another party.

A *counter* (stance deny, or accuse) answers a *claim* (stance assert or accuse; an
accusation only answers an accusation) when the speakers differ and the two are about
one thing:

- ``same_article``: the counter follows the claim in one article (a wire story's
  "X said ...; Y denied it"); the best claim before it is taken;
- ``same_event``: the two are linked to reports of one de-duplicated event;
- ``shared_terms``: their articles are at most ``CONTEST_WINDOW_DAYS`` apart and the
  two share at least ``MIN_SHARED_TERMS`` key terms (full-text search finds them).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from fogwatch.resolve.data import contest_stopwords
from fogwatch.resolve.places import fold

# A denial answers a claim within days: an army's same-day rebuttal, a ministry's reply
# the next morning, a follow-up story two days on. Three days holds those.
CONTEST_WINDOW_DAYS = 3

# Two statements share a subject when they share at least two key terms (a place and a
# target: "hospital" and "Kharkiv"); one shared word (often a country) pairs strangers.
MIN_SHARED_TERMS = 2

# At most this many cross-article candidates are scored per statement (best FTS rank first).
CANDIDATES_PER_STATEMENT = 50

# Key terms: words of at least this many letters (drops "the", "was", "its").
MIN_TERM_LETTERS = 4

CLAIM_STANCES = ("assert", "accuse")
COUNTER_STANCES = ("deny", "accuse")


def key_terms(text: str | None) -> set[str]:
    stop = contest_stopwords()
    return {w for w in fold(text or "").split() if len(w) >= MIN_TERM_LETTERS and w not in stop and not w.isdigit()}


def _speaker(row: sqlite3.Row) -> str | None:
    return row["speaker_actor"] or (fold(row["speaker"]) if row["speaker"] else None)


def answers(claim: sqlite3.Row, counter: sqlite3.Row) -> bool:
    """Whether ``counter``'s stance can answer ``claim``'s, by another speaker."""
    if counter["stance"] == "deny":
        ok = claim["stance"] in CLAIM_STANCES
    else:
        ok = counter["stance"] == "accuse" and claim["stance"] == "accuse"
    a, b = _speaker(claim), _speaker(counter)
    return ok and a is not None and b is not None and a != b


_COLUMNS = """s.id, s.article_id, s.idx, s.start, s.text, s.speaker, s.speaker_actor, s.stance,
              a.published, a.seq"""


def _clusters_of(conn: sqlite3.Connection, statement_id: int) -> set[int]:
    rows = conn.execute(
        """SELECT cr.cluster_id FROM statements s
           JOIN event_statements es ON es.article_id = s.article_id AND es.statement_idx = s.idx
           JOIN cluster_reports cr ON cr.article_id = es.article_id AND cr.idx = es.event_idx
           WHERE s.id = ?""",
        (statement_id,),
    )
    return {int(r[0]) for r in rows}


def _window(published: str | None) -> tuple[str, str] | None:
    if not published:
        return None
    day = dt.date.fromisoformat(published)
    span = dt.timedelta(days=CONTEST_WINDOW_DAYS)
    return (day - span).isoformat(), (day + span).isoformat()


def _fts_query(terms: set[str]) -> str:
    return " OR ".join(f'"{t}"' for t in sorted(terms))


def _cross_article(conn: sqlite3.Connection, s: sqlite3.Row, terms: set[str]) -> list[sqlite3.Row]:
    window = _window(s["published"])
    if window is None or not terms:
        return []
    return conn.execute(
        f"""SELECT {_COLUMNS} FROM statements_fts f JOIN statements s ON s.id = f.rowid
            JOIN articles a ON a.id = s.article_id
            WHERE statements_fts MATCH ? AND a.published BETWEEN ? AND ? AND s.article_id != ?
            ORDER BY f.rank LIMIT ?""",
        (_fts_query(terms), window[0], window[1], s["article_id"], CANDIDATES_PER_STATEMENT),
    ).fetchall()


def _same_event(conn: sqlite3.Connection, s: sqlite3.Row) -> list[sqlite3.Row]:
    clusters = _clusters_of(conn, int(s["id"]))
    if not clusters:
        return []
    marks = ",".join("?" * len(clusters))
    return conn.execute(
        f"""SELECT DISTINCT {_COLUMNS} FROM cluster_reports cr
            JOIN event_statements es ON es.article_id = cr.article_id AND es.event_idx = cr.idx
            JOIN statements s ON s.article_id = es.article_id AND s.idx = es.statement_idx
            JOIN articles a ON a.id = s.article_id
            WHERE cr.cluster_id IN ({marks}) AND s.id != ?""",
        (*clusters, s["id"]),
    ).fetchall()


def _save(conn: sqlite3.Connection, claim: sqlite3.Row, counter: sqlite3.Row, relation: str,
          reasons: dict[str, Any]) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO contested_pairs (claim_id, counter_id, relation, reasons) VALUES (?, ?, ?, ?)",
        (claim["id"], counter["id"], relation, json.dumps(reasons, ensure_ascii=False)),
    )


def _pair_in_article(conn: sqlite3.Connection, counter: sqlite3.Row, rows: list[sqlite3.Row]) -> None:
    terms = key_terms(counter["text"])
    best: tuple[int, sqlite3.Row, set[str]] | None = None
    for claim in rows:
        if claim["idx"] >= counter["idx"] or not answers(claim, counter):
            continue
        shared = terms & key_terms(claim["text"])
        score = 3 * len(shared) + (2 if claim["stance"] == "accuse" else 0)
        if best is None or score > best[0]:
            best = (score, claim, shared)
    if best is not None:
        _save(conn, best[1], counter, "same_article",
              {"speakers": [_speaker(best[1]), _speaker(counter)], "shared_terms": sorted(best[2])})


def _pair_across(conn: sqlite3.Connection, s: sqlite3.Row) -> None:
    terms = key_terms(s["text"])
    seen: set[int] = set()
    same_event = _same_event(conn, s)
    for other in same_event:
        seen.add(int(other["id"]))
        if other["article_id"] == s["article_id"]:
            continue
        for claim, counter in ((other, s), (s, other)):
            if answers(claim, counter):
                _save(conn, claim, counter, "same_event",
                      {"speakers": [_speaker(claim), _speaker(counter)],
                       "shared_terms": sorted(key_terms(claim["text"]) & key_terms(counter["text"]))})
    for other in _cross_article(conn, s, terms):
        if int(other["id"]) in seen:
            continue
        shared = terms & key_terms(other["text"])
        if len(shared) < MIN_SHARED_TERMS:
            continue
        for claim, counter in ((other, s), (s, other)):
            if answers(claim, counter):
                _save(conn, claim, counter, "shared_terms",
                      {"speakers": [_speaker(claim), _speaker(counter)], "shared_terms": sorted(shared)})


def update_pairs(conn: sqlite3.Connection, article_ids: Iterable[str]) -> int:
    """Pair the statements of ``article_ids`` with claims or counters; return the pairs stored."""
    for article_id in article_ids:
        rows = conn.execute(
            f"""SELECT {_COLUMNS} FROM statements s JOIN articles a ON a.id = s.article_id
                WHERE s.article_id = ? ORDER BY s.idx""",
            (article_id,),
        ).fetchall()
        for s in rows:
            if s["stance"] in COUNTER_STANCES:
                _pair_in_article(conn, s, rows)
            if s["stance"] in CLAIM_STANCES or s["stance"] in COUNTER_STANCES:
                _pair_across(conn, s)
    return int(conn.execute("SELECT count(*) FROM contested_pairs").fetchone()[0])
