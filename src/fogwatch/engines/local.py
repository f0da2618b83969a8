"""``fogwatch ingest --jobs N``: extraction in N processes, writing stays in the parent.

The CLI runs N - 1 worker processes and the parent as the Nth (``parent_extracts``):
each window of articles is split by characters, the workers take their part while the
parent extracts the rest. Each worker loads the spaCy model once (pool initializer);
records (or failure messages) come back in input order, so the single writer in
``fogwatch.pipeline`` stores exactly what one process would.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

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


# How the workers' share of each window moves after the parent's part (``ProcessPool._adapt``):
# up when they have finished all they were given, down when the head of the window being
# drained is unfinished.
SHARE_STEP = 0.02
SHARE_BOUNDS = (0.1, 0.9)


def tail_start(sizes: Sequence[int], start: int, end: int, extra: float = 0.0) -> int:
    """Where an idle worker's share of ``sizes[start:end]`` begins: it takes the tail from there,
    the parent keeps the rest. The split is by characters, with ``extra`` characters' worth of
    the parent's own work after its part (the write and read between windows) counted on the
    parent's side, so both finish that work at about the same time. The parent keeps at least
    ``sizes[start]``; the worker gets at least the last one."""
    target = (sum(sizes[start:end]) + extra) / 2
    mid, taken = end - 1, sizes[end - 1]
    while mid - 1 > start and taken + sizes[mid - 1] / 2 <= target:
        mid -= 1
        taken += sizes[mid]
    return mid


class _Pool(multiprocessing.pool.Pool):
    """The standard process pool, with two changes.

    Its worker-maintenance thread is woken only by a worker's exit or a change of the pool's
    state, as in ``multiprocessing.pool.ThreadPool``. The standard one also wakes it whenever
    a result waits to be read, and until the result thread has read it the maintenance thread
    spins, taking the parent's interpreter lock from the extraction running there: ~0.5 s of
    CPU per 1,000 articles with ``--jobs 2``.

    ``started`` keeps every worker process it starts (the pool forgets a dead one at once, and
    a worker killed within the pool's first moments would otherwise go unnoticed)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.started: list[multiprocessing.process.BaseProcess] = []
        super().__init__(*args, **kwargs)

    def Process(self, ctx: Any, *args: Any, **kwds: Any) -> multiprocessing.process.BaseProcess:  # noqa: N802 - the pool's own name
        process = ctx.Process(*args, **kwds)
        self.started.append(process)
        return process

    def _get_sentinels(self) -> list:
        return [self._change_notifier._reader]

    @staticmethod
    def _help_stuff_finish(inqueue: Any, task_handler: Any, size: int) -> None:
        # The standard one takes the task queue's read lock with no time limit, but a worker
        # killed while waiting for a task dies holding it, and terminate() would never return.
        inqueue._rlock.acquire(timeout=TERMINATE_WAIT_SECONDS)
        while task_handler.is_alive() and inqueue._reader.poll():
            inqueue._reader.recv()
            time.sleep(0)


# How often a caller waiting on the workers checks that none has died (a killed worker's
# article never comes back, and the standard pool would wait for it for ever).
WORKER_POLL_SECONDS = 0.5
# How long shutting down a pool whose worker died may wait on a lock the worker held.
TERMINATE_WAIT_SECONDS = 2.0


@dataclass(eq=False)
class _Part:
    """Articles handed to the workers as one task list, and what became of them. After a
    worker died they are handed over again one task each (``each``); an article a worker
    died on a second time gets a failure message instead of a record (``failed``)."""

    articles: list[Article]
    result: multiprocessing.pool.AsyncResult
    each: list[multiprocessing.pool.AsyncResult] | None = None
    failed: dict[int, str] = field(default_factory=dict)

    def unfinished(self) -> list[int]:
        if self.each is None:
            return [] if self.result.ready() else list(range(len(self.articles)))
        return [i for i, r in enumerate(self.each) if i not in self.failed and not r.ready()]

    def done(self) -> bool:
        return self.result.ready() if self.each is None else not self.unfinished()

    def wait(self, timeout: float) -> None:
        if self.each is None:
            self.result.wait(timeout)
        elif pending := self.unfinished():
            self.each[pending[0]].wait(timeout)

    def records(self) -> list[ArticleRecord | ExtractionFailure]:
        if self.each is None:
            return self.result.get()
        return [ExtractionFailure(self.failed[i]) if i in self.failed else r.get() for i, r in enumerate(self.each)]


def _death(exitcode: int) -> str:
    if exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit status {exitcode}"


class ProcessPool:
    """A pool of extraction workers; use as a context manager; call with a window of articles.

    ``parent_extracts``: the calling process extracts a share of every window itself while
    the workers take the rest, so ``--jobs 2`` is the parent and one worker: one model load
    fewer and no third process competing for two cores. The share is split by characters
    and adapts to which side is ahead. The parent extracts its part of a window only when
    the caller takes the window's records, after it has handed the next window's head to
    the workers, so they stay busy while the parent writes one window and reads the next.
    Workers left idle all the same take the later part of what the parent has left.

    A worker that dies (killed, or crashed in compiled code) loses the article it was on. The
    pool is then restarted and every unfinished part handed over again, one article per task;
    an article that was being extracted when a worker died a second time gets a failure.
    """

    def __init__(self, jobs: int, *, fast: bool = False, max_tasks: int = MAX_TASKS_PER_WORKER,
                 parent_extracts: bool = False) -> None:
        if jobs < 1 or max_tasks < 1:
            raise ValueError("jobs and max_tasks must be at least 1")
        self.jobs, self.fast, self.max_tasks = jobs, fast, max_tasks
        self.parent_extracts = parent_extracts
        # the workers' share of a window's characters: each process an equal part to start
        self.worker_share = jobs / (jobs + 1)
        self.handed_over = 0  # articles the workers took from the parent's part of a window
        self.restarts = 0  # times the pool was restarted after a worker died
        self._parts: list[_Part] = []  # handed to the workers, records not yet taken
        # the parent's extraction speed (characters, seconds) and the time its caller last took
        # from the end of the parent's part of one window to the next call (writing, reading),
        # for ``tail_start``'s ``extra``
        self._extracted = [0, 0.0]
        self._between = 0.0
        self._parent_done: float | None = None
        self._pool: multiprocessing.pool.Pool | None = None

    def _start(self) -> multiprocessing.pool.Pool:
        ctx = multiprocessing.get_context("spawn")  # no inherited SQLite handles or threads
        return _Pool(self.jobs, initializer=_init_worker, initargs=(self.fast,),
                     maxtasksperchild=self.max_tasks, context=ctx)

    def __enter__(self) -> ProcessPool:
        self._pool = self._start()
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
        """Records in input order, lazily: the workers start on the whole window at once (with
        ``parent_extracts``, on their part of it; the parent extracts the rest when the first
        record is taken), so the caller can hand over the next window before it takes this
        one's records."""
        if self._pool is None:
            raise RuntimeError("ProcessPool used outside its with-block")
        articles = list(articles)
        cut = len(articles)
        if self.parent_extracts:
            if self._parent_done is not None:
                self._between = time.monotonic() - self._parent_done
                self._parent_done = None
            total = sum(len(a.text) for a in articles)
            cut, seen = 0, 0
            while cut < len(articles) and seen + len(articles[cut].text) / 2 <= total * self.worker_share:
                seen += len(articles[cut].text)
                cut += 1
        head = self._hand_over(articles[:cut]) if cut else None
        return self._shared(articles, cut, head)

    def _hand_over(self, articles: list[Article]) -> _Part:
        assert self._pool is not None
        part = _Part(articles, self._pool.map_async(_extract, articles, chunksize=CHUNKSIZE))
        self._parts.append(part)
        return part

    def _busy(self) -> bool:
        """Whether the workers have anything handed over left to finish."""
        return any(not p.done() for p in self._parts)

    def _shared(self, articles: list[Article], cut: int, head: _Part | None,
                ) -> Iterator[ArticleRecord | ExtractionFailure]:
        """The parent's part of a window, ``articles[cut:]``, extracted in order when the first
        record is taken; then the window's records. Whenever the workers have finished all they
        were given while at least two of the parent's articles remain, they take the tail."""
        done: list[ArticleRecord | ExtractionFailure] = []
        tails: list[_Part] = []
        sizes = [len(a.text) for a in articles]
        chars, seconds = self._extracted
        between = self._between * chars / seconds if seconds else 0.0  # in characters
        i, end = cut, len(articles)
        while i < end:
            if end - i >= 2 and not self._busy():
                mid = tail_start(sizes, i, end, between)  # the workers take articles[mid:end]
                tails.append(self._hand_over(articles[mid:end]))
                self.handed_over += end - mid
                end = mid
            started = time.monotonic()
            done.append(_extract_with(articles[i], self.fast))
            self._extracted[0] += sizes[i]
            self._extracted[1] += time.monotonic() - started
            i += 1
        if self.parent_extracts:
            self._parent_done = time.monotonic()
            self._adapt(head)
        if head is not None:
            yield from self._records(head)
        yield from done
        for tail in reversed(tails):
            yield from self._records(tail)

    def _adapt(self, head: _Part | None) -> None:
        """After the parent's part of a window: the workers' share goes up when they have
        finished everything they were given (they are idle), down when they have not even
        finished this window's head (the parent is about to wait for it)."""
        low, high = SHARE_BOUNDS
        if not self._busy():
            self.worker_share = min(high, self.worker_share + SHARE_STEP)
        elif head is not None and not head.done():
            self.worker_share = max(low, self.worker_share - SHARE_STEP)

    def _records(self, part: _Part) -> list[ArticleRecord | ExtractionFailure]:
        """A part's records, in order, once the workers have them (restarting the pool if a
        worker died meanwhile)."""
        while not part.done():
            part.wait(WORKER_POLL_SECONDS)
            if not part.done():
                dead = self._dead_worker()
                if dead is not None:
                    self._restart(dead)
        self._parts.remove(part)
        return part.records()

    def _dead_worker(self) -> int | None:
        """The exit code of a worker that died (workers retired after ``max_tasks`` exit with 0)."""
        assert isinstance(self._pool, _Pool)
        for worker in list(self._pool.started):
            if worker.exitcode is not None and worker.exitcode != 0:
                return worker.exitcode
        return None

    def _restart(self, exitcode: int) -> None:
        """Replace the pool after a worker died (the article it was on never comes back) and
        hand every unfinished article over again, one task each. Tasks are taken in the order
        they were handed over, so the earliest unfinished article already handed over alone
        was most likely the dead worker's: it fails instead (with several workers it may be
        another's), so an article that kills every worker fails and the run goes on."""
        assert isinstance(self._pool, _Pool)
        broken = self._pool
        for worker in broken.started:  # none of them may take another task
            if worker.exitcode is None:
                worker.kill()
        # Its shutdown waits on locks a killed worker may hold (the result queue's, if it died
        # sending a result): in a thread that is given up on after a while.
        closer = threading.Thread(target=broken.terminate, daemon=True)
        closer.start()
        closer.join(2 * TERMINATE_WAIT_SECONDS)
        self.restarts += 1
        self._pool = self._start()
        message = f"a worker process died ({_death(exitcode)}) while extracting this article"
        blamed = False
        for part in self._parts:
            pending = part.unfinished()
            if not pending:
                continue
            if part.each is None:
                part.each = [self._pool.apply_async(_extract, (a,)) for a in part.articles]
                continue
            if not blamed:
                part.failed[pending.pop(0)] = message
                blamed = True
            for i in pending:
                part.each[i] = self._pool.apply_async(_extract, (part.articles[i],))
