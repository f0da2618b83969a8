"""PolNeAR (political news attribution relations) → the guide's gold format, and its scores.

PolNeAR v1.0.0 (Newell, Margolin & Ruths, LREC 2018) annotates every attribution
of US election news (2015-16) with brat standoff spans: Source, Cue, Content.
This module reads a copy of the corpus where it lies (nothing is copied into the
repository) and turns each article into a gold dict of ``eval/GUIDE.md``: one
statement per attribution with ``speaker`` = the Source text, ``cue`` = the Cue
text, ``quote`` = the Content text (its longest piece when discontinuous) and
``direct`` = whether the content sits inside quotation marks. PolNeAR has no
stance, so stance is left out of its scores.

PolNeAR also annotates beliefs, intentions and sourceless attributions ("it was
reported that"), broader than the guide's statements; ``speech_only`` keeps the
attributions with a source whose cue is one of fogwatch's reporting verbs or
source phrases (``resources/speech``), for a fairer recall.

    python -m fogwatch.evalsets.polnear /path/to/polnear --split dev --sample 30 [--speech-only]
"""

from __future__ import annotations

import argparse
import csv
import functools
import random
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from fogwatch.errors import FogwatchError

_QUOTE_OPEN = "\"“‘«"
_WORD = re.compile(r"[A-Za-z’']+")
# Pronoun sources ("he said") are resolved to names by fogwatch but written as
# pronouns in PolNeAR: scored apart, as the corpus README suggests.
PRONOUNS = frozenset({"he", "she", "it", "they", "i", "we", "you", "him", "her", "them"})
# The sample is drawn with this seed so that scores are comparable between runs.
SAMPLE_SEED = 13


@dataclass(frozen=True)
class _Piece:
    label: str
    spans: tuple[tuple[int, int], ...]


def _parse_ann(ann: str) -> tuple[dict[str, _Piece], list[dict[str, str]]]:
    pieces: dict[str, _Piece] = {}
    relations: list[dict[str, str]] = []
    for line in ann.splitlines():
        if line.startswith("T"):
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            head = parts[1].split(" ", 1)
            if len(head) < 2:
                continue
            spans = []
            for chunk in head[1].split(";"):
                nums = chunk.split()
                if len(nums) == 2 and nums[0].isdigit() and nums[1].isdigit():
                    spans.append((int(nums[0]), int(nums[1])))
            pieces[parts[0]] = _Piece(head[0], tuple(spans))
        elif line.startswith("E"):
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            roles = {}
            for item in parts[1].split():
                if ":" in item:
                    role, ref = item.split(":", 1)
                    roles[role] = ref
            relations.append(roles)
    return pieces, relations


def _text_of(text: str, piece: _Piece | None) -> tuple[str | None, tuple[int, int] | None]:
    if piece is None or not piece.spans:
        return None, None
    start, end = max(piece.spans, key=lambda s: s[1] - s[0])
    return text[start:end], (start, end)


def _is_direct(text: str, start: int, end: int) -> bool:
    inner = text[start:end].strip()
    if inner[:1] in _QUOTE_OPEN:
        return True
    i = start - 1
    while i >= 0 and text[i] == " ":
        i -= 1
    return i >= 0 and text[i] in _QUOTE_OPEN


@functools.lru_cache(maxsize=1)
def _speech_forms() -> frozenset[str]:
    """Word forms of fogwatch's cue lemmas (regular inflections plus ``irregular_forms.csv``)."""
    base = resources.files("fogwatch.resources").joinpath("speech")
    lemmas = set()
    for row in csv.reader(base.joinpath("cues.csv").read_text(encoding="utf-8").splitlines()):
        if row and not row[0].startswith("#"):
            lemmas.add(row[0].split()[0])   # "call for" -> "call"
    for line in base.joinpath("source_phrases.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            lemmas.add(line.split()[0].lower())
    forms = set()
    for lemma in lemmas:
        stem_e = lemma[:-1] if lemma.endswith("e") else lemma
        stem_y = lemma[:-1] + "i" if lemma.endswith("y") else lemma
        forms |= {lemma, lemma + "s", lemma + "es", stem_y + "es", stem_e + "ed", stem_y + "ed",
                  stem_e + "ing", lemma + "ing", lemma + "d"}
    for row in csv.reader(base.joinpath("irregular_forms.csv").read_text(encoding="utf-8").splitlines()):
        if len(row) >= 2 and not row[0].startswith("#"):
            forms.update(f.strip() for f in row[1:])
    return frozenset(forms)


def is_speech_cue(cue: str | None) -> bool:
    """Whether a PolNeAR cue contains one of fogwatch's reporting verbs or source phrases."""
    if not cue:
        return False
    return any(w.lower() in _speech_forms() for w in _WORD.findall(cue))


def convert(text: str, ann: str, article_id: str, speech_only: bool = False) -> dict[str, Any]:
    """One article and its ``.ann`` → a gold dict in the guide's format (statements only)."""
    pieces, relations = _parse_ann(ann)
    statements = []
    for rel in relations:
        content, content_span = _text_of(text, pieces.get(rel.get("Content", "")))
        if content is None or content_span is None or not content.strip():
            continue
        speaker, speaker_span = _text_of(text, pieces.get(rel.get("Source", "")))
        cue, _ = _text_of(text, pieces.get(rel.get("Cue", "")))
        if speech_only and (speaker is None or not is_speech_cue(cue)):
            continue
        statements.append({
            "speaker": speaker,
            "speaker_span": list(speaker_span) if speaker_span else None,
            "cue": cue,
            "quote": content,
            "direct": _is_direct(text, *content_span),
            "stance": None,
        })
    return {"id": article_id, "url": None, "outlet": article_id.split("_", 1)[0], "published": None,
            "conflict": "other", "text": text, "figures": [], "statements": statements, "events": [],
            "places": []}


def _first_annotator(root: Path) -> dict[str, str]:
    """filename → the first annotator listed for it in ``metadata.tsv``."""
    meta = root / "metadata.tsv"
    if not meta.is_file():
        raise FogwatchError(f"{meta}: missing (is {root} a PolNeAR copy?)")
    out = {}
    with meta.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            annotators = (row.get("annotators") or "").split("|")
            if row.get("filename") and annotators and annotators[0]:
                out[row["filename"]] = annotators[0]
    return out


def load(root: str | Path, split: str = "dev", sample: int | None = None,
         speech_only: bool = False) -> Iterator[dict[str, Any]]:
    """Gold dicts for a split, one annotation per article (the first annotator), optionally a seeded sample."""
    root = Path(root)
    folder = root / split
    if not (folder / "text").is_dir():
        raise FogwatchError(f"{folder}: no text/ folder (split {split!r} not found)")
    first = _first_annotator(root)
    names = sorted(p.stem for p in (folder / "text").glob("*.txt"))
    if sample is not None and sample < len(names):
        names = sorted(random.Random(SAMPLE_SEED).sample(names, sample))
    for name in names:
        annotator = first.get(name)
        ann_path = folder / "attributions" / f"{name}_{annotator}.ann"
        if annotator is None or not ann_path.is_file():
            found = sorted((folder / "attributions").glob(f"{name}_*.ann"))
            if not found:
                continue
            ann_path = found[0]
        text = (folder / "text" / f"{name}.txt").read_text(encoding="utf-8")
        yield convert(text, ann_path.read_text(encoding="utf-8"), name, speech_only)


def score(golds: list[dict[str, Any]], predict: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> dict[str, float]:
    """Statement P/R/F1 and speaker figures (fogwatch's matching rules) over converted gold."""
    from fogwatch.evaluate import evaluate

    predictions: dict[str, dict[str, Any]] = {}

    def remember(g: dict[str, Any]) -> dict[str, Any]:
        if predict is None:
            from fogwatch.extract import extract

            p = extract(g["text"], None, id=g["id"]).to_dict()
        else:
            p = predict(g)
        predictions[g["id"]] = p
        return p

    report = evaluate(golds, remember)
    summary = report.tallies["statements"].summary()
    out = {k: summary[k] for k in ("precision", "recall", "f1", "speaker_accuracy", "speaker_f1") if k in summary}
    out.update(tp=summary.get("tp", 0), pred=summary.get("pred", 0), gold=summary.get("gold", 0))
    # speaker accuracy where PolNeAR names the source (not a pronoun): the same scoring over
    # gold without pronoun-sourced statements, reusing the predictions made above
    named = [{**g, "statements": [s for s in g["statements"]
                                  if s["speaker"] and s["speaker"].strip().lower() not in PRONOUNS]} for g in golds]
    named_report = evaluate(named, lambda g: predictions[g["id"]])
    out["named_speaker_accuracy"] = named_report.tallies["statements"].summary().get("speaker_accuracy", 0.0)
    out["articles"] = len(golds)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m fogwatch.evalsets.polnear", description=__doc__.splitlines()[0])
    ap.add_argument("root", help="the PolNeAR folder (holding metadata.tsv and dev/, train/ ...)")
    ap.add_argument("--split", default="dev")
    ap.add_argument("--sample", type=int, default=None, help="score a seeded sample of this many articles")
    ap.add_argument("--speech-only", action="store_true", help="keep attributions with a source and a speech cue")
    args = ap.parse_args(argv)
    try:
        golds = list(load(args.root, args.split, args.sample, args.speech_only))
    except FogwatchError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    result = score(golds)
    sys.stdout.write("  ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in result.items()) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
