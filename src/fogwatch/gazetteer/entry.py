"""One gazetteer place, whatever file it came from."""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("country", "region", "city", "district", "camp", "facility", "other")

# Which source wins when several give the same name: the curated file is the
# user's word, then countries, then populated places, then subdivisions (a bare
# "Kharkiv" is the city; the oblast needs "region"/"oblast" next to it).
SOURCE_RANK = {"curated": 0, "country": 1, "geonames": 2, "user": 3, "region": 4, "derived": 5}


@dataclass(frozen=True)
class GazEntry:
    key: str                     # unique: "gn:706483", "cc:UA", "iso:UA-63", "cur:azovstal"
    name: str                    # display name as the source writes it
    kind: str                    # one of KINDS
    lat: float | None
    lon: float | None
    geonameid: int | None
    country_code: str | None
    precision: str | None        # exact | city | region | country
    population: int = 0
    source: str = "geonames"     # curated | country | geonames | region | user | derived
    parent: str | None = None    # curated: the city (or region) it lies in, as a name
