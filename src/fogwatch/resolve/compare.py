"""Whether two reports describe one event, and why: the reasons stored with every merge.

Hard conditions (any one failing keeps them apart): same type, dates at most
``MAX_DATE_GAP_DAYS`` apart, places not different, actors not two different canonical
parties, figures not wildly apart. What passes is scored, and a report joins the
cluster holding its best-scoring match.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fogwatch.extract.actors import get_actor
from fogwatch.resolve.places import fold_text, relation
from fogwatch.resolve.reports import Report

# Reports of one event carry dates at most a day apart: an outlet's "on Monday" and
# another's publication the morning after (the issue's ± 1 day rule).
MAX_DATE_GAP_DAYS = 1

# Two reports' highest killed figures further apart than this factor are not one event.
# Reports of one strike give the toll at the site and the toll of the whole barrage (2 at
# a Kyiv hospital, 33 across the city, on the scenario set: 16.5x), and early and late
# counts differ (5 then 27). Only a gap beyond 20x (a handful vs hundreds) vetoes; at 10x
# the Kyiv reports split into two events.
FIGURE_MAX_RATIO = 20.0

# Reports with no place on one side merge only on strong agreement: same day, same
# canonical actor and same mode. Otherwise two airstrikes in one country on one day
# would become one event.
WEIGHTS = {
    "place_same": 3, "place_inside": 2, "date_same": 2, "date_adjacent": 1,
    "actor_same": 2, "mode_same": 1, "target_overlap": 1, "figures_overlap": 1,
}


@dataclass(frozen=True)
class Match:
    ok: bool
    score: int
    reasons: dict[str, Any]


def _days(a: str | None, b: str | None) -> int | None:
    if not a or not b:
        return None
    return abs((dt.date.fromisoformat(a) - dt.date.fromisoformat(b)).days)


# Canonical actors of these kinds speak and fight for their country's state: reports that
# name "Russian" (the government) and "Russian forces" (the armed forces) for one strike
# name one party.
STATE_KINDS = frozenset({"state", "military", "government", "ministry", "person"})


def _state_of(actor_id: str) -> str | None:
    actor = get_actor(actor_id)
    return actor.country if actor is not None and actor.kind in STATE_KINDS else None


def actor_relation(a: Report, b: Report) -> str:
    if a.actor_id and b.actor_id:
        if a.actor_id == b.actor_id:
            return "same"
        state = _state_of(a.actor_id)
        return "same state" if state and state == _state_of(b.actor_id) else "different"
    if a.actor and b.actor and (a.actor_id or b.actor_id) is None:
        return "same" if fold_text(a.actor) == fold_text(b.actor) else "unresolved"
    return "unknown"


def figure_relation(a: Report, b: Report) -> dict[str, Any]:
    ka, kb = a.figures.get("killed", {}), b.figures.get("killed", {})
    if not ka or not kb:
        return {"relation": "unknown"}
    ha, hb = max(ka.values()), max(kb.values())
    low, high = min(ha, hb), max(ha, hb)
    ratio = high / low if low else float("inf")
    rel = "consistent" if ratio <= FIGURE_MAX_RATIO else "inconsistent"
    return {"relation": rel, "a": ha, "b": hb, "ratio": round(ratio, 2) if low else None}


def _words(text: str | None) -> set[str]:
    return {w for w in fold_text(text or "").split() if len(w) > 3}


def compare(new: Report, old: Report) -> Match:
    """Whether ``new`` may join the event ``old`` reports, with the reasons and a score."""
    reasons: dict[str, Any] = {"matched_report": old.key, "type": new.type}
    if new.type != old.type:
        return Match(False, 0, {**reasons, "veto": "different type"})
    gap = _days(new.date, old.date)
    reasons["date_difference_days"] = gap
    if gap is None or gap > MAX_DATE_GAP_DAYS:
        return Match(False, 0, {**reasons, "veto": "dates apart"})
    place = relation(new.place, old.place)
    reasons["place"] = place
    if place["relation"] == "different":
        return Match(False, 0, {**reasons, "veto": "different places"})
    if new.country and old.country and new.country != old.country:
        return Match(False, 0, {**reasons, "veto": "different countries"})
    actor = actor_relation(new, old)
    reasons["actor"] = {"relation": actor, "a": new.actor_id or new.actor, "b": old.actor_id or old.actor}
    if actor == "different":
        return Match(False, 0, {**reasons, "veto": "different actors"})
    figures = figure_relation(new, old)
    reasons["figures"] = figures
    if figures["relation"] == "inconsistent":
        return Match(False, 0, {**reasons, "veto": "inconsistent figures"})
    mode_same = bool(new.mode and new.mode == old.mode)
    if new.mode and old.mode and not mode_same:
        reasons["mode"] = {"relation": "different", "a": new.mode, "b": old.mode}
    elif mode_same:
        reasons["mode"] = {"relation": "same", "a": new.mode}
    if place["relation"] == "unknown" and not (gap == 0 and actor in ("same", "same state") and mode_same):
        return Match(False, 0, {**reasons, "veto": "no place, and not same day, actor and mode"})
    score = WEIGHTS.get(f"place_{place['relation']}", 0)
    score += WEIGHTS["date_same"] if gap == 0 else WEIGHTS["date_adjacent"]
    score += WEIGHTS["actor_same"] if actor in ("same", "same state") else 0
    score += WEIGHTS["mode_same"] if mode_same else 0
    if _words(new.target) & _words(old.target):
        score += WEIGHTS["target_overlap"]
        reasons["target"] = {"relation": "overlap", "a": new.target, "b": old.target}
    if figures["relation"] == "consistent":
        score += WEIGHTS["figures_overlap"]
    reasons["score"] = score
    return Match(True, score, reasons)
