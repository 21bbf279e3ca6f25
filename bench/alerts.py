"""Measure alert matching against ingest: 10,000 readers each following 20 tickers, one story ingested.

For each database (a temporary SQLite file; with ``--postgres URL`` also a fresh PostgreSQL database
``tickerwire_bench_alerts_<pid>``, dropped afterwards) a subprocess:

* creates 10,000 readers, each following 20 tickers drawn from 1,000 invented symbols (200,000 follows,
  about 200 followers a ticker) with immediate email alerts;
* ingests stories mentioning two of those tickers with enrichment on (``do_ingest_draft``: parse is not
  timed, tagging, sections, cluster and the store are), with the ``alerts.notify`` consumer held back so the
  ingest figure is ingest alone;
* times, for each ingested story, **matching** (:func:`tickerwire.alerts.matching.matched_follows`: the
  follows the story matches, as indexed lookups) and **planning** (:func:`plan_story_alerts`: matching plus
  writing the deliveries, one per matched follow, in one transaction), and counts the queries matching runs.

Sending (email through the configured backend) is not timed. The goal: matching < 50 ms per story.

Run: ``PYTHONPATH=. .venv/bin/python bench/alerts.py [--readers N] [--stories N] [--postgres URL] [--no-sqlite]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
GOAL_MS = 50.0
SYMBOLS = 1000
PER_READER = 20


def symbol(n: int) -> str:
    """Return invented symbol ``n``: four capital letters (none is a real listing we rely on)."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return "Q" + letters[n // 676 % 26] + letters[n // 26 % 26] + letters[n % 26]


def worker(readers: int, stories: int) -> dict[str, Any]:
    """Build the store and measure (runs inside the subprocess, Django configured by the environment)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tickerwire.config.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.utils import timezone

    from tickerwire.alerts.matching import matched_follows
    from tickerwire.alerts.models import AlertProfile, Follow
    from tickerwire.alerts.planning import plan_story_alerts
    from tickerwire.articles import events
    from tickerwire.articles.actions.ingest import do_ingest_draft
    from tickerwire.articles.models import Article
    from tickerwire.core.draft import ArticleDraft, Block, Dateline, SourceRef

    call_command("migrate", verbosity=0)
    user_model = get_user_model()
    started = time.perf_counter()
    user_model.objects.bulk_create(
        [user_model(username=f"reader{n}", email=f"reader{n}@example.org", password="!") for n in range(readers)],
        batch_size=2000)
    users = list(user_model.objects.order_by("id").values_list("id", flat=True))
    now = timezone.now()
    AlertProfile.objects.bulk_create([AlertProfile(user_id=u, next_digest_at=now) for u in users], batch_size=2000)
    rng = random.Random(14)
    follows = [
        Follow(user_id=u, kind="ticker", target=symbol(s), label=symbol(s), channel="email")
        for u in users for s in rng.sample(range(SYMBOLS), PER_READER)
    ]
    Follow.objects.bulk_create(follows, batch_size=5000)
    setup_seconds = time.perf_counter() - started

    def draft(number: int, first: int, second: int) -> ArticleDraft:
        a, b = symbol(first), symbol(second)
        return ArticleDraft(
            headline=f"Invented Holdings {number} and Example Works agree supply deal",
            source=SourceRef(site="Bench Wire", section="Business"),
            published=f"2026-03-03T{number % 20:02d}:15:00",
            dateline=Dateline(place="ZENITH CITY", date="Mar 3", agency="Bench Wire"),
            body=[Block("paragraph", f"Invented Holdings ({a}) said on Tuesday it agreed to buy parts from "
                                     f"Example Works ({b}) in deal number {number}, the companies said."),
                  Block("paragraph", f"Shares of {a} rose 3% while {b} was flat in early trade.")],
            format="draft",
        )

    ingest_ms, match_ms, plan_ms, matched, written, queries = [], [], [], [], [], []
    held: list[object] = []
    with override_settings(EMBEDDINGS={"default": {"BACKEND": "none"}}), \
            events.replaced("alerts.notify", held.append):
        do_ingest_draft(draft(0, 1, 2), source_name="Bench Wire")  # warm-up: loads the tagger
        for number in range(1, stories + 1):
            first, second = rng.sample(range(SYMBOLS), 2)
            t0 = time.perf_counter()
            outcome = do_ingest_draft(draft(number, first, second), source_name="Bench Wire")
            ingest_ms.append((time.perf_counter() - t0) * 1000)
            article = Article.objects.get(pk=outcome.article_id)
            tagged = set(article.ticker_links.values_list("symbol", flat=True))
            assert {symbol(first), symbol(second)} <= tagged, tagged
            t0 = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                found = matched_follows(article)
            match_ms.append((time.perf_counter() - t0) * 1000)
            queries.append(len(captured.captured_queries))
            matched.append(len(found))
            t0 = time.perf_counter()
            plan = plan_story_alerts(article.pk, "story_stored")
            plan_ms.append((time.perf_counter() - t0) * 1000)
            written.append(plan.written)
    return {
        "vendor": connection.vendor, "readers": readers, "follows": len(follows), "stories": stories,
        "setup_s": round(setup_seconds, 1),
        "ingest_ms_median": round(statistics.median(ingest_ms), 1),
        "match_ms_median": round(statistics.median(match_ms), 2), "match_ms_max": round(max(match_ms), 2),
        "match_queries": max(queries),
        "plan_ms_median": round(statistics.median(plan_ms), 1), "plan_ms_max": round(max(plan_ms), 1),
        "matched_follows_median": statistics.median(matched), "deliveries_written_median": statistics.median(written),
    }


def run_backend(database_url: str, readers: int, stories: int) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": database_url, "TICKERWIRE_HOME": tempfile.mkdtemp(prefix="tw-bench-"),
           "PYTHONPATH": str(REPO)}
    code = f"import json, bench.alerts as b; print(json.dumps(b.worker({readers}, {stories})))"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=10_000)
    parser.add_argument("--stories", type=int, default=20)
    parser.add_argument("--postgres", default=None, metavar="URL", help="also measure on this PostgreSQL server")
    parser.add_argument("--no-sqlite", action="store_true", help="measure PostgreSQL only")
    args = parser.parse_args()
    results = []
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            results.append(run_backend(f"sqlite:///{folder}/bench.sqlite3", args.readers, args.stories))
    if args.postgres:
        import psycopg

        name = f"tickerwire_bench_alerts_{os.getpid()}"
        with psycopg.connect(args.postgres, autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{name}"')
        try:
            results.append(run_backend(args.postgres.rsplit("/", 1)[0] + f"/{name}", args.readers, args.stories))
        finally:
            with psycopg.connect(args.postgres, autocommit=True) as db:
                db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    for result in results:
        verdict = "meets" if result["match_ms_median"] < GOAL_MS else "misses"
        print(f"{result['vendor']}: {result['readers']:,} readers, {result['follows']:,} follows; per story "
              f"(median of {result['stories']}): ingest {result['ingest_ms_median']} ms, "
              f"matching {result['match_ms_median']} ms (max {result['match_ms_max']}, "
              f"{result['match_queries']} queries, {result['matched_follows_median']:g} follows matched), "
              f"planning incl. writing {result['deliveries_written_median']:g} deliveries "
              f"{result['plan_ms_median']} ms (max {result['plan_ms_max']}); "
              f"matching/ingest {result['match_ms_median'] / result['ingest_ms_median']:.2f}; "
              f"{verdict} the {GOAL_MS:g} ms matching goal")
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
