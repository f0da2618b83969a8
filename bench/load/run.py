"""Load test of the fogwatch API: list-endpoint latency, then many concurrent clients while an ingest runs.

    .venv/bin/python bench/load/run.py --db /tmp/fw_big.db [--clients 50] [--seconds 60]
        [--ingest articles.jsonl] [--probe 40] [--json report.json]

1. **probe**: each list endpoint (and a filtered / deep-page variant) is asked ``--probe``
   times by one client; p50/p95/p99 per endpoint, checked against ``P95_BUDGET_MS``.
2. **load**: ``--clients`` concurrent clients (asyncio + httpx, one connection each) loop over
   a mix of list, detail, search and page URLs for ``--seconds``, while ``fogwatch ingest``
   writes ``--ingest`` (if given) into the same store. Any status >= 400 or transport error
   counts as an error.

The server is ``fogwatch serve`` in its own process on 127.0.0.1 (loopback only); nothing
is sent anywhere else. Bounded: at most ``--seconds`` of load and ``MAX_REQUESTS`` requests.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import socket
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

# The target for every list endpoint on a 100,000-article store.
P95_BUDGET_MS = 100.0
# A hard cap on requests in one load run, whatever --clients and --seconds say.
MAX_REQUESTS = 2_000_000
STARTUP_TIMEOUT_S = 60.0

LIST_ENDPOINTS = (
    "/api/articles", "/api/articles?page=400", "/api/articles?outlet=Harbor%20Wire",
    "/api/events", "/api/events?type=attack", "/api/events?place=Gaza", "/api/events?page=300",
    "/api/figures", "/api/figures?metric=killed", "/api/figures?scope=cumulative", "/api/figures?page=300",
    "/api/statements", "/api/statements?stance=deny", "/api/statements?q=hospital",
    "/api/places", "/api/places?q=Gaza", "/api/clusters", "/api/contested",
    "/api/search?q=killed", "/api/counts",
    # Filters an index does not serve directly, deep pages, and the HTML pages over the same listings.
    "/api/events?actor=Hamas", "/api/events?located=true", "/api/events?until=2020-01-01",
    "/api/statements?page=300", "/api/statements?q=hospital&page=40", "/api/places?located=true",
    "/api/search?q=killed&page=20", "/timeline", "/timeline?place=Gaza&type=attack", "/map", "/articles",
    "/search?q=killed",
)
PAGES = ("/", "/articles", "/timeline", "/figures", "/contested", "/map", "/search?q=ceasefire")
# Deep pages by cursor: (listing, page number) reached by following each page's ``next``.
CURSOR_PAGES = (("/api/statements?q=hospital", 40), ("/api/statements", 300), ("/api/figures", 300))


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by nearest rank; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = min(len(ordered), max(1, math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


@dataclass
class Tally:
    """Latencies (ms) and failures of one URL group."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def row(self, name: str) -> dict[str, object]:
        lat = self.latencies
        return {
            "endpoint": name, "requests": len(lat) + len(self.errors), "errors": len(self.errors),
            "p50_ms": round(percentile(lat, 50), 1), "p95_ms": round(percentile(lat, 95), 1),
            "p99_ms": round(percentile(lat, 99), 1), "max_ms": round(max(lat, default=0.0), 1),
        }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "fogwatch.cli", "--db", str(db), "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"fogwatch serve exited with {proc.returncode}")
        try:
            httpx.get(url + "/api/counts", timeout=2.0)
            return proc, url
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("fogwatch serve did not start")


def detail_urls(client: httpx.Client) -> list[str]:
    """Detail URLs of records that exist: a few articles, events and figures."""
    urls: list[str] = []
    for listing, prefix in (("/api/articles?limit=20", "/api/articles/"), ("/api/events?limit=20", "/api/events/"),
                            ("/api/figures?limit=20", "/api/figures/")):
        rows = client.get(listing).json().get("data", [])
        urls += [f"{prefix}{r['id']}" for r in rows[:10]]
    articles = client.get("/api/articles?limit=5").json().get("data", [])
    urls += [f"/articles/{a['id']}" for a in articles]
    return urls


def cursor_url(client: httpx.Client, listing: str, page: int) -> str:
    """The URL of page ``page`` of ``listing`` by cursor (following ``next`` from page 1)."""
    url = listing
    for _ in range(page - 1):
        after = client.get(url).json().get("next")
        if not after:
            break
        url = f"{listing}{'&' if '?' in listing else '?'}{httpx.QueryParams({'after': after})}"
    return url


def probe(base_url: str, repeats: int, urls: Sequence[str] = LIST_ENDPOINTS) -> dict[str, Tally]:
    """Each URL ``repeats`` times from one client, one after another; then deep pages by cursor."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    with httpx.Client(base_url=base_url, timeout=30) as client:
        named = [(url, url) for url in urls]
        named += [(f"{listing} page {page} by cursor", cursor_url(client, listing, page))
                  for listing, page in CURSOR_PAGES]
        for name, url in named:
            client.get(url)  # warm the page cache and the series cache once
            for _ in range(repeats):
                started = time.perf_counter()
                try:
                    r = client.get(url)
                    elapsed = (time.perf_counter() - started) * 1000
                    if r.status_code >= 400:
                        tallies[name].errors.append(f"{r.status_code}")
                    else:
                        tallies[name].latencies.append(elapsed)
                except httpx.HTTPError as exc:
                    tallies[name].errors.append(type(exc).__name__)
    return tallies


def group(url: str) -> str:
    """The route a URL hits, for per-endpoint figures (ids and queries folded)."""
    path = url.split("?")[0]
    parts = path.split("/")
    if len(parts) >= 4 and parts[1] == "api" and parts[3]:
        return f"/api/{parts[2]}/{{id}}"
    if path.startswith("/articles/"):
        return "/articles/{id}"
    return path


async def load(base_url: str, clients: int, seconds: float, urls: Sequence[str], seed: int = 8) -> dict[str, Tally]:
    """``clients`` concurrent clients requesting random ``urls`` for ``seconds``."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    deadline = time.monotonic() + seconds
    sent = 0

    async def one_client(number: int) -> None:
        nonlocal sent
        rng = random.Random(seed * 1000 + number)
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(base_url=base_url, timeout=30, limits=limits) as client:
            while time.monotonic() < deadline and sent < MAX_REQUESTS:
                url = rng.choice(urls)
                sent += 1
                started = time.perf_counter()
                try:
                    r = await client.get(url)
                    elapsed = (time.perf_counter() - started) * 1000
                    if r.status_code >= 400:
                        tallies[group(url)].errors.append(f"{r.status_code} {url}")
                    else:
                        tallies[group(url)].latencies.append(elapsed)
                        tallies["(all)"].latencies.append(elapsed)
                except httpx.HTTPError as exc:
                    tallies[group(url)].errors.append(f"{type(exc).__name__} {url}")

    await asyncio.gather(*(one_client(i) for i in range(clients)))
    return tallies


def article_count(db: Path) -> int:
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    finally:
        conn.close()


def table(rows: list[dict[str, object]]) -> str:
    if not rows:
        return ""
    keys = list(rows[0])
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(str(r[k]) for k in keys) + " |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--probe", type=int, default=40, help="sequential requests per list endpoint (0: skip)")
    parser.add_argument("--ingest", type=Path, help="input for a concurrent `fogwatch ingest` during the load")
    parser.add_argument("--json", type=Path, help="write the report here too")
    args = parser.parse_args()

    report: dict[str, object] = {"db": str(args.db), "articles_before": article_count(args.db)}
    server, url = start_server(args.db)
    ingest_proc = None
    try:
        if args.probe:
            probed = probe(url, args.probe)
            rows = [t.row(name) for name, t in probed.items()]
            report["probe"] = rows
            print(f"## list endpoints, 1 client, {args.probe} requests each (budget p95 < {P95_BUDGET_MS:g} ms)")
            print(table(rows))
            slow = [r["endpoint"] for r in rows if float(r["p95_ms"]) >= P95_BUDGET_MS or r["errors"]]
            report["probe_over_budget"] = slow
            print(f"over budget or failing: {slow or 'none'}\n", flush=True)
        with httpx.Client(base_url=url, timeout=30) as client:
            urls = [*LIST_ENDPOINTS, *PAGES, *detail_urls(client)]
        if args.ingest:
            ingest_proc = subprocess.Popen(
                [sys.executable, "-m", "fogwatch.cli", "--db", str(args.db), "ingest", "--no-progress", str(args.ingest)],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ},
            )
        if args.seconds <= 0:  # probe only
            return
        started = time.monotonic()
        tallies = asyncio.run(load(url, args.clients, args.seconds, urls))
        wall = time.monotonic() - started
        ingest_state = None
        if ingest_proc is not None:
            ingest_state = "still running (stopped)" if ingest_proc.poll() is None else f"exit {ingest_proc.returncode}"
        rows = [t.row(name) for name, t in sorted(tallies.items())]
        total = tallies.pop("(all)", Tally())
        errors = [e for t in tallies.values() for e in t.errors]
        report.update({
            "clients": args.clients, "seconds": round(wall, 1), "requests": len(total.latencies) + len(errors),
            "errors": len(errors), "error_samples": errors[:10], "rps": round(len(total.latencies) / wall, 1),
            "p50_ms": round(percentile(total.latencies, 50), 1), "p95_ms": round(percentile(total.latencies, 95), 1),
            "p99_ms": round(percentile(total.latencies, 99), 1), "load": rows, "ingest": ingest_state,
        })
        print(f"## {args.clients} clients for {wall:.0f} s" + (" while ingesting" if args.ingest else ""))
        print(table(rows))
        print(f"requests {report['requests']}, errors {report['errors']}, {report['rps']} req/s, "
              f"p50 {report['p50_ms']} ms, p95 {report['p95_ms']} ms, p99 {report['p99_ms']} ms; ingest: {ingest_state}")
    finally:
        if ingest_proc is not None and ingest_proc.poll() is None:
            ingest_proc.terminate()
            ingest_proc.wait(timeout=30)
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        report["articles_after"] = article_count(args.db)
        print(f"articles: {report['articles_before']} -> {report['articles_after']}")
        if args.json:
            args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    if report.get("errors"):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
