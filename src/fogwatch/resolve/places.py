"""How two reports' places relate, through the gazetteer's hierarchy as stored on each place.

A stored place carries its kind (country | region | city | district | camp | facility),
country code and point. Two places are the *same* (one gazetteer id or one folded name,
or points so close they name one spot: a hospital and its town), one lies *inside* the
other (a city in a country; a town within a region's radius), or they are *different*.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from typing import Any

from fogwatch.gazetteer import skeleton
from fogwatch.gazetteer.names import NON_WORD, strip_accents

# Points closer than this name one spot for de-duplication: a facility and the town it
# is in, or two spellings the gazetteer resolved to neighbouring entries. 10 km is the
# radius of a large city's centre (Kyiv's hospital sits 3 km from the city point; Gaza
# City's to Jabalia's point is 5 km, and outlets name either for one strike).
SAME_PLACE_KM = 10.0

# A region contains a point within this distance of its point. Regions of the scenario
# conflicts are large: Ukrainian oblasts are 200-300 km across (Kupiansk lies about 110 km
# from the Kharkiv oblast point) and Myanmar's Sagaing region 600 km from north to south.
# 250 km keeps their towns inside; at 100 km the scenario set lost three merges.
REGION_RADIUS_KM = 250.0

# Transliterations of one name (Kostiantynivka / Konstantinovka) differ by at most one
# letter of their consonant skeletons; shorter skeletons than this must match exactly
# (Hroza / Groza are one village, but "hrz" / "grz" is too short to trust one edit).
SKELETON_EDIT_MIN_LEN = 6

# How specific a place kind is: the cluster shows its most specific place.
SPECIFICITY = {"facility": 6, "camp": 5, "district": 4, "city": 3, "other": 2, "region": 1, "country": 0}

_EARTH_KM = 6371.0


# Runs of what ``str.isalnum`` rejects: ``\w`` is alphanumeric or "_" in any script.
NON_ALNUM = re.compile(r"[\W_]+")

# Distinct texts whose folds are remembered (speakers, statement texts, place names).
FOLD_CACHE_SIZE = 16384


# Resolve folds the same speakers, statement texts and place names again and again (92,000
# calls for 1,000 new articles, 1.5 s of a 3 s resolve); the cache makes repeats free.
@functools.lru_cache(maxsize=FOLD_CACHE_SIZE)
def fold_text(name: str) -> str:
    """Lowercase, no accents, no punctuation, single spaces: "Kharkiv's" == "kharkiv s". (Not
    ``gazetteer.names.fold``, the looser matching key that also respells and drops articles.)"""
    text = strip_accents(name).lower()
    if text.isascii():  # ASCII letters and digits are [a-z0-9] once lower-cased
        return NON_WORD.sub(" ", text).strip()
    return NON_ALNUM.sub(" ", text).strip()


def distance_km(a: Mapping[str, Any], b: Mapping[str, Any]) -> float | None:
    if None in (a.get("lat"), a.get("lon"), b.get("lat"), b.get("lon")):
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a["lat"], a["lon"], b["lat"], b["lon"]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` by at most one insertion, deletion or substitution."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)):] == b[i + 1:]


def spelling_variants(a: str, b: str) -> bool:
    """Whether two place names are spellings of one name (Kyiv / Kiev, Dnipro / Dnepr)."""
    sa, sb = skeleton(a), skeleton(b)
    if not sa or not sb:
        return False
    return sa == sb or (min(len(sa), len(sb)) >= SKELETON_EDIT_MIN_LEN and _one_edit(sa, sb))


def relation(a: Mapping[str, Any] | None, b: Mapping[str, Any] | None) -> dict[str, Any]:
    """``{"relation": same|inside|unknown|different, "a": name, "b": name, "km": …}``."""
    out: dict[str, Any] = {"a": a.get("name") if a else None, "b": b.get("name") if b else None}
    if not a or not b:
        return {**out, "relation": "unknown"}
    km = distance_km(a, b)
    if km is not None:
        out["km"] = round(km, 1)
    if (a.get("geonameid") and a.get("geonameid") == b.get("geonameid")) or fold_text(a["name"]) == fold_text(b["name"]):
        return {**out, "relation": "same"}
    ca, cb = a.get("country_code"), b.get("country_code")
    if ca and cb and ca != cb:
        return {**out, "relation": "different", "why": "other country"}
    kinds = {a.get("kind"), b.get("kind")}
    if "country" not in kinds and spelling_variants(a["name"], b["name"]):
        return {**out, "relation": "same", "why": "spellings of one name"}
    if "country" in kinds:
        return {**out, "relation": "inside", "why": "within the country"}
    if km is not None and km <= SAME_PLACE_KM:
        return {**out, "relation": "same", "why": f"points within {SAME_PLACE_KM:g} km"}
    if "region" in kinds and km is not None and km <= REGION_RADIUS_KM:
        return {**out, "relation": "inside", "why": f"within {REGION_RADIUS_KM:g} km of the region"}
    return {**out, "relation": "different"}


def most_specific(places: list[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The most specific of ``places`` (with a point before without), or ``None``."""
    if not places:
        return None
    return max(places, key=lambda p: (SPECIFICITY.get(p.get("kind") or "other", 2), p.get("lat") is not None))
