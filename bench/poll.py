"""Measure polling: 200 local feeds of 50 items each, against plain httpx fetching the same URLs, in one run.

A threaded HTTP server on 127.0.0.1 serves ``/feed/N.xml`` (RSS 2.0, 50 generated items each, with an ETag).
Each figure is items per second (feeds x 50 / wall time) and its ratio to the baseline measured in the
same run, with the same number of threads (``--workers``):

* ``plain httpx``: one ``httpx.Client`` in a thread pool GETs every feed and reads the body (the baseline);
* ``poller fetch``: the poller's own fetch path (robots.txt, SSRF guard on every socket, per-host limit,
  streamed size cap, content-type and charset checks, retries) with no store;
* ``poll, first round``: ``poll_once`` into an empty SQLite store (every item new: parse and store);
* ``poll, unchanged``: the same feeds re-fetched without validators (the same bytes: not parsed again);
* ``poll, re-parse``: the same again with the remembered digests cleared, so every item is parsed and
  found unchanged (what a feed whose bytes change but whose stories do not costs);
* ``poll, 304``: a conditional round, the server answering 304 to every feed.

All feeds are on one host, so the per-host limit is raised to ``--workers`` (real feeds are spread over
hosts); tagging and embeddings are off (``TICKERWIRE_ENRICH=0``) so store rounds measure the poll path.
The two fetch-only rows are the best of ``--repeat`` runs each (default 3), as other work on a shared
machine only ever adds time; the store rounds change the store, so each runs once.
Run: ``.venv/bin/python bench/poll.py [--feeds 200] [--items 50] [--workers 16] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

COMPANIES = ["Harbor Mining", "Lakeside Bank", "Prairie Rail", "Northwind Foods", "Cobalt Energy", "Summit Retail",
             "Juniper Software", "Granite Insurance", "Beacon Shipping", "Meadow Dairy"]
VERBS = ["raises", "cuts", "keeps", "reviews", "lifts", "trims"]
THINGS = ["its profit forecast", "the dividend", "prices for customers", "spending on new plants",
          "its hiring plans", "fees on current accounts"]


def item_text(feed: int, item: int) -> tuple[str, str]:
    """Return a headline and a paragraph of ordinary English for one generated item."""
    company = COMPANIES[(feed + item) % len(COMPANIES)]
    verb, thing = VERBS[item % len(VERBS)], THINGS[(feed * 7 + item) % len(THINGS)]
    headline = f"{company} {verb} {thing} after quarter {item % 4 + 1} of year {2000 + feed}"
    text = (f"{company} said on Tuesday that it {verb} {thing}, as demand from customers in the region changed "
            f"over the last three months. The company expects sales of about {feed * 10 + item} million dollars "
            "this year and will give more details to investors at a meeting next month.")
    return headline, text


def feed_bytes(feed: int, items: int) -> bytes:
    entries = "".join(
        f"<item><guid>https://bench.example/{feed}/{item}</guid><link>https://bench.example/{feed}/{item}</link>"
        f"<title>{headline}</title><pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate>"
        f"<description>{text}</description></item>"
        for item in range(items) for headline, text in [item_text(feed, item)]
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Bench {feed}</title>'
            f"<link>https://bench.example/{feed}</link><description>bench</description>{entries}"
            "</channel></rss>").encode()


def serve(bodies: dict[str, bytes], etags: dict[str, str], use_etags: Callable[[], bool]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            body = bodies.get(self.path)
            if self.path == "/robots.txt":
                body = b"User-agent: *\nAllow: /\n"
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            etag = etags.get(self.path, "")
            if use_etags() and etag and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            if use_etags() and etag:
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.request_queue_size = 256
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def timed(label: str, items: int, run: Callable[[], object], baseline: float | None, repeat: int = 1) -> float:
    """Run ``run`` ``repeat`` times and print its best time (a shared machine's noise only ever adds time)."""
    elapsed = float("inf")
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        run()
        elapsed = min(elapsed, time.perf_counter() - started)
    rate = items / elapsed
    ratio = "" if baseline is None else f"   {baseline / rate:5.2f}x the time of plain httpx"
    print(f"{label:<22}{elapsed:7.2f} s  {rate:9,.0f} items/s{ratio}", flush=True)
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3,
                        help="best of this many runs for the two fetch-only rows (the store rounds run once)")
    args = parser.parse_args()

    home = tempfile.mkdtemp(prefix="tickerwire-bench-poll-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.update({
        "TICKERWIRE_HOME": home, "TICKERWIRE_ENRICH": "0", "TICKERWIRE_EMBEDDINGS": "none",
        "TICKERWIRE_POLL_ALLOW_PRIVATE": "1", "TICKERWIRE_POLL_WORKERS": str(args.workers),
        "TICKERWIRE_POLL_PER_HOST": str(args.workers),
    })
    from tickerwire.cli import migrate_quietly, setup_django

    setup_django()
    migrate_quietly()
    import httpx
    from django.utils import timezone

    from tickerwire.articles.models import Article
    from tickerwire.sources.actions import do_add_source
    from tickerwire.sources.models import PolledSource
    from tickerwire.sources.poller import Poller, policy_from_settings, poll_once

    bodies = {f"/feed/{n}.xml": feed_bytes(n, args.items) for n in range(args.feeds)}
    etags = {path: f'"{n}"' for n, path in enumerate(bodies)}
    etag_mode = {"on": False}
    httpd = serve(bodies, etags, lambda: etag_mode["on"])
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    urls = [base + path for path in bodies]
    total = args.feeds * args.items
    print(f"{args.feeds} feeds x {args.items} items = {total:,} items, {args.workers} threads, "
          f"{sum(map(len, bodies.values())) / 1e6:.1f} MB of feeds", flush=True)

    def plain() -> None:
        with httpx.Client(limits=httpx.Limits(max_connections=args.workers * 2), trust_env=False) as client, \
                ThreadPoolExecutor(args.workers) as pool:
            sizes = list(pool.map(lambda url: len(client.get(url).content), urls))
        assert sum(sizes) == sum(map(len, bodies.values()))

    def poller_fetch() -> None:
        with Poller(policy_from_settings()) as poller:
            results = [future.result() for future in [poller.submit(url, fmt="rss") for url in urls]]
        assert all(result.status == "ok" and not result.problems for result in results), results[0]

    plain()  # warm up the server and the client once
    baseline = timed("plain httpx", total, plain, None, args.repeat)
    timed("poller fetch", total, poller_fetch, baseline, args.repeat)
    for url in urls:
        do_add_source(url, fmt="rss", interval_seconds=300)
    timed("poll, first round", total, poll_once, baseline)
    stored = Article.objects.count()
    later = timezone.now() + timedelta(days=1)
    timed("poll, unchanged", total, lambda: poll_once(later), baseline)
    PolledSource.objects.update(body_sha256="")
    timed("poll, re-parse", total, lambda: poll_once(later + timedelta(hours=1)), baseline)
    etag_mode["on"] = True
    poll_once(later + timedelta(days=1))  # learn the ETags
    timed("poll, 304", total, lambda: poll_once(later + timedelta(days=2)), baseline)
    print(f"stored {stored:,} articles (expected {total:,}); after all rounds {Article.objects.count():,}")
    httpd.shutdown()


if __name__ == "__main__":
    main()
