"""Canonical actors from the alias table ``resources/actors.csv`` (issue: Extraction I).

Interface used by every other step:
- ``canonical_actor(name)`` -> actor id or None, for any mention as written
  ("IDF", "the Israeli military", "Gaza's Hamas-run health ministry");
- ``get_actor(actor_id)`` -> Actor; ``all_actors()`` -> list of Actor.
"""

from __future__ import annotations

from fogwatch.model import Actor


def canonical_actor(name: str | None) -> str | None:
    return None


def get_actor(actor_id: str) -> Actor | None:
    return None


def all_actors() -> list[Actor]:
    return []
