"""Score extractor output against gold files in the format of ``eval/GUIDE.md``.

Matching rules (fixed, so figures stay comparable across versions):

- figure: values equal and spans overlap;
- statement: the prediction covers at least half of the gold quote span and at
  least 30% of the predicted span lies inside the gold span;
- event: types equal and spans overlap;
- place: names match (the name rule below);
- pairs are matched one-to-one, greedily by overlap (largest first);
- names (speakers, sources, locations) compare case-, punctuation- and
  "the"-insensitively, matching when at least 60% of the shorter name's words
  are in the other.

Run: ``python -m fogwatch.evaluate GOLD_DIR [--kind K] [--errors] [--json]``
or ``fogwatch eval GOLD_DIR``.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KINDS = ("figures", "statements", "events", "places")

# Share of the shorter name's words that must appear in the other (issue 3).
NAME_WORD_SHARE = 0.6
# Statement matching thresholds (issue 3).
STATEMENT_GOLD_COVER = 0.5
STATEMENT_PRED_INSIDE = 0.3
# A geocoded place counts as "near" its gold point within this distance.
NEAR_KM = 25.0

_WORD = re.compile(r"\w+", re.UNICODE)


# --------------------------------------------------------------------------- names


def name_words(name: str | None) -> list[str]:
    """Words of a name, folded: case, accents and punctuation dropped, "the" removed."""
    if not name:
        return []
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    folded = folded.replace("'s", " ").replace("\u2019s", " ")
    return [w for w in _WORD.findall(folded) if w != "the"]


def names_match(a: str | None, b: str | None) -> bool:
    """The issue's name rule; two empty names match, an empty and a non-empty do not."""
    wa, wb = name_words(a), name_words(b)
    if not wa and not wb:
        return True
    if not wa or not wb:
        return False
    shorter, longer = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    longer_set = set(longer)
    hits = sum(1 for w in shorter if w in longer_set)
    return hits / len(shorter) >= NAME_WORD_SHARE


def name_similarity(a: str | None, b: str | None) -> float:
    wa, wb = name_words(a), name_words(b)
    if not wa or not wb:
        return 0.0
    shorter, longer = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    longer_set = set(longer)
    return sum(1 for w in shorter if w in longer_set) / len(shorter)


# --------------------------------------------------------------------------- spans


def find_spans(text: str, quote: str | None) -> list[tuple[int, int]]:
    """Every occurrence of a gold quote in the text (gold quotes are verbatim substrings)."""
    if not quote:
        return []
    spans = []
    i = text.find(quote)
    while i != -1:
        spans.append((i, i + len(quote)))
        i = text.find(quote, i + 1)
    return spans


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def best_overlap(pred: tuple[int, int], golds: Sequence[tuple[int, int]]) -> tuple[int, tuple[int, int] | None]:
    best, where = 0, None
    for g in golds:
        o = overlap(pred, g)
        if o > best:
            best, where = o, g
    return best, where


# --------------------------------------------------------------------------- matching


def greedy_match(
    preds: Sequence[Any], golds: Sequence[Any], score: Callable[[Any, Any], float]
) -> list[tuple[int, int]]:
    """One-to-one pairs (pred index, gold index), the highest-scoring first; score <= 0 never pairs."""
    candidates = []
    for i, p in enumerate(preds):
        for j, g in enumerate(golds):
            s = score(p, g)
            if s > 0:
                candidates.append((s, i, j))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _s, i, j in candidates:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        pairs.append((i, j))
    return pairs


def _pred_span(item: dict[str, Any]) -> tuple[int, int]:
    return int(item["start"]), int(item["end"])


def _figure_score(text: str) -> Callable[[dict, dict], float]:
    def score(p: dict, g: dict) -> float:
        if p.get("value") != g.get("value"):
            return 0.0
        o, _ = best_overlap(_pred_span(p), find_spans(text, g.get("quote")))
        return float(o)

    return score


def _statement_score(text: str) -> Callable[[dict, dict], float]:
    def score(p: dict, g: dict) -> float:
        ps = _pred_span(p)
        plen = max(1, ps[1] - ps[0])
        best = 0.0
        for gs in find_spans(text, g.get("quote")):
            glen = max(1, gs[1] - gs[0])
            o = overlap(ps, gs)
            if o / glen >= STATEMENT_GOLD_COVER and o / plen >= STATEMENT_PRED_INSIDE:
                best = max(best, float(o))
        return best

    return score


def _event_score(text: str) -> Callable[[dict, dict], float]:
    def score(p: dict, g: dict) -> float:
        if p.get("type") != g.get("type"):
            return 0.0
        o, _ = best_overlap(_pred_span(p), find_spans(text, g.get("quote")))
        return float(o)

    return score


def _place_score(p: dict, g: dict) -> float:
    if not names_match(p.get("name"), g.get("name")):
        return 0.0
    return name_similarity(p.get("name"), g.get("name"))


# --------------------------------------------------------------------------- tallies


@dataclass
class Tally:
    """Counts for one kind: matches, predictions, gold; plus per-attribute agreement on matches."""

    tp: int = 0
    pred: int = 0
    gold: int = 0
    attrs: dict[str, list[int]] = field(default_factory=dict)  # name -> [right, total]
    strict: dict[str, int] = field(default_factory=dict)  # name -> matches with that attribute right
    extra: dict[str, list[float]] = field(default_factory=dict)  # name -> [numerator, denominator]

    def add_attr(self, name: str, right: bool) -> None:
        r = self.attrs.setdefault(name, [0, 0])
        r[0] += int(right)
        r[1] += 1

    def add_strict(self, name: str, right: bool) -> None:
        self.strict[name] = self.strict.get(name, 0) + int(right)

    def add_extra(self, name: str, num: float, den: float) -> None:
        r = self.extra.setdefault(name, [0.0, 0.0])
        r[0] += num
        r[1] += den

    @property
    def precision(self) -> float:
        return self.tp / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        return _f1(self.tp, self.pred, self.gold)

    def strict_f1(self, name: str) -> float:
        return _f1(self.strict.get(name, 0), self.pred, self.gold)

    def accuracy(self, name: str) -> float:
        right, total = self.attrs.get(name, [0, 0])
        return right / total if total else 0.0

    def summary(self) -> dict[str, float]:
        out: dict[str, float] = {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "pred": self.pred,
            "gold": self.gold,
        }
        for name in sorted(self.attrs):
            out[f"{name}_accuracy"] = round(self.accuracy(name), 4)
        for name in sorted(self.strict):
            out[f"{name}_f1"] = round(self.strict_f1(name), 4)
        for name, (num, den) in sorted(self.extra.items()):
            out[name] = round(num / den, 4) if den else 0.0
        return out


def _f1(tp: int, pred: int, gold: int) -> float:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    rlat1, rlat2 = math.radians(lat1), math.radians(lat2)
    dlat, dlon = rlat2 - rlat1, math.radians(lon2 - lon1)
    a = math.sin(dlat / 2) ** 2 + math.cos(rlat1) * math.cos(rlat2) * math.sin(dlon / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


# Attributes scored on matched pairs, and the "also right" F1s, per kind: always reported.
ATTRIBUTES = {
    "figures": ("metric", "bound", "scope", "source", "victims", "disputed_by"),
    "statements": ("speaker", "stance", "direct", "cue"),
    "events": ("location", "date", "mode", "actor", "target"),
    "places": ("kind",),
}
STRICT = {"figures": ("metric_bound",), "statements": ("speaker",)}
EXTRA = {"places": ("geocoded", "within_25km")}


def new_tallies() -> dict[str, Tally]:
    """Empty tallies with every reported attribute present (so a zero shows as 0, not as missing)."""
    tallies = {}
    for k in KINDS:
        t = Tally()
        t.attrs = {a: [0, 0] for a in ATTRIBUTES.get(k, ())}
        t.strict = {a: 0 for a in STRICT.get(k, ())}
        t.extra = {a: [0.0, 0.0] for a in EXTRA.get(k, ())}
        tallies[k] = t
    return tallies


# --------------------------------------------------------------------------- scoring one article


@dataclass
class Mistake:
    """A miss (gold not found) or a false positive (prediction with no gold), for --errors."""

    article: str
    kind: str
    what: str  # "miss" | "false" | "attr"
    detail: str


def score_article(
    gold: dict[str, Any], pred: dict[str, Any], tallies: dict[str, Tally], mistakes: list[Mistake] | None = None
) -> None:
    """Add one article's comparison to ``tallies`` (and its mistakes to ``mistakes``)."""
    text = gold["text"]
    aid = gold.get("id", "?")

    def note(kind: str, what: str, detail: str) -> None:
        if mistakes is not None:
            mistakes.append(Mistake(aid, kind, what, detail))

    def run(kind: str, scorer: Callable[[dict, dict], float], on_pair: Callable[[dict, dict], None],
            show: Callable[[dict], str]) -> None:
        preds, golds = pred.get(kind, []) or [], gold.get(kind, []) or []
        t = tallies[kind]
        t.pred += len(preds)
        t.gold += len(golds)
        pairs = greedy_match(preds, golds, scorer)
        t.tp += len(pairs)
        for i, j in pairs:
            on_pair(preds[i], golds[j])
        matched_p = {i for i, _ in pairs}
        matched_g = {j for _, j in pairs}
        for j, g in enumerate(golds):
            if j not in matched_g:
                note(kind, "miss", show(g))
        for i, p in enumerate(preds):
            if i not in matched_p:
                note(kind, "false", show(p))

    # figures
    ft = tallies["figures"]

    def on_figure(p: dict, g: dict) -> None:
        metric_ok = p.get("metric") == g.get("metric")
        bound_ok = p.get("bound") == g.get("bound")
        source_ok = names_match(p.get("source"), g.get("source"))
        ft.add_attr("metric", metric_ok)
        ft.add_attr("bound", bound_ok)
        ft.add_attr("scope", p.get("scope") == g.get("scope"))
        ft.add_attr("source", source_ok)
        ft.add_attr("victims", names_match(p.get("victims"), g.get("victims")))
        ft.add_attr("disputed_by", names_match(p.get("disputed_by"), g.get("disputed_by")))
        ft.add_strict("metric_bound", metric_ok and bound_ok)
        for attr, ok in (("metric", metric_ok), ("bound", bound_ok), ("scope", p.get("scope") == g.get("scope")),
                         ("source", source_ok)):
            if not ok:
                note("figures", "attr", f"{attr}: got {p.get(attr)!r} want {g.get(attr)!r} | {g.get('quote')!r}")

    run("figures", _figure_score(text), on_figure,
        lambda x: f"{x.get('value')} {x.get('metric')} | {x.get('quote')!r} src={x.get('source')!r}")

    # statements
    st = tallies["statements"]

    def on_statement(p: dict, g: dict) -> None:
        speaker_ok = names_match(p.get("speaker"), g.get("speaker"))
        st.add_attr("speaker", speaker_ok)
        st.add_attr("stance", p.get("stance") == g.get("stance"))
        st.add_attr("direct", bool(p.get("direct")) == bool(g.get("direct")))
        st.add_attr("cue", names_match(p.get("cue"), g.get("cue")))
        st.add_strict("speaker", speaker_ok)
        if not speaker_ok:
            note("statements", "attr", f"speaker: got {p.get('speaker')!r} want {g.get('speaker')!r} | {g.get('quote')!r}")
        if p.get("stance") != g.get("stance"):
            note("statements", "attr", f"stance: got {p.get('stance')!r} want {g.get('stance')!r} | {g.get('quote')!r}")

    run("statements", _statement_score(text), on_statement,
        lambda x: f"[{x.get('speaker')} / {x.get('cue')} / {x.get('stance')}] {x.get('quote')!r}")

    # events
    et = tallies["events"]

    def on_event(p: dict, g: dict) -> None:
        loc_ok = names_match(p.get("location"), g.get("location"))
        date_ok = (p.get("date") or None) == (g.get("date") or None)
        et.add_attr("location", loc_ok)
        et.add_attr("date", date_ok)
        et.add_attr("mode", p.get("mode") == g.get("mode"))
        et.add_attr("actor", names_match(p.get("actor"), g.get("actor")))
        et.add_attr("target", names_match(p.get("target"), g.get("target")))
        for attr, ok in (("location", loc_ok), ("date", date_ok), ("mode", p.get("mode") == g.get("mode"))):
            if not ok:
                note("events", "attr", f"{attr}: got {p.get(attr)!r} want {g.get(attr)!r} | {g.get('quote')!r}")

    run("events", _event_score(text), on_event,
        lambda x: f"{x.get('type')}/{x.get('mode')} | {x.get('quote')!r}")

    # places
    pt = tallies["places"]
    for p in pred.get("places", []) or []:
        pt.add_extra("geocoded", 1.0 if p.get("lat") is not None and p.get("lon") is not None else 0.0, 1.0)

    def on_place(p: dict, g: dict) -> None:
        pt.add_attr("kind", p.get("kind") == g.get("kind"))
        if g.get("lat") is not None and p.get("lat") is not None:
            near = _km(p["lat"], p["lon"], g["lat"], g["lon"]) <= NEAR_KM
            pt.add_extra("within_25km", 1.0 if near else 0.0, 1.0)
            if not near:
                note("places", "attr", f"coords: got ({p['lat']}, {p['lon']}) want ({g['lat']}, {g['lon']}) | {g.get('name')!r}")
        if p.get("kind") != g.get("kind"):
            note("places", "attr", f"kind: got {p.get('kind')!r} want {g.get('kind')!r} | {g.get('name')!r}")

    run("places", _place_score, on_place, lambda x: f"{x.get('name')!r} ({x.get('kind')})")


# --------------------------------------------------------------------------- running


@dataclass
class Report:
    tallies: dict[str, Tally]
    articles: int
    mistakes: list[Mistake]

    def as_dict(self) -> dict[str, Any]:
        return {"articles": self.articles, **{k: self.tallies[k].summary() for k in KINDS}}


def load_gold(gold_dir: str | Path) -> list[dict[str, Any]]:
    """Gold files (``*.json``) of a directory, sorted by name."""
    files = sorted(Path(gold_dir).glob("*.json"))
    return [json.loads(f.read_text(encoding="utf-8")) for f in files]


def evaluate(gold: Iterable[dict[str, Any]], predict: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> Report:
    """Score ``predict(gold_article) -> extract-contract dict`` over gold articles (default: fogwatch.extract)."""
    if predict is None:
        predict = _extract_prediction
    tallies = new_tallies()
    mistakes: list[Mistake] = []
    n = 0
    for g in gold:
        score_article(g, predict(g), tallies, mistakes)
        n += 1
    return Report(tallies, n, mistakes)


def _extract_prediction(gold: dict[str, Any]) -> dict[str, Any]:
    from fogwatch.extract import extract

    return extract(gold["text"], gold.get("published"), id=gold.get("id")).to_dict()


def format_report(report: Report) -> str:
    """A plain-text table: P/R/F1 per kind, then attribute figures."""
    lines = [f"articles: {report.articles}", "", f"{'kind':<11} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'pred':>5} {'gold':>5}"]
    for k in KINDS:
        t = report.tallies[k]
        lines.append(f"{k:<11} {t.precision:6.3f} {t.recall:6.3f} {t.f1:6.3f} {t.tp:5d} {t.pred:5d} {t.gold:5d}")
    lines.append("")
    for k in KINDS:
        s = report.tallies[k].summary()
        extra = {n: v for n, v in s.items() if n not in ("precision", "recall", "f1", "tp", "pred", "gold")}
        if extra:
            lines.append(f"{k}: " + "  ".join(f"{n}={v:.3f}" for n, v in extra.items()))
    return "\n".join(lines)


def format_mistakes(mistakes: Iterable[Mistake], kind: str | None = None) -> str:
    return "\n".join(
        f"{m.article:<10} {m.kind:<10} {m.what:<5} {m.detail}" for m in mistakes if kind is None or m.kind == kind
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m fogwatch.evaluate", description=__doc__.splitlines()[0])
    ap.add_argument("gold_dir")
    ap.add_argument("--kind", choices=KINDS)
    ap.add_argument("--errors", action="store_true", help="list misses, false positives and wrong attributes")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    report = evaluate(load_gold(args.gold_dir))
    if args.json:
        sys.stdout.write(json.dumps(report.as_dict(), indent=2) + "\n")
    else:
        sys.stdout.write(format_report(report) + "\n")
    if args.errors:
        sys.stdout.write("\n" + format_mistakes(report.mistakes, args.kind) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
