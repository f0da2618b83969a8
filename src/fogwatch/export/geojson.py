"""GeoJSON FeatureCollection for maps: one Point feature per de-duplicated event with a place.

Events without coordinates are left out (a map cannot place them); ``write_geojson``
returns how many it wrote.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, Any

PROPERTIES = (
    "id", "date", "type", "mode", "place", "place_kind", "country_code", "actor", "target",
    "report_count", "fatalities_low", "fatalities_high", "figures_by_source",
)


def feature(event: dict[str, Any]) -> dict[str, Any]:
    props = {k: event[k] for k in PROPERTIES}
    props["outlets"] = sorted({r["outlet"] for r in event["reports"] if r["outlet"]})
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [event["lon"], event["lat"]]},
        "properties": props,
    }


def write_geojson(events: Iterable[dict[str, Any]], stream: IO[str]) -> int:
    features = [feature(e) for e in events if e["lat"] is not None and e["lon"] is not None]
    json.dump({"type": "FeatureCollection", "features": features}, stream, ensure_ascii=False)
    stream.write("\n")
    return len(features)
