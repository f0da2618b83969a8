"""Response shapes of the JSON API (pydantic at the HTTP edge only): they feed /openapi.json."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

T = TypeVar("T")


class PageOut(BaseModel, Generic[T]):
    """One page of a listing: ``data``, the total ``count`` of matches, and where this page is."""

    data: list[T]
    count: int
    page: int
    limit: int


class CursorPageOut(PageOut[T], Generic[T]):
    """A page that also says where the next one starts: pass ``next`` as ``after`` for the page
    after this one, as cheap as the first however deep; ``null`` when this page is not full."""

    next: str | None = None


class ErrorDetail(BaseModel):
    status: int
    code: str
    message: str


class ErrorOut(BaseModel):
    """The one shape of every error response."""

    error: ErrorDetail


class _Item(BaseModel):
    model_config = ConfigDict(extra="ignore")
    article_id: str
    idx: int
    start: int
    end: int
    text: str


class _Cited(_Item):
    id: int
    article_title: str | None = None
    outlet: str | None = None
    published: str | None = None


class FigureOut(_Cited):
    number: str | None = None
    value: int | None = None
    bound: str | None = None
    metric: str | None = None
    victims: str | None = None
    scope: str | None = None
    source: str | None = None
    source_actor: str | None = None
    disputed_by: str | None = None
    disputed_by_actor: str | None = None


class StatementOut(_Cited):
    speaker: str | None = None
    cue: str | None = None
    direct: bool | None = None
    stance: str | None = None
    speaker_actor: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue_start: int | None = None
    cue_end: int | None = None


class EventOut(_Cited):
    type: str | None = None
    mode: str | None = None
    actor: str | None = None
    actor_id: str | None = None
    target: str | None = None
    location: str | None = None
    date: str | None = None
    date_text: str | None = None
    date_precision: str | None = None
    modality: str | None = None
    day: str | None = None
    place_name: str | None = None
    lat: float | None = None
    lon: float | None = None
    cluster_id: int | None = None
    report_count: int | None = None


class EventDetailOut(EventOut):
    """An event with the figures and statements of its article linked to it.

    ``reports`` lists the articles reporting the same event (its de-duplicated event is
    ``cluster_id``, see /api/clusters); only its own article until the store is resolved.
    """

    figures: list[FigureOut]
    statements: list[StatementOut]
    reports: list[str]


class PlaceOut(BaseModel):
    name: str | None
    kind: str | None = None
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    country_code: str | None = None
    coord_precision: str | None = None
    mentions: int
    articles: int


class ArticleOut(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str
    published: str | None = None
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    version: int | None = None
    supersedes: str | None = None
    external_id: str | None = None
    figures: int = 0
    statements: int = 0
    events: int = 0
    places: int = 0


class ArticleItemOut(BaseModel):
    """An item of one article as the store keeps it (the article's own ``idx`` order)."""

    model_config = ConfigDict(extra="allow")
    idx: int
    start: int
    end: int
    text: str


class ArticleDetailOut(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str
    published: str | None = None
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    text: str
    version: int | None = None
    supersedes: str | None = None
    external_id: str | None = None
    source_path: str | None = None
    ingested_at: str | None = None
    figures: list[ArticleItemOut]
    statements: list[ArticleItemOut]
    events: list[ArticleItemOut]
    places: list[ArticleItemOut]


class SeriesPointOut(BaseModel):
    figure_id: int
    article_id: str
    idx: int
    date: str | None
    value: int
    bound: str | None = None
    victims: str | None = None
    text: str | None = None
    sentence: str
    article_title: str | None = None
    outlet: str | None = None
    flag: str | None = None


class SeriesOut(BaseModel):
    """What one source reported for one metric over time."""

    metric: str
    source: str
    country: str | None = None
    victim_class: str | None = None
    label: str
    flagged: int
    points: list[SeriesPointOut]


class SeriesListOut(BaseModel):
    data: list[SeriesOut]
    count: int


class SearchHitOut(BaseModel):
    model_config = ConfigDict(extra="ignore")
    article_id: str
    published: str | None = None
    outlet: str | None = None
    title: str | None = None
    snippet: str
    rank: float


class SearchPageOut(PageOut[SearchHitOut]):
    """Search hits, best first; ``capped``: the words matched more articles than are ranked
    per search, and the hits are the best of the newest stored matches."""

    capped: bool = False


class ContestedOut(BaseModel):
    """Contested claim pairs: empty, with ``available`` false, until the resolve stage has run."""

    data: list[dict[str, Any]]
    count: int
    available: bool


class ClusterOut(BaseModel):
    """A de-duplicated event: the summary of the reports the resolve stage merged."""

    model_config = ConfigDict(extra="allow")
    id: int
    type: str
    date: str | None = None
    place: str | None = None
    report_count: int


class ClusterDetailOut(ClusterOut):
    """A de-duplicated event with every report, its evidence sentence and why it was merged."""

    reports: list[dict[str, Any]]


class ClusterPageOut(BaseModel):
    data: list[ClusterOut]
    count: int
    page: int
    limit: int
    available: bool


class CountsOut(BaseModel):
    articles: int
    events: int
    figures: int
    statements: int
    places: int
