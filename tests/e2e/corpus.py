"""A small invented corpus for the web tests, and a store built from it.

Five short plain-text articles written for these tests (not from any evaluation
set), ingested through the real pipeline and store. ``ANNOTATIONS`` is a
deterministic stand-in extractor: the items a perfect extractor would give,
located by phrase, so the tests check the web layer and not extraction quality.
One article is hostile: markup in its title and text must render as text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fogwatch.model import Article, ArticleRecord, Event, Figure, Place, Statement
from fogwatch.pipeline import IngestSummary, ingest
from fogwatch.resolve import resolve
from fogwatch.store import Store

HOSTILE_TITLE = "Attack claims <script>window.__pwned=1</script> <img src=x onerror=window.__pwned=2>"

ARTICLES: dict[str, str] = {
    "market": """date 2024-03-01
Shelling hits market in El Fasher

Shelling struck the central market in El Fasher on Thursday, killing at least 12 people, local medics said.

The health ministry said 1,200 people had been killed in the city since the siege began in May.

"We are running out of bandages and fuel," said Amina Yusuf, a nurse at the city's main hospital.
""",
    "toll": """date 2024-03-05
Death toll in besieged city rises

The health ministry said on Tuesday that 1,350 people had been killed in El Fasher since the siege began.

The rebel command put the number of its fighters killed since May at 900, a figure disputed by the army.

Aid agencies said about 40,000 people had been displaced from the city in the past month.
""",
    "hospital": """date 2024-03-09
Troops raid hospital in Khartoum

Soldiers raided the Al Noor hospital in Khartoum early on Saturday, staff said.

The army denied that the hospital had been targeted and said the compound sheltered fighters.

The health ministry said 1,310 people had been killed in El Fasher since May.
""",
    "staff": """date 2024-03-10
Staff deny fighters used raided hospital

Troops stormed the Al Noor hospital in Khartoum on Saturday, witnesses said.

Hospital staff denied that fighters had sheltered in the compound.
""",
    "hostile": f"""date 2024-03-10
{HOSTILE_TITLE}

A post read <script>window.__pwned=3</script> and <img src=x onerror=window.__pwned=4> before it was removed, officials said.

Gunmen attacked a checkpoint near Kassala on Sunday, killing 3 guards, police said.
""",
}


def _at(text: str, phrase: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    return start, start + len(phrase)


@dataclass(frozen=True)
class Spec:
    """An item to annotate: its record class, the phrase it covers, its other fields."""

    kind: type
    phrase: str
    fields: dict[str, Any]


EL_FASHER = {"kind": "city", "lat": 13.6279, "lon": 25.3494, "country_code": "SD", "coord_precision": "exact"}
KHARTOUM = {"kind": "city", "lat": 15.5518, "lon": 32.5324, "country_code": "SD", "coord_precision": "exact"}
KASSALA = {"kind": "city", "lat": 15.451, "lon": 36.4, "country_code": "SD", "coord_precision": "exact"}
MINISTRY = {"source": "The health ministry", "source_actor": "sudan-health-ministry"}

ANNOTATIONS: dict[str, list[Spec]] = {
    "market": [
        Spec(Figure, "killing at least 12 people", {"number": "at least 12", "value": 12, "bound": "at_least",
             "metric": "killed", "victims": "people", "source": "local medics"}),
        Spec(Figure, "1,200 people had been killed", {"number": "1,200", "value": 1200, "metric": "killed",
             "victims": "people", "scope": "cumulative", **MINISTRY}),
        Spec(Statement, "We are running out of bandages and fuel", {"speaker": "Amina Yusuf", "cue": "said",
             "direct": True}),
        Spec(Statement, "1,200 people had been killed in the city since the siege began in May",
             {"speaker": "The health ministry", "cue": "said", "direct": False}),
        Spec(Event, "Shelling struck the central market in El Fasher on Thursday, killing at least 12",
             {"type": "attack", "mode": "shelling", "target": "the central market", "location": "El Fasher",
              "date": dt.date(2024, 2, 29), "date_text": "on Thursday", "figures": (0,)}),
        Spec(Place, "El Fasher", {"name": "El Fasher", **EL_FASHER}),
    ],
    "toll": [
        Spec(Figure, "1,350 people had been killed", {"number": "1,350", "value": 1350, "metric": "killed",
             "victims": "people", "scope": "cumulative", **MINISTRY}),
        Spec(Figure, "fighters killed since May at 900", {"number": "900", "value": 900, "metric": "killed",
             "victims": "fighters", "scope": "cumulative", "source": "The rebel command",
             "source_actor": "rebel-command", "disputed_by": "the army"}),
        Spec(Figure, "about 40,000 people had been displaced", {"number": "about 40,000", "value": 40000,
             "bound": "about", "metric": "displaced", "victims": "people", "scope": "cumulative",
             "source": "Aid agencies"}),
        Spec(Place, "El Fasher", {"name": "El Fasher", **EL_FASHER}),
    ],
    "hospital": [
        Spec(Event, "Soldiers raided the Al Noor hospital in Khartoum early on Saturday",
             {"type": "raid", "actor": "Soldiers", "target": "the Al Noor hospital", "location": "Khartoum",
              "date": dt.date(2024, 3, 9), "statements": (0,)}),
        Spec(Statement, "that the hospital had been targeted", {"speaker": "The army", "cue": "denied",
             "direct": False, "stance": "deny"}),
        Spec(Statement, "the compound sheltered fighters", {"speaker": "The army", "cue": "said", "direct": False,
             "stance": "accuse"}),
        Spec(Figure, "1,310 people had been killed", {"number": "1,310", "value": 1310, "metric": "killed",
             "victims": "people", "scope": "cumulative", **MINISTRY}),
        Spec(Place, "Al Noor hospital", {"name": "Al Noor hospital", "kind": "facility", "lat": 15.5518,
             "lon": 32.5324, "coord_precision": "city", "country_code": "SD"}),
        Spec(Place, "Khartoum", {"name": "Khartoum", **KHARTOUM}),
        Spec(Place, "El Fasher", {"name": "El Fasher", **EL_FASHER}),
    ],
    "staff": [
        Spec(Event, "Troops stormed the Al Noor hospital in Khartoum on Saturday",
             {"type": "raid", "actor": "Troops", "target": "the Al Noor hospital", "location": "Khartoum",
              "date": dt.date(2024, 3, 9), "statements": (0,)}),
        Spec(Statement, "that fighters had sheltered in the compound", {"speaker": "Hospital staff", "cue": "denied",
             "direct": False, "stance": "deny"}),
        Spec(Place, "Al Noor hospital", {"name": "Al Noor hospital", "kind": "facility", "lat": 15.5518,
             "lon": 32.5324, "coord_precision": "city", "country_code": "SD"}),
        Spec(Place, "Khartoum", {"name": "Khartoum", **KHARTOUM}),
    ],
    "hostile": [
        Spec(Statement, "A post read <script>window.__pwned=3</script> and <img src=x onerror=window.__pwned=4>",
             {"speaker": "officials", "cue": "said", "direct": False}),
        Spec(Event, "Gunmen attacked a checkpoint near Kassala on Sunday, killing 3 guards",
             {"type": "attack", "mode": "gunfire", "actor": "Gunmen", "location": "Kassala",
              "date": dt.date(2024, 3, 10), "figures": (0,)}),
        Spec(Figure, "killing 3 guards", {"number": "3", "value": 3, "metric": "killed", "victims": "guards",
             "source": "police"}),
        Spec(Place, "Kassala", {"name": "Kassala", **KASSALA}),
    ],
}


def annotated_record(article: Article) -> ArticleRecord:
    """The items ``ANNOTATIONS`` lists for ``article``, with offsets into its text."""
    specs = ANNOTATIONS[article.external_id or ""]
    items: dict[type, list[Any]] = {Figure: [], Statement: [], Event: [], Place: []}
    for spec in specs:
        start, end = _at(article.text, spec.phrase)
        items[spec.kind].append(spec.kind(start=start, end=end, text=article.text[start:end], **spec.fields))
    return ArticleRecord(
        id=article.contract_id,
        published=article.published,
        figures=tuple(items[Figure]),
        statements=tuple(items[Statement]),
        events=tuple(items[Event]),
        places=tuple(items[Place]),
    )


def write_articles(folder: Path) -> Path:
    """The corpus as ``<name>.txt`` files in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def build_store(
    tmp: Path,
    extractor: Callable[[Article], ArticleRecord] | None = annotated_record,
    *,
    resolved: bool = True,
) -> tuple[Path, IngestSummary]:
    """Ingest the corpus into ``tmp/fogwatch.db`` through the pipeline (``None`` = the real
    extractor), then resolve it as ``fogwatch ingest`` does unless ``resolved`` is false."""
    folder = write_articles(tmp / "articles")
    db = tmp / "fogwatch.db"
    with Store(db) as store:
        if extractor is None:
            summary = ingest([str(folder)], store)
        else:
            summary = ingest([str(folder)], store, extractor=extractor)
        if resolved:
            resolve(store)
    return db, summary


__all__ = ["ARTICLES", "HOSTILE_TITLE", "annotated_record", "build_store", "write_articles"]
