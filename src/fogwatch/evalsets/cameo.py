"""Event actor/target spans on the CAMEO sentences of the ConfliBERT repository (read where they lie).

``cameo_ner/train.txt`` tags who acts (S), who is acted upon (T) and joint actors (R) in news sentences;
``cameo_class/train.tsv`` gives each sentence a 5-way class, read as CAMEO QuadClass (4 = material conflict —
our reading of the examples, not documented by the source). The two files are joined on the sentence's
letters and digits. Scores:

- on material-conflict sentences: our event ``actor`` against S (or R) spans and ``target`` against T (or R)
  spans: recall, precision, and the swap rate (our actor is their target and our target their actor);
- event detection: material conflict vs our attack/raid/siege events, over those sentences plus as many
  sentences of the other four classes: P/R/F1.

    python -m fogwatch.evalsets.cameo EVAL_DATA_DIR [--sample N]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fogwatch.evalsets import SAMPLE_SEED
from fogwatch.evalsets.events_places import (
    ASSERTED_MODALITIES,
    ATTACK_TYPES,
    Counts,
    extract_dict,
    head_noun,
    norm_name,
)

FOLDER = "conflibert-cameo-actor-target"
# Sentences per side (material conflict / other): single sentences parse fast, so 150 + 150 take about
# as long as 150 articles, and 150 positives keep the actor recall within about ±4 points.
DEFAULT_SAMPLE = 150
# The class read as material conflict (attacks, killings, fighting) in the QuadClass reading.
MATERIAL_CONFLICT = "4"
# Words that carry no identity: two spans sharing only these do not overlap.
_FUNCTION_WORDS = frozenset(
    {"the", "a", "an", "of", "and", "in", "on", "at", "to", "for", "by", "its", "their", "his", "her", "s"}
)

Extract = Callable[[str, Any], dict[str, Any]]


@dataclass(frozen=True)
class TaggedSentence:
    """One CAMEO sentence: its original text, class and the gold actor spans by role."""

    text: str
    label: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    joint: tuple[str, ...]


def _key(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def read_conll(lines: Iterator[str]) -> Iterator[tuple[list[str], dict[str, list[str]]]]:
    """(tokens, role → spans) for each blank-line separated sentence of ``token TAG`` lines."""
    tokens: list[str] = []
    tags: list[str] = []
    for line in [*lines, ""]:
        parts = line.split()
        if len(parts) >= 2:
            tokens.append(parts[0])
            tags.append(parts[-1])
            continue
        if tokens:
            yield tokens, spans_of(tokens, tags)
        tokens, tags = [], []


def spans_of(tokens: list[str], tags: list[str]) -> dict[str, list[str]]:
    """BIO tags → the text of each span, by role letter."""
    spans: dict[str, list[str]] = {}
    current: list[str] = []
    role = ""
    for token, tag in [*zip(tokens, tags, strict=True), ("", "O")]:
        if tag.startswith("I-") and tag[2:] == role and current:
            current.append(token)
            continue
        if current:
            spans.setdefault(role, []).append(" ".join(current))
        current, role = ([token], tag[2:]) if tag[:2] in ("B-", "I-") else ([], "")
    return spans


def load(root: Path) -> list[TaggedSentence]:
    folder = root / FOLDER
    labels: dict[str, tuple[str, str]] = {}
    with (folder / "cameo_class" / "train.tsv").open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) == 2:
                labels[_key(row[0])] = (row[0], row[1].strip())
    out = []
    with (folder / "cameo_ner" / "train.txt").open(encoding="utf-8") as fh:
        for tokens, spans in read_conll(fh):
            hit = labels.get(_key("".join(tokens)))
            if hit:
                out.append(
                    TaggedSentence(
                        hit[0],
                        hit[1],
                        tuple(spans.get("S", ())),
                        tuple(spans.get("T", ())),
                        tuple(spans.get("R", ())),
                    )
                )
    return out


def spans_agree(ours: str, gold: str) -> bool:
    """Exact, same head noun, or at least one shared content word (the corpus README's overlap match)."""
    a, b = norm_name(ours), norm_name(gold)
    if not a or not b:
        return False
    if a == b or head_noun(a) == head_noun(b):
        return True
    return bool((set(a.split()) & set(b.split())) - _FUNCTION_WORDS)


def _role(ours: list[str], gold: tuple[str, ...]) -> Counts:
    return Counts(
        sum(any(spans_agree(o, g) for g in gold) for o in ours),
        sum(any(spans_agree(o, g) for o in ours) for g in gold),
        len(ours),
        len(gold),
    )


def score(sentences: list[TaggedSentence], sample: int | None, extract: Extract) -> dict[str, Any]:
    rng = random.Random(SAMPLE_SEED)
    conflict = [s for s in sentences if s.label == MATERIAL_CONFLICT]
    other = [s for s in sentences if s.label != MATERIAL_CONFLICT]
    if sample is not None:
        conflict = rng.sample(conflict, min(sample, len(conflict)))
        other = rng.sample(other, min(sample, len(other)))
    detect = actors = targets = Counts()
    swapped = judged = 0
    for s in conflict + other:
        events = [e for e in extract(s.text, None)["events"] if e["modality"] in ASSERTED_MODALITIES]
        attack = any(e["type"] in ATTACK_TYPES for e in events)
        positive = s.label == MATERIAL_CONFLICT
        detect += Counts(int(attack and positive), int(attack and positive), int(attack), int(positive))
        if not positive or not events:
            if positive:
                actors += Counts(0, 0, 0, len(s.sources + s.joint))
                targets += Counts(0, 0, 0, len(s.targets + s.joint))
            continue
        main = next((e for e in events if e["type"] in ATTACK_TYPES), events[0])
        ours_actor = [main["actor"]] if main.get("actor") else []
        ours_target = [main["target"]] if main.get("target") else []
        actors += _role(ours_actor, s.sources + s.joint)
        targets += _role(ours_target, s.targets + s.joint)
        if ours_actor and ours_target:
            judged += 1
            swapped += any(spans_agree(ours_actor[0], g) for g in s.targets) and any(
                spans_agree(ours_target[0], g) for g in s.sources
            )
    return {
        "conflict_sentences": len(conflict),
        "other_sentences": len(other),
        **detect.scores("attack_detection"),
        **actors.scores("actor"),
        **targets.scores("target"),
        "swap_rate": round(swapped / judged, 4) if judged else 0.0,
        "swap_judged": judged,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m fogwatch.evalsets.cameo", description=(__doc__ or "").splitlines()[0]
    )
    ap.add_argument("eval_data", type=Path, help="the eval-data folder (../shared/eval-data)")
    ap.add_argument("--sample", type=int, default=DEFAULT_SAMPLE, help="sentences per side (0 = all)")
    args = ap.parse_args(argv)
    try:
        sentences = load(args.eval_data)
    except OSError as exc:
        sys.stderr.write(
            f"error: cannot read the CAMEO corpus ({exc}); is {args.eval_data} the eval-data folder?\n"
        )
        return 2
    result = score(sentences, args.sample or None, extract_dict)
    sys.stdout.write(json.dumps({"set": "cameo", **result}) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
