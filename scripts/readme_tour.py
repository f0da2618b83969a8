"""Regenerate the CLI tour in README.md from real runs.

The tour lives between ``<!-- tour:start -->`` and ``<!-- tour:end -->``. Each
command in TOUR runs against a fresh database filled from the samples; its
output (trimmed to MAX_LINES) is written under it. ``tests/test_readme.py``
runs the same commands and checks they still succeed.

    .venv/bin/python scripts/readme_tour.py            # rewrite README.md
    .venv/bin/python scripts/readme_tour.py --check    # only run the commands
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
START, END = "<!-- tour:start -->", "<!-- tour:end -->"
# Long outputs are cut to keep the README readable.
MAX_LINES = 24
WIDTH = "150"

SAMPLES = "samples/txt samples/jsonl samples/csv samples/html samples/feeds samples/warc"

# (command as shown, note). "fogwatch" runs the package's console script with --db on the temp store.
TOUR: list[tuple[str, str]] = [
    (f"fogwatch ingest --no-progress {SAMPLES}", "Read every sample format, extract, store. Exit 1 if any input failed."),
    (f"fogwatch ingest --no-progress {SAMPLES}", "Running it again adds nothing."),
    ("fogwatch articles --limit 5 --format table", "The newest stored articles with their item counts."),
    ("fogwatch search 'hospital' --limit 3 --format table", "Full-text search over article text (FTS5)."),
    ("fogwatch search 'denied' --in statements --limit 3 --format table", "...or over statements."),
    ("fogwatch stats --limit 4 --format table", "Counts by outlet and date."),
    ("fogwatch errors --format table", "Inputs that could not be read or extracted (none for the samples)."),
    ("fogwatch extract samples/jsonl/wire-2024-2025.jsonl", "No database: one JSON line per article, the extract contract."),
]


def _run(command: str, db: Path) -> tuple[int, str]:
    argv = shlex.split(command)
    exe = str(Path(sys.executable).with_name("fogwatch"))
    argv = [exe, "--db", str(db), *argv[1:]]
    env = {**os.environ, "COLUMNS": WIDTH, "NO_COLOR": "1", "TERM": "dumb"}
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)
    return proc.returncode, (proc.stdout + proc.stderr).rstrip()


def _trim(output: str) -> str:
    lines = output.splitlines()
    if lines and lines[0].startswith('{"id"'):  # extract's JSON lines: show the start of two
        lines = [line[:300] + (" …" if len(line) > 300 else "") for line in lines[:2]]
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES] + ["…"]
    return "\n".join(lines)


def run_tour() -> list[tuple[str, str, int, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "tour.db"
        return [(cmd, note, *_run(cmd, db)) for cmd, note in TOUR]


def render(results: list[tuple[str, str, int, str]]) -> str:
    parts = [START, ""]
    for cmd, note, _code, out in results:
        parts += [note, "", "```console", f"$ {cmd}", _trim(out), "```", ""]
    parts.append(END)
    return "\n".join(parts)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="run the commands, do not write README.md")
    args = ap.parse_args()
    results = run_tour()
    failed = [(cmd, code) for cmd, _n, code, _o in results if code != 0]
    for cmd, code in failed:
        sys.stderr.write(f"tour command failed ({code}): {cmd}\n")
    if args.check or failed:
        return 1 if failed else 0
    text = README.read_text(encoding="utf-8")
    block = render(results)
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        sys.stderr.write("README.md has no tour markers\n")
        return 1
    README.write_text(pattern.sub(lambda _m: block, text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
