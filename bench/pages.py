"""Measure reader-page throughput: gunicorn serving the site with 10,000 stories, driven by ``wrk``.

Stories are Reuters-21578 wire copy from ``../shared/data`` (train split, then the unused stories), stored
through the real ingest action (``ingest_bytes``, with enrichment and the search index) into a fresh
SQLite store. The site then runs under gunicorn on a free loopback port and ``wrk`` drives, one at a time:
home, an article, a section, a ticker page and a search. As the baseline, ``nginx`` serves a saved copy of
the same article's HTML as a static file in the same run.

Needs the Debian packages ``wrk`` and ``nginx`` (``nginx-light`` is enough). Prints requests/s and p50/p99
latency per page and the ratio of each to nginx's static article.

Run: ``.venv/bin/python bench/pages.py [--stories 10000] [--duration 10] [--connections 16]
[--workers 2] [--home DIR]`` (``--home`` keeps and re-uses a loaded store between runs).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data" / "reuters21578"
PYTHON = REPO / ".venv" / "bin" / "python"
GUNICORN = REPO / ".venv" / "bin" / "gunicorn"


@dataclass
class WrkResult:
    name: str
    url: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    non_2xx: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server at {url} did not answer within {seconds:.0f}s")


def load_stories(home: Path, count: int) -> int:
    """Migrate a fresh store under ``home`` and ingest ``count`` corpus stories; return how many are stored."""
    code = f"""
import json, sys, time
sys.path.insert(0, {str(REPO)!r})
from tickerwire.cli import setup_django, migrate_quietly
setup_django(); migrate_quietly()
from tickerwire.articles.models import Article
from tickerwire.articles.actions.ingest import IngestOutcome, ingest_bytes
from tickerwire.ingest.reuters21578 import case_from_record
have = Article.objects.count()
start = time.perf_counter()
for name in ("train.jsonl", "unused.jsonl"):
    with open({str(SHARED_DATA)!r} + "/" + name, encoding="utf-8") as handle:
        for line in handle:
            if have >= {count}:
                break
            case = case_from_record(json.loads(line))
            if case is None:
                continue
            results = ingest_bytes(case.wire.encode("utf-8"), fmt="wire", source_name="Reuters", path=name)
            have += sum(isinstance(r, IngestOutcome) and r.status == "new" for r in results)
print(json.dumps({{"stored": have, "seconds": time.perf_counter() - start}}))
"""
    env = dict(os.environ, TICKERWIRE_HOME=str(home))
    env.pop("DATABASE_URL", None)
    out = subprocess.run([str(PYTHON), "-c", code], env=env, check=True, capture_output=True, text=True)
    report = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"store: {report['stored']} stories ({report['seconds']:.0f}s to load this run)", flush=True)
    return int(report["stored"])


@contextmanager
def gunicorn(home: Path, port: int, workers: int) -> Iterator[str]:
    env = dict(os.environ, TICKERWIRE_HOME=str(home), DJANGO_SETTINGS_MODULE="tickerwire.config.settings",
               TICKERWIRE_LOG_LEVEL="ERROR")
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen(
        [str(GUNICORN), "tickerwire.config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--log-level", "warning"],
        cwd=REPO, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/robots.txt")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def nginx_serving(html: bytes, port: int) -> Iterator[str]:
    """Run nginx (in the foreground of a child process) serving ``html`` as ``/article.html``."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise SystemExit("nginx is missing: install the Debian package `nginx-light`")
    with tempfile.TemporaryDirectory(prefix="tw-nginx-") as prefix:
        root = Path(prefix, "www")
        root.mkdir()
        (root / "article.html").write_bytes(html)
        # nginx's workers drop root privileges: they must be able to read the page.
        for path in (Path(prefix), root, root / "article.html"):
            path.chmod(0o755)
        for folder in ("logs", "tmp"):
            Path(prefix, folder).mkdir()
        conf = Path(prefix, "nginx.conf")
        conf.write_text(f"""
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {prefix}/tmp; proxy_temp_path {prefix}/tmp; fastcgi_temp_path {prefix}/tmp;
  uwsgi_temp_path {prefix}/tmp; scgi_temp_path {prefix}/tmp;
  default_type text/html;
  server {{ listen 127.0.0.1:{port}; root {root}; }}
}}
""")
        process = subprocess.Popen([nginx, "-p", prefix, "-c", str(conf)])
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(base + "/article.html")
            yield base + "/article.html"
        finally:
            process.terminate()
            process.wait(timeout=30)


_LATENCY = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def run_wrk(name: str, url: str, duration: int, connections: int) -> WrkResult:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is missing: install the Debian package `wrk`")
    out = subprocess.run(
        [wrk, "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
        check=True, capture_output=True, text=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    latency = {p: float(v) * _UNIT_MS[u] for p, v, u in _LATENCY.findall(out)}
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return WrkResult(name, url, rps, latency.get("50", 0.0), latency.get("99", 0.0),
                     int(non_2xx.group(1)) if non_2xx else 0)


def pick_pages(base: str) -> dict[str, str]:
    """Return the page addresses to drive: the newest tagged article, a section, its ticker and a search."""
    home = urllib.request.urlopen(base + "/", timeout=30).read().decode()
    articles = re.findall(r'href="(/news/[^"]+)"', home)
    tickers = re.findall(r'href="(/ticker/[^"]+)"', home)
    if not articles:
        raise SystemExit("the home page lists no article")
    pages = {"home": base + "/", "article": base + articles[0], "section": base + "/section/business/"}
    if tickers:
        tagged = (a for a in articles if tickers[0] in urllib.request.urlopen(base + a).read().decode())
        pages["article"] = base + next(tagged, articles[0])
        pages["ticker"] = base + tickers[0]
    else:
        print("  no story on the home page is tagged with a ticker (enrichment off?): ticker page left out")
    pages["search"] = base + "/search?q=oil+prices"
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--home", type=Path, help="store folder to keep and re-use (default: a temporary one)")
    args = parser.parse_args(argv)
    if not SHARED_DATA.exists():
        print(f"{SHARED_DATA} is absent: the corpus is needed to load stories", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="tw-pages-") as scratch:
        home = args.home or Path(scratch)
        home.mkdir(parents=True, exist_ok=True)
        stored = load_stories(home, args.stories)
        results: list[WrkResult] = []
        with gunicorn(home, free_port(), args.workers) as base:
            pages = pick_pages(base)
            for name, url in pages.items():
                results.append(run_wrk(name, url, args.duration, args.connections))
                print(f"  {name}: {results[-1].requests_per_second:.0f} req/s", flush=True)
            article_html = urllib.request.urlopen(pages["article"], timeout=30).read()
        with nginx_serving(article_html, free_port()) as static_url:
            baseline = run_wrk("nginx static article", static_url, args.duration, args.connections)
    cpus = os.cpu_count()
    print(f"\n{stored} stories, SQLite, gunicorn {args.workers} sync workers, wrk -t2 -c{args.connections} "
          f"-d{args.duration}s, {cpus} CPUs (shared)")
    print(f"{'page':<22}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'vs nginx':>10}{'non-2xx':>9}")
    for result in [*results, baseline]:
        ratio = result.requests_per_second / baseline.requests_per_second
        print(f"{result.name:<22}{result.requests_per_second:>10.0f}{result.p50_ms:>10.1f}{result.p99_ms:>10.1f}"
              f"{ratio:>10.3f}{result.non_2xx:>9}")
    for result in results:
        print(f"  {result.name}: {result.url}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
