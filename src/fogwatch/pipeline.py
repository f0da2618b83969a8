"""Ingest: read inputs → skip articles already stored → extract → write in batches.

Library code: it reports through an optional ``progress`` callback and returns an
``IngestSummary``; it never prints. Bad inputs and extraction failures become
error rows and the run goes on.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fogwatch.errors import ReadError
from fogwatch.model import Article, ArticleRecord
from fogwatch.store import ErrorInput, Store

if TYPE_CHECKING:
    from fogwatch.ingest import ReadOptions

# Articles per write transaction. A SIGKILL loses at most one batch of work; smaller
# batches commit more often. Measured on the shared 2-core machine: extraction runs at
# ~18 short articles/s (~3.5 s per batch of 64), while writing a batch of 64 articles
# with 8 items each takes ~75 ms (median of 50 batches), so writes cost ~2% of a run.
BATCH_SIZE = 64
# Windows a batch extractor (the ``--jobs`` pool) is handed before the oldest is drained and
# written. Its workers start on their part of a window when it is handed over and the parent
# extracts its own part when the window is drained, so with two the workers hold a window's
# part in reserve while the parent extracts, writes and reads; with one they ran dry at
# about every other window boundary (~1 s idle per 1,000 articles).
LOOKAHEAD = 2


@dataclass(frozen=True)
class ProgressUpdate:
    """Sent to the ``progress`` callback after every input article or error."""

    seen: int                 # articles read so far (added, skipped or failed)
    added: int                # articles extracted and queued for writing
    skipped: int              # articles already stored (or repeated in this run)
    errors: int               # error rows so far
    total: int | None = None  # articles expected, when known
    error: ErrorInput | None = None  # the error just met, if this update is for one


@dataclass(frozen=True)
class IngestSummary:
    """What one ingest run did."""

    run_id: int
    articles_added: int
    articles_skipped: int
    figures: int
    statements: int
    events: int
    places: int
    errors: int
    seconds: float

    def to_dict(self) -> dict[str, int | float]:
        return {
            "run_id": self.run_id,
            "articles_added": self.articles_added,
            "articles_skipped": self.articles_skipped,
            "figures": self.figures,
            "statements": self.statements,
            "events": self.events,
            "places": self.places,
            "errors": self.errors,
            "seconds": round(self.seconds, 2),
        }


Extractor = Callable[[Article], ArticleRecord]
# A window of new articles in, one record (or a failure object) per article out, in order.
BatchExtractor = Callable[[list[Article]], Iterable[object]]


class ExtractionFailed(Exception):
    """A batch extractor's failure for one article (carries the worker's message)."""
Progress = Callable[[ProgressUpdate], None]


def extract_article(article: Article, *, fast: bool = False) -> ArticleRecord:
    """The default extractor: ``fogwatch.extract.extract`` on the article's text and date."""
    from fogwatch.extract import extract

    return extract(article.text, article.published, id=article.contract_id, fast=fast)


def read_articles(paths: Sequence[str], options: ReadOptions | None = None) -> Iterator[Article | ReadError]:
    """Articles and read errors from ``paths``, via the readers in ``fogwatch.ingest``."""
    from fogwatch.ingest import ReadOptions, read_paths

    return read_paths(list(paths), options if options is not None else ReadOptions())


def count_articles(paths: Sequence[str], options: ReadOptions | None = None) -> int | None:
    """How many articles ``paths`` hold, for an ETA: estimated from the files' bytes without
    parsing them (``fogwatch.ingest.counting``), so a progress bar does not read every input twice.

    ``None`` when there is no cheap estimate: stdin (it cannot be read twice), JSON
    documents, feeds and WARC archives (only parsing them counts their articles).
    """
    from fogwatch.ingest.counting import estimate_articles

    return estimate_articles(paths, options)


class _Run:
    """The mutable state of one ingest run: the pending batch and the running counts."""

    def __init__(self, store: Store, run_id: int, batch_size: int, total: int | None, progress: Progress | None):
        self.store, self.run_id, self.batch_size = store, run_id, batch_size
        self.total, self.progress = total, progress
        self.pending: list[tuple[Article, ArticleRecord]] = []
        self.pending_errors: list[ErrorInput] = []
        self.seen_ids: set[str] = set()
        self.seen = self.added = self.skipped = self.errors = 0
        self.written = {"figures": 0, "statements": 0, "events": 0, "places": 0, "articles": 0}

    def report(self, error: ErrorInput | None = None) -> None:
        if self.progress is not None:
            self.progress(
                ProgressUpdate(self.seen, self.added, self.skipped, self.errors, self.total, error)
            )

    def fail(self, path: str, reason: str, *, counts_as_article: bool) -> None:
        error = ErrorInput(path=path, reason=reason)
        self.pending_errors.append(error)
        self.errors += 1
        if counts_as_article:
            self.seen += 1
        self.report(error)

    def flush(self) -> None:
        if not self.pending and not self.pending_errors:
            return
        counts = self.store.write_batch(self.run_id, self.pending, self.pending_errors)
        for kind in self.written:
            self.written[kind] += getattr(counts, kind)
        self.pending, self.pending_errors = [], []


def _known(store: Store, articles: list[Article]) -> set[str]:
    return store.known_ids(a.id for a in articles)


@dataclass(frozen=True)
class _Window:
    """A window of read articles, with the decision taken for each when it was planned:
    ``extract[i]`` is False for an article already stored or already claimed by this run."""

    articles: list[Article]
    extract: list[bool]
    results: Iterator[object]  # one record or failure per article to extract, in order


def _plan(run: _Run, window: list[Article], extract_all: Callable[[list[Article]], Iterable[object]]) -> _Window:
    """Decide which articles of ``window`` are new and start their extraction (lazily, or in
    the pool's workers, which start on it at once)."""
    known = _known(run.store, window)
    decisions: list[bool] = []
    fresh: list[Article] = []
    for a in window:
        new = a.id not in known and a.id not in run.seen_ids
        if new:
            run.seen_ids.add(a.id)  # a repeat later in this run is a skip, even if this one fails
            fresh.append(a)
        decisions.append(new)
    return _Window(window, decisions, iter(extract_all(fresh) if fresh else ()))


def _drain(run: _Run, w: _Window) -> None:
    """Take the records of a planned window in input order and queue them for writing."""
    for article, new in zip(w.articles, w.extract, strict=True):
        if not new:
            run.seen += 1
            run.skipped += 1
            run.report()
            continue
        try:
            record = next(w.results)
            if not isinstance(record, ArticleRecord):  # a worker's failure message
                raise ExtractionFailed(getattr(record, "message", str(record)))
        except Exception as exc:  # noqa: BLE001 - any extractor failure is one article's error row
            run.fail(
                article.source_path or article.contract_id,
                f"extraction failed: {type(exc).__name__}: {exc}" if not isinstance(exc, ExtractionFailed)
                else f"extraction failed: {exc}",
                counts_as_article=True,
            )
            continue
        run.pending.append((article, record))
        run.seen += 1
        run.added += 1
        run.report()
        if len(run.pending) >= run.batch_size:
            run.flush()


def _guarded(extractor: Extractor) -> Callable[[list[Article]], Iterator[object]]:
    """One article at a time in this process; a raising article yields its exception."""

    def extract_all(articles: list[Article]) -> Iterator[object]:
        for article in articles:
            try:
                yield extractor(article)
            except Exception as exc:  # noqa: BLE001 - becomes the article's error row in _drain
                yield ExtractionFailed(f"{type(exc).__name__}: {exc}")

    return extract_all


def ingest(
    paths: Sequence[str],
    store: Store,
    options: ReadOptions | None = None,
    progress: Progress | None = None,
    *,
    extractor: Extractor = extract_article,
    batch_size: int = BATCH_SIZE,
    total: int | None = None,
    items: Iterable[Article | ReadError] | None = None,
    batch_extractor: BatchExtractor | None = None,
) -> IngestSummary:
    """Read ``paths`` with reader ``options``, extract new articles and store them.

    ``items`` replaces reading ``paths`` (articles or read errors from elsewhere);
    ``total`` is the number of articles expected, passed on to ``progress``.
    ``batch_extractor`` replaces ``extractor`` with one call per window of new articles
    (``fogwatch.engines.local.ProcessPool``); it returns a record or a failure per article,
    possibly lazily. With a batch extractor the next ``LOOKAHEAD`` windows are planned and
    handed over before the current one is drained and written, so the workers never wait for
    the writer.
    """
    started = time.monotonic()
    run_id = store.start_run(paths)
    run = _Run(store, run_id, batch_size, total, progress)
    source = items if items is not None else read_articles(paths, options)
    extract_all = batch_extractor if batch_extractor is not None else _guarded(extractor)
    ahead = LOOKAHEAD if batch_extractor is not None else 0
    in_flight: deque[_Window] = deque()  # planned and handed over, not yet drained
    window: list[Article] = []

    def advance(window: list[Article]) -> None:
        in_flight.append(_plan(run, window, extract_all))
        if len(in_flight) > ahead:
            _drain(run, in_flight.popleft())

    for item in source:
        if isinstance(item, ReadError):
            run.fail(item.path, item.reason, counts_as_article=False)
            continue
        window.append(item)
        if len(window) >= batch_size:
            advance(window)
            window = []
    if window:
        advance(window)
    while in_flight:
        _drain(run, in_flight.popleft())
    run.flush()
    store.finish_run(run_id, skipped=run.skipped)
    return IngestSummary(
        run_id=run_id,
        articles_added=run.written["articles"],
        articles_skipped=run.skipped,
        figures=run.written["figures"],
        statements=run.written["statements"],
        events=run.written["events"],
        places=run.written["places"],
        errors=run.errors,
        seconds=time.monotonic() - started,
    )
