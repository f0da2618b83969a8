"""Records fogwatch reads and extracts.

Every extracted item carries ``start``/``end`` character offsets into the
article text exactly as it was given, and ``text`` equal to
``article_text[start:end]``. Records are frozen dataclasses; ``to_dict``
gives the JSON shape of the ``fogwatch extract`` contract (the keys of
``eval/GUIDE.md`` plus offsets).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    return value


class Record:
    """Mixin: a plain-dict view of a dataclass record for JSON output."""

    def to_dict(self) -> dict[str, Any]:
        return {f.name: _jsonable(getattr(self, f.name)) for f in dataclasses.fields(self)}  # type: ignore[arg-type]


@dataclass(frozen=True)
class Article(Record):
    """One news article as read from an input file."""

    id: str                      # stable hash of the normalised text
    text: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: dt.date | None = None
    external_id: str | None = None   # the input's own id (JSONL/CSV id field)
    source_path: str | None = None   # the file (and record) it was read from

    @property
    def contract_id(self) -> str:
        """The id printed by ``fogwatch extract``: the input's own id when it has one."""
        return self.external_id or self.id


@dataclass(frozen=True)
class Span(Record):
    """A stretch of article text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Actor(Record):
    """A canonical party (``resources/actors.csv``)."""

    id: str            # slug, e.g. "idf"
    name: str          # canonical display name, e.g. "Israel Defense Forces"
    kind: str = "other"  # state | military | armed_group | government | ministry | agency | ngo | media | person | other
    country: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Figure(Record):
    """A count of people harmed, held or moved (GUIDE.md "figures")."""

    start: int
    end: int
    text: str                    # the evidence span (GUIDE "quote")
    number: str                  # the number phrase as written
    value: int
    bound: str = "exact"         # exact | at_least | more_than | about | at_most | fewer_than
    metric: str = "other"        # killed | injured | killed_or_injured | missing | hostages | detained | displaced | sheltering | other
    victims: str | None = None
    scope: str = "incident"      # incident | cumulative
    source: str | None = None    # as written; None = reporter's own voice
    source_actor: str | None = None
    disputed_by: str | None = None
    disputed_by_actor: str | None = None


@dataclass(frozen=True)
class Statement(Record):
    """Attributed speech: a direct quote or reported speech (GUIDE.md "statements")."""

    start: int                   # the content span (GUIDE "quote"), without quotation marks
    end: int
    text: str
    speaker: str | None
    cue: str
    direct: bool
    stance: str = "assert"       # assert | deny | accuse | warn | demand | promise
    speaker_actor: str | None = None
    speaker_start: int | None = None   # where the resolved speaker name is written
    speaker_end: int | None = None
    cue_start: int | None = None
    cue_end: int | None = None


@dataclass(frozen=True)
class Place(Record):
    """A named place with gazetteer coordinates (GUIDE.md "places")."""

    start: int
    end: int
    text: str
    name: str
    kind: str = "other"          # country | region | city | district | camp | facility | other
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    coord_precision: str | None = None  # exact | city | region | country
    country_code: str | None = None


@dataclass(frozen=True)
class Event(Record):
    """Something that happened, or is said, denied or threatened to happen (GUIDE.md "events")."""

    start: int
    end: int
    text: str                    # evidence span (GUIDE "quote")
    type: str                    # attack | raid | siege | arrest | protest | negotiation | ruling | aid | evacuation | displacement | threat | other
    mode: str | None = None      # airstrike | shelling | gunfire | ground_assault | drone | missile | explosive | fire
    actor: str | None = None
    actor_id: str | None = None
    target: str | None = None
    location: str | None = None
    date: dt.date | None = None
    date_text: str | None = None
    date_precision: str | None = None   # day | week | month
    modality: str = "asserted"   # asserted | denied | hypothetical | background
    figures: tuple[int, ...] = ()      # indexes into ArticleRecord.figures
    statements: tuple[int, ...] = ()   # indexes into ArticleRecord.statements


@dataclass(frozen=True)
class ArticleRecord(Record):
    """Everything extracted from one article: the ``fogwatch extract`` contract."""

    id: str
    published: dt.date | None
    figures: tuple[Figure, ...] = field(default_factory=tuple)
    statements: tuple[Statement, ...] = field(default_factory=tuple)
    events: tuple[Event, ...] = field(default_factory=tuple)
    places: tuple[Place, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "published": self.published.isoformat() if self.published else None,
            "figures": [_with_quote(f) for f in self.figures],
            "statements": [_with_quote(s) for s in self.statements],
            "events": [_with_quote(e) for e in self.events],
            "places": [p.to_dict() for p in self.places],
        }


def _with_quote(item: Record) -> dict[str, Any]:
    """Contract form: the item's fields plus ``quote`` (= ``text``) as GUIDE.md names it."""
    d = item.to_dict()
    d["quote"] = d["text"]
    return d
