"""Event-type accuracy on the CASE 2021 Task 2 snippets (ACLED-style sub-event types).

The labelled test TSV (``id``, ``EventSnippet``, ``SubType``) is read where it lies
(``../shared/eval-data/case2021-task2-event-types``); nothing is copied. Each snippet
goes through the extractor without a publication date; its first emitted event is
its prediction (no event = ``none``). Our schema is coarser than ACLED's 30 labels,
so each gold label maps to the coarse classes that express it:

- type: attack | arrest | protest | negotiation | none; a label some of whose
  events are one and some another (a protest met with force) accepts each of them;
- mode, on the subsets whose label fixes it (AIR_STRIKE -> airstrike|drone,
  ART_MISS_ATTACK -> shelling|missile, GRENADE/SUIC_BOMB/REM_EXPLOS -> explosive).

    python -m fogwatch.evalsets.case2021 EVAL_DATA_DIR [--sample N]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fogwatch.evalsets import seeded_sample

TSV = "case2021-task2-event-types/test_set_final_release_with_labels.tsv"

# Gold label -> the coarse types that express it; the first is the label's own class.
TYPE_OF_LABEL: dict[str, tuple[str, ...]] = {
    "AIR_STRIKE": ("attack",),
    "ART_MISS_ATTACK": ("attack",),
    "ARMED_CLASH": ("attack",),
    "ATTACK": ("attack",),
    "GRENADE": ("attack",),
    "SUIC_BOMB": ("attack",),
    "REM_EXPLOS": ("attack",),
    "CHEM_WEAP": ("attack",),
    "MOB_VIOL": ("attack", "protest"),
    "NON_STATE_ACTOR_OVERTAKES_TER": ("attack",),
    "GOV_REGAINS_TERIT": ("attack",),
    "SEX_VIOL": ("attack", "none"),
    "ABDUCT_DISSAP": ("arrest", "attack"),
    "ARREST": ("arrest",),
    "PEACE_PROTEST": ("protest",),
    "PROTEST_WITH_INTER": ("protest", "attack", "arrest"),
    "FORCE_AGAINST_PROTEST": ("protest", "attack", "arrest"),
    "VIOL_DEMONSTR": ("protest", "attack"),
    "AGREEMENT": ("negotiation",),
    "DIPLO": ("negotiation", "none"),
    "PROPERTY_DISTRUCT": ("attack", "none"),
    "DISR_WEAP": ("none", "arrest"),
    "CHANGE_TO_GROUP_ACT": ("none",),
    "HQ_ESTABLISHED": ("none",),
    "NON_VIOL_TERRIT_TRANSFER": ("none",),
    "OTHER": ("none",),
    "ORG_CRIME": ("none", "attack", "arrest"),
    "NATURAL_DISASTER": ("none",),
    "MAN_MADE_DISASTER": ("none",),
    "ATTRIB": ("none",),
}

# Our event types outside the coarse classes count as "none" (aid, evacuation, ruling...).
COARSE_TYPES = ("attack", "arrest", "protest", "negotiation", "none")

MODE_OF_LABEL: dict[str, frozenset[str]] = {
    "AIR_STRIKE": frozenset({"airstrike", "drone"}),
    "ART_MISS_ATTACK": frozenset({"shelling", "missile"}),
    "GRENADE": frozenset({"explosive"}),
    "SUIC_BOMB": frozenset({"explosive"}),
    "REM_EXPLOS": frozenset({"explosive"}),
}

Extract = Callable[[str], dict[str, Any]]


@dataclass(frozen=True)
class Snippet:
    id: str
    text: str
    label: str


def read_snippets(path: str | Path) -> list[Snippet]:
    """The labelled snippets of the TSV (rows with an unknown label are skipped)."""
    out = []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            label = (row.get("SubType") or "").strip()
            text = (row.get("EventSnippet") or "").strip()
            if label in TYPE_OF_LABEL and text:
                out.append(Snippet(str(row.get("id", "")), text, label))
    return out


def _default_extract(text: str) -> dict[str, Any]:
    from fogwatch.extract import extract

    # Snippets are sentences cut without their full stop; a lone unpunctuated line would
    # read as a headline (never an event), so the stop is restored first.
    if text and text[-1].isalnum():
        text += "."
    return extract(text, None).to_dict()


def predicted(record: dict[str, Any]) -> tuple[str, str | None]:
    """(coarse type, mode) of a record's first event; ("none", None) without one."""
    events = sorted(record.get("events", []), key=lambda e: e.get("start", 0))
    if not events:
        return "none", None
    first = events[0]
    kind = first.get("type")
    return (kind if kind in COARSE_TYPES else "none"), first.get("mode")


def _macro_f1(pairs: Iterable[tuple[str, str]]) -> float:
    pairs = list(pairs)
    f1s = []
    for cls in COARSE_TYPES:
        tp = sum(1 for g, p in pairs if g == cls and p == cls)
        fp = sum(1 for g, p in pairs if g != cls and p == cls)
        fn = sum(1 for g, p in pairs if g == cls and p != cls)
        if tp + fp + fn == 0:
            continue
        f1s.append(2 * tp / (2 * tp + fp + fn))
    return round(sum(f1s) / len(f1s), 4) if f1s else 0.0


def score(snippets: list[Snippet], extract: Extract = _default_extract) -> dict[str, Any]:
    """Type accuracy and macro-F1 over the coarse classes, mode accuracy on the mode subsets."""
    pairs: list[tuple[str, str]] = []
    confusion: Counter[tuple[str, str]] = Counter()
    mode_right = mode_total = 0
    for snip in snippets:
        kind, mode = predicted(extract(snip.text))
        allowed = TYPE_OF_LABEL[snip.label]
        gold = kind if kind in allowed else allowed[0]
        pairs.append((gold, kind))
        confusion[(snip.label, kind)] += 1
        if snip.label in MODE_OF_LABEL:
            mode_total += 1
            mode_right += int(kind == "attack" and mode in MODE_OF_LABEL[snip.label])
    n = len(pairs)
    return {
        "snippets": n,
        "type_accuracy": round(sum(1 for g, p in pairs if g == p) / n, 4) if n else 0.0,
        "type_macro_f1": _macro_f1(pairs),
        "mode_accuracy": round(mode_right / mode_total, 4) if mode_total else 0.0,
        "mode_snippets": mode_total,
        "confusion": {f"{label}->{kind}": c for (label, kind), c in sorted(confusion.items())},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fogwatch.evalsets.case2021", description=__doc__.splitlines()[0])
    parser.add_argument("eval_data", help="the eval-data directory (holding case2021-task2-event-types/)")
    parser.add_argument("--sample", type=int, default=None, help="score a seeded random sample of N snippets")
    parser.add_argument("--confusion", action="store_true", help="also print label -> predicted type counts")
    args = parser.parse_args(argv)
    path = Path(args.eval_data) / TSV
    if not path.exists():
        sys.stderr.write(f"{path}: not found; pass the eval-data directory\n")
        return 2
    snippets = read_snippets(path)
    snippets = seeded_sample(snippets, args.sample)
    result = score(snippets)
    if not args.confusion:
        result.pop("confusion")
    sys.stdout.write(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
