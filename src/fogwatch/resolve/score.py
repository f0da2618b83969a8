"""Score resolution on a scenario set: ``python -m fogwatch.resolve.score scenarios/``.

The set is a directory with ``reports.jsonl`` (id, url, outlet, title, published, text)
and ``gold.json``: ``clusters`` (event → report ids), ``figure_conflicts`` (kind,
article, other_article) and ``contested`` (claim/counter article ids and a phrase of
each sentence). The reports are ingested with the real extractor into a temporary
store, resolved, and scored:

- B-cubed precision / recall / F1 of the clustering over the gold reports; a report's
  predicted event is the cluster of its lead (its first asserted event record: wire
  copy reports its event first), and, as a second figure, the cluster holding most of its
  records; a report with none is a cluster of its own;
- recall of the planted figure conflicts, and the precision of all flags raised;
- recall of the planted claim/denial pairs (either order), and the share of raised
  pairs that are planted ones (a floor on precision: the gold is not exhaustive).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from fogwatch.errors import FogwatchError
from fogwatch.resolve import resolve
from fogwatch.resolve.queries import list_contested, list_flags


@dataclass(frozen=True)
class Scores:
    reports: int
    extraction_errors: int
    gold_events: int
    predicted_events: int
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    majority_bcubed_precision: float
    majority_bcubed_recall: float
    majority_bcubed_f1: float
    figure_conflicts: int
    figure_conflict_recall: float
    flags: int
    flag_precision: float
    contested_pairs: int
    contested_recall: float
    pairs_raised: int
    pairs_planted_share: float
    missed: dict[str, list[str]]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def bcubed(gold: Mapping[str, str], predicted: Mapping[str, Any]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of ``predicted`` labels against ``gold`` labels (same keys)."""
    items = list(gold)
    if not items:
        return 0.0, 0.0, 0.0
    p_sum = r_sum = 0.0
    for i in items:
        same_pred = [j for j in items if predicted[j] == predicted[i]]
        same_gold = [j for j in items if gold[j] == gold[i]]
        both = sum(1 for j in same_pred if gold[j] == gold[i])
        p_sum += both / len(same_pred)
        r_sum += both / len(same_gold)
    p, r = p_sum / len(items), r_sum / len(items)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _predicted_events(conn: Any, ext_of: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Per report (input id): the cluster of its lead event, and the cluster most of its events joined."""
    votes: dict[str, Counter[int]] = {}
    lead: dict[str, tuple[int, int]] = {}
    for article_id, idx, cluster_id in conn.execute("SELECT article_id, idx, cluster_id FROM cluster_reports"):
        ext = ext_of[article_id]
        votes.setdefault(ext, Counter())[int(cluster_id)] += 1
        if ext not in lead or idx < lead[ext][0]:
            lead[ext] = (int(idx), int(cluster_id))
    majority = {ext: min(c, key=lambda k: (-c[k], k)) for ext, c in votes.items()}
    return {ext: cid for ext, (_, cid) in lead.items()}, majority


def _ratio(hit: int, total: int) -> float:
    return round(hit / total, 3) if total else 1.0


def score_store(store: Any, gold: Mapping[str, Any], extraction_errors: int = 0) -> Scores:
    """Score what ``store`` resolved against ``gold`` (reports known by their input ids)."""
    conn = store.conn
    ext_of = {r[0]: r[1] or r[0] for r in conn.execute("SELECT id, external_id FROM articles")}
    gold_label = {rid: event for event, ids in gold["clusters"].items() for rid in ids}
    by_lead, by_majority = _predicted_events(conn, ext_of)
    predicted = {rid: by_lead.get(rid, f"alone:{rid}") for rid in gold_label}
    p, r, f1 = bcubed(gold_label, predicted)
    mp, mr, mf1 = bcubed(gold_label, {rid: by_majority.get(rid, f"alone:{rid}") for rid in gold_label})
    missed: dict[str, list[str]] = {"figure_conflicts": [], "contested": []}

    flags = list_flags(conn)
    raised = {(f["kind"], frozenset((ext_of[f["article_id"]], ext_of[f["other_article_id"]]))) for f in flags}
    planted = {(c["kind"], frozenset((c["article"], c["other_article"]))) for c in gold["figure_conflicts"]}
    for c in gold["figure_conflicts"]:
        if (c["kind"], frozenset((c["article"], c["other_article"]))) not in raised:
            missed["figure_conflicts"].append(f"{c['kind']} {c['article']} / {c['other_article']}")
    flag_hits = sum(1 for key in raised if key in planted)

    pairs = list_contested(conn)
    found = 0
    matched_pairs: set[int] = set()
    for g in gold["contested"]:
        hit = None
        for pr in pairs:
            for claim, counter in (("claim", "counter"), ("counter", "claim")):
                if (ext_of[pr[f"{claim}_article_id"]] == g["claim_article"]
                        and ext_of[pr[f"{counter}_article_id"]] == g["counter_article"]
                        and g["claim_contains"] in pr[f"{claim}_sentence"]
                        and g["counter_contains"] in pr[f"{counter}_sentence"]):
                    hit = pr["pair_id"]
        if hit is None:
            missed["contested"].append(f"{g['claim_article']}: {g['claim_contains']} / "
                                       f"{g['counter_article']}: {g['counter_contains']}")
        else:
            found += 1
            matched_pairs.add(hit)
    return Scores(
        reports=len(gold_label), extraction_errors=extraction_errors, gold_events=len(gold["clusters"]), predicted_events=len(set(predicted.values())),
        bcubed_precision=round(p, 3), bcubed_recall=round(r, 3), bcubed_f1=round(f1, 3),
        majority_bcubed_precision=round(mp, 3), majority_bcubed_recall=round(mr, 3), majority_bcubed_f1=round(mf1, 3),
        figure_conflicts=len(planted), figure_conflict_recall=_ratio(len(planted) - len(missed["figure_conflicts"]),
                                                                     len(planted)),
        flags=len(raised), flag_precision=_ratio(flag_hits, len(raised)),
        contested_pairs=len(gold["contested"]), contested_recall=_ratio(found, len(gold["contested"])),
        pairs_raised=len(pairs), pairs_planted_share=_ratio(len(matched_pairs), len(pairs)),
        missed=missed,
    )


def score_dir(directory: Path, db: Path | None = None) -> Scores:
    """Ingest ``directory``'s reports into a fresh store (``db``, else a temporary file), resolve, score."""
    from fogwatch.pipeline import ingest
    from fogwatch.store import Store

    gold = json.loads((directory / "gold.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        path = db if db is not None else Path(tmp) / "scenarios.db"
        with Store(path) as store:
            summary = ingest([str(directory / "reports.jsonl")], store)
            resolve(store)
            return score_store(store, gold, summary.errors)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fogwatch.resolve.score", description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path, help="scenario directory (reports.jsonl + gold.json)")
    parser.add_argument("--db", type=Path, help="keep the resolved store in this file (must not exist)")
    args = parser.parse_args(argv)
    try:
        scores = score_dir(args.directory, args.db)
    except (FogwatchError, OSError, KeyError, ValueError) as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    sys.stdout.write(json.dumps(scores.to_dict(), indent=2) + "\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
