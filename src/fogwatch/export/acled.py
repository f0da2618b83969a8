"""ACLED-like CSV: one row per de-duplicated event, ACLED's 31 columns plus every claimed figure.

``fatalities`` is the most conservative figure a source claimed (the lowest of the
sources' killed counts, 0 when none was given), as ACLED codes it; ``fatalities_low``,
``fatalities_high`` and ``figures_by_source`` (JSON: metric → source → value) keep the
claims side by side, and ``report_count`` says how many reports the event merges.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable
from typing import IO, Any

import pycountry

from fogwatch.export.rows import type_row
from fogwatch.resolve.data import type_map

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location",
    "latitude", "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags",
    "timestamp",
)
EXTRA_COLUMNS = ("figures_by_source", "fatalities_low", "fatalities_high", "report_count")
COLUMNS = ACLED_COLUMNS + EXTRA_COLUMNS

# ACLED geo_precision: 1 the exact town or site, 2 a nearby or regional location, 3 a
# province or country centroid.
GEO_PRECISION = {"facility": 1, "camp": 1, "district": 1, "city": 1, "other": 2, "region": 2, "country": 3}

# ACLED time_precision: 1 the day is known; 2 only the week (our date fell back to the
# publication date of every report, which is within a day or two of the event).
DAY_KNOWN, WEEK_KNOWN = 1, 2


def _country(code: str | None) -> tuple[str, str, str]:
    """(ISO 3166 alpha-3 prefix, numeric code, name) for an alpha-2 code."""
    c = pycountry.countries.get(alpha_2=code) if code else None
    if c is None:
        return "XXX", "", ""
    return c.alpha_3, str(int(c.numeric)), getattr(c, "common_name", None) or c.name


def acled_row(event: dict[str, Any]) -> dict[str, Any]:
    kind = type_row(type_map("acled_types.csv"), event["type"], event["mode"])
    prefix, iso, country = _country(event["country_code"])
    reports = event["reports"]
    date_from_text = any(r.get("date_from") == "event" for r in reports)
    updated = dt.datetime.fromisoformat(event["updated_at"])
    low = event["fatalities_low"]
    return {
        "event_id_cnty": f"{prefix}{event['id']}",
        "event_date": event["date"] or "",
        "year": event["date"][:4] if event["date"] else "",
        "time_precision": DAY_KNOWN if date_from_text else WEEK_KNOWN,
        "disorder_type": kind["disorder_type"],
        "event_type": kind["event_type"],
        "sub_event_type": kind["sub_event_type"],
        "actor1": event["actor"] or "",
        "assoc_actor_1": "",
        "inter1": "",
        "actor2": event["target"] or "",
        "assoc_actor_2": "",
        "inter2": "",
        "interaction": "",
        "civilian_targeting": "Civilian targeting" if kind["event_type"] == "Violence against civilians" else "",
        "iso": iso,
        "region": "",
        "country": country,
        "admin1": "",
        "admin2": "",
        "admin3": "",
        "location": event["place"] or "",
        "latitude": event["lat"] if event["lat"] is not None else "",
        "longitude": event["lon"] if event["lon"] is not None else "",
        "geo_precision": GEO_PRECISION.get(event["place_kind"] or "", 3),
        "source": "; ".join(dict.fromkeys(r["outlet"] or "unknown outlet" for r in reports)),
        "source_scale": "",
        "notes": reports[0]["sentence"] if reports else "",
        "fatalities": low if low is not None else 0,
        "tags": "",
        "timestamp": int(updated.timestamp()),
        "figures_by_source": json.dumps(event["figures_by_source"], ensure_ascii=False, sort_keys=True),
        "fatalities_low": low if low is not None else "",
        "fatalities_high": event["fatalities_high"] if event["fatalities_high"] is not None else "",
        "report_count": event["report_count"],
    }


def write_acled(events: Iterable[dict[str, Any]], stream: IO[str]) -> int:
    writer = csv.DictWriter(stream, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for event in events:
        writer.writerow(acled_row(event))
        n += 1
    return n
