"""Read queries over the resolution tables: events, one event's reports, timeline, flags, pairs.

Plain dicts, like ``fogwatch.store.queries``, so the CLI and exports format them freely.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from fogwatch.errors import NotFound
from fogwatch.resolve.text import sentence_around
from fogwatch.store.filters import date_range

EVENT_COLUMNS = (
    "id", "date", "type", "mode", "place", "country_code", "actor", "target",
    "report_count", "fatalities_low", "fatalities_high",
)


def _event_row(row: sqlite3.Row) -> dict[str, Any]:
    d = dict(row)
    d["figures_by_source"] = json.loads(d.get("figures_by_source") or "{}")
    return d


def list_events(
    conn: sqlite3.Connection,
    *,
    place: str | None = None,
    actor: str | None = None,
    type: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """De-duplicated events in date order. ``place`` and ``actor`` match any report's
    place or actor (name or canonical id, case-insensitive substring)."""
    clause, params = _event_filter(place=place, actor=actor, type=type, since=since, until=until)
    page = "LIMIT :limit OFFSET :offset" if limit is not None else ""
    rows = conn.execute(
        f"SELECT c.* FROM clusters c {clause} ORDER BY c.date IS NULL, c.date, c.id {page}",
        {**params, "limit": limit, "offset": offset},
    )
    return [_event_row(r) for r in rows]


def count_events(
    conn: sqlite3.Connection,
    *,
    place: str | None = None,
    actor: str | None = None,
    type: str | None = None,  # noqa: A002
    since: str | None = None,
    until: str | None = None,
) -> int:
    """How many de-duplicated events ``list_events`` gives for the same filters, over all pages."""
    clause, params = _event_filter(place=place, actor=actor, type=type, since=since, until=until)
    return conn.execute(f"SELECT count(*) FROM clusters c {clause}", params).fetchone()[0]


def _event_filter(
    *, place: str | None, actor: str | None, type: str | None, since: str | None, until: str | None  # noqa: A002
) -> tuple[str, dict[str, Any]]:
    where, params = [], {}
    if type:
        where.append("c.type = :type")
        params["type"] = type
    date_range(where, params, "c.date", since, until)
    if place:
        where.append(
            """(c.place LIKE :place OR EXISTS (SELECT 1 FROM cluster_reports r WHERE r.cluster_id = c.id
                AND (json_extract(r.features, '$.place.name') LIKE :place)))"""
        )
        params["place"] = f"%{place}%"
    if actor:
        where.append(
            """EXISTS (SELECT 1 FROM cluster_reports r WHERE r.cluster_id = c.id
                AND (json_extract(r.features, '$.actor') LIKE :actor
                     OR json_extract(r.features, '$.actor_id') LIKE :actor))"""
        )
        params["actor"] = f"%{actor}%"
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    return clause, params


def event_reports(conn: sqlite3.Connection, cluster_id: int) -> list[dict[str, Any]]:
    """The reports of one event, each with its article, evidence sentence and merge reasons."""
    rows = conn.execute(
        """SELECT e.id AS report_id, r.article_id, r.idx, r.features, r.reasons, a.outlet, a.published,
                  a.title, a.url, a.text AS article_text, e.start, e."end", e.text AS evidence
           FROM cluster_reports r JOIN events e ON e.article_id = r.article_id AND e.idx = r.idx
           JOIN articles a ON a.id = r.article_id
           WHERE r.cluster_id = ? ORDER BY a.published, a.seq, r.idx""",
        (cluster_id,),
    )
    out = []
    for r in rows:
        f = json.loads(r["features"])
        out.append({
            "report_id": r["report_id"], "article_id": r["article_id"], "idx": r["idx"],
            "outlet": r["outlet"], "published": r["published"], "title": r["title"], "url": r["url"],
            "date": f.get("date"), "date_from": f.get("date_from"), "type": f.get("type"), "mode": f.get("mode"),
            "place": (f.get("place") or {}).get("name"), "actor": f.get("actor"), "target": f.get("target"),
            "figures": f.get("figures"), "start": r["start"], "end": r["end"], "evidence": r["evidence"],
            "sentence": sentence_around(r["article_text"], r["start"], r["end"]),
            "reasons": json.loads(r["reasons"]),
        })
    return out


def get_event(conn: sqlite3.Connection, cluster_id: int) -> dict[str, Any]:
    row = conn.execute("SELECT * FROM clusters WHERE id = ?", (cluster_id,)).fetchone()
    if row is None:
        raise NotFound(f"no event {cluster_id} (list them with `fogwatch events`)")
    return {**_event_row(row), "reports": event_reports(conn, cluster_id)}


def _figure(conn: sqlite3.Connection, figure_id: int) -> dict[str, Any]:
    r = conn.execute(
        """SELECT f.id, f.article_id, f.start, f."end", f.value, f.bound, f.metric, f.victims, f.source,
                  f.source_actor, a.published, a.outlet, a.text AS article_text
           FROM figures f JOIN articles a ON a.id = f.article_id WHERE f.id = ?""",
        (figure_id,),
    ).fetchone()
    d = dict(r)
    d["sentence"] = sentence_around(d.pop("article_text"), d["start"], d["end"])
    return d


def list_flags(conn: sqlite3.Connection, *, kind: str | None = None) -> list[dict[str, Any]]:
    """Figures that break their series, each beside the figure it contradicts (both sentences)."""
    clause, params = ("WHERE kind = ?", (kind,)) if kind else ("", ())
    out = []
    for r in conn.execute(f"SELECT * FROM figure_flags {clause} ORDER BY id", params):
        a, b = _figure(conn, r["figure_id"]), _figure(conn, r["other_figure_id"])
        out.append({
            "flag_id": r["id"], "kind": r["kind"], "series": r["series"], "detail": json.loads(r["detail"]),
            "figure_id": a["id"], "value": a["value"], "source": a["source"] or a["outlet"],
            "published": a["published"], "article_id": a["article_id"], "sentence": a["sentence"],
            "other_figure_id": b["id"], "other_value": b["value"], "other_source": b["source"] or b["outlet"],
            "other_published": b["published"], "other_article_id": b["article_id"], "other_sentence": b["sentence"],
        })
    return out


def list_series(conn: sqlite3.Connection, *, metric: str | None = None) -> list[dict[str, Any]]:
    """Every point of every figure series, by series then day, with its flag count."""
    clause, params = ("WHERE s.series LIKE ?", (f"{metric}|%",)) if metric else ("", ())
    rows = conn.execute(
        f"""SELECT s.series, s.day, s.value, f.bound, f.source, a.outlet, s.figure_id, s.grp,
                   (SELECT count(*) FROM figure_flags g WHERE g.figure_id = s.figure_id) AS flags
            FROM figure_series s JOIN figures f ON f.id = s.figure_id JOIN articles a ON a.id = f.article_id
            {clause} ORDER BY s.series, s.day, s.figure_id""",
        params,
    )
    return [dict(r) for r in rows]


def _statement(conn: sqlite3.Connection, statement_id: int) -> dict[str, Any]:
    r = conn.execute(
        """SELECT s.id, s.article_id, s.start, s."end", s.speaker, s.speaker_actor, s.stance, s.cue,
                  a.published, a.outlet, a.text AS article_text
           FROM statements s JOIN articles a ON a.id = s.article_id WHERE s.id = ?""",
        (statement_id,),
    ).fetchone()
    d = dict(r)
    d["sentence"] = sentence_around(d.pop("article_text"), d["start"], d["end"])
    return d


def list_contested(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Claims beside their denials or counter-accusations, with both sentences."""
    out = []
    for r in conn.execute("SELECT * FROM contested_pairs ORDER BY id"):
        a, b = _statement(conn, r["claim_id"]), _statement(conn, r["counter_id"])
        out.append({
            "pair_id": r["id"], "relation": r["relation"],
            "claim_speaker": a["speaker"], "claim_stance": a["stance"], "claim_published": a["published"],
            "claim_article_id": a["article_id"], "claim_sentence": a["sentence"],
            "counter_speaker": b["speaker"], "counter_stance": b["stance"], "counter_published": b["published"],
            "counter_article_id": b["article_id"], "counter_sentence": b["sentence"],
            "claim_id": a["id"], "counter_id": b["id"], "reasons": json.loads(r["reasons"]),
        })
    return out


def list_statements(
    conn: sqlite3.Connection, *, speaker: str | None = None, stance: str | None = None,
    since: str | None = None, until: str | None = None, limit: int = 50, offset: int = 0,
) -> list[dict[str, Any]]:
    """Statements with their speakers, newest article first."""
    where, params = [], {"limit": limit, "offset": offset}
    if speaker:
        where.append("(s.speaker LIKE :speaker OR s.speaker_actor LIKE :speaker)")
        params["speaker"] = f"%{speaker}%"
    if stance:
        where.append("s.stance = :stance")
        params["stance"] = stance
    date_range(where, params, "a.published", since, until)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    rows = conn.execute(
        f"""SELECT s.id, a.published, a.outlet, s.speaker, s.speaker_actor, s.cue, s.stance, s.direct,
                   s.text, s.article_id FROM statements s JOIN articles a ON a.id = s.article_id {clause}
            ORDER BY a.published DESC, a.seq DESC, s.idx LIMIT :limit OFFSET :offset""",
        params,
    )
    return [dict(r) for r in rows]
