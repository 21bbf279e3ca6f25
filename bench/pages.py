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

``--tree DIR`` (repeatable) measures the code of other checkouts in the same run, e.g. a worktree of the
commit before a change beside this one. Each tree loads its own store (``--home``/<tree name>) through its
own ingest code and serves it with its own ``tickerwire serve``; the pages are picked once, in the first
tree, and every tree must answer them with the same article headline, so every tree renders the same story,
ticker, section and search (``--pages name=path,...`` sets them by hand). A tree that answers a path with
a redirect (it spells the story's slug otherwise) is driven at the address it redirects to: a redirect costs
far less than the page, and every row must be a rendered page. The trees take turns
page by page and round by round (interleaved, so the machine's drifting load falls on all of them alike),
and a last table gives each tree's median CPU per request as a ratio to the first tree's.

Run: ``.venv/bin/python bench/pages.py [--stories 10000] [--duration 10] [--connections 16] [--rounds 1]
[--workers 2] [--threads 2] [--home DIR] [--redis redis://127.0.0.1:6379/0] [--setups app,app+cache,...]
[--tree DIR --tree . ...] [--pages home=/,article=/news/...]``
(``--workers``/``--threads`` are ``tickerwire serve``'s;
``--home`` keeps and re-uses a loaded store between runs).
"""

from __future__ import annotations

import argparse
import contextlib
import html
import os
import re
import statistics
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_harness import (  # noqa: E402 - the bench folder is not a package on sys.path
    NGINX_WORKERS,
    REPO,
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


def headline(base: str, path: str) -> str:
    """Return the first <h1> of a page (what tells two trees' copies of an article apart)."""
    found = re.search(r"<h1[^>]*>(.*?)</h1>", fetch(base + path)[0].decode(), re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip() if found else ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_NO_REDIRECT = urllib.request.build_opener(_NoRedirect)


def canonical_path(base: str, path: str) -> str:
    """Return the path a tree answers ``path`` at without a redirect (a tree may spell a story's slug
    otherwise), or exit when it does not answer it with a page."""
    for _hop in range(4):
        try:
            with _NO_REDIRECT.open(base + path, timeout=60) as response:
                if response.status == 200:
                    return path
        except urllib.error.HTTPError as error:
            location = error.headers.get("Location", "") if 300 <= error.code < 400 else ""
            if not location:
                raise SystemExit(f"{base}{path} answered {error.code}") from error
            path = urllib.parse.urlsplit(location)._replace(scheme="", netloc="").geturl()
    raise SystemExit(f"{base}{path}: too many redirects")


def same_pages(bases: dict[str, str], paths: dict[str, str]) -> dict[str, dict[str, str]]:
    """Return the paths each tree serves the pages at (each tree's own address of the same story, never a
    redirect: a redirect costs far less than the page), and exit unless every tree shows the same article
    headline as the first tree."""
    wanted, by_tree = None, {}
    for label, base in bases.items():
        by_tree[label] = {name: canonical_path(base, path) for name, path in paths.items()}
        title = headline(base, by_tree[label]["article"])
        if wanted is None:
            wanted = title
        elif title != wanted:
            raise SystemExit(f"{label} serves {by_tree[label]['article']} as {title!r}, the first tree as "
                             f"{wanted!r}: the trees' stores differ (pass --pages with a path both have)")
        moved = {name: path for name, path in by_tree[label].items() if path != paths[name]}
        if moved:
            print(f"  {label} serves these at its own addresses (driven there): {moved}", flush=True)
    print(f"  every tree serves the same pages; article: {wanted!r}", flush=True)
    return by_tree


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


def drive(setup: str, bases: dict[str, str], paths: dict[str, dict[str, str]], args: argparse.Namespace,
          run: Run) -> None:
    """Run wrk on each page of one set-up, ``--rounds`` times, the trees taking turns; print each result.

    ``paths`` gives each tree's paths by page name (the same pages, at each tree's own addresses).
    """
    several = len(bases) > 1
    for name in next(iter(paths.values())):
        for _ in range(args.rounds):
            for label, base in bases.items():
                title = f"{label}: {setup} {name}" if several else f"{setup} {name}"
                result = run_wrk(title, base + paths[label][name], args.duration, args.connections)
                cpu = f", cpu {result.server_cpu_us:.0f} us/req" if result.server_cpu_us is not None else ""
                print(f"  {result.name}: {result.requests_per_second:.0f} req/s, p99 {result.p99_ms:.1f} ms{cpu}",
                      flush=True)
                run.rounds.setdefault((setup, name), {}).setdefault(label, []).append(result)
        for label in bases:
            rounds = sorted(run.rounds[(setup, name)][label], key=lambda r: r.requests_per_second)
            run.results.append(rounds[len(rounds) // 2])


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
    # Every round, by (set-up, page) then by tree label, in the order the trees were given.
    rounds: dict[tuple[str, str], dict[str, list[WrkResult]]] = field(default_factory=dict)

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


def tree_label(tree: Path) -> str:
    """Return the short name a tree is reported under (its folder's name)."""
    return tree.resolve().name


def tree_homes(home: Path, trees: list[Path]) -> dict[Path, Path]:
    """Return the store folder of each tree: ``home`` itself for one tree, ``home/<tree name>`` for several."""
    if len(trees) == 1:
        return {trees[0]: home}
    return {tree: home / tree_label(tree) for tree in trees}


def parse_pages(text: str) -> dict[str, str]:
    """Return ``name=path,...`` as a dict (``--pages``)."""
    pages = dict(item.split("=", 1) for item in text.split(",") if item)
    if "article" not in pages:
        raise SystemExit("--pages needs at least article=/news/...")
    return pages


def run_setups(homes: Path | dict[Path, Path], args: argparse.Namespace,
               extra: Callable[[dict[str, str]], dict[str, str]] | None = None) -> Run:
    """Measure every chosen set-up, with the nginx static baseline measured before each and at the end.

    ``homes`` is one store (served by this checkout) or each tree's store; ``extra(pages)`` may add paths
    (e.g. API endpoints) to drive beside the chosen pages.
    """
    if isinstance(homes, Path):
        homes = {REPO: homes}
    labels = {tree: tree_label(tree) for tree in homes}
    server = {"workers": args.workers, "threads": args.threads}
    first = next(iter(homes))
    with contextlib.ExitStack() as stack:
        bases = {labels[tree]: stack.enter_context(app_server(
            home, free_port(), **server, repo=tree, TICKERWIRE_PAGE_CACHE_SECONDS="0")) for tree, home in homes.items()}
        paths = parse_pages(args.pages) if getattr(args, "pages", "") else pick_pages(bases[labels[first]])
        by_tree = same_pages(bases, paths)
        paths = by_tree[labels[first]]
        article_html = fetch(bases[labels[first]] + paths["article"])[0]
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
            driven = {label: tree_paths | (extra(tree_paths) if extra else {}) for label, tree_paths in by_tree.items()}
            with contextlib.ExitStack() as stack:
                served = {}
                for tree, home in homes.items():
                    tree_env = dict(env)
                    if setup == "production":
                        snapshots = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="tw-snapshots-")))
                        snapshots.chmod(0o755)  # nginx's workers read it as another user
                        tree_env["TICKERWIRE_SNAPSHOT_DIR"] = str(snapshots)
                    app = stack.enter_context(app_server(home, free_port(), **server, repo=tree, **tree_env))
                    label = labels[tree]
                    if setup == "production":
                        proxy = stack.enter_context(nginx_proxy(app, home / "static", snapshots, args.nginx_workers))
                        warm(proxy, driven[label], 1)
                        check_proxy(proxy, by_tree[label])
                        served[label] = proxy
                    else:
                        if setup != "app":
                            warm(app, driven[label], 4 * args.workers)
                        served[label] = app
                drive(setup, served, driven, args, run)
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
    parser.add_argument("--pages", default="", help="paths to drive instead of picking them: name=path,... "
                        "(article= is required; e.g. home=/,article=/news/...,search=/search?q=oil)")


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
    if any(len(by_tree) > 1 for by_tree in run.rounds.values()):
        print(compare_trees(run))


def compare_trees(run: Run) -> str:
    """Return each tree's median CPU per request and requests/s over the rounds, as ratios to the first tree."""
    labels = list(next(iter(run.rounds.values())))
    lines = ["\nmedian over rounds, ratio to " + labels[0] + " (CPU: lower is better)",
             f"{'page':<22}" + "".join(f"{label[-16:]:>18}" for label in labels)
             + "".join(f"{'cpu x ' + label[-10:]:>18}" for label in labels[1:])
             + "".join(f"{'req/s x ' + label[-8:]:>18}" for label in labels[1:])]
    for (setup, name), by_tree in run.rounds.items():
        cpu = {label: statistics.median(r.server_cpu_us or 0.0 for r in rounds) for label, rounds in by_tree.items()}
        rps = {label: statistics.median(r.requests_per_second for r in rounds) for label, rounds in by_tree.items()}
        base = labels[0]
        lines.append(
            f"{setup + ' ' + name:<22}" + "".join(f"{cpu[label]:>14.0f} us" for label in labels)
            + "".join(f"{cpu[label] / cpu[base] if cpu[base] else 0:>18.3f}" for label in labels[1:])
            + "".join(f"{rps[label] / rps[base] if rps[base] else 0:>18.3f}" for label in labels[1:])
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    parser.add_argument("--tree", action="append", type=Path,
                        help="checkout to measure (repeat; the first is the reference; default: this one)")
    args = parser.parse_args(argv)
    trees = [tree.resolve() for tree in (args.tree or [REPO])]
    with tempfile.TemporaryDirectory(prefix="tw-pages-") as scratch:
        homes = tree_homes(args.home or Path(scratch), trees)
        stored = min(load_stories(home, args.stories, repo=tree) for tree, home in homes.items())
        print(machine_load(), flush=True)
        run = run_setups(homes, args)
    report(stored, args, run)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
