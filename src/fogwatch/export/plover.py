"""PLOVER-style JSON: one event per line with the manual's fields.

``actor`` and ``recipient`` are lists (the event's actor and target as written), ``event``
and ``mode`` map fogwatch's type and mode (``resources/resolve/plover_types.csv``),
``size`` carries the most conservative claimed counts, ``text_info`` the evidence span of
the first report and ``cite_info`` every report's URL, title and outlet.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, Any

from fogwatch.export.rows import type_row
from fogwatch.resolve.data import type_map


def plover_record(event: dict[str, Any]) -> dict[str, Any]:
    kind = type_row(type_map("plover_types.csv"), event["type"], event["mode"])
    reports = event["reports"]
    first = reports[0] if reports else {}
    figures = event["figures_by_source"]
    return {
        "id": f"fogwatch-{event['id']}",
        "date": event["date"],
        "actor": [event["actor"]] if event["actor"] else [],
        "recipient": [event["target"]] if event["target"] else [],
        "event": kind["event"],
        "mode": kind["plover_mode"] or None,
        "context": [event["type"]] + ([event["mode"]] if event["mode"] else []),
        "event_loc": {
            "extracted_place": event["place"], "resolved_place": event["place"], "geonameid": None,
            "lat": event["lat"], "lon": event["lon"], "country_code": event["country_code"],
            "place_kind": event["place_kind"],
        },
        "size": {
            "dead": event["fatalities_low"],
            "injured": event["injured_low"],
            "arrested": None,
            "dead_by_source": figures.get("killed", {}),
            "injured_by_source": figures.get("injured", {}),
        },
        "text_info": {
            "article_id": first.get("article_id"), "start": first.get("start"), "end": first.get("end"),
            "text": first.get("evidence"),
        },
        "cite_info": list({
            r["article_id"]: {"url": r["url"], "title": r["title"], "publication": r["outlet"],
                              "published": r["published"]}
            for r in reports
        }.values()),  # one citation per article, however many of its reports the event merges
    }


def write_plover(events: Iterable[dict[str, Any]], stream: IO[str]) -> int:
    n = 0
    for event in events:
        stream.write(json.dumps(plover_record(event), ensure_ascii=False) + "\n")
        n += 1
    return n
