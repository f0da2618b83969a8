"""Reports: the asserted event records of stored articles, with what clustering compares.

A report is one row of the ``events`` table whose modality is ``asserted`` (events that
are denied, hypothetical or background are never clustered as having happened), with
its place (the article's place named as its location, else the named place nearest its
evidence), its date (the event's resolved date, else the article's publication date)
and the incident figures of people killed and injured linked to it, by source.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from fogwatch.resolve.places import fold_text

# A place named within this many characters of an event's evidence span is taken as the
# event's place when the event names none: about two sentences of wire copy, where the
# strike and its town are usually written together.
NEAREST_PLACE_CHARS = 300

# Metrics whose incident figures an event carries side by side, by source.
EVENT_METRICS = ("killed", "injured")

# SQLite host parameters per IN (...) list, well under its 32,766 limit.
ID_CHUNK = 500


@dataclass(frozen=True)
class Report:
    """One asserted event record of one article, as clustering sees it."""

    key: str                       # "<article_id>:<idx>", stable across rebuilds
    event_id: int                  # events.id
    article_id: str
    idx: int
    type: str
    mode: str | None
    date: str | None               # YYYY-MM-DD
    date_from: str                 # "event" (resolved in the text) | "published"
    actor: str | None
    actor_id: str | None
    target: str | None
    place: dict[str, Any] | None   # name, kind, lat, lon, geonameid, country_code
    country: str | None
    outlet: str | None
    figures: dict[str, dict[str, int]]  # metric -> source key -> value

    def features(self) -> dict[str, Any]:
        return {
            "type": self.type, "mode": self.mode, "date": self.date, "date_from": self.date_from,
            "actor": self.actor, "actor_id": self.actor_id, "target": self.target, "place": self.place,
            "country": self.country, "outlet": self.outlet, "figures": self.figures,
            "event_id": self.event_id,
        }

    @classmethod
    def from_features(cls, article_id: str, idx: int, f: dict[str, Any]) -> Report:
        return cls(
            key=f"{article_id}:{idx}", event_id=int(f.get("event_id") or 0), article_id=article_id, idx=idx,
            type=f["type"], mode=f.get("mode"), date=f.get("date"), date_from=f.get("date_from") or "published",
            actor=f.get("actor"), actor_id=f.get("actor_id"), target=f.get("target"), place=f.get("place"),
            country=f.get("country"), outlet=f.get("outlet"), figures=f.get("figures") or {},
        )


def source_key(figure: sqlite3.Row | dict[str, Any], outlet: str | None) -> str:
    """Who a figure is attributed to: the canonical actor, else the folded name, else the outlet's own voice."""
    if figure["source_actor"]:
        return str(figure["source_actor"])
    if figure["source"] and fold_text(str(figure["source"])):
        return fold_text(str(figure["source"]))
    return f"{outlet or 'unknown outlet'} (reporter)"


def _chunks(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    for i in range(0, len(ids), ID_CHUNK):
        yield ids[i : i + ID_CHUNK]


def _place_dict(row: sqlite3.Row) -> dict[str, Any]:
    return {k: row[k] for k in ("name", "kind", "lat", "lon", "geonameid", "country_code")}


def _event_place(event: sqlite3.Row, places: list[sqlite3.Row]) -> sqlite3.Row | None:
    if not places:
        return None
    if event["location"]:
        wanted = fold_text(event["location"])
        for p in places:
            if fold_text(p["text"]) == wanted or fold_text(p["name"] or "") == wanted:
                return p
        for p in places:  # "Kharkiv region" names the place "Kharkiv"
            if fold_text(p["name"] or "") and fold_text(p["name"]) in wanted:
                return p
    near = [
        p for p in places
        if min(abs(p["start"] - event["end"]), abs(event["start"] - p["end"])) <= NEAREST_PLACE_CHARS
        or event["start"] <= p["start"] < event["end"]
    ]
    non_country = [p for p in near if p["kind"] != "country"]
    pool = non_country or near
    if not pool:
        return None
    return min(pool, key=lambda p: min(abs(p["start"] - event["start"]), abs(p["start"] - event["end"])))


def _article_country(places: list[sqlite3.Row]) -> str | None:
    counts = Counter(p["country_code"] for p in places if p["country_code"])
    return counts.most_common(1)[0][0] if counts else None


def load_reports(conn: sqlite3.Connection, article_ids: Iterable[str]) -> list[Report]:
    """The reports of ``article_ids``, oldest date first."""
    ids = list(dict.fromkeys(article_ids))
    reports: list[Report] = []
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        articles = {
            r["id"]: r
            for r in conn.execute(f"SELECT id, published, outlet FROM articles WHERE id IN ({marks})", chunk)
        }
        places: dict[str, list[sqlite3.Row]] = {}
        for p in conn.execute(
            f"SELECT * FROM places WHERE article_id IN ({marks}) ORDER BY article_id, idx", chunk
        ):
            places.setdefault(p["article_id"], []).append(p)
        linked: dict[tuple[str, int], list[sqlite3.Row]] = {}
        # "+f.scope" keeps the scope a filter: given a few hundred ids, the planner would
        # otherwise walk figures_scope, every incident figure in the store, per chunk.
        for f in conn.execute(
            f"""SELECT ef.event_idx, f.* FROM event_figures ef
                JOIN figures f ON f.article_id = ef.article_id AND f.idx = ef.figure_idx
                WHERE ef.article_id IN ({marks}) AND +f.scope = 'incident'""",
            chunk,
        ):
            linked.setdefault((f["article_id"], f["event_idx"]), []).append(f)
        events = conn.execute(
            f"""SELECT * FROM events WHERE article_id IN ({marks})
                AND coalesce(modality, 'asserted') = 'asserted' AND type IS NOT NULL
                ORDER BY article_id, idx""",
            chunk,
        )
        for e in events:
            art = articles[e["article_id"]]
            art_places = places.get(e["article_id"], [])
            place = _event_place(e, art_places)
            figures: dict[str, dict[str, int]] = {}
            for f in linked.get((e["article_id"], e["idx"]), []):
                if f["metric"] in EVENT_METRICS and f["value"] is not None:
                    by_source = figures.setdefault(f["metric"], {})
                    key = source_key(f, art["outlet"])
                    by_source[key] = max(by_source.get(key, 0), int(f["value"]))
            reports.append(
                Report(
                    key=f"{e['article_id']}:{e['idx']}", event_id=int(e["id"]), article_id=e["article_id"],
                    idx=int(e["idx"]), type=e["type"], mode=e["mode"],
                    date=e["date"] or art["published"], date_from="event" if e["date"] else "published",
                    actor=e["actor"], actor_id=e["actor_id"], target=e["target"],
                    place=_place_dict(place) if place is not None else None,
                    country=(place["country_code"] if place is not None else None) or _article_country(art_places),
                    outlet=art["outlet"], figures=figures,
                )
            )
    reports.sort(key=lambda r: (r.date or "9999", r.article_id, r.idx))
    return reports
