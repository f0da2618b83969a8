"""JSON Lines: the full record, one de-duplicated event per line with every report and its merge reasons."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, Any

# Report keys kept in the export (the rest are internal).
REPORT_KEYS = (
    "report_id", "article_id", "outlet", "published", "title", "url", "date", "type", "mode", "place",
    "actor", "target", "figures", "start", "end", "evidence", "sentence", "reasons",
)


def jsonl_record(event: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in event.items() if k != "reports"}
    out["reports"] = [{k: r[k] for k in REPORT_KEYS} for r in event["reports"]]
    return out


def write_jsonl(events: Iterable[dict[str, Any]], stream: IO[str]) -> int:
    n = 0
    for event in events:
        stream.write(json.dumps(jsonl_record(event), ensure_ascii=False) + "\n")
        n += 1
    return n
