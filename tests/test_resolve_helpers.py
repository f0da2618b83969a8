"""Hand-made articles and records written through the real store, for resolution tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from fogwatch.model import Article, ArticleRecord, Event, Figure, Place, Statement
from fogwatch.store import Store

KYIV = {"name": "Kyiv", "kind": "city", "lat": 50.4547, "lon": 30.5238, "geonameid": 703448, "country_code": "UA"}
KYIV_HOSPITAL = {"name": "Okhmatdyt", "kind": "facility", "lat": 50.4497, "lon": 30.4791, "geonameid": None,
                 "country_code": "UA"}
KHARKIV = {"name": "Kharkiv", "kind": "city", "lat": 49.9808, "lon": 36.2527, "geonameid": 706483,
           "country_code": "UA"}
UKRAINE = {"name": "Ukraine", "kind": "country", "lat": 49.0, "lon": 32.0, "geonameid": 690791, "country_code": "UA"}


@dataclass
class Doc:
    """Builds one article's text and records, keeping offsets honest."""

    id: str
    published: str
    outlet: str
    text: str = ""
    figures: list[Figure] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)

    def _add(self, sentence: str) -> int:
        if self.text:
            self.text += " "
        start = len(self.text)
        self.text += sentence
        return start

    def place(self, p: dict, sentence: str | None = None) -> int:
        start = self._add(sentence or f"It happened in {p['name']}.")
        at = self.text.index(p["name"], start)
        self.places.append(Place(start=at, end=at + len(p["name"]), text=p["name"], **p, coord_precision="exact"))
        return len(self.places) - 1

    def event(self, sentence: str, type: str = "attack", *, location: str | None = None, date: str | None = None,
              actor: str | None = None, actor_id: str | None = None, mode: str | None = None,
              modality: str = "asserted", figures: tuple[int, ...] = (), target: str | None = None) -> int:
        start = self._add(sentence)
        self.events.append(Event(
            start=start, end=start + len(sentence), text=sentence, type=type, mode=mode, actor=actor,
            actor_id=actor_id, target=target, location=location,
            date=dt.date.fromisoformat(date) if date else None, modality=modality, figures=figures,
        ))
        return len(self.events) - 1

    def figure(self, sentence: str, value: int, *, metric: str = "killed", scope: str = "incident",
               source: str | None = None, source_actor: str | None = None, victims: str = "people",
               bound: str = "exact") -> int:
        start = self._add(sentence)
        self.figures.append(Figure(
            start=start, end=start + len(sentence), text=sentence, number=str(value), value=value, bound=bound,
            metric=metric, victims=victims, scope=scope, source=source, source_actor=source_actor,
        ))
        return len(self.figures) - 1

    def statement(self, sentence: str, speaker: str, stance: str = "assert", speaker_actor: str | None = None) -> int:
        start = self._add(sentence)
        self.statements.append(Statement(
            start=start, end=start + len(sentence), text=sentence, speaker=speaker, cue="said", direct=False,
            stance=stance, speaker_actor=speaker_actor,
        ))
        return len(self.statements) - 1

    def pair(self) -> tuple[Article, ArticleRecord]:
        published = dt.date.fromisoformat(self.published)
        article = Article(id=self.id, text=self.text, outlet=self.outlet, published=published,
                          url=f"https://{self.outlet}.example/{self.id}", title=self.id)
        record = ArticleRecord(id=self.id, published=published, figures=tuple(self.figures),
                               statements=tuple(self.statements), events=tuple(self.events),
                               places=tuple(self.places))
        return article, record


def write(store: Store, *docs: Doc) -> None:
    store.write_batch(None, [d.pair() for d in docs])
