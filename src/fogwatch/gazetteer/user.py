"""A user gazetteer: a full GeoNames dump imported into SQLite for every village.

``import_geonames(path, dest=None)`` reads a GeoNames dump in its tab-separated
format (allCountries.txt, cities500.txt, a country file such as SD.txt) and
writes the places into a SQLite file: ``dest``, else ``$FOGWATCH_GAZETTEER``,
else ``~/.local/share/fogwatch/gazetteer.db``. Place resolution consults that
file (read-only) for names the packaged gazetteer does not know.
"""

from __future__ import annotations

import functools
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from fogwatch.errors import GazetteerError
from fogwatch.gazetteer.entry import GazEntry
from fogwatch.gazetteer.names import fold

ENV_VAR = "FOGWATCH_GAZETTEER"
DEFAULT_PATH = Path("~/.local/share/fogwatch/gazetteer.db")
# GeoNames' main table has 19 columns; the first 15 (to population) are needed.
MIN_COLUMNS = 15
# Rows written per transaction: allCountries.txt has 12 million lines.
BATCH_ROWS = 20_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS places (
    geonameid INTEGER PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,
    lat REAL NOT NULL, lon REAL NOT NULL, country_code TEXT, feature_code TEXT,
    population INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS names (key TEXT NOT NULL, geonameid INTEGER NOT NULL, UNIQUE (key, geonameid));
CREATE INDEX IF NOT EXISTS names_key ON names (key);
"""

# GeoNames feature codes → fogwatch place kinds (feature class decides the rest).
_FACILITY_CODES = ("HSP", "SCH", "UNIV", "AIRP", "AIRB", "AIRF", "PRT", "BDG", "DAM", "PS", "PRN", "MKT",
                   "MSQE", "CH", "INSM", "STDM", "MFG", "OILR", "CSTM", "BLDG")


def geonames_kind(feature_class: str, feature_code: str) -> str:
    """The fogwatch kind of a GeoNames feature ("P"/"PPLA" → city, "A"/"ADM1" → region...)."""
    if feature_class == "A":
        if feature_code.startswith("PCL"):
            return "country"
        return "region" if feature_code == "ADM1" else "district"
    if feature_class == "P":
        return "district" if feature_code == "PPLX" else "city"
    if feature_code == "CMPRF" or feature_code.startswith("CMP"):
        return "camp"
    if feature_class == "S" and feature_code.startswith(_FACILITY_CODES):
        return "facility"
    if feature_class == "L" and feature_code in ("RGN", "AREA", "TERR"):
        return "region"
    return "other"


def default_path() -> Path:
    return Path(_path_text(os.environ.get(ENV_VAR), os.environ.get("HOME")))


# Distinct (setting, home) pairs remembered: a process sees one or two.
_PATH_CACHE_SIZE = 8


@functools.lru_cache(maxsize=_PATH_CACHE_SIZE)
def _path_text(setting: str | None, home: str | None) -> str:
    """The user gazetteer's path for this $FOGWATCH_GAZETTEER and $HOME (``~`` expands to $HOME)."""
    return str(Path(setting or DEFAULT_PATH).expanduser())


def _rows(path: Path) -> Iterator[tuple]:
    try:
        f = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise GazetteerError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    with f:
        try:
            for line in f:
                if not line.strip() or line.startswith("#"):
                    continue
                cols = line.rstrip("\r\n").split("\t")
                if len(cols) < MIN_COLUMNS:
                    continue
                try:
                    gid, lat, lon = int(cols[0]), float(cols[4]), float(cols[5])
                    pop = int(cols[14] or 0)
                except ValueError:
                    continue
                yield gid, cols[1], cols[2], cols[3], lat, lon, cols[6], cols[7], cols[8], pop
        except UnicodeDecodeError as exc:
            raise GazetteerError(f"{path}: not UTF-8 text, not a GeoNames dump") from exc


def import_geonames(path: str | os.PathLike[str], dest: str | os.PathLike[str] | None = None) -> int:
    """Load a GeoNames dump into the user gazetteer; returns the number of places written.

    Re-importing the same file replaces its rows (nothing is added twice).
    Raises GazetteerError when the file is unreadable or holds no GeoNames rows.
    """
    src = Path(path)
    target = Path(dest).expanduser() if dest is not None else default_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = sqlite3.connect(target)
    except sqlite3.Error as exc:
        raise GazetteerError(f"{target}: cannot open ({exc})") from exc
    count = 0
    try:
        con.executescript(_SCHEMA)
        batch_places: list[tuple] = []
        batch_names: list[tuple] = []
        for gid, name, ascii_name, alternates, lat, lon, fclass, fcode, cc, pop in _rows(src):
            kind = geonames_kind(fclass, fcode)
            batch_places.append((gid, name, kind, lat, lon, cc or None, fcode, pop))
            keys = {fold(n) for n in (name, ascii_name, *alternates.split(","))}
            batch_names.extend((k, gid) for k in keys if k)
            count += 1
            if len(batch_places) >= BATCH_ROWS:
                _flush(con, batch_places, batch_names)
        _flush(con, batch_places, batch_names)
    except sqlite3.Error as exc:
        raise GazetteerError(f"{target}: cannot write ({exc})") from exc
    finally:
        con.close()
    if count == 0:
        raise GazetteerError(f"{src}: no GeoNames rows (expected the tab-separated allCountries/cities format)")
    user_connection.cache_clear()
    return count


def _flush(con: sqlite3.Connection, places: list[tuple], names: list[tuple]) -> None:
    with con:
        con.executemany("DELETE FROM names WHERE geonameid = ?", [(p[0],) for p in places])
        con.executemany("INSERT OR REPLACE INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?)", places)
        con.executemany("INSERT OR IGNORE INTO names VALUES (?, ?)", names)
    places.clear()
    names.clear()


@functools.lru_cache(maxsize=4)
def user_connection(path: str) -> sqlite3.Connection | None:
    """A read-only connection to the user gazetteer at ``path``, or None when there is none."""
    if not Path(path).is_file():
        return None
    try:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    except sqlite3.Error:
        return None


def has_user_gazetteer() -> bool:
    """True when the user gazetteer at ``default_path()`` exists and opens."""
    return user_connection(_path_text(os.environ.get(ENV_VAR), os.environ.get("HOME"))) is not None


def user_lookup(name: str, path: str | os.PathLike[str] | None = None) -> tuple[GazEntry, ...]:
    """Places of the user gazetteer named ``name`` (folded); () when there is no user gazetteer."""
    con = user_connection(str(Path(path).expanduser()) if path else _path_text(os.environ.get(ENV_VAR),
                                                                                   os.environ.get("HOME")))
    if con is None:
        return ()
    key = fold(name)
    if not key:
        return ()
    try:
        rows = con.execute(
            "SELECT p.geonameid, p.name, p.kind, p.lat, p.lon, p.country_code, p.population "
            "FROM names n JOIN places p USING (geonameid) WHERE n.key = ?", (key,),
        ).fetchall()
    except sqlite3.Error:
        return ()
    return tuple(
        GazEntry(key=f"gn:{gid}", name=n, kind=kind, lat=lat, lon=lon, geonameid=gid, country_code=cc,
                 precision="country" if kind == "country" else "region" if kind == "region" else "exact",
                 population=pop or 0, source="user")
        for gid, n, kind, lat, lon, cc, pop in rows
    )
