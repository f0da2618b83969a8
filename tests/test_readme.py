"""The README's CLI tour: every command in it still runs, and the README shows the two commands."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tour_module():
    spec = importlib.util.spec_from_file_location("readme_tour", ROOT / "scripts" / "readme_tour.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_names_the_two_commands_and_holds_the_tour():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in text and "make test" in text
    tour = _tour_module()
    assert tour.START in text and tour.END in text
    for command, _note in tour.TOUR:
        assert f"$ {command}" in text, f"README tour is stale: {command!r} missing (run scripts/readme_tour.py)"


@pytest.mark.model
@pytest.mark.slow
def test_every_tour_command_runs():
    tour = _tour_module()
    results = tour.run_tour()
    failed = [(cmd, code, out[-300:]) for cmd, _note, code, out in results if code != 0]
    assert not failed
