"""Regenerate the quality table in README.md from `fogwatch eval` on the three gold sets.

The table lives between ``<!-- quality:start -->`` and ``<!-- quality:end -->``.

    .venv/bin/python scripts/readme_quality.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
START, END = "<!-- quality:start -->", "<!-- quality:end -->"

# (label, kind, key, issue target or None)
ROWS = [
    ("figures F1", "figures", "f1", 0.92),
    ("figures F1, metric and bound also right", "figures", "metric_bound_f1", 0.88),
    ("figure source accuracy", "figures", "source_accuracy", 0.85),
    ("statements F1", "statements", "f1", 0.88),
    ("statements speaker-correct F1", "statements", "speaker_f1", 0.82),
    ("statement stance accuracy", "statements", "stance_accuracy", 0.80),
    ("events F1", "events", "f1", 0.80),
    ("event location accuracy", "events", "location_accuracy", 0.85),
    ("event date accuracy", "events", "date_accuracy", 0.85),
    ("places F1", "places", "f1", 0.92),
    ("places geocoded", "places", "geocoded", 0.95),
    ("matched places within 25 km of gold", "places", "within_25km", None),
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args()
    from fogwatch.evaluate import evaluate, load_gold

    sets = {
        "dev (12, Gaza/Ukraine)": args.shared / "eval" / "dev",
        "tune (16, team's own)": ROOT / "tests" / "gold" / "tune",
        "held-out (14, team's own)": ROOT / "tests" / "gold" / "heldout",
        "tune2 (8, 8 other conflicts)": ROOT / "tests" / "gold" / "tune2",
        "held-out 2 (8, 8 other conflicts)": ROOT / "tests" / "gold" / "heldout2",
    }
    reports = {name: evaluate(load_gold(path)).as_dict() for name, path in sets.items() if path.is_dir()}
    head = "| measure | target | " + " | ".join(reports) + " |"
    lines = [START, "", head, "|---|---|" + "---|" * len(reports)]
    for label, kind, key, target in ROWS:
        cells = [f"{r[kind][key]:.3f}" for r in reports.values()]
        floor = f"≥ {target:.2f}" if target else ""
        lines.append(f"| {label} | {floor} | " + " | ".join(cells) + " |")
    lines += ["", f"Measured {dt.date.today().isoformat()} with `fogwatch eval GOLD_DIR` "
              "(regenerate: `.venv/bin/python scripts/readme_quality.py`).", "", END]
    text = README.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        sys.stderr.write("README.md has no quality markers\n")
        return 1
    README.write_text(pattern.sub(lambda _m: "\n".join(lines), text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
