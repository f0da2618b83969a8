"""Contested claims: a statement paired with the denial or counter-accusation of it by another party.

A *counter* (stance deny, or accuse) answers a *claim* (stance assert or accuse; an
accusation only answers an accusation) when the speakers differ and the two are about
one thing:

- ``same_article``: the counter follows the claim in one article (a wire story's
  "X said ...; Y denied it"); the claim sharing most key terms with it, else the nearest
  one before it, is taken (a bare "denied the accusation" answers what was just said);
- ``same_event``: a denial and an accusation in articles reporting one de-duplicated event;
- ``same_article`` also pairs an accusation with the reply that blames the accuser back
  (each names the other's country: "Kyiv blamed a Russian missile" / Russia "said the
  attack was carried out by Ukraine"); an assertion whose content holds a denial cue
  (``resources/resolve/denial_cues.txt``) counts as a denial;
- ``shared_terms``: a denial and an accusation in articles at most ``CONTEST_WINDOW_DAYS``
  apart, naming places in one country, sharing at least ``MIN_SHARED_TERMS`` key terms
  (candidates come from the date window through the articles' publication-date index,
  so cost follows the news per day and country, not the size of the store).

Across articles only a denial answering an accusation is paired, once per other article:
a plain assertion ("two people were killed") is answered within its own story, and
pairing every denial with every assertion of an event buried the real pairs (116 pairs
raised for 33 planted ones on the scenario set). Speakers of one side (same country, by
their canonical actor or a country named in the speaker) never contest each other.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sqlite3
from collections.abc import Iterable
from typing import Any

import pycountry

from fogwatch.extract.actors import get_actor
from fogwatch.resolve.data import contest_stopwords, denial_cues
from fogwatch.resolve.places import fold_text
from fogwatch.resolve.reports import ID_CHUNK

# A denial answers a claim within days: an army's same-day rebuttal, a ministry's reply
# the next morning, a follow-up story two days on. Three days holds those.
CONTEST_WINDOW_DAYS = 3

# Two statements share a subject when they share at least two key terms (a place and a
# target: "hospital" and "Kharkiv"); one shared word (often a country) pairs strangers.
MIN_SHARED_TERMS = 2

# At most this many cross-article candidates are paired per statement (most shared terms first).
CANDIDATES_PER_STATEMENT = 50

# Key terms: words of at least this many letters (drops "the", "was", "its").
MIN_TERM_LETTERS = 4

CLAIM_STANCES = ("assert", "accuse")
COUNTER_STANCES = ("deny", "accuse")


# Endings stripped so "shelled" and "shelling" share the term "shell".
_SUFFIXES = ("ing", "ed", "es", "s")


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_TERM_LETTERS:
            return word[: -len(suffix)]
    return word


@functools.lru_cache(maxsize=65536)
def _terms(text: str) -> frozenset[str]:
    stop = contest_stopwords()
    return frozenset({
        _stem(w) for w in fold_text(text or "").split()
        if len(w) >= MIN_TERM_LETTERS and w not in stop and not w.isdigit()
    })


def key_terms(text: str | None) -> set[str]:
    return set(_terms(text or ""))


def _speaker(row: Any) -> str | None:
    return row["speaker_actor"] or (fold_text(row["speaker"]) if row["speaker"] else None)


@functools.lru_cache(maxsize=4096)
def _country_named(speaker: str) -> str | None:
    words = speaker.split()
    for n in (2, 1):
        for i in range(len(words) - n + 1):
            country = pycountry.countries.get(name=" ".join(words[i : i + n]))
            if country is not None:
                return str(country.alpha_2)
    return None


# Actor kinds that speak for their country's state; armed groups, NGOs and agencies of
# one country may oppose its state (the RSF and Sudan's army, the M23 and Congo's
# government), so they have no side by country.
STATE_KINDS = frozenset({"state", "military", "government", "ministry", "person"})


def side(row: Any) -> str | None:
    """The state a speaker speaks for: its state actor's country, else a country its name contains."""
    return _side(row["speaker_actor"], row["speaker"])


# Pairing within an article asks for both sides of every earlier statement against each
# counter: 65,000 calls for 1,000 new articles, of a few hundred speakers.
@functools.lru_cache(maxsize=4096)
def _side(speaker_actor: str | None, speaker: str | None) -> str | None:
    if speaker_actor:
        actor = get_actor(speaker_actor)
        if actor is not None:
            return actor.country if actor.kind in STATE_KINDS and actor.country else None
    return _country_named(fold_text(speaker)) if speaker else None


def names_speaker(counter: Any, claim: Any) -> bool:
    """Whether ``counter``'s content names ``claim``'s speaker (the accused is the claimant)."""
    speaker = [w for w in fold_text(claim["speaker"] or "").split() if len(w) >= MIN_TERM_LETTERS]
    return bool(speaker) and speaker[0] in fold_text(counter["text"]).split()


Row = dict[str, Any]


def effective_stance(row: sqlite3.Row) -> str:
    """The stance that pairs: an assertion whose content holds a denial cue is a denial."""
    stance = str(row["stance"] or "assert")
    if stance == "assert" and denial_cues() & set(fold_text(row["text"] or "").split()):
        return "deny"
    return stance


def _rows(cursor: sqlite3.Cursor) -> list[Row]:
    return [{**dict(r), "stance": effective_stance(r)} for r in cursor]


def names_side(text: str, country: str | None) -> bool:
    """Whether ``text`` names the country (or its people: "Russia", "Russian")."""
    found = pycountry.countries.get(alpha_2=country) if country else None
    if found is None:
        return False
    name = fold_text(getattr(found, "common_name", None) or found.name).split()[0]
    stem = name[: max(MIN_TERM_LETTERS, len(name) - 2)]
    return any(w.startswith(stem) for w in fold_text(text).split())


def counter_claim(claim: Row, counter: Row) -> bool:
    """An assertion answering an accusation by blaming the accuser: each names the other's side."""
    if claim["stance"] != "accuse" or counter["stance"] != "assert":
        return False
    sa, sb = side(claim), side(counter)
    return (
        sa is not None and sb is not None
        and sa != sb and names_side(claim["text"], sb) and names_side(counter["text"], sa)
    )


def answers(claim: Row, counter: Row, *, across: bool = False) -> bool:
    """Whether ``counter`` can answer ``claim``: stances that oppose, speakers of other sides.

    ``across``: the two are in different articles, where only a denial answers, and only
    an accusation.
    """
    if counter["stance"] == "assert":
        return not across and counter_claim(claim, counter)
    if counter["stance"] == "deny":
        ok = claim["stance"] == "accuse" if across else claim["stance"] in CLAIM_STANCES
    else:  # a counter-accusation, in one article: of an accuser, or of a claimant it names
        ok = not across and counter["stance"] == "accuse" and (
            claim["stance"] == "accuse" or (claim["stance"] == "assert" and names_speaker(counter, claim))
        )
    a, b = _speaker(claim), _speaker(counter)
    if not ok or a is None or b is None or a == b:
        return False
    sa, sb = side(claim), side(counter)
    return sa is None or sb is None or sa != sb


_COLUMNS = """s.id, s.article_id, s.idx, s.start, s.text, s.speaker, s.speaker_actor, s.stance,
              a.published, a.seq"""


def _clusters_of(conn: sqlite3.Connection, article_id: str) -> set[int]:
    rows = conn.execute("SELECT DISTINCT cluster_id FROM cluster_reports WHERE article_id = ?", (article_id,))
    return {int(r[0]) for r in rows}


def _window(published: str | None) -> tuple[str, str] | None:
    if not published:
        return None
    day = dt.date.fromisoformat(published)
    span = dt.timedelta(days=CONTEST_WINDOW_DAYS)
    return (day - span).isoformat(), (day + span).isoformat()


def _answering_stance(stance: str) -> str | None:
    """Across articles a denial answers an accusation and nothing else pairs."""
    return {"deny": "accuse", "accuse": "deny"}.get(stance)


# Candidate rows of one (day, countries, stance) window, shared by every statement of a
# run that asks for it: statements of one day and country ask for the same window.
WindowCache = dict[tuple[str, tuple[str, ...], str], list[Row]]


def _window_rows(conn: sqlite3.Connection, published: str, countries: tuple[str, ...], wanted: str,
                 cache: WindowCache) -> list[Row]:
    key = (published, countries, wanted)
    if key not in cache:
        window = _window(published)
        assert window is not None
        marks = ",".join("?" * len(countries))
        rows = _rows(conn.execute(
            # CROSS JOIN keeps articles the outer loop, read through the publication-date
            # index; left to itself the planner may walk statements_stance instead, which
            # reads every denial in the store for each window.
            f"""SELECT {_COLUMNS} FROM articles a CROSS JOIN statements s ON s.article_id = a.id
                WHERE a.published BETWEEN ? AND ? AND s.stance IN (?, 'assert')
                  AND EXISTS (SELECT 1 FROM places p WHERE p.article_id = a.id AND p.country_code IN ({marks}))""",
            (window[0], window[1], wanted, *countries),
        ))
        cache[key] = [r for r in rows if r["stance"] == wanted]
    return cache[key]


def _cross_article(conn: sqlite3.Connection, s: Row, terms: set[str], cache: WindowCache) -> list[Row]:
    """Answering statements of other articles published in the window, sharing key terms."""
    wanted = _answering_stance(s["stance"])
    if not s["published"] or wanted is None or len(terms) < MIN_SHARED_TERMS:
        return []
    countries = tuple(sorted(r[0] for r in conn.execute(
        "SELECT DISTINCT country_code FROM places WHERE article_id = ? AND country_code IS NOT NULL",
        (s["article_id"],),
    )))
    if not countries:
        return []
    rows = _window_rows(conn, s["published"], countries, wanted, cache)
    scored = [(len(terms & key_terms(r["text"])), r) for r in rows if r["article_id"] != s["article_id"]]
    scored = [(n, r) for n, r in scored if n >= MIN_SHARED_TERMS]
    scored.sort(key=lambda nr: (-nr[0], nr[1]["id"]))
    return [r for _, r in scored[:CANDIDATES_PER_STATEMENT]]


# Answering statements of the articles sharing a cluster with an article, per (article, stance
# wanted), shared by that article's statements within one ``update_pairs`` call (clusters and
# statements do not change during it). Without it every accusation or denial re-read and
# re-folded the same rows: 66% of a 420 s resolve of 49,108 articles (8 reports per event).
SameEventCache = dict[tuple[str, str], list[Row]]


def _same_event(conn: sqlite3.Connection, s: Row, cache: SameEventCache | None = None) -> list[Row]:
    """Statements of the other articles reporting an event ``s``'s article reports."""
    wanted = _answering_stance(s["stance"])
    if wanted is None:
        return []
    key = (str(s["article_id"]), wanted)
    if cache is not None and key in cache:
        return cache[key]
    found = _same_event_rows(conn, str(s["article_id"]), wanted)
    if cache is not None:
        cache[key] = found
    return found


def _same_event_rows(conn: sqlite3.Connection, article_id: str, wanted: str) -> list[Row]:
    clusters = _clusters_of(conn, article_id)
    if not clusters:
        return []
    marks = ",".join("?" * len(clusters))
    articles = [r[0] for r in conn.execute(
        f"SELECT DISTINCT article_id FROM cluster_reports WHERE cluster_id IN ({marks}) AND article_id != ?",
        (*clusters, article_id),
    )]
    rows: list[Row] = []
    for i in range(0, len(articles), ID_CHUNK):
        chunk = articles[i : i + ID_CHUNK]
        # "+s.stance": the stance is a filter, never the index. With more than a few ids the
        # planner would otherwise walk statements_stance, every denial in the store, per call.
        rows += _rows(conn.execute(
            f"""SELECT {_COLUMNS} FROM statements s JOIN articles a ON a.id = s.article_id
                WHERE s.article_id IN ({",".join("?" * len(chunk))}) AND +s.stance IN (?, 'assert')""",
            (*chunk, wanted),
        ))
    return [r for r in rows if r["stance"] == wanted]


def _save(conn: sqlite3.Connection, claim: Row, counter: Row, relation: str,
          reasons: dict[str, Any]) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO contested_pairs (claim_id, counter_id, relation, reasons) VALUES (?, ?, ?, ?)",
        (claim["id"], counter["id"], relation, json.dumps(reasons, ensure_ascii=False)),
    )


def _pair_in_article(conn: sqlite3.Connection, counter: Row, rows: list[Row]) -> None:
    terms = _terms(counter["text"] or "")
    best: tuple[tuple[int, int], Row, frozenset[str]] | None = None
    for claim in rows:
        if claim["idx"] >= counter["idx"] or not answers(claim, counter):
            continue
        shared = terms & _terms(claim["text"] or "")
        score = (len(shared), int(claim["idx"]))  # most shared terms, then the nearest before
        if best is None or score > best[0]:
            best = (score, claim, shared)
    if best is not None:
        _save(conn, best[1], counter, "same_article",
              {"speakers": [_speaker(best[1]), _speaker(counter)], "shared_terms": sorted(best[2])})


def _pair_across(conn: sqlite3.Connection, s: Row, cache: WindowCache, same: SameEventCache | None = None) -> None:
    if _answering_stance(s["stance"]) is None:
        return
    terms = key_terms(s["text"])
    best: dict[tuple[int, int, str], tuple[int, str, Row, Row, set[str]]] = {}

    def consider(other: Row, relation: str) -> None:
        if other["article_id"] == s["article_id"]:
            return
        shared = terms & key_terms(other["text"])
        if relation == "shared_terms" and len(shared) < MIN_SHARED_TERMS:
            return
        for claim, counter in ((other, s), (s, other)):
            if not answers(claim, counter, across=True):
                continue
            # one pair per counter and other article: the claim sharing most terms with it
            key = (int(counter["id"]), int(claim["article_id"] == s["article_id"]), str(other["article_id"]))
            if key not in best or len(shared) > best[key][0]:
                best[key] = (len(shared), relation, claim, counter, shared)

    same_event = _same_event(conn, s, same)
    for other in same_event:
        consider(other, "same_event")
    ids = {int(o["id"]) for o in same_event}
    for other in _cross_article(conn, s, terms, cache):
        if int(other["id"]) not in ids:
            consider(other, "shared_terms")
    for _, relation, claim, counter, shared in best.values():
        _save(conn, claim, counter, relation,
              {"speakers": [_speaker(claim), _speaker(counter)], "shared_terms": sorted(shared)})


def update_pairs(conn: sqlite3.Connection, article_ids: Iterable[str]) -> int:
    """Pair the statements of ``article_ids`` with claims or counters; return the pairs stored."""
    cache: WindowCache = {}
    same: SameEventCache = {}
    for article_id in article_ids:
        rows = _rows(conn.execute(
            f"""SELECT {_COLUMNS} FROM statements s JOIN articles a ON a.id = s.article_id
                WHERE s.article_id = ? ORDER BY s.idx""",
            (article_id,),
        ))
        for s in rows:
            if s["stance"] in COUNTER_STANCES or s["stance"] == "assert":
                _pair_in_article(conn, s, rows)
            _pair_across(conn, s, cache, same)
    return int(conn.execute("SELECT count(*) FROM contested_pairs").fetchone()[0])
