"""The offline gazetteer: name folding, packaged lookups, GeoNames import (no spaCy model)."""

from __future__ import annotations

import sqlite3

import pytest

from fogwatch.errors import GazetteerError
from fogwatch.gazetteer import fold, get_gazetteer, import_geonames, skeleton, user_lookup
from fogwatch.gazetteer.user import geonames_kind


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Khan Younis", "Khan Yunis"),
        ("Deir al-Balah", "Deir el-Balah"),
        ("Deir al-Balah", "Dayr al Balaḩ"),
        ("Jabalia", "Jabālyā"),
        ("Ma’rib", "Marib"),
        ("Cité Soleil", "Cite Soleil"),
    ],
)
def test_spelling_variants_fold_alike(a: str, b: str) -> None:
    assert fold(a) == fold(b)


def test_fold_keeps_different_names_apart() -> None:
    assert fold("Gaza City") != fold("Gaza")
    assert fold("Rafah") != fold("Raqqa")


def test_skeleton_joins_vowel_variants() -> None:
    assert skeleton("El Fasher") == skeleton("Al-Fashir")
    assert fold("El Fasher") != fold("Al-Fashir")


def _names(entries) -> set[tuple[str, str | None]]:
    return {(e.kind, e.country_code) for e in entries}


def test_packaged_lookups_cover_conflict_places() -> None:
    gaz = get_gazetteer()
    assert ("city", "PS") in _names(gaz.lookup("Khan Younis"))
    assert ("city", "SD") in _names(gaz.lookup("Al-Fashir"))
    assert ("city", "UA") in _names(gaz.lookup("Kiev"))
    assert ("city", "YE") in _names(gaz.lookup("Hodeidah"))
    assert ("city", "HT") in _names(gaz.lookup("Port-au-Prince"))
    assert ("city", "CD") in _names(gaz.lookup("Goma"))


def test_curated_names_win_over_geonames() -> None:
    gaz = get_gazetteer()
    (gaza,) = gaz.lookup("Gaza")
    assert gaza.kind == "region" and gaza.source == "curated"
    (zamzam,) = gaz.lookup("Zamzam refugee camp")
    assert zamzam.kind == "camp" and zamzam.lat is not None


def test_regions_by_their_english_names_have_points() -> None:
    gaz = get_gazetteer()
    # ISO spells them "Amara" and "Tigrai"; GeoNames' English names find them too
    for name, cc in [("Amhara", "ET"), ("Tigray", "ET"), ("Cabo Delgado", "MZ"), ("Norte de Santander", "CO")]:
        found = [e for e in gaz.lookup(name) if e.kind == "region" and e.country_code == cc]
        assert found and found[0].lat is not None, name
    # Cabo Delgado is placed among its towns in northern Mozambique, not at random
    [cabo] = [e for e in gaz.lookup("Cabo Delgado") if e.kind == "region"]
    assert -14.0 < cabo.lat < -10.0 and 38.0 < cabo.lon < 41.0
    # a name made only of direction words is no region of its own
    assert not [e for e in gaz.lookup("Southern") if e.kind == "region"]


def test_countries_have_points_and_short_names() -> None:
    gaz = get_gazetteer()
    (drc,) = gaz.lookup("DRC")
    assert drc.kind == "country" and drc.country_code == "CD" and drc.lat is not None
    (burma,) = gaz.lookup("Burma")
    assert burma.country_code == "MM"
    # abbreviations only as written: the pronoun "us" is not the United States
    assert all(e.kind != "country" for e in gaz.lookup("us"))
    (chad,) = gaz.lookup("Chad")
    assert chad.lat is not None  # placed at its capital when no curated point


def test_ambiguous_names_keep_every_candidate() -> None:
    codes = {e.country_code for e in get_gazetteer().lookup("Rafah")}
    assert {"PS", "EG"} <= codes


GEONAMES_ROWS = [
    # geonameid name asciiname alternates lat lon fclass fcode cc cc2 admin1 admin2 admin3 admin4 pop elev dem tz date
    ["9000001", "Umm Qurayn", "Umm Qurayn", "Um Gurein,Umm Gurain", "13.1", "24.9", "P", "PPL", "SD", "", "55",
     "", "", "", "800", "", "700", "Africa/Khartoum", "2024-01-01"],
    ["9000002", "Kibati Camp", "Kibati Camp", "", "-1.55", "29.27", "S", "CMPRF", "CD", "", "", "", "", "",
     "0", "", "1600", "Africa/Lubumbashi", "2024-01-01"],
    ["9000003", "Wadi Zawr", "Wadi Zawr", "", "15.0", "44.0", "H", "WAD", "YE", "", "", "", "", "", "0", "",
     "1500", "Asia/Aden", "2024-01-01"],
]


def _write_dump(path, rows) -> None:
    path.write_text("".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")


def test_import_geonames_into_sqlite_and_look_up(tmp_path) -> None:
    dump = tmp_path / "SD.txt"
    _write_dump(dump, GEONAMES_ROWS)
    db = tmp_path / "gaz.db"
    assert import_geonames(dump, db) == 3
    (village,) = user_lookup("Um Gurein", db)
    assert (village.geonameid, village.kind, village.country_code) == (9000001, "city", "SD")
    assert village.lat == pytest.approx(13.1)
    (camp,) = user_lookup("Kibati Camp", db)
    assert camp.kind == "camp"
    assert user_lookup("Nowhere Town", db) == ()


def test_reimport_adds_nothing_twice(tmp_path) -> None:
    dump = tmp_path / "cities.txt"
    _write_dump(dump, GEONAMES_ROWS)
    db = tmp_path / "gaz.db"
    import_geonames(dump, db)

    def counts() -> tuple[int, int]:
        con = sqlite3.connect(db)
        try:
            return (con.execute("SELECT count(*) FROM places").fetchone()[0],
                    con.execute("SELECT count(*) FROM names").fetchone()[0])
        finally:
            con.close()

    first = counts()
    import_geonames(dump, db)
    assert counts() == first
    assert first[0] == 3


def test_import_uses_environment_path(tmp_path, monkeypatch) -> None:
    dump = tmp_path / "cities.txt"
    _write_dump(dump, GEONAMES_ROWS[:1])
    db = tmp_path / "env" / "gazetteer.db"
    monkeypatch.setenv("FOGWATCH_GAZETTEER", str(db))
    assert import_geonames(dump) == 1
    assert db.is_file()
    assert user_lookup("Umm Gurain")[0].geonameid == 9000001


def test_import_rejects_files_that_are_not_geonames(tmp_path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("just some words\nand more\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="no GeoNames rows"):
        import_geonames(bad, tmp_path / "gaz.db")
    with pytest.raises(GazetteerError, match="cannot read"):
        import_geonames(tmp_path / "missing.txt", tmp_path / "gaz.db")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\xff\xfe\x00\x81" * 100)
    with pytest.raises(GazetteerError):
        import_geonames(binary, tmp_path / "gaz.db")


@pytest.mark.parametrize(
    ("fclass", "fcode", "kind"),
    [("P", "PPLA", "city"), ("A", "ADM1", "region"), ("A", "PCLI", "country"), ("S", "HSP", "facility"),
     ("S", "CMPRF", "camp"), ("A", "ADM2", "district"), ("T", "MT", "other")],
)
def test_geonames_feature_kinds(fclass: str, fcode: str, kind: str) -> None:
    assert geonames_kind(fclass, fcode) == kind
