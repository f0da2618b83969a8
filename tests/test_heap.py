"""The collector around loading and at exit (fogwatch.heap): paused while the model and the
gazetteer load, restored afterwards, and frozen when a CLI process (or a --jobs worker) exits."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from fogwatch.heap import paused_gc
from fogwatch.store import Store


@pytest.mark.parametrize("enabled", [True, False])
def test_paused_gc_restores_the_previous_state(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        with paused_gc():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(RuntimeError), paused_gc():
            raise RuntimeError("a load failed")
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_loading_the_gazetteer_runs_no_collection_and_leaves_the_collector_on() -> None:
    from fogwatch.gazetteer.load import get_gazetteer

    collections: list[int] = []

    def count(phase: str, info: dict) -> None:
        if phase == "start":
            collections.append(info["generation"])

    get_gazetteer.cache_clear()
    gc.callbacks.append(count)
    try:
        gaz = get_gazetteer()
    finally:
        gc.callbacks.remove(count)
    assert gaz.lookup("Kharkiv")
    assert len(collections) <= 1  # at most the one due when collection resumes (~10 full ones unpaused)
    assert gc.isenabled()


# A checker registered before quick_exit runs after its gc.freeze (atexit is last in, first out).
_EXIT = """
import atexit, gc, sys
atexit.register(lambda: print("frozen", gc.get_freeze_count() > 0, flush=True))
{setup}
"""


@pytest.mark.parametrize(
    ("setup", "frozen"),
    [
        ("from fogwatch.heap import quick_exit\nquick_exit()\nquick_exit()", True),
        (
            "from typer.testing import CliRunner\nfrom fogwatch.cli import app\n"
            "assert CliRunner().invoke(app, ['--db', sys.argv[1], 'stats', '--format', 'json']).exit_code == 0",
            True,
        ),
        ("from fogwatch.engines.local import _init_worker\n_init_worker(False)", True),
        ("import fogwatch.heap", False),
    ],
    ids=["quick_exit", "cli", "jobs-worker", "library-import"],
)
def test_processes_fogwatch_owns_freeze_the_heap_at_exit(setup: str, frozen: bool, tmp_path) -> None:
    Store(tmp_path / "f.db", create=True).close()
    out = subprocess.run([sys.executable, "-c", _EXIT.format(setup=setup), str(tmp_path / "f.db")],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    assert out.splitlines() == [f"frozen {frozen}"]
