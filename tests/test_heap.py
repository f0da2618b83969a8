"""The collector around loading and at exit (fogwatch.heap): paused while the model and the
gazetteer load, restored afterwards, and frozen when a CLI process (or a --jobs worker) exits."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from fogwatch.heap import YOUNG_THRESHOLD, paused_gc
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


def test_loading_the_gazetteer_runs_at_most_one_collection_and_leaves_the_collector_on() -> None:
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


# A checker registered before own_process runs after its gc.freeze (atexit is last in, first out).
_EXIT = """
import atexit, gc, sys
atexit.register(lambda: print("frozen", gc.get_freeze_count() > 0, "young", gc.get_threshold()[0], flush=True))
{setup}
"""


@pytest.mark.parametrize(
    ("setup", "owned"),
    [
        ("from fogwatch.heap import own_process\nown_process()\nown_process()", True),
        (
            "from typer.testing import CliRunner\nfrom fogwatch.cli import app\n"
            "assert CliRunner().invoke(app, ['--db', sys.argv[1], 'stats', '--format', 'json']).exit_code == 0",
            True,
        ),
        ("from fogwatch.engines.local import _init_worker\n_init_worker(False)", True),
        ("import fogwatch.heap", False),
    ],
    ids=["own_process", "cli", "jobs-worker", "library-import"],
)
def test_processes_fogwatch_owns_freeze_the_heap_at_exit(setup: str, owned: bool, tmp_path) -> None:
    Store(tmp_path / "f.db", create=True).close()
    out = subprocess.run([sys.executable, "-c", _EXIT.format(setup=setup), str(tmp_path / "f.db")],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    young = YOUNG_THRESHOLD if owned else 700
    assert out.splitlines() == [f"frozen {owned} young {young}"]


_LOAD = """
import gc
{setup}
from fogwatch.gazetteer.load import get_gazetteer
before = gc.get_freeze_count()
get_gazetteer()
print(before, gc.get_freeze_count() > before + 100_000, gc.isenabled())
"""


@pytest.mark.parametrize(("setup", "frozen"), [("from fogwatch.heap import own_process\nown_process()", True),
                                               ("", False)], ids=["owned", "library"])
def test_a_resource_loaded_in_an_owned_process_is_frozen(setup: str, frozen: bool) -> None:
    out = subprocess.run([sys.executable, "-c", _LOAD.format(setup=setup)],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    assert out.split() == ["0", str(frozen), "True"]
