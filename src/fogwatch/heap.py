"""The cyclic garbage collector and the long-lived resources (the spaCy model, the gazetteer).

Loading them creates well over a million objects that live as long as the process. A full
collection walks every one of them and finds nothing to free. Measured on the bench machine
(2026-12-05):

- while they load, 7 full collections took 0.64 s of a 2.2 s start-up (model load plus first
  article). Every extracting process pays that once, and under ``ingest --jobs N`` it is a
  serial part of the run;
- over a 1,000-article ingest, 5 more full collections took 0.71 s;
- at exit, the interpreter's final collections took 0.5-0.8 s after the last line of output.
- young collections every 700 allocations: over 1,000 articles, 1,536 of them plus 140 middle
  and 10 full ones took 0.72 s, against 0.35 s in 36 young and 3 middle ones every 20,000.

``paused_gc`` holds collection off while a resource loads and restores the collector's
previous state afterwards, so library users keep their own setting. Processes fogwatch owns
(the CLI and its ``--jobs`` workers) call ``own_process``. In them, each loaded resource is
also frozen (``gc.freeze``) into the generation the collector never scans, and so is
everything else alive at exit. Young collections also run less often there
(``YOUNG_THRESHOLD``).
"""

from __future__ import annotations

import atexit
import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Allocations between young collections in fogwatch's own processes (Python's default is 700).
# Objects freed by reference count never wait for a collection. Cyclic garbage waits at most
# this many allocations longer: a few MB.
YOUNG_THRESHOLD = 20_000

_OWNED = False


def own_process() -> None:
    """Mark this process as fogwatch's own: resources loaded from now on are frozen, and so is
    the whole heap at exit (exit after an ingest: 0.84 -> 0.04 s). Young collections wait for
    ``YOUNG_THRESHOLD`` allocations. Nothing else changes: ``atexit`` handlers registered
    earlier still run after this one, and standard streams are flushed. Objects are still freed
    by their reference counts. Idempotent."""
    global _OWNED
    if not _OWNED:
        atexit.register(gc.freeze)
        gc.set_threshold(YOUNG_THRESHOLD, *gc.get_threshold()[1:])
        _OWNED = True


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic collection inside the block. Collection resumes afterwards if it was enabled
    before. In a process of fogwatch's own, what the block loaded is frozen first. Elsewhere,
    anything cyclic the load left behind is found by the next collection."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _OWNED:
            gc.freeze()
        if enabled:
            gc.enable()
