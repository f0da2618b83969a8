"""One BLAS / OpenMP thread per process, unless the user has chosen a number.

numpy's OpenBLAS starts a thread per core by default. With ``--jobs N`` on N cores every
spare BLAS thread competes with another worker for a core, and the spaCy model's matrices
are too small for a second thread to pay even in one process. Measured on the 2-core
bench machine (2026-12-04; its speed drifted by up to 20% over the day, so single runs):
the model over 150 bench articles, alternating, 13.6 and 14.0 s with the default against
13.0 and 11.3 s with one thread; `fogwatch ingest` of 1,000 bench articles, `--jobs 1`
92.4 s against 85.4 s, `--jobs 2` 56.6 s (107 s of CPU) against 47.7 s (91 s of CPU).
The libraries read these variables
once, when they are loaded, so ``single_threaded_blas`` must run before numpy is imported:
the CLI calls it before any command runs, and each ``--jobs`` worker before it loads the model.
Library users who import fogwatch keep their own setting.
"""

from __future__ import annotations

import os

THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def single_threaded_blas() -> None:
    """Set each thread-count variable to 1 where it is not set already (child processes inherit it)."""
    for name in THREAD_VARIABLES:
        os.environ.setdefault(name, "1")
