"""The fast paths of name lookup (issue 7) give exactly what the plain ones give.

NameReach against folding every window, the name-prefix set against the names,
the memoised lookups against their sources, the bounded caches. No spaCy model
except where marked.
"""

from __future__ import annotations

import random
import re
import sqlite3

import pytest

from fogwatch.extract import actors
from fogwatch.gazetteer import names
from fogwatch.gazetteer.entry import GazEntry
from fogwatch.gazetteer.load import (
    ALL_CAPS_NAME_MIN_LEN,
    Gazetteer,
    _best_sources,
    get_gazetteer,
    is_abbreviation,
)
from fogwatch.gazetteer.names import fold, normalise, split_words, strip_accents, words
from fogwatch.gazetteer.scan import NameReach
from fogwatch.gazetteer.user import has_user_gazetteer, import_geonames

# Own sentences: accents, curly and straight apostrophes, hyphened Arabic articles,
# possessives, capitals, digits, odd Unicode (ß, İ, final sigma, ligatures, NBSP).
TEXTS = [
    "Shelling hit Khan Younis and Deir al-Balah on Monday, while Dayr al Balaḩ stayed calm.",
    "Kharkiv's mayor said Kharkiv oblast and the city of Dnipro lost power; Kyiv’s too.",
    "In El Fasher, the RSF besieged Zamzam refugee camp near Al-Fashir, the U.S. and UK said.",
    "GAZA CITY — Jabālyā and Beit Lahia were struck; Cité Soleil in Port-au-Prince was quiet.",
    "The Hague heard Ma’rib and Ta'izz cases. Straße ΟΔΟΣ İstanbul ﬁnal Al‐Mayadin 2024 Goma.",
    "North Kivu's Rutshuru and Sake, near Goma in the Democratic Republic of Congo, emptied.",
]
_TOKEN = re.compile(r"\w+|[^\w\s]")


def _spans(text: str) -> tuple[list[int], list[int]]:
    found = list(_TOKEN.finditer(text))
    return [m.start() for m in found], [m.end() for m in found]


def test_normalise_works_character_by_character() -> None:
    for text in TEXTS:
        assert normalise(text) == "".join(normalise(c) for c in text)
        for cut in range(len(text) + 1):
            assert normalise(text[:cut]) + normalise(text[cut:]) == normalise(text)


def test_normalise_ascii_fast_path_matches_the_general_rule() -> None:
    rng = random.Random(7)
    alphabet = [chr(c) for c in range(32, 127)]
    general = re.compile(r"[\u2018\u2019\u02bb\u02bc\u02be\u02bf\u0060\u00b4'`‘’ʿʾ]")
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert normalise(text) == general.sub("", text.casefold())
    assert strip_accents("Dayr al Balaḩ") == "Dayr al Balah"


def test_words_are_the_split_normalised_text() -> None:
    for text in TEXTS:
        assert words(text) == tuple(split_words(normalise(text)))


def test_name_ends_are_exactly_the_windows_that_fold_to_a_name() -> None:
    gaz = get_gazetteer()
    indexed = gaz.folded_names()
    hits = 0
    for text in TEXTS:
        starts, ends = _spans(text)
        reach = NameReach(gaz, text, starts, ends)
        for first in range(len(starts)):
            for limit in range(first + 1, min(len(starts), first + 9) + 1):
                expected = [j for j in range(first + 1, limit + 1) if fold(text[starts[first]:ends[j - 1]]) in indexed]
                assert reach.name_ends(first, limit) == expected, text[starts[first]:ends[limit - 1]]
                hits += len(expected)
    assert hits > 20  # the texts do name places


def _lookup_plainly(gaz: Gazetteer, name: str) -> tuple[GazEntry, ...]:
    """Gazetteer.lookup without its shortcuts: as written for abbreviations, else folded."""
    if is_abbreviation(name):
        exact = gaz._exact.get(name)
        if exact or len(name) < ALL_CAPS_NAME_MIN_LEN:
            return tuple(exact or ())
    return _best_sources(gaz._by_fold.get(fold(name), ()))


def test_lookup_shortcuts_change_no_answer() -> None:
    gaz = get_gazetteer()
    found = 0
    for text in TEXTS:
        starts, ends = _spans(text)
        for first in range(len(starts)):
            for last in range(first, min(len(starts), first + 6)):
                name = text[starts[first]:ends[last]]
                assert gaz.lookup(name) == _lookup_plainly(gaz, name), name
                found += bool(gaz.lookup(name))
    assert found > 20


def test_name_prefixes_are_the_leading_words_of_names() -> None:
    gaz = get_gazetteer()
    prefixes = gaz.name_prefixes()
    for key in list(gaz.folded_names())[::97]:
        parts = key.split(" ")
        assert all(" ".join(parts[:k]) in prefixes for k in range(len(parts) + 1))
    assert fold("Deir al-Balah").split(" ")[0] in prefixes
    assert "israili military" not in prefixes


def test_exact_names_are_the_abbreviations_lookup_answers_as_written() -> None:
    gaz = get_gazetteer()
    assert gaz.is_exact_name("US") and gaz.lookup("US")
    assert not gaz.is_exact_name("us") and not gaz.is_exact_name("Gaza")
    assert gaz.longest_exact_name() >= len("U.S.")


def _entry(key: str, source: str) -> GazEntry:
    return GazEntry(key=key, name="Tiny", kind="city", lat=1.0, lon=2.0, geonameid=None, country_code="XX",
                    precision="exact", source=source)


def test_memoised_lookup_follows_names_added_later() -> None:
    gaz = Gazetteer()
    town = _entry("gn:1", "geonames")
    gaz.add(town, ["Tiny Town"])
    assert gaz.lookup("Tiny Town") == (town,)
    assert gaz.name_prefixes() == {"", fold("Tiny"), fold("Tiny Town")}
    curated = _entry("cur:tiny", "curated")
    gaz.add(curated, ["Tiny Town", "Tiny Bay Town"])
    assert gaz.lookup("Tiny Town") == (curated,)  # the stronger source, not the remembered answer
    assert fold("Tiny Bay") in gaz.name_prefixes()
    assert gaz.lookup("Tiny Town") == _best_sources(gaz._by_fold[fold("Tiny Town")])


def test_caches_are_bounded() -> None:
    assert names.respell.cache_info().maxsize == names.RESPELL_CACHE_WORDS
    assert actors._canonical.cache_info().maxsize == actors.ACTOR_CACHE_MENTIONS


def _subset_by_scan(key: str, idx: actors._Index) -> str | None:
    """Stage 4 of canonical_actor the plain way: every alias of the table tried."""
    mention = frozenset(key.split())
    best_len, best_ids = 0, set()
    for parts, n, aid in idx.by_words:
        if n < best_len or not parts <= mention or parts <= actors._GENERIC:
            continue
        if n == 1 and idx.actors[aid].kind in actors._PLACE_NAMED_KINDS:
            continue
        if n > best_len:
            best_len, best_ids = n, {aid}
        else:
            best_ids.add(aid)
    return best_ids.pop() if len(best_ids) == 1 else None


def test_actor_word_index_finds_what_a_full_scan_finds() -> None:
    idx = actors._index()
    vocabulary = sorted({w for parts, _n, _aid in idx.by_words for w in parts})
    rng = random.Random(11)
    mentions = [" ".join(sorted(parts)) for parts, _n, _aid in idx.by_words]
    mentions += [" ".join(rng.sample(vocabulary, rng.randint(1, 5))) for _ in range(500)]
    decided = 0
    for key in mentions:
        assert actors._subset_match(key, idx) == _subset_by_scan(key, idx), key
        decided += actors._subset_match(key, idx) is not None
    assert decided > 10


def test_user_gazetteer_presence_follows_the_setting(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("FOGWATCH_GAZETTEER", str(tmp_path / "absent.db"))
    assert not has_user_gazetteer()
    dump = tmp_path / "XX.txt"
    row = ["9000002", "Tiny Town", "Tiny Town", "", "1.0", "2.0", "P", "PPL", "XX", "", "", "", "", "", "10"]
    dump.write_text("\t".join(row) + "\n", encoding="utf-8")
    db = tmp_path / "gaz.db"
    monkeypatch.setenv("FOGWATCH_GAZETTEER", str(db))
    import_geonames(dump)
    assert has_user_gazetteer()
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM places").fetchone() == (1,)


@pytest.mark.model
def test_token_view_matches_spacy_tokens() -> None:
    from fogwatch.extract.places import _tokens
    from fogwatch.nlp import parse

    doc = parse(" ".join(TEXTS) + "\n\nKYIV, Ukraine (AP) — Russia’s strikes on Kharkiv  continued.")
    toks = _tokens(doc)
    for k, t in enumerate(doc):
        assert (toks.text[k], toks.lower[k], toks.pos(k), toks.tag(k), toks.idx[k]) == \
            (t.text, t.lower_, t.pos_, t.tag_, t.idx)
        assert (bool(toks.is_alpha[k]), bool(toks.is_punct[k]), bool(toks.is_space[k]), bool(toks.spaced[k])) == \
            (t.is_alpha, t.is_punct, t.is_space, t.whitespace_ == " ")
        assert toks.sent_start[k] == bool(t.is_sent_start)
    for a in range(0, len(doc), 3):
        for b in range(a, min(len(doc), a + 8) + 1):
            assert toks.span_text(a, b) == doc[a:b].text


def test_word_cache_gives_the_store_strings_and_stays_bounded(monkeypatch) -> None:
    from spacy.strings import StringStore

    from fogwatch.extract import places

    store = StringStore()
    batches = [[store.add(f"word{b}-{k}") for k in range(5)] for b in range(6)]
    monkeypatch.setattr(places, "WORD_CACHE_SIZE", 8)
    for hashes in batches:
        assert places._strings_of(store, hashes) == [store[h] for h in hashes]
        assert places._strings_of(store, hashes) == [store[h] for h in hashes]  # now from the cache
        assert len(places._words_by_hash) <= 8 + len(hashes)


def test_scan_memo_is_bounded_and_forgotten_when_names_are_added(monkeypatch) -> None:
    from fogwatch.gazetteer import scan

    monkeypatch.setattr(scan, "SCAN_MEMO_STEPS", 5)
    gaz = Gazetteer()
    gaz.add(_entry("gn:1", "geonames"), ["Tiny Town"])
    text = "In Tiny Town and Tiny Bay Town today"
    starts, ends = _spans(text)
    reach = NameReach(gaz, text, starts, ends)
    assert reach.name_ends(1, 3) == [3]
    for first in range(len(starts)):
        reach.name_ends(first, len(starts))
        assert len(gaz.scan_memo()) <= 5 + len(starts)  # emptied before a call once past the bound
    assert reach.name_ends(4, 8) == []
    gaz.add(_entry("cur:tiny", "curated"), ["Tiny Bay Town"])
    assert gaz.scan_memo() == {}
    assert NameReach(gaz, text, starts, ends).name_ends(4, 8) == [7]
