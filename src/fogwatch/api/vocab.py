"""The closed vocabularies of the records (see model.py and eval/GUIDE.md), as API parameter types."""

from __future__ import annotations

from typing import Literal, get_args

Metric = Literal[
    "killed", "injured", "killed_or_injured", "missing", "hostages", "detained", "displaced", "sheltering", "other"
]
Stance = Literal["assert", "deny", "accuse", "warn", "demand", "promise"]
Scope = Literal["incident", "cumulative"]
EventType = Literal[
    "attack", "raid", "siege", "arrest", "protest", "negotiation", "ruling", "aid", "evacuation",
    "displacement", "threat", "other",
]
AttackMode = Literal["airstrike", "shelling", "gunfire", "ground_assault", "drone", "missile", "explosive", "fire"]
PlaceKind = Literal["country", "region", "city", "district", "camp", "facility", "other"]

METRICS: tuple[str, ...] = get_args(Metric)
STANCES: tuple[str, ...] = get_args(Stance)
EVENT_TYPES: tuple[str, ...] = get_args(EventType)
