"""Scores of fogwatch's events and places on public annotated corpora (read where they lie, nothing copied).

- ``muc4``: MUC-4 answer keys (TST4 in original casing, or TST3+TST4 upper case): document-level incident
  detection P/R/F1; on detected relevant documents, location and date accuracy; perpetrator and target
  role-filler recall/precision by head-noun or exact match.
- ``fakes-events``: FA-KES Syrian-war articles (crowd-coded, silver): our attack mode → cause of death, our
  actor → the 7 actor classes, our location → governorate, our event date (exact / ±1 day).
- ``india-police``: IndiaPoliceEvents (Times of India, 2002): document-level ARREST and KILL by police, P/R/F1.
- ``re3d``: Dstl re3d Location entities (confidence ≥ 0.5) against our places, per-document name sets.
- ``wikievents``: WikiEvents dev: GPE/LOC/FAC mentions against our places (name sets), and KAIROS event types
  that map cleanly to ours (trigger inside our evidence span).

    python -m fogwatch.evalsets.events_places EVAL_DATA_DIR [--sample N] [--set NAME ...]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fogwatch.evalsets import Extract, extract_dict, seeded_sample, share

# Default documents per corpus: the extractor does 5-10 articles/s on this shared 2-core machine, so 150
# keeps one corpus under a minute or two while a share still moves by less than about ±4 points.
DEFAULT_SAMPLE = 150


@dataclass(frozen=True)
class Counts:
    """True positives and the sizes of the predicted and gold sets."""

    tp_pred: int = 0  # predictions that match some gold item
    tp_gold: int = 0  # gold items matched by some prediction
    pred: int = 0
    gold: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.tp_pred + other.tp_pred,
            self.tp_gold + other.tp_gold,
            self.pred + other.pred,
            self.gold + other.gold,
        )

    def scores(self, prefix: str) -> dict[str, float]:
        p, r = share(self.tp_pred, self.pred), share(self.tp_gold, self.gold)
        f = round(2 * p * r / (p + r), 4) if p + r else 0.0
        return {f"{prefix}_precision": p, f"{prefix}_recall": r, f"{prefix}_f1": f}


# --------------------------------------------------------------------------- names and heads

_LEADING = re.compile(r"^(?:the|a|an|some|several|two|three|\d+)\s+")
_NON_WORD = re.compile(r"[^\w\s-]")
_BRACKETED = re.compile(r"\[[^\]]*\]|\([^)]*\)")
# Words after which the rest of a noun phrase is a modifier ("troops of the battalion", "men who ...").
# Heads this short keep a final "s" ("bus", "gas" are not plurals).
MIN_PLURAL_LEN = 3
_POSTMODIFIER = re.compile(r"\s(?:of|from|in|at|on|who|which|that|with|near|belonging)\s.*$")


def norm_name(text: str) -> str:
    """Lower-case, no brackets or punctuation, no leading article or count, single spaces."""
    s = _BRACKETED.sub(" ", text.casefold().replace("’", "'"))
    s = _NON_WORD.sub(" ", s.replace("'s ", " "))
    s = " ".join(s.split())
    prev = None
    while prev != s:
        prev, s = s, _LEADING.sub("", s)
    return s


def head_noun(text: str) -> str:
    """The last word of a phrase before its post-modifier: "troops of the X battalion" → "troops"."""
    s = _POSTMODIFIER.sub("", " " + norm_name(text)).strip()
    words = s.split()
    if not words:
        return ""
    head = words[-1]
    # Plural heads agree with singular ones ("guerrillas" / "an FMLN guerrilla"); "-ss" is not a plural.
    return (
        head[:-1] if len(head) > MIN_PLURAL_LEN and head.endswith("s") and not head.endswith("ss") else head
    )


def names_match(ours: str, gold: str) -> bool:
    """Exact (normalised) or head-noun agreement, the MUC/GTT convention for role fillers."""
    a, b = norm_name(ours), norm_name(gold)
    if not a or not b:
        return False
    return a == b or head_noun(a) == head_noun(b)


def _set_counts(ours: Iterable[str], gold: Iterable[str]) -> Counts:
    """Per-document name sets (normalised): each name found on the other side counts once."""
    o = {norm_name(x) for x in ours} - {""}
    g = {norm_name(x) for x in gold} - {""}
    hit = o & g
    return Counts(len(hit), len(hit), len(o), len(g))


# --------------------------------------------------------------------------- MUC-4

# Our event types for a violent incident: they stand for a MUC-4 incident (ATTACK, BOMBING, ARSON,
# KIDNAPPING, ...), a police use of force, a CAMEO material conflict. "arrest" is left out: MUC counts a
# kidnapping by insurgents, but an arrest by the state is not terrorism.
ATTACK_TYPES = frozenset({"attack", "raid", "siege"})
# Our modalities that assert an incident; denied or hypothetical events are not reports of one.
ASSERTED_MODALITIES = frozenset({"asserted", "background"})
# MUC slots → our event role.
MUC_ACTOR_SLOTS = ("PERP: INDIVIDUAL ID", "PERP: ORGANIZATION ID")
MUC_TARGET_SLOTS = ("PHYS TGT: ID", "HUM TGT: NAME", "HUM TGT: DESCRIPTION")
# "- 23 AUG 88" means on or before that day; the MUC guidelines give no lower bound, so an event
# date up to a month earlier is accepted (the TST keys' open ranges cover days, rarely weeks).
OPEN_RANGE_DAYS = 31
_MUC_DATE = re.compile(r"(\d{1,2}) ([A-Z]{3}) (\d{2})")
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), start=1
    )
}
_DATELINE = re.compile(r"^\s*[^\n,]{1,60},\s*(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{2})\b")
_QUOTED = re.compile(r'"([^"]*)"')
_LOCATION_KIND = re.compile(r"\s*\([A-Z ]+\)\s*$")


def _muc_day(day: str, month: str, year: str) -> dt.date | None:
    m = _MONTHS.get(month.upper())
    if m is None:
        return None
    try:
        return dt.date(1900 + int(year), m, int(day))
    except ValueError:
        return None


def muc_dateline(text: str) -> dt.date | None:
    """The date of an FBIS dateline ("San Salvador, 25 Aug 88 (...) --"): the report's own date."""
    m = _DATELINE.match(text)
    return _muc_day(*m.groups()) if m else None


def muc_date_ranges(values: Iterable[str]) -> list[tuple[dt.date, dt.date]]:
    """Accepted (first, last) day ranges of an ``INCIDENT: DATE`` slot (alternatives, ranges, open ranges)."""
    out = []
    for value in values:
        for alt in value.split(" / "):
            alt = alt.strip().strip("()").strip()
            days = [_muc_day(*m.groups()) for m in _MUC_DATE.finditer(alt)]
            days = [d for d in days if d]
            if not days:
                continue
            if alt.startswith("-"):
                out.append((days[0] - dt.timedelta(days=OPEN_RANGE_DAYS), days[0]))
            elif len(days) >= 2:
                out.append((days[0], days[1]))
            else:
                out.append((days[0], days[0]))
    return out


def muc_locations(values: Iterable[str]) -> tuple[set[str], set[str]]:
    """(most specific place of each alternative, every named level) of an ``INCIDENT: LOCATION`` slot."""
    specific: set[str] = set()
    every: set[str] = set()
    for value in values:
        for alt in value.split(" / "):
            alt = alt.strip()
            if alt.startswith("(") and alt.endswith(")"):
                alt = alt[1:-1]
            parts = [_LOCATION_KIND.sub("", p).strip().strip("?").strip() for p in alt.split(":")]
            parts = [norm_name(p) for p in parts if p and p != "*"]
            if parts:
                specific.add(parts[-1])
                every.update(parts)
    return specific, every


def muc_fillers(values: Iterable[str]) -> list[tuple[str, ...]]:
    """Each entity of a string-fill slot as its alternative mentions ('"A" / "B"', '"CORPORAL": "X"')."""
    out = []
    for value in values:
        alts = tuple(m.strip() for m in _QUOTED.findall(value) if m.strip())
        if alts:
            out.append(alts)
    return out


def muc_relevant(template: dict[str, Any]) -> bool:
    """A template that reports an incident (``MESSAGE: TEMPLATE`` is a number, possibly optional)."""
    return any(v.strip() != "*" for v in template.get("MESSAGE: TEMPLATE", []))


def _incident_events(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in record["events"] if e["type"] in ATTACK_TYPES and e["modality"] in ASSERTED_MODALITIES]


def _role_counts(events: list[dict[str, Any]], role: str, gold: list[tuple[str, ...]]) -> Counts:
    ours = [e[role] for e in events if e.get(role)]
    tp_gold = sum(any(names_match(o, g) for o in ours for g in alts) for alts in gold)
    tp_pred = sum(any(names_match(o, g) for alts in gold for g in alts) for o in ours)
    return Counts(tp_pred, tp_gold, len(ours), len(gold))


def _muc_documents(folder: Path, mixed_case: bool) -> dict[str, str]:
    docs = {}
    with (folder / "documents.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if mixed_case and d.get("text_mixed_case"):
                docs[d["doc_id"]] = d["text_mixed_case"]
            elif not mixed_case and d["set"] in ("tst3", "tst4"):
                docs[d["doc_id"]] = d["text"]
    return docs


def score_muc4(
    root: Path, sample: int | None, extract: Extract, *, mixed_case: bool = True
) -> dict[str, Any]:
    folder = root / "muc4"
    docs = _muc_documents(folder, mixed_case)
    templates: dict[str, list[dict[str, Any]]] = {}
    with (folder / "templates.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            t = json.loads(line)
            if t["doc_id"] in docs and muc_relevant(t):
                templates.setdefault(t["doc_id"], []).append(t)
    ids = seeded_sample(sorted(docs), sample)
    detect = Counts()
    loc_specific = loc_any = date_ok = date_judged = loc_judged = loc_given = date_given = 0
    actors = targets = Counts()
    for doc_id in ids:
        text = docs[doc_id]
        record = extract(text, muc_dateline(text))
        events = _incident_events(record)
        gold = templates.get(doc_id, [])
        hit = int(bool(events) and bool(gold))
        detect += Counts(hit, hit, int(bool(events)), int(bool(gold)))
        if not hit:
            continue
        specific: set[str] = set()
        every: set[str] = set()
        ranges: list[tuple[dt.date, dt.date]] = []
        actor_gold: list[tuple[str, ...]] = []
        target_gold: list[tuple[str, ...]] = []
        for t in gold:
            s, e = muc_locations(t.get("INCIDENT: LOCATION", []))
            specific |= s
            every |= e
            ranges += muc_date_ranges(t.get("INCIDENT: DATE", []))
            actor_gold += [f for slot in MUC_ACTOR_SLOTS for f in muc_fillers(t.get(slot, []))]
            target_gold += [f for slot in MUC_TARGET_SLOTS for f in muc_fillers(t.get(slot, []))]
        ours_loc = {norm_name(e["location"]) for e in events if e.get("location")}
        if specific:
            loc_judged += 1
            loc_given += bool(ours_loc)
            loc_specific += bool(ours_loc & specific)
            loc_any += bool(ours_loc & every)
        if ranges:
            date_judged += 1
            ours_dates = [dt.date.fromisoformat(e["date"]) for e in events if e.get("date")]
            date_given += bool(ours_dates)
            date_ok += any(a <= d <= b for d in ours_dates for a, b in ranges)
        actors += _role_counts(events, "actor", actor_gold)
        targets += _role_counts(events, "target", target_gold)
    return {
        "documents": len(ids),
        "text": "mixed-case TST4" if mixed_case else "upper-case TST3+TST4",
        **detect.scores("incident"),
        "location_accuracy_specific": share(loc_specific, loc_judged),
        "location_accuracy_any_level": share(loc_any, loc_judged),
        "location_given": share(loc_given, loc_judged),
        "date_accuracy": share(date_ok, date_judged),
        "date_given": share(date_given, date_judged),
        "matched_documents": detect.tp_gold,
        **actors.scores("perpetrator"),
        **targets.scores("target"),
    }


def score_muc4_upper(root: Path, sample: int | None, extract: Extract) -> dict[str, Any]:
    return score_muc4(root, sample, extract, mixed_case=False)


# --------------------------------------------------------------------------- FA-KES events

# Our attack mode → FA-KES cause_of_death. FA-KES "shelling" covers air and artillery strikes alike;
# it has no drone/fire class and we have no chemical or execution mode, so those never agree.
FAKES_CAUSE_OF_MODE = {
    "airstrike": "shelling",
    "shelling": "shelling",
    "missile": "shelling",
    "drone": "shelling",
    "explosive": "explosion",
    "gunfire": "shooting",
    "ground_assault": "shooting",
}
# Words of our actor string (or actor id) → FA-KES actor class; the first class with a word in the actor wins.
FAKES_ACTOR_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "the organization of the islamic state in iraq and the levant - isis",
        ("islamic state", "isis", "isil", "daesh", "daish", "is militants", "is fighters"),
    ),
    ("al-nusra front", ("nusra", "fateh al-sham", "tahrir al-sham", "hts")),
    (
        "international coalition forces",
        ("coalition", "us-led", "u.s.-led", "american", " us ", "u.s.", "french", "british"),
    ),
    ("self administration forces", ("sdf", "ypg", "kurdish", "syrian democratic forces", "pyd")),
    (
        "armed opposition groups",
        (
            "rebel",
            "opposition",
            "fsa",
            "free syrian army",
            "insurgent",
            "militant",
            "terrorist",
            "jaish",
            "ahrar",
        ),
    ),
    (
        "syrian government or russian troops",
        (
            "syrian army",
            "government",
            "regime",
            "assad",
            "russian",
            "russia",
            "syrian air",
            "syrian forces",
            "syrian troops",
            "warplane",
            "jets",
            "sana",
            "army",
            "hezbollah",
            "pro-government",
            "loyalist",
        ),
    ),
)
# FA-KES governorate → ISO 3166-2 code in resources/gazetteer/regions.tsv (its point is the capital city).
# Rif Dimashq has no point there; FA-KES files it under "damascus" anyway.
FAKES_GOVERNORATES = {
    "aleppo": "SY-HL",
    "damascus": "SY-DI",
    "idlib": "SY-ID",
    "deir ezzor": "SY-DY",
    "raqqa": "SY-RA",
    "homs": "SY-HI",
    "hasakeh": "SY-HA",
    "hama": "SY-HM",
    "daraa": "SY-DR",
    "lattakia": "SY-LA",
    "quneitra": "SY-QU",
    "tartous": "SY-TA",
    "suwayda": "SY-SU",
}
# Several FA-KES articles begin with their own date ("Wed 05 Apr 2017 ..."): that is the publication date.
_LEADING_DATE = re.compile(r"^\W*(?:[A-Z][a-z]{2}\s+)?(\d{1,2}\s+[A-Z][a-z]{2,8}\s+\d{4})\b")


def fakes_actor_class(actor: str | None) -> str | None:
    """Our actor string → one of FA-KES's actor classes, or None."""
    if not actor:
        return None
    low = f" {actor.casefold()} "
    for label, words in FAKES_ACTOR_WORDS:
        if any(w in low for w in words):
            return label
    return None


def _governorate_points() -> dict[str, tuple[float, float]]:
    from importlib import resources

    text = (
        resources.files("fogwatch")
        .joinpath("resources", "gazetteer", "regions.tsv")
        .read_text(encoding="utf-8")
    )
    by_code = {}
    for line in text.splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) == 7 and cols[5]:
            by_code[cols[0]] = (float(cols[5]), float(cols[6]))
    return {gov: by_code[code] for gov, code in FAKES_GOVERNORATES.items() if code in by_code}


def nearest_governorate(lat: float, lon: float, points: dict[str, tuple[float, float]]) -> str:
    """The governorate whose capital is nearest (a stand-in for a polygon test; fine for towns near one)."""
    return min(
        points,
        key=lambda g: math.hypot(points[g][0] - lat, (points[g][1] - lon) * math.cos(math.radians(lat))),
    )


def _fakes_published(text: str) -> dt.date | None:
    m = _LEADING_DATE.match(text)
    if not m:
        return None
    for fmt in ("%d %b %Y", "%d %B %Y"):
        try:
            return dt.datetime.strptime(m.group(1), fmt).date()
        except ValueError:
            continue
    return None


def _fakes_place(record: dict[str, Any], events: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The place of our first located attack, else the first Syrian place below country level."""
    syrian = [
        p
        for p in record["places"]
        if p.get("country_code") == "SY" and p.get("lat") is not None and p.get("kind") != "country"
    ]
    for e in events:
        if e.get("location"):
            for p in syrian:
                if norm_name(p["name"]) == norm_name(e["location"]) or norm_name(p["text"]) == norm_name(
                    e["location"]
                ):
                    return p
    return syrian[0] if syrian else None


def score_fakes_events(root: Path, sample: int | None, extract: Extract) -> dict[str, Any]:
    path = root / "fa-kes-syria" / "fakes.csv"
    with path.open(encoding="latin-1", newline="") as fh:
        rows = seeded_sample(list(csv.DictReader(fh)), sample)
    points = _governorate_points()
    mode_ok = mode_n = actor_ok = actor_n = actor_gold = gov_ok = gov_n = 0
    date_exact = date_near = date_n = with_attack = 0
    for row in rows:
        text = row["article_content"]
        record = extract(text, _fakes_published(text))
        events = [
            e for e in record["events"] if e["type"] == "attack" and e["modality"] in ASSERTED_MODALITIES
        ]
        with_attack += bool(events)
        gold_cause = row["cause_of_death"]
        ours_cause = next(
            (FAKES_CAUSE_OF_MODE[e["mode"]] for e in events if e.get("mode") in FAKES_CAUSE_OF_MODE), None
        )
        if gold_cause != "unknown" and ours_cause:
            mode_n += 1
            mode_ok += ours_cause == gold_cause
        if row["actor"] != "unknown":
            actor_gold += 1
            ours_actor = next((c for e in events if (c := fakes_actor_class(e.get("actor")))), None)
            if ours_actor:
                actor_n += 1
                actor_ok += ours_actor == row["actor"]
        place = _fakes_place(record, events)
        if place is not None and row["location"] in points:
            gov_n += 1
            gov_ok += nearest_governorate(place["lat"], place["lon"], points) == row["location"]
        ours_dates = [dt.date.fromisoformat(e["date"]) for e in events if e.get("date")]
        try:
            gold_date = dt.datetime.strptime(row["date"], "%m/%d/%y").date()
        except ValueError:
            gold_date = None
        if ours_dates and gold_date:
            date_n += 1
            date_exact += ours_dates[0] == gold_date
            date_near += abs((ours_dates[0] - gold_date).days) <= 1
    return {
        "articles": len(rows),
        "with_attack_event": share(with_attack, len(rows)),
        "cause_accuracy": share(mode_ok, mode_n),
        "cause_judged": mode_n,
        "actor_accuracy": share(actor_ok, actor_n),
        "actor_judged": actor_n,
        "actor_coverage": share(actor_n, actor_gold),
        "governorate_accuracy": share(gov_ok, gov_n),
        "governorate_judged": gov_n,
        "date_exact_accuracy": share(date_exact, date_n),
        "date_within_1day_accuracy": share(date_near, date_n),
        "date_judged": date_n,
    }


# --------------------------------------------------------------------------- IndiaPoliceEvents

# Actor words that make an event the police's: the corpus asks about "police", and its annotators counted
# the state's police units (RAF, SRP, CRPF are armed police forces in India) but not mobs or the army.
POLICE_WORDS = (
    "police",
    "policemen",
    "cop",
    "cops",
    "constable",
    "constables",
    "rapid action force",
    "raf",
    "srp",
    "crpf",
    "state reserve police",
    "inspector",
    "sub-inspector",
    "commissioner",
)
_WORD = re.compile(r"[\w-]+")
_KILL_WORDS = re.compile(
    r"\b(?:kill|killed|killing|shot dead|gunned down|died in police firing)\b", re.IGNORECASE
)


# A UTF-8 lead byte read as cp1252 (Â-ô) followed by 1-3 continuation bytes read as cp1252 or latin-1.
_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013-\u2122\ufffd]{1,3}"
)
# A byte cp1252 leaves undefined became U+FFFD on the way; after "â€" the only one in use is 0x9d (”).
_LOST_BYTE = 0x9D


def _unmangle(match: re.Match[str]) -> str:
    raw = bytearray()
    for ch in match.group():
        if ch == "\ufffd":
            raw.append(_LOST_BYTE)
            continue
        try:
            raw += ch.encode("cp1252")
        except UnicodeEncodeError:
            raw += ch.encode("latin-1")  # bytes cp1252 leaves undefined (0x81, 0x8d, 0x8f, 0x90, 0x9d)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return match.group()


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 read as cp1252 (â€œ → “), piece by piece; anything else is left as it is."""
    return _MOJIBAKE.sub(_unmangle, text)


def is_police(actor: str | None) -> bool:
    if not actor:
        return False
    low = actor.casefold()
    words = set(_WORD.findall(low))
    return any((w in words) if " " not in w else (w in low) for w in POLICE_WORDS)


def india_predictions(record: dict[str, Any]) -> set[str]:
    """Document labels we predict: ARREST (a police or unattributed arrest), KILL (a police attack that kills)."""
    out = set()
    for e in record["events"]:
        if e["modality"] not in ASSERTED_MODALITIES:
            continue
        if e["type"] == "arrest" and (e.get("actor") is None or is_police(e.get("actor"))):
            out.add("ARREST")
        if e["type"] in ATTACK_TYPES and is_police(e.get("actor")):
            killed = any(record["figures"][i]["metric"] == "killed" for i in e.get("figures", ()))
            if killed or _KILL_WORDS.search(e["text"]):
                out.add("KILL")
    return out


def score_india_police(root: Path, sample: int | None, extract: Extract) -> dict[str, Any]:
    folder = root / "india-police-events"
    dates = {}
    with (folder / "metadata.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            m = json.loads(line)
            dates[m["doc_id"]] = m.get("date")
    with (folder / "docs.jsonl").open(encoding="utf-8") as fh:
        docs = seeded_sample([json.loads(line) for line in fh], sample)
    counts = {"ARREST": Counts(), "KILL": Counts()}
    for d in docs:
        published = dt.date.fromisoformat(dates[d["doc_id"]]) if dates.get(d["doc_id"]) else None
        ours = india_predictions(extract(fix_mojibake(d["doc_text"]), published))
        gold = set(d["doc_labels"])
        for label in counts:
            hit = int(label in ours and label in gold)
            counts[label] += Counts(hit, hit, int(label in ours), int(label in gold))
    return {
        "documents": len(docs),
        **counts["ARREST"].scores("arrest"),
        "arrest_gold": counts["ARREST"].gold,
        **counts["KILL"].scores("kill"),
        "kill_gold": counts["KILL"].gold,
    }


# --------------------------------------------------------------------------- re3d places

# The crowd/IBCC posterior above which an re3d entity row is gold (the corpus README's advice).
RE3D_MIN_CONFIDENCE = 0.5


def _jsonlines(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8-sig") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def re3d_documents(root: Path) -> list[tuple[str, list[str]]]:
    """(text, gold Location names) for each re3d document."""
    folder = root / "re3d"
    out = []
    for part in sorted(p for p in folder.iterdir() if p.is_dir()):
        locations: dict[str, list[str]] = {}
        for ent in _jsonlines(part / "entities.json"):
            if ent["type"] == "Location" and float(ent.get("confidence", 0)) >= RE3D_MIN_CONFIDENCE:
                locations.setdefault(ent["documentId"], []).append(ent["value"])
        for doc in _jsonlines(part / "documents.json"):
            out.append((doc["text"], locations.get(doc["_id"], [])))
    return out


def _place_names(record: dict[str, Any]) -> list[str]:
    """Our places as written in the text (the surface the gold annotates)."""
    return [p["text"] for p in record["places"]]


def _is_named(name: str) -> bool:
    return any(w[:1].isupper() for w in name.split())


def score_re3d(root: Path, sample: int | None, extract: Extract) -> dict[str, Any]:
    docs = seeded_sample(re3d_documents(root), sample)
    all_names = named = Counts()
    for text, gold in docs:
        ours = _place_names(extract(text, None))
        all_names += _set_counts(ours, gold)
        named += _set_counts(ours, [g for g in gold if _is_named(g)])
    return {"documents": len(docs), **all_names.scores("place"), **named.scores("named_place")}


# --------------------------------------------------------------------------- WikiEvents

WIKIEVENTS_PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
# KAIROS event type (prefix) → our type; only the types that map cleanly. Life.Die/Injure are outcomes, not
# events of ours (they become figures), so they are left out.
KAIROS_TO_OURS = {
    "Conflict.Attack": "attack",
    "Justice.ArrestJailDetain": "arrest",
    "Conflict.Demonstrate": "protest",
    "Contact.ThreatenCoerce": "threat",
    "Movement.Transportation.Evacuation": "evacuation",
}


def kairos_type(event_type: str) -> str | None:
    for prefix, ours in KAIROS_TO_OURS.items():
        if event_type == prefix or event_type.startswith(prefix + "."):
            return ours
    return None


def wikievents_text(doc: dict[str, Any]) -> str:
    """The document text rebuilt from its tokens at their character offsets, one newline between sentences.

    The corpus ``text`` field runs sentences together ("SyriaThe desert") while the token offsets
    assume a gap; placing tokens at their offsets keeps every gold offset valid.
    """
    tokens = [tok for sent, _ in doc["sentences"] for tok in sent]
    size = max(end for _, _, end in tokens) if tokens else 0
    chars = [" "] * size
    for token, start, end in tokens:
        chars[start:end] = token[: end - start].ljust(end - start)
    for sent, _ in doc["sentences"][1:]:
        if sent and sent[0][1] > 0 and chars[sent[0][1] - 1] == " ":
            chars[sent[0][1] - 1] = "\n"
    return "".join(chars)


def _trigger_span(doc: dict[str, Any], trigger: dict[str, Any]) -> tuple[int, int]:
    sent = doc["sentences"][trigger["sent_idx"]][0]
    flat = [tok for s, _ in doc["sentences"] for tok in s]
    # Trigger token indexes are document-level in WikiEvents; fall back to sentence-level if out of range.
    toks = (
        flat
        if trigger["end"] <= len(flat) and flat[trigger["start"]][0] == trigger["text"].split()[0]
        else sent
    )
    return toks[trigger["start"]][1], toks[trigger["end"] - 1][2]


def score_wikievents(root: Path, sample: int | None, extract: Extract) -> dict[str, Any]:
    with (root / "wikievents" / "dev.jsonl").open(encoding="utf-8") as fh:
        docs = seeded_sample([json.loads(line) for line in fh], sample)
    places = named = events = Counts()
    for doc in docs:
        text = wikievents_text(doc)
        record = extract(text, None)
        gold_places = [
            m["text"] for m in doc["entity_mentions"] if m["entity_type"] in WIKIEVENTS_PLACE_TYPES
        ]
        places += _set_counts(_place_names(record), gold_places)
        named += _set_counts(_place_names(record), [g for g in gold_places if _is_named(g)])
        gold = [
            (kairos_type(e["event_type"]), _trigger_span(doc, e["trigger"])) for e in doc["event_mentions"]
        ]
        gold = [(t, span) for t, span in gold if t]
        ours = [e for e in record["events"] if e["type"] in set(KAIROS_TO_OURS.values())]

        def agree(e: dict[str, Any], g: tuple[str | None, tuple[int, int]]) -> bool:
            return e["type"] == g[0] and e["start"] <= g[1][0] and g[1][1] <= e["end"]

        events += Counts(
            sum(any(agree(e, g) for g in gold) for e in ours),
            sum(any(agree(e, g) for e in ours) for g in gold),
            len(ours),
            len(gold),
        )
    return {
        "documents": len(docs),
        **places.scores("place"),
        **named.scores("named_place"),
        **events.scores("event"),
    }


SETS: dict[str, Callable[[Path, int | None, Extract], dict[str, Any]]] = {
    "muc4": score_muc4,
    "muc4-upper": score_muc4_upper,
    "fakes-events": score_fakes_events,
    "india-police": score_india_police,
    "re3d": score_re3d,
    "wikievents": score_wikievents,
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m fogwatch.evalsets.events_places", description=(__doc__ or "").splitlines()[0]
    )
    ap.add_argument("eval_data", type=Path, help="the eval-data folder (../shared/eval-data)")
    ap.add_argument("--sample", type=int, default=DEFAULT_SAMPLE, help="documents per corpus (0 = all)")
    ap.add_argument("--set", choices=sorted(SETS), action="append", help="score only these corpora")
    args = ap.parse_args(argv)
    sample = args.sample or None
    for name in args.set or sorted(SETS):
        try:
            result = SETS[name](args.eval_data, sample, extract_dict)
        except OSError as exc:
            sys.stderr.write(
                f"error: {name}: cannot read the corpus ({exc}); is {args.eval_data} the eval-data folder?\n"
            )
            return 2
        sys.stdout.write(json.dumps({"set": name, **result}) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
