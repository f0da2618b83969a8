"""One BLAS thread per process (fogwatch.threads): set before numpy loads, by the CLI and by
each --jobs worker, without overriding a number the user chose."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from fogwatch.store import Store
from fogwatch.threads import THREAD_VARIABLES

_CLI = """
import os, sys
from fogwatch.threads import THREAD_VARIABLES
from typer.testing import CliRunner
from fogwatch.cli import app
before = "numpy" in sys.modules
result = CliRunner().invoke(app, ["--db", sys.argv[1], "stats", "--format", "json"])
assert result.exit_code == 0, result.output
print(before, *(os.environ.get(v) for v in THREAD_VARIABLES))
"""

_WORKER = """
import os, sys
from fogwatch.threads import THREAD_VARIABLES
from fogwatch.engines.local import _init_worker
before = "numpy" in sys.modules
_init_worker(False)
print(before, "numpy" in sys.modules, *(os.environ.get(v) for v in THREAD_VARIABLES))
"""


def _env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in THREAD_VARIABLES}
    env.update(overrides)
    return env


def _run(code: str, *args: str, **overrides: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env=_env(**overrides), timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.split()


def _store(tmp_path) -> str:
    Store(tmp_path / "s.db", create=True).close()
    return str(tmp_path / "s.db")


def test_the_cli_sets_one_thread_before_numpy_is_loaded(tmp_path):
    numpy_before, *values = _run(_CLI, _store(tmp_path))
    assert numpy_before == "False"  # so the libraries still read the variables when they load
    assert values == ["1"] * len(THREAD_VARIABLES)


def test_a_thread_count_the_user_chose_is_kept(tmp_path):
    _numpy_before, *values = _run(_CLI, _store(tmp_path), OPENBLAS_NUM_THREADS="2")
    assert values[THREAD_VARIABLES.index("OPENBLAS_NUM_THREADS")] == "2"
    assert values[THREAD_VARIABLES.index("OMP_NUM_THREADS")] == "1"


@pytest.mark.model
def test_a_jobs_worker_sets_one_thread_before_it_loads_the_model():
    numpy_before, numpy_after, *values = _run(_WORKER)
    assert (numpy_before, numpy_after) == ("False", "True")
    assert values == ["1"] * len(THREAD_VARIABLES)
