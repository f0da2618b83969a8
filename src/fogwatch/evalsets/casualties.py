"""Scores of fogwatch's figures on three public casualty corpora (read where they lie, nothing copied).

- ``casualty-mentions``: sentences of US newspapers (Gaza war, Oct 2023) that mention deaths,
  hand-tagged with the victims' side. Recall of a ``killed`` figure (all sentences; sentences with a
  digit), and victim-side accuracy of the figures found. No negatives, so no precision.
- ``fakes``: Syrian-war articles (FA-KES) with crowd-coded civilian and fighter death counts.
  Our largest incident ``killed`` figure against the gold total: detection P/R, exact and ±10% accuracy.
- ``muc4``: MUC-4 answer keys (TST4, original casing): (value, killed|injured) pairs from
  ``HUM TGT: NUMBER`` + ``EFFECT OF INCIDENT`` against our killed/injured figures: P/R/F1.

    python -m fogwatch.evalsets.casualties EVAL_DATA_DIR [--sample N]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from fogwatch.evalsets import Extract, extract_dict, seeded_sample, share

# The default sample per corpus: large enough for a stable share (±3 points), small enough for CI.
DEFAULT_SAMPLE = 300
# "About N" in a gold key, and our value being within this share of gold, count as agreeing (MUC's "~N").
VALUE_TOLERANCE = 0.10


# --------------------------------------------------------------------------- casualty mentions

# Victim words → side, for the side check only (scoring code, not extraction).
_SIDE_WORDS = {
    "israel": ("israeli", "israelis", "kibbutz", "festival", "soldier", "soldiers", "idf", "jewish", "jews",
               "hostage", "hostages", "revelers", "ravers", "residents of", "civilians in israel"),
    "palestine": ("palestinian", "palestinians", "gazan", "gazans", "gaza", "hamas", "militant", "militants",
                  "fighters", "children in gaza"),
}
_CORENLP_SPACES = re.compile(r"\s+")
_DETACHED = re.compile(r" ([,.;:!?%)\]'’”])")


def _untokenise(sentence: str) -> str:
    """Re-join a CoreNLP-tokenised sentence ("killed ,  the") into ordinary text."""
    s = _CORENLP_SPACES.sub(" ", sentence).strip()
    s = _DETACHED.sub(r"\1", s)
    return s.replace("( ", "(").replace(" n't", "n't").replace(" 's", "'s")


def _side(victims: str | None) -> str | None:
    if not victims:
        return None
    low = victims.casefold()
    hits = {side for side, words in _SIDE_WORDS.items() if any(w in low for w in words)}
    return hits.pop() if len(hits) == 1 else None


def score_casualty_mentions(root: Path, sample: int | None, extract: Extract) -> dict[str, Any]:
    folder = root / "casualty-mentions-gaza-2023"
    rows = []
    for path in sorted(folder.glob("tagged_data_*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            rows.extend(csv.DictReader(fh))
    rows = seeded_sample(rows, sample)
    found = found_digit = with_digit = 0
    side_right = side_total = 0
    for row in rows:
        text = _untokenise(row["sentence"])
        try:
            published = dt.datetime.strptime(row["article_date"], "%m/%d/%Y").date()
        except ValueError:
            published = None
        figures = [f for f in extract(text, published)["figures"] if f["metric"] in ("killed", "killed_or_injured")]
        digit = any(c.isdigit() for c in text)
        with_digit += digit
        if figures:
            found += 1
            found_digit += digit
            sides = {_side(f.get("victims")) for f in figures} - {None}
            if sides:
                side_total += 1
                gold = row["category"]
                side_right += (gold == "both" and len(sides) == 2) or (sides == {gold})
    return {
        "sentences": len(rows),
        "killed_figure_recall": share(found, len(rows)),
        "killed_figure_recall_with_digit": share(found_digit, with_digit),
        "victim_side_accuracy": share(side_right, side_total),
        "victim_side_judged": side_total,
    }


# --------------------------------------------------------------------------- FA-KES


def score_fakes(root: Path, sample: int | None, extract: Extract) -> dict[str, Any]:
    path = root / "fa-kes-syria" / "fakes.csv"
    with path.open(encoding="latin-1", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows = seeded_sample(rows, sample)
    tp_detect = pred_pos = gold_pos = exact = near = both = 0
    for row in rows:
        gold = _int(row.get("nb_civilians")) + _int(row.get("nb_noncivilians"))
        try:
            published = dt.datetime.strptime(row["date"], "%m/%d/%y").date()
        except (ValueError, KeyError):
            published = None
        figures = [
            f for f in extract(row["article_content"], published)["figures"]
            if f["metric"] == "killed" and f["scope"] == "incident"
        ]
        ours = max((f["value"] for f in figures), default=0)
        pred_pos += ours > 0
        gold_pos += gold > 0
        if ours > 0 and gold > 0:
            tp_detect += 1
            both += 1
            exact += ours == gold
            near += abs(ours - gold) <= VALUE_TOLERANCE * gold
    p, r = share(tp_detect, pred_pos), share(tp_detect, gold_pos)
    return {
        "articles": len(rows),
        "detection_precision": p,
        "detection_recall": r,
        "value_exact_accuracy": share(exact, both),
        "value_within_10pct_accuracy": share(near, both),
    }


def _int(value: str | None) -> int:
    try:
        return int(float(value or 0))
    except ValueError:
        return 0


# --------------------------------------------------------------------------- MUC-4

_MUC_NUMBER = re.compile(r'^(~?)(\d+)\s*:\s*"?([^"]*)"?')
_MUC_EFFECT = re.compile(r'^(DEATH|INJURY)\s*:\s*"?([^"]*)"?')
_MUC_METRIC = {"DEATH": "killed", "INJURY": "injured"}


def muc_gold_figures(templates: Iterable[dict[str, Any]]) -> list[tuple[int, str, bool]]:
    """(value, metric, approximate) for every human-target number whose effect is death or injury."""
    out = []
    for t in templates:
        effects: dict[str, str] = {}
        for e in t.get("HUM TGT: EFFECT OF INCIDENT", []):
            for alt in e.split(" / "):
                m = _MUC_EFFECT.match(alt.strip())
                if m:
                    effects[m.group(2).strip()] = _MUC_METRIC[m.group(1)]
        for n in t.get("HUM TGT: NUMBER", []):
            m = _MUC_NUMBER.match(n.strip())
            if m and m.group(3).strip() in effects:
                out.append((int(m.group(2)), effects[m.group(3).strip()], bool(m.group(1))))
    return out


def score_muc4(root: Path, sample: int | None, extract: Extract) -> dict[str, Any]:
    folder = root / "muc4"
    docs = {}
    with (folder / "documents.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if d.get("text_mixed_case"):
                docs[d["doc_id"]] = d["text_mixed_case"]
    templates: dict[str, list[dict[str, Any]]] = {}
    with (folder / "templates.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            t = json.loads(line)
            if t["doc_id"] in docs:
                templates.setdefault(t["doc_id"], []).append(t)
    ids = seeded_sample(sorted(docs), sample)
    tp = n_pred = n_gold = 0
    for doc_id in ids:
        gold = muc_gold_figures(templates.get(doc_id, []))
        preds = [f for f in extract(docs[doc_id], None)["figures"] if f["metric"] in ("killed", "injured")]
        n_pred += len(preds)
        n_gold += len(gold)
        used: set[int] = set()
        for value, metric, _approx in gold:
            for i, f in enumerate(preds):
                if i in used or f["metric"] != metric:
                    continue
                if abs(f["value"] - value) <= VALUE_TOLERANCE * value:
                    used.add(i)
                    tp += 1
                    break
    p, r = share(tp, n_pred), share(tp, n_gold)
    return {
        "documents": len(ids),
        "figure_precision": p,
        "figure_recall": r,
        "figure_f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
    }


SETS: dict[str, Callable[[Path, int | None, Extract], dict[str, Any]]] = {
    "casualty-mentions": score_casualty_mentions,
    "fakes": score_fakes,
    "muc4": score_muc4,
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m fogwatch.evalsets.casualties", description=__doc__.splitlines()[0])
    ap.add_argument("eval_data", type=Path, help="the eval-data folder (../shared/eval-data)")
    ap.add_argument("--sample", type=int, default=DEFAULT_SAMPLE, help="items per corpus (0 = all)")
    ap.add_argument("--set", choices=sorted(SETS), action="append", help="score only these corpora")
    args = ap.parse_args(argv)
    sample = args.sample or None
    for name in args.set or sorted(SETS):
        result = SETS[name](args.eval_data, sample, extract_dict)
        sys.stdout.write(json.dumps({"set": name, **result}) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
