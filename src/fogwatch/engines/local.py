"""``fogwatch ingest --jobs N``: extraction in N processes, writing stays in the parent.

The CLI runs N - 1 worker processes and the parent as the Nth (``parent_extracts``):
each window of articles is split by characters, the workers take their part while the
parent extracts the rest. Each worker loads the spaCy model once (pool initializer);
records (or failure messages) come back in input order, so the single writer in
``fogwatch.pipeline`` stores exactly what one process would.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from fogwatch.model import Article, ArticleRecord

# Articles sent to a worker per task. 1 keeps both workers busy to the end of a
# window of 64 articles (a window's slowest article is ~5x its mean on the bulk corpus);
# pickling one article and its record costs well under 1 ms against ~100 ms of extraction.
CHUNKSIZE = 1
# Articles a worker extracts before it is replaced by a fresh one. A worker's resident memory
# grows with the vocabulary and allocator fragmentation it accumulates (measured: ~230 MB at
# start, ~380 MB after 2,000 bulk-corpus articles, flat from there to 6,600); replacing it
# bounds that for any corpus size, at the cost of one model load (~3 s) per 5,000 articles
# (~0.5% of their extraction time).
MAX_TASKS_PER_WORKER = 5000


@dataclass(frozen=True)
class ExtractionFailure:
    """An article whose extraction raised: the message becomes an error row."""

    message: str


_FAST = False


def _init_worker(fast: bool) -> None:
    global _FAST
    _FAST = fast
    from fogwatch.heap import own_process
    from fogwatch.threads import single_threaded_blas

    single_threaded_blas()  # before the model imports numpy (spawned workers import nothing earlier)
    own_process()
    from fogwatch.nlp import get_nlp

    get_nlp()  # load the model once per worker, before the first article


def _extract(article: Article) -> ArticleRecord | ExtractionFailure:
    """A worker's task: the article with the worker's ``fast`` setting."""
    return _extract_with(article, _FAST)


def _extract_with(article: Article, fast: bool) -> ArticleRecord | ExtractionFailure:
    from fogwatch.extract import extract

    try:
        return extract(article.text, article.published, id=article.contract_id, fast=fast)
    except Exception as exc:  # noqa: BLE001 - one article's failure is its error row, not the run's
        return ExtractionFailure(f"{type(exc).__name__}: {exc}")


# How the workers' share of each window moves: up when they had finished their part of the
# previous window before the parent asked for the next (they may have idled), down otherwise.
SHARE_STEP = 0.02
SHARE_BOUNDS = (0.1, 0.9)


def _chain(*parts: multiprocessing.pool.AsyncResult | list[ArticleRecord | ExtractionFailure],
           ) -> Iterator[ArticleRecord | ExtractionFailure]:
    for part in parts:
        yield from part if isinstance(part, list) else part.get()


class ProcessPool:
    """A pool of extraction workers; use as a context manager; call with a window of articles.

    ``parent_extracts``: the calling process extracts a share of every window itself while
    the workers take the rest, so ``--jobs 2`` is the parent and one worker: one model load
    fewer and no third process competing for two cores. The share is split by characters
    and adapts to which side finishes first. Workers left idle within a window take the
    later half of what the parent has left (1,000 articles with --jobs 2: 22.2 -> 21.5 s).
    """

    def __init__(self, jobs: int, *, fast: bool = False, max_tasks: int = MAX_TASKS_PER_WORKER,
                 parent_extracts: bool = False) -> None:
        if jobs < 1 or max_tasks < 1:
            raise ValueError("jobs and max_tasks must be at least 1")
        self.jobs, self.fast, self.max_tasks = jobs, fast, max_tasks
        self.parent_extracts = parent_extracts
        # the workers' share of a window's characters: each process an equal part to start
        self.worker_share = jobs / (jobs + 1)
        self._pending: multiprocessing.pool.AsyncResult | None = None
        self.handed_over = 0  # articles the workers took from the parent's part of a window
        self._pool: multiprocessing.pool.Pool | None = None

    def __enter__(self) -> ProcessPool:
        ctx = multiprocessing.get_context("spawn")  # no inherited SQLite handles or threads
        self._pool = ctx.Pool(self.jobs, initializer=_init_worker, initargs=(self.fast,),
                              maxtasksperchild=self.max_tasks)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None

    def release(self) -> None:
        """Let the workers exit now (no more windows will come); the with-block's end waits for
        them. Their exit (freeing the model; ``fogwatch.heap.own_process`` skips the collector's walk
        over it) then overlaps whatever the caller does next."""
        if self._pool is not None:
            self._pool.close()

    def __call__(self, articles: Sequence[Article]) -> Iterator[ArticleRecord | ExtractionFailure]:
        """Records in input order, lazily: the workers start on the whole window (with
        ``parent_extracts``, on their part of it, and this call returns once the parent has
        extracted the rest), so the caller can hand over the next window before it takes this
        one's records."""
        if self._pool is None:
            raise RuntimeError("ProcessPool used outside its with-block")
        if not self.parent_extracts:
            return self._pool.imap(_extract, articles, chunksize=CHUNKSIZE)
        return self._shared(list(articles))

    def _shared(self, articles: list[Article]) -> Iterator[ArticleRecord | ExtractionFailure]:
        """The workers' part of the window is its head; the parent extracts the rest in order.
        Whenever the workers have nothing left to do while at least two of the parent's articles
        remain, they take the later half of those (the parent's tail, so order is kept)."""
        assert self._pool is not None
        if self._pending is not None:  # the workers' part of the previous window: done already?
            low, high = SHARE_BOUNDS
            step = SHARE_STEP if self._pending.ready() else -SHARE_STEP
            self.worker_share = min(high, max(low, self.worker_share + step))
        total = sum(len(a.text) for a in articles)
        cut, seen = 0, 0
        while cut < len(articles) and seen + len(articles[cut].text) / 2 <= total * self.worker_share:
            seen += len(articles[cut].text)
            cut += 1
        remote = self._pool.map_async(_extract, articles[:cut], chunksize=CHUNKSIZE) if cut else None
        # what the workers were given and may still be busy with (the previous window's part too)
        given = [r for r in (self._pending, remote) if r is not None]
        done: list[ArticleRecord | ExtractionFailure] = []
        tails: list[multiprocessing.pool.AsyncResult] = []
        i, end = cut, len(articles)
        while i < end:
            if end - i >= 2 and all(r.ready() for r in given):
                mid = i + (end - i + 1) // 2  # the workers take articles[mid:end]
                given.append(self._pool.map_async(_extract, articles[mid:end], chunksize=CHUNKSIZE))
                tails.append(given[-1])
                self.handed_over += end - mid
                end = mid
            done.append(_extract_with(articles[i], self.fast))
            i += 1
        self._pending = tails[-1] if tails else remote
        return _chain(*([remote] if remote else []), done, *reversed(tails))
