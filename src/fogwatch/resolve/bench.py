"""Measure resolution cost on synthetic stores: ``python -m fogwatch.resolve.bench 2000 4000 8000``.

Each synthetic article carries one asserted attack (one of 3 types, 30 countries, a few
towns per country, 4 outlets reporting each event), one cumulative figure and two
statements (an accusation and its denial naming the town), written through the real
store. Articles arrive at
``--per-day`` a day, so a bigger store spans more days; cost per article then depends on
the news per day (blocks and the contested window are per day), not on the store's
size. The report extrapolates the largest run to 100,000 articles.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from fogwatch.model import Article, ArticleRecord, Event, Figure, Place, Statement
from fogwatch.resolve import resolve
from fogwatch.store import Store

COUNTRIES = 30
TOWNS_PER_COUNTRY = 8
TYPES = ("attack", "raid", "arrest")
REPORTS_PER_EVENT = 4
SEED = 7
PER_DAY = 270  # 100,000 articles in a year


def _article(i: int, event: int, rng: random.Random, per_day: int) -> tuple[Article, ArticleRecord]:
    country = event % COUNTRIES
    town = (event // COUNTRIES) % TOWNS_PER_COUNTRY
    day = dt.date(2024, 1, 1) + dt.timedelta(days=(event * REPORTS_PER_EVENT) // per_day)
    published = day + dt.timedelta(days=rng.randint(0, 1))
    name = f"Town{country}x{town}"
    text = f"Shelling hit {name} at dawn, officials said. The toll rose to {100 + i}. The army denied shelling {name}."
    place = Place(start=text.index(name), end=text.index(name) + len(name), text=name, name=name, kind="city",
                  lat=10.0 + country + town * 0.5, lon=20.0 + country, country_code=f"C{country:02d}"[-2:])
    event_rec = Event(start=0, end=len(name) + 14, text=text[: len(name) + 14], type=TYPES[event % len(TYPES)],
                      location=name, date=day, actor_id=f"actor-{country}")
    figure = Figure(start=30, end=60, text=text[30:60], number=str(100 + i), value=100 + i, metric="killed",
                    scope="cumulative", source=f"ministry {country}")
    said = Statement(start=0, end=len(name) + 21, text=text[: len(name) + 21], speaker="officials", cue="said", direct=False,
                     stance="accuse", speaker_actor=f"gov-{country}")
    denied = Statement(start=len(text) - len(name) - 10, end=len(text) - 1, text=text[-len(name) - 10 : -1], speaker="the army", cue="denied",
                       direct=False, stance="deny", speaker_actor=f"army-{country}")
    art = Article(id=f"bench{i:07d}", text=text, outlet=f"outlet{i % REPORTS_PER_EVENT}", published=published)
    rec = ArticleRecord(id=art.id, published=published, figures=(figure,), statements=(said, denied),
                        events=(event_rec,), places=(place,))
    return art, rec


def measure(n: int, directory: Path, per_day: int = PER_DAY) -> dict[str, float]:
    rng = random.Random(SEED)
    with Store(directory / f"bench{n}.db") as store:
        items = [_article(i, i // REPORTS_PER_EVENT, rng, per_day) for i in range(n)]
        for k in range(0, n, 1000):
            store.write_batch(None, items[k : k + 1000])
        started = time.monotonic()
        summary = resolve(store)
        seconds = time.monotonic() - started
        more = [_article(n + i, (n + i) // REPORTS_PER_EVENT, rng, per_day) for i in range(100)]
        store.write_batch(None, more)
        started = time.monotonic()
        resolve(store)
        incremental = time.monotonic() - started
    return {"articles": n, "seconds": round(seconds, 2), "ms_per_article": round(1000 * seconds / n, 3),
            "clusters": summary.clusters, "incremental_100_seconds": round(incremental, 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fogwatch.resolve.bench")
    parser.add_argument("sizes", type=int, nargs="+")
    parser.add_argument("--per-day", type=int, default=PER_DAY, help="articles published a day")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            results.append(measure(n, Path(tmp), args.per_day))
            sys.stderr.write(json.dumps(results[-1]) + "\n")  # each size as soon as it is measured
            sys.stderr.flush()
    last = results[-1]
    estimate = last["ms_per_article"] * 100_000 / 1000
    sys.stdout.write(json.dumps({"runs": results, "estimate_100k_seconds": round(estimate, 1)}, indent=2) + "\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
