"""fogwatch benchmark: extractor speed (full and fast parse) against the plain spaCy pipeline.

    python bench/run.py [--articles N] [--seed S] [--no-jobs] [--jobs-articles N] [--jobs-rounds R] [--no-dev]
    python bench/run.py --memory 5000,50000     # peak RSS of `fogwatch ingest` (streaming)

Every measurement runs in its own subprocess (``--worker KIND``) so that its peak
resident memory (``ru_maxrss``) is its own; the model is loaded and warmed before
the clock starts. Prints one table: articles/s, words/s, ratio to the baseline,
peak RSS, and the dev-set F1 of every kind for the full and the fast parse.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402

from fogwatch.threads import single_threaded_blas  # noqa: E402

REPO = corpus.REPO
DEV = REPO.parent / "shared" / "eval" / "dev"
PY = sys.executable
FOGWATCH = str(Path(PY).with_name("fogwatch"))
KINDS = ("figures", "statements", "events", "places")
# Texts per nlp.pipe batch for the baseline (spaCy's default for Language.pipe is 1000;
# 64 keeps its memory comparable to the extractor's ingest batches).
BASELINE_BATCH = 64
# The --jobs 1 / --jobs 2 ingest timing: its corpus size and its runs of each, alternating.
JOBS_ARTICLES = 1000
# Four: on the shared bench host single --jobs 1 / --jobs 2 pairs ranged from 1.67x to 2.11x
# (2026-12-06), so fewer rounds cannot read the ratio to within a few percent.
JOBS_ROUNDS = 4


# --------------------------------------------------------------------------- workers


def _load(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def _words(docs: list[dict]) -> int:
    return sum(len(d["text"].split()) for d in docs)


def _warm(fast: bool) -> None:
    from fogwatch.extract import extract

    extract("Officials said 12 people were killed in an airstrike on Gaza City on Monday.", fast=fast)


def _guarded(extract, d: dict, **kw) -> int:
    """Extract one article; 1 if the extractor raised (counted and reported, as ingest does)."""
    try:
        extract(d["text"], d.get("published"), id=d["id"], **kw)
    except Exception as exc:  # noqa: BLE001 - a failing article is counted, the run goes on
        sys.stderr.write(f"{d['id']}: {type(exc).__name__}: {exc}\n")
        return 1
    return 0


def worker(kind: str, corpus_path: str) -> dict:
    docs = _load(corpus_path) if corpus_path else []
    failed = 0
    if kind == "baseline":
        import spacy

        from fogwatch.nlp import MODEL_NAME

        nlp = spacy.load(MODEL_NAME)  # every component, as shipped
        list(nlp.pipe(["Warm up the pipeline. Twice."]))
        t0 = time.perf_counter()
        for _ in nlp.pipe((d["text"] for d in docs), batch_size=BASELINE_BATCH):
            pass
        seconds = time.perf_counter() - t0
    elif kind in ("slow", "fast", "fast-blis"):
        # fast-blis: the fast parse with thinc's own blis gemm (the parent sets FOGWATCH_GEMM),
        # to show what numpy's BLAS (fogwatch.nlp_blas) adds.
        from fogwatch.extract import extract

        _warm(kind != "slow")
        t0 = time.perf_counter()
        if kind == "slow":
            for d in docs:
                failed += _guarded(extract, d)
        else:
            from fogwatch.nlp_fast import parse_many

            for d, doc in zip(docs, parse_many(d["text"] for d in docs), strict=True):
                failed += _guarded(extract, d, doc=doc)
        seconds = time.perf_counter() - t0
        if kind != "slow":
            from fogwatch.nlp_fast import plan

            plans = [plan(d["text"]) for d in docs]  # after the clock: what share went through the models
            parsed_share = sum(p.parsed_chars for p in plans) / max(1, sum(len(p.text) for p in plans))
            return {"articles": len(docs), "words": _words(docs), "seconds": seconds, "parsed_share": parsed_share,
                    "failed": failed, "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    elif kind == "rules":
        # The extractors' rule steps alone, on parses made before the clock starts: the ceiling
        # of any faster parse.
        from fogwatch.extract import extract
        from fogwatch.nlp import parse

        _warm(False)
        parsed = [parse(d["text"]) for d in docs]
        t0 = time.perf_counter()
        for d, doc in zip(docs, parsed, strict=True):
            failed += _guarded(extract, d, doc=doc)
        seconds = time.perf_counter() - t0
    elif kind == "null-ingest":
        # Readers, de-duplication and batched writes as in `fogwatch ingest`, extraction replaced by
        # an empty record: what memory the streaming path itself holds, at any corpus size.
        import tempfile as tf

        from fogwatch.model import ArticleRecord
        from fogwatch.pipeline import ingest
        from fogwatch.store import Store

        with tf.TemporaryDirectory() as tmp:
            store = Store(Path(tmp) / "null.db", create=True)
            t0 = time.perf_counter()
            summary = ingest([corpus_path], store, extractor=lambda a: ArticleRecord(id=a.id, published=a.published))
            seconds = time.perf_counter() - t0
            store.close()
        return {"articles": summary.articles_added, "seconds": seconds,
                "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    elif kind in ("dev-slow", "dev-fast"):
        from fogwatch.evaluate import evaluate, load_gold
        from fogwatch.extract import extract

        fast = kind == "dev-fast"
        report = evaluate(
            load_gold(DEV),
            lambda g: extract(g["text"], g.get("published"), id=g.get("id"), fast=fast).to_dict(),
        )
        return {"f1": {k: report.tallies[k].f1 for k in KINDS}, "articles": report.articles}
    else:
        raise SystemExit(f"unknown worker {kind}")
    return {
        "articles": len(docs),
        "words": _words(docs),
        "seconds": seconds,
        "failed": failed,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


# --------------------------------------------------------------------------- parent


def run_child(args: list[str], ok: tuple[int, ...] = (0,), env: dict[str, str] | None = None,
              ) -> tuple[str, float, float]:
    """Run a command; (stdout, wall seconds, peak RSS in MB of the child and its waited children)."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(args, stdout=out, stderr=err, cwd=REPO, env={**os.environ, **(env or {})})
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        text, errors = out.read().decode(), err.read().decode(errors="replace")
    if proc.returncode not in ok:
        raise SystemExit(f"{' '.join(args)} failed with {proc.returncode}:\n{errors[-2000:]}")
    return text, wall, usage.ru_maxrss / 1024


def measure(kind: str, corpus_path: str) -> dict:
    from fogwatch.nlp_blas import GEMM_ENV  # imports numpy: only after single_threaded_blas()

    env = {GEMM_ENV: "blis"} if kind == "fast-blis" else None
    text, _wall, rss = run_child([PY, __file__, "--worker", kind, "--corpus", corpus_path], env=env)
    result = json.loads(text.strip().splitlines()[-1])
    result["maxrss_mb"] = max(result.get("maxrss_mb", 0.0), rss)
    return result


def ingest_time(corpus_path: str, jobs: int, workdir: Path, extra: list[str] | None = None) -> tuple[float, float]:
    db = workdir / f"jobs{jobs}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    _out, wall, rss = run_child([FOGWATCH, "--db", str(db), "ingest", corpus_path, "--no-progress",
                                 "--jobs", str(jobs), "--summary-format", "json", *(extra or [])],
                                ok=(0, 1))  # ingest exits 1 when some input failed
    return wall, rss


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0]
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, load average {load:.1f}"


def bench(n: int, seed: int, jobs: bool, dev: bool, ceiling: bool, jobs_n: int = JOBS_ARTICLES,
          jobs_rounds: int = JOBS_ROUNDS) -> None:
    docs = corpus.build(n, seed)
    sources = {}
    for d in docs:
        sources[d.source] = sources.get(d.source, 0) + 1
    with tempfile.TemporaryDirectory(prefix="fogwatch-bench-") as tmp:
        path = str(corpus.write_jsonl(docs, Path(tmp) / "corpus.jsonl"))
        print(f"machine: {machine()}")
        print(f"corpus: {len(docs)} articles, {sum(len(d.text.split()) for d in docs)} words, "
              f"seed {seed}: " + ", ".join(f"{k} {v}" for k, v in sorted(sources.items())))
        kinds = ("baseline", "slow", "fast", "fast-blis", "rules") if ceiling else ("baseline", "slow", "fast")
        rows = {kind: measure(kind, path) for kind in kinds}
        base = rows["baseline"]["articles"] / rows["baseline"]["seconds"]
        print()
        print(f"{'run':<34} {'art/s':>7} {'words/s':>9} {'x base':>7} {'peak RSS MB':>12}")
        labels = {"baseline": "baseline: spaCy full pipeline", "slow": "fogwatch extract (full parse)",
                  "fast": "fogwatch extract (fast parse)", "fast-blis": "  same, thinc's blis gemm",
                  "rules": "extractor rules alone (no parse)"}
        for kind, r in rows.items():
            aps = r["articles"] / r["seconds"]
            failed = f"  ({r['failed']} articles raised)" if r.get("failed") else ""
            print(f"{labels[kind]:<34} {aps:7.2f} {r['words'] / r['seconds']:9.0f} {aps / base:7.2f} "
                  f"{r['maxrss_mb']:12.0f}{failed}")
        print(f"fast parse: {rows['fast']['parsed_share']:.0%} of the characters went through the statistical "
              "pipeline (sentences with a record anchor)")
        if dev and DEV.exists():
            f1 = {kind: measure(f"dev-{kind}", "")["f1"] for kind in ("slow", "fast")}
            print()
            print(f"dev F1 ({DEV}):")
            print(f"{'kind':<11} {'full':>6} {'fast':>6} {'diff':>7}")
            for k in KINDS:
                print(f"{k:<11} {f1['slow'][k]:6.3f} {f1['fast'][k]:6.3f} {f1['fast'][k] - f1['slow'][k]:+7.3f}")
        if jobs:
            # Its own, larger corpus: with ~150 articles the one-off start-up (interpreter, spaCy
            # import, one model load per worker, ~3 s) is a fifth of the run and hides the speed-up.
            big = docs if jobs_n <= len(docs) else corpus.build(jobs_n, seed)
            jpath = path if big is docs else str(corpus.write_jsonl(big, Path(tmp) / "jobs.jsonl"))
            print()
            print(f"ingest corpus: {len(big)} articles (same mix and seed), whole command timed")
            # Alternated (1, 2, 2, 1, ...): this shared machine's speed drifts by 10% within minutes,
            # and a fixed order would charge the drift to one side of the ratio.
            times: dict[int, list[float]] = {1: [], 2: []}
            rss: dict[int, float] = {1: 0.0, 2: 0.0}
            for r in range(jobs_rounds):
                for j in ((1, 2) if r % 2 == 0 else (2, 1)):
                    wall, peak = ingest_time(jpath, j, Path(tmp))
                    times[j].append(wall)
                    rss[j] = max(rss[j], peak)
            t1, t2 = (sum(times[j]) / len(times[j]) for j in (1, 2))
            each = {j: ", ".join(f"{t:.1f}" for t in times[j]) for j in (1, 2)}
            print(f"fogwatch ingest --jobs 1: {t1:6.1f} s ({len(big) / t1:.2f} art/s, peak RSS {rss[1]:.0f} MB)"
                  f"  runs: {each[1]}")
            print(f"fogwatch ingest --jobs 2: {t2:6.1f} s ({len(big) / t2:.2f} art/s, "
                  f"largest process {rss[2]:.0f} MB)  runs: {each[2]}")
            print(f"speed-up --jobs 2 over --jobs 1: {t1 / t2:.2f}x (mean of {jobs_rounds} runs each, "
                  "alternating order)")


def memory(sizes: list[int], seed: int, fast: bool, real_max: int) -> None:
    """Peak RSS of `fogwatch ingest` (full extraction) up to ``real_max`` articles, and of the
    same streaming ingest with extraction stubbed out at every size."""
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="fogwatch-mem-") as tmp:
        for n in sizes:
            path = corpus.stream_jsonl(n, Path(tmp) / f"mem{n}.jsonl", seed)
            r = measure("null-ingest", str(path))
            print(f"ingest {n} articles, extraction stubbed: peak RSS {r['maxrss_mb']:.0f} MB, "
                  f"{r['seconds']:.0f} s, {r['articles']} stored", flush=True)
            if n <= real_max:
                db = Path(tmp) / f"mem{n}.db"
                cmd = [FOGWATCH, "--db", str(db), "ingest", str(path), "--no-progress", "--summary-format", "json"]
                _out, wall, rss = run_child(cmd + (["--fast"] if fast else []), ok=(0, 1))
                print(f"fogwatch ingest {n} articles{' --fast' if fast else ''}: peak RSS {rss:.0f} MB, "
                      f"{wall:.0f} s ({n / wall:.1f} art/s)", flush=True)
            path.unlink()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=200, help="corpus size (default 200)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-jobs", action="store_true", help="skip the --jobs 1 / --jobs 2 ingest timing")
    ap.add_argument("--jobs-articles", type=int, default=JOBS_ARTICLES,
                    help="corpus size of the --jobs 1 / --jobs 2 ingest timing (default %(default)s; at least --articles)")
    ap.add_argument("--jobs-rounds", type=int, default=JOBS_ROUNDS,
                    help="timed runs of each of --jobs 1 and --jobs 2, in alternating order (default %(default)s)")
    ap.add_argument("--no-dev", action="store_true", help="skip the dev-set F1")
    ap.add_argument("--ceiling", action="store_true",
                    help="also time the extractor rules alone on ready parses (the limit of any faster parse)")
    ap.add_argument("--memory", help="comma-separated corpus sizes for the ingest memory run, e.g. 5000,50000")
    ap.add_argument("--fast", action="store_true", help="memory run with the fast parse")
    ap.add_argument("--real-max", type=int, default=5000,
                    help="largest memory-run size given full extraction (larger sizes: stubbed only)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--corpus", default="", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    # Every run, the baseline's included, with one BLAS thread, as `fogwatch` itself runs
    # (fogwatch.threads); set before any child or worker imports numpy.
    single_threaded_blas()
    if args.worker:
        sys.stdout.write(json.dumps(worker(args.worker, args.corpus)) + "\n")
        return 0
    if args.memory:
        memory([int(x) for x in args.memory.split(",")], args.seed, args.fast, args.real_max)
        return 0
    bench(args.articles, args.seed, not args.no_jobs, not args.no_dev, args.ceiling, args.jobs_articles,
          max(1, args.jobs_rounds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
