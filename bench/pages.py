"""Measure reader-page throughput with 10,000 stories: the app alone, with its cache, and behind nginx.

One run loads (or re-uses, ``--home``) a SQLite store of Reuters-21578 stories through the real ingest
path (:mod:`bench.http_harness`) and drives, with ``wrk`` on loopback, the home page, a ticker-tagged
article, a section, that article's ticker and a search, in these set-ups:

- ``app``: ``tickerwire serve`` (granian) with the page cache off (``TICKERWIRE_PAGE_CACHE_SECONDS=0``):
  every page rendered;
- ``app+cache``: the same with the page cache warm, in local memory (per worker);
- ``app+redis``: the same with the cache in Redis (``--redis URL``; skipped without it);
- ``production``: ``deploy/nginx.conf`` in front of the app with its page cache: article pages from the
  static copies the app writes (``TICKERWIRE_SNAPSHOT_DIR``), the other pages from nginx's ``proxy_cache``.

The baseline is nginx serving a saved copy of the same article's HTML as a static file, measured in the
same run before each set-up and at the end (the machine is shared and its load drifts); every row prints
its ratio to the median of those. Both nginx instances run ``worker_processes auto`` as Debian's
``nginx.conf`` does (``--nginx-workers 1`` pins one worker: nginx alone on one core, wrk on the other).
The production rows first check that nginx serves the article as a static copy (``X-Cache-Status:
STATIC``) and the other pages from its cache (``HIT``), and that the refresh header sent on store bypasses
both. The last column is the CPU time the serving processes (nginx, or the app server's processes) spent
per request: on a shared machine it moves far less than requests/s. With
``--rounds N`` each page is driven N times and the median run is reported.

Run: ``.venv/bin/python bench/pages.py [--stories 10000] [--duration 10] [--connections 16] [--rounds 1]
[--workers 2] [--threads 2] [--home DIR] [--redis redis://127.0.0.1:6379/0] [--setups app,app+cache,...]``
(``--workers``/``--threads`` are ``tickerwire serve``'s;
``--home`` keeps and re-uses a loaded store between runs).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_harness import (  # noqa: E402 - the bench folder is not a package on sys.path
    NGINX_WORKERS,
    WrkResult,
    app_server,
    fetch,
    free_port,
    load_stories,
    machine_load,
    nginx_proxy,
    nginx_static,
    run_wrk,
    table,
)

SETUPS = ("app", "app+cache", "app+redis", "production")
SEARCH_PATH = "/search?q=oil+prices"


def pick_pages(base: str) -> dict[str, str]:
    """Return the paths to drive: home, the newest ticker-tagged article, its section and ticker, a search."""
    home = fetch(base + "/")[0].decode()
    articles = re.findall(r'href="(/news/[^"]+)"', home)
    if not articles:
        raise SystemExit("the home page lists no article")
    article, ticker = articles[0], None
    for candidate in dict.fromkeys(articles):
        tickers = re.findall(r'href="(/ticker/[^"/]+/)"', fetch(base + candidate)[0].decode())
        if tickers:
            article, ticker = candidate, tickers[0]
            break
    page = fetch(base + article)[0].decode()
    sections = re.findall(r'href="(/section/[^"/]+/)"', page.split("<main", 1)[-1])
    paths = {"home": "/", "article": article, "section": sections[0] if sections else "/section/business/"}
    if ticker:
        paths["ticker"] = ticker
    else:
        print("  no listed story is tagged with a ticker (enrichment off?): ticker page left out", flush=True)
    paths["search"] = SEARCH_PATH
    return paths


def warm(base: str, paths: dict[str, str], times: int) -> None:
    """Request each page ``times`` times so every worker's cache (or the proxy's) holds it."""
    for path in paths.values():
        for _ in range(times):
            fetch(base + path)


def measure(name: str, url: str, args: argparse.Namespace) -> WrkResult:
    """Run wrk ``--rounds`` times on ``url``; return the median round by requests/s."""
    rounds = sorted((run_wrk(name, url, args.duration, args.connections) for _ in range(args.rounds)),
                    key=lambda r: r.requests_per_second)
    return rounds[len(rounds) // 2]


def drive(setup: str, base: str, paths: dict[str, str], args: argparse.Namespace) -> list[WrkResult]:
    """Run wrk on each page of one set-up, printing each result as it comes."""
    results = []
    for name, path in paths.items():
        result = measure(f"{setup} {name}", base + path, args)
        print(f"  {result.name}: {result.requests_per_second:.0f} req/s, p99 {result.p99_ms:.1f} ms", flush=True)
        results.append(result)
    return results


def check_proxy(base: str, paths: dict[str, str]) -> None:
    """Fail unless nginx serves the article from the app's static copy and the other pages from its cache,
    and the refresh header sent on store bypasses both."""
    for name, path in paths.items():
        if name == "search":
            continue
        fetch(base + path)
        status = fetch(base + path)[1].get("X-Cache-Status")
        refreshed = fetch(base + path, {"X-Tickerwire-Purge": "1"})[1].get("X-Cache-Status")
        expected = "STATIC" if name == "article" else "HIT"
        if status != expected or refreshed != "BYPASS":
            raise SystemExit(f"proxy check failed on {path}: served {status!r} (wanted {expected}), "
                             f"refresh {refreshed!r} (wanted BYPASS)")
        print(f"  proxy: {name} served as {status}; the refresh header gives BYPASS", flush=True)


@dataclass
class Run:
    results: list[WrkResult]
    baselines: list[WrkResult]
    paths: dict[str, str]

    @property
    def baseline(self) -> WrkResult:
        """Return the median of the baseline runs taken between set-ups (the machine's load drifts)."""
        ordered = sorted(self.baselines, key=lambda r: r.requests_per_second)
        return ordered[len(ordered) // 2]


def server_env(setup: str, args: argparse.Namespace) -> dict[str, str] | None:
    """Return the app's environment for a set-up, or None when the set-up cannot run."""
    # The API's anonymous read limit (default 1200/min per IP) would answer the bench with 429s.
    env = {"TICKERWIRE_API_READ_RATE": "1000000/s"}
    if setup == "app":
        env["TICKERWIRE_PAGE_CACHE_SECONDS"] = "0"
    if setup == "app+redis":
        if not args.redis:
            return None
        env |= {"TICKERWIRE_CACHE_URL": args.redis, "TICKERWIRE_CACHE_KEY_PREFIX": f"bench{os.getpid()}"}
    return env


def run_setups(home: Path, args: argparse.Namespace,
               extra: Callable[[dict[str, str]], dict[str, str]] | None = None) -> Run:
    """Measure every chosen set-up, with the nginx static baseline measured before each and at the end.

    ``extra(pages)`` may add paths (e.g. API endpoints) to drive beside the chosen pages.
    """
    server = {"workers": args.workers, "threads": args.threads}
    with app_server(home, free_port(), **server, TICKERWIRE_PAGE_CACHE_SECONDS="0") as app:
        paths = pick_pages(app)
        article_html = fetch(app + paths["article"])[0]
    run = Run([], [], paths)
    with nginx_static(article_html, args.nginx_workers) as static_url:
        for setup in args.setups:
            env = server_env(setup, args)
            if env is None:
                print(f"{setup}: skipped (no --redis URL)", flush=True)
                continue
            run.baselines.append(measure("nginx static article", static_url, args))
            print(f"{setup} (nginx static just before: {run.baselines[-1].requests_per_second:.0f} req/s):",
                  flush=True)
            driven = paths | (extra(paths) if extra else {})
            snapshots = Path(tempfile.mkdtemp(prefix="tw-snapshots-"))
            snapshots.chmod(0o755)  # nginx's workers read it as another user
            if setup == "production":
                env["TICKERWIRE_SNAPSHOT_DIR"] = str(snapshots)
            with app_server(home, free_port(), **server, **env) as app:
                if setup == "production":
                    with nginx_proxy(app, home / "static", snapshots, args.nginx_workers) as proxy:
                        warm(proxy, driven, 1)
                        check_proxy(proxy, paths)
                        run.results += drive(setup, proxy, driven, args)
                else:
                    if setup != "app":
                        warm(app, driven, 4 * args.workers)
                    run.results += drive(setup, app, driven, args)
            shutil.rmtree(snapshots, ignore_errors=True)
        run.baselines.append(measure("nginx static article", static_url, args))
    return run


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options shared with bench/api.py."""
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--threads", type=int, default=2, help="request threads per worker")
    parser.add_argument("--nginx-workers", default=NGINX_WORKERS,
                        help="nginx worker_processes for the baseline and the proxy alike (default: auto, as Debian)")
    parser.add_argument("--home", type=Path, help="store folder to keep and re-use (default: a temporary one)")
    parser.add_argument("--redis", default="", help="Redis URL for the app+redis rows (e.g. redis://127.0.0.1:6379/0)")
    parser.add_argument("--rounds", type=int, default=1, help="wrk runs per page; the median is reported")
    parser.add_argument("--setups", type=lambda text: [s for s in text.split(",") if s], default=list(SETUPS),
                        help=f"comma-separated subset of {','.join(SETUPS)}")


def report(stored: int, args: argparse.Namespace, run: Run) -> None:
    """Print the run's conditions, the table of results against nginx static, and the pages driven."""
    spread = ", ".join(f"{b.requests_per_second:.0f}" for b in run.baselines)
    print(f"\n{stored} stories, SQLite, granian {args.workers} workers x {args.threads} threads, nginx "
          f"worker_processes {args.nginx_workers}, wrk -t2 -c{args.connections} "
          f"-d{args.duration}s x{args.rounds} (median), {machine_load()} (shared)")
    print(f"nginx static article, measured before each set-up and at the end: {spread} req/s; the median is "
          "the baseline")
    print(table(run.results, run.baseline))
    for name, path in run.paths.items():
        print(f"  {name}: {path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tw-pages-") as scratch:
        home = args.home or Path(scratch)
        stored = load_stories(home, args.stories)
        print(machine_load(), flush=True)
        run = run_setups(home, args)
    report(stored, args, run)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
