"""Measure search latency over 10,000 and 100,000 stories: in-process, then over HTTP.

For each store, a fixed set of 50 queries (words, phrases, names, exclusions) runs through
``tickerwire.search.search`` in a fresh process (each once to warm up, then ``--repeat`` times timed), and
p50/p95/p99/max latency is printed. Then ``tickerwire serve`` (granian) serves the store and ``wrk``
requests the search page and the API search for the same queries in turn: with one connection (latency
without queueing) and with ``--connections`` (throughput). Targets: p95 <= 30 ms at 10,000 stories, <= 60 ms at 100,000.

Stores are folders (``--store COUNT=DIR``, repeatable); a folder holding fewer stories is filled through the
real ingest path by :func:`bench.http_harness.load_stories` (past the corpus's ~18,000 stories, with copies
whose headlines are marked ``(set N)``); ``--no-enrich`` loads without the enrichment receivers.

Run: ``.venv/bin/python bench/search.py --store 10000=/tmp/tw10k --store 100000=/tmp/tw100k
[--no-enrich] [--repeat 3] [--duration 10] [--connections 16] [--workers 2] [--threads 2]``
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_harness import (  # noqa: E402 - the bench folder is not on sys.path
    PYTHON,
    REPO,
    WrkResult,
    app_server,
    free_port,
    load_stories,
    machine_load,
    run_wrk,
    store_env,
)

QUERIES = (
    "oil prices", "interest rates", "crude oil", "OPEC output", "bank", "dividend", "merger", "acquisition",
    "takeover bid", "tender offer", "quarterly dividend", "net loss", "earnings per share", "stock split",
    "trade deficit", "Japan", "yen dollar", "coffee", "sugar", "cocoa", "grain exports", "wheat", "soybeans",
    "corn", "gold", "copper", "natural gas", "refinery", "shipping", "strike", "tariff", "Federal Reserve",
    "inflation", "money supply", "bond", "unemployment", "debt", "Brazil", "tax", "IBM", "Chrysler",
    "Texaco", "Reagan", "Volcker", '"money market"', '"crude oil" -OPEC', "bank -Brazil", "shares offer",
    "government securities", "computer",
)

_TIMER = """
import json, sys, time
sys.path.insert(0, {repo!r})
from tickerwire.cli import setup_django, migrate_quietly
setup_django(); migrate_quietly()
from tickerwire.articles.models import Article
from tickerwire.search import SearchQuery, search
queries = json.loads({queries!r})
timings, hits, pages = [], [], []
for text in queries:
    first = search(SearchQuery(text=text))
    pages.append({{"total": first.total, "exact": getattr(first, "total_exact", True),
                   "hits": [[hit.article.pk, hit.article.headline] for hit in first.hits]}})
for _ in range({repeat}):
    for text in queries:
        start = time.perf_counter()
        results = search(SearchQuery(text=text))
        timings.append((time.perf_counter() - start) * 1000)
        hits.append(results.total)
with_vectors = Article.objects.exclude(embedding=None).count()
print(json.dumps({{"timings": timings, "hits": hits, "stories": Article.objects.count(),
                   "with_vectors": with_vectors, "pages": pages}}))
"""


def percentile(values: list[float], pct: float) -> float:
    """Return the nearest-rank percentile of ``values``."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def in_process(home: Path, repeat: int, database_url: str | None = None, repo: Path = REPO,
               pages: list[dict] | None = None) -> dict[str, float]:
    """Time every query in a fresh process on the store under ``home`` (or at ``database_url``), with the
    search code of ``repo``; return the distribution. ``pages``, when given, receives each query's total
    and first page (ids and headlines) in query order."""
    code = _TIMER.format(repo=str(repo), queries=json.dumps(QUERIES), repeat=repeat)
    out = subprocess.run([str(PYTHON), "-c", code], env=store_env(home, database_url), check=True,
                         capture_output=True, text=True, cwd=repo)
    report = json.loads(out.stdout.strip().splitlines()[-1])
    timings = report["timings"]
    if pages is not None:
        pages.extend(report["pages"])
    return {
        "stories": report["stories"], "with_vectors": report["with_vectors"], "runs": len(timings),
        "p50": percentile(timings, 50), "p95": percentile(timings, 95), "p99": percentile(timings, 99),
        "max": max(timings), "mean_hits": sum(report["hits"]) / len(report["hits"]),
    }


def over_http(home: Path, args: argparse.Namespace, count: int) -> list[WrkResult]:
    """Drive the search page and the API search through every query in turn, at 1 and N connections."""
    pages = [f"/search?{urlencode({'q': q})}" for q in QUERIES]
    api = [f"/api/v1/search?{urlencode({'q': q})}" for q in QUERIES]
    results = []
    with app_server(home, free_port(), args.workers, args.threads, TICKERWIRE_API_READ_RATE="1000000/s") as app:
        for connections in (1, args.connections):
            for name, paths in (("search page", pages), ("api search", api)):
                label = f"{count} {name} c{connections}"
                result = run_wrk(label, app + paths[0], args.duration, connections, threads=1, paths=paths)
                print(f"  {label}: {result.requests_per_second:.0f} req/s, p95 {result.p95_ms:.1f} ms", flush=True)
                results.append(result)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", action="append", required=True, metavar="COUNT=DIR",
                        help="a store of COUNT stories in DIR (filled when it holds fewer)")
    parser.add_argument("--no-enrich", action="store_true", help="load missing stories without enrichment")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes over the query set")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per row")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2, help="request threads per worker (serve --threads)")
    parser.add_argument("--skip-http", action="store_true", help="in-process figures only")
    args = parser.parse_args(argv)
    timings, http = [], []
    for spec in args.store:
        count_text, _, folder = spec.partition("=")
        home = Path(folder)
        load_stories(home, int(count_text), enrich=not args.no_enrich)
        print(machine_load(), flush=True)
        timings.append(in_process(home, args.repeat))
        print(f"  in-process: {json.dumps(timings[-1])}", flush=True)
        if not args.skip_http:
            http += over_http(home, args, int(count_text))
    print(f"\n{len(QUERIES)} queries x {args.repeat}, {machine_load()} (shared)")
    print(f"{'stories':>9}{'vectors':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}{'mean hits':>11}")
    for row in timings:
        print(f"{row['stories']:>9}{row['with_vectors']:>9}{row['p50']:>9.1f}{row['p95']:>9.1f}{row['p99']:>9.1f}"
              f"{row['max']:>9.1f}{row['mean_hits']:>11.0f}")
    if http:
        print(f"\n{'over HTTP (granian ' + str(args.workers) + ' workers)':<34}{'req/s':>9}{'p50 ms':>9}"
              f"{'p95 ms':>9}{'p99 ms':>9}{'non-2xx':>9}")
        for result in http:
            print(f"{result.name:<34}{result.requests_per_second:>9.0f}{result.p50_ms:>9.1f}{result.p95_ms:>9.1f}"
                  f"{result.p99_ms:>9.1f}{result.non_2xx:>9}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
