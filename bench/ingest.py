"""Measure ingest speed on SQLite and PostgreSQL: parse-only and parse+store stories per second.

The input is every Reuters-21578 training story that has a body (9,603), laid out as wire copy by
``lab.reuters21578.case_from_record`` (title, ``PLACE, Mon DD (Reuters) -`` dateline, the
corpus's own wrapping), one input per story, as ``tickerwire ingest`` of one file per story would see it.

For each database a fresh store is created (a temporary SQLite file in WAL mode; a new PostgreSQL
database ``tickerwire_bench_<pid>`` on the server, dropped afterwards) and a worker subprocess runs:

* parse-only: ``parse_bytes(data, "wire")`` for every story (no database);
* parse+store: ``ingest_bytes(data, fmt="wire", ...)`` for every story into the empty store, one
  transaction per story, with every story-event consumer (search index, purge, refinement) and tagging off
  for the pass, so the figure is the write path alone;
* re-ingest: the same again, every story now "unchanged" (the idempotent path);
* with ``--with-receivers``: parse+store once more into a second fresh store with the receivers that the
  installed apps connect (what ``tickerwire ingest`` does), for comparison.

``--tree DIR`` (repeatable) runs each pass with the worker of another checkout (its own
``bench/ingest.py`` and code, e.g. a worktree of the commit before a change) beside this one, and
``--rounds N`` repeats every run, the trees taking turns, so the machine's drifting load falls on all of
them alike; a last table gives each tree's median stories per CPU second as a ratio to the first tree's
(CPU time moves far less than wall time on a shared machine).

``--enrichment`` measures instead, on SQLite and in one worker, the cost of full enrichment against the
embedding alone: first the model over the stories' embedding texts, 32 a call (the model loaded and warmed
before either timing); then ``tickerwire ingest``'s path with full enrichment (tagging, sections, sentiment,
clusters, search index, the embedding and related ranking, refined in batches by ``refinement_batches``)
into an empty store. It prints both times and their ratio (goal <= 1.5). ``--per-story`` adds the same
ingest with each story refined after its own commit (the behaviour before batching), into another store.

Run: ``.venv/bin/python bench/ingest.py [--limit N] [--postgres URL] [--no-postgres] [--with-receivers]
[--profile] [--tree DIR --tree . ...] [--rounds N]`` or ``bench/ingest.py --enrichment [--limit N] [--per-story]``.
The target is parse+store >= 1,000 stories/s on SQLite.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
TRAIN = REPO.parent / "shared" / "data" / "reuters21578" / "train.jsonl"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/test"
TARGET_SQLITE = 1000.0


def load_wire_inputs(limit: int | None) -> list[tuple[int, bytes]]:
    """Return (corpus id, wire copy bytes) of the training stories that have a body."""
    sys.path.insert(0, str(REPO))
    from lab.reuters21578 import case_from_record

    inputs: list[tuple[int, bytes]] = []
    with TRAIN.open(encoding="utf-8") as handle:
        for line in handle:
            case = case_from_record(json.loads(line))
            if case is not None:
                inputs.append((case.id, case.wire.encode("utf-8")))
            if limit is not None and len(inputs) >= limit:
                break
    return inputs


@contextlib.contextmanager
def receivers_disconnected() -> Iterator[int]:
    """Run the block with no story-event consumers and no tagging; yield how many consumers there were."""
    from django.test import override_settings

    from tickerwire.articles import events

    with events.suspended() as count, override_settings(TICKERWIRE_ENRICH=False):
        yield count


def store_pass(inputs: list[tuple[int, bytes]], profile: bool) -> tuple[float, float, Counter[str]]:
    """Ingest every input; return the wall and CPU seconds taken and the count of each result status."""
    from tickerwire.articles.actions.ingest import IngestOutcome, SkippedItem, ingest_bytes

    statuses: Counter[str] = Counter()
    profiler = cProfile.Profile() if profile else None
    start, cpu_start = time.perf_counter(), time.process_time()
    if profiler is not None:
        profiler.enable()
    for story_id, data in inputs:
        for result in ingest_bytes(data, fmt="wire", source_name="Reuters", path=f"reuters21578/{story_id}"):
            if isinstance(result, IngestOutcome):
                statuses[result.status] += 1
            else:
                statuses["skipped" if isinstance(result, SkippedItem) else "quarantined"] += 1
    if profiler is not None:
        profiler.disable()
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    if profiler is not None:
        order = os.environ.get("BENCH_PROFILE_SORT", "cumulative")
        pstats.Stats(profiler, stream=sys.stderr).sort_stats(order).print_stats(30)
    return seconds, cpu_seconds, statuses


def worker(limit: int | None, with_receivers: bool, profile: bool) -> dict[str, Any]:
    """Run the passes against the database in DATABASE_URL and return the figures."""
    sys.path.insert(0, str(REPO))
    from tickerwire.cli import migrate_quietly, setup_django

    setup_django()
    migrate_quietly()
    from django.db import connection

    from tickerwire.ingest import parse_bytes

    inputs = load_wire_inputs(limit)
    start, cpu_start = time.perf_counter(), time.process_time()
    for _story_id, data in inputs:
        parse_bytes(data, "wire")
    figures: dict[str, Any] = {
        "database": connection.vendor,
        "stories": len(inputs),
        "parse_s": time.perf_counter() - start,
        "parse_cpu_s": time.process_time() - cpu_start,
    }
    if with_receivers:
        store_seconds, store_cpu, statuses = store_pass(inputs, profile)
        figures.update(receivers="connected", store_s=store_seconds, store_cpu_s=store_cpu, statuses=dict(statuses))
        return figures
    with receivers_disconnected() as disconnected:
        store_seconds, store_cpu, statuses = store_pass(inputs, profile)
        again_seconds, again_cpu, again = store_pass(inputs, False)
    figures.update(
        receivers=f"{disconnected} disconnected",
        store_s=store_seconds,
        store_cpu_s=store_cpu,
        statuses=dict(statuses),
        again_s=again_seconds,
        again_cpu_s=again_cpu,
        again_statuses=dict(again),
    )
    return figures


ENRICH_GOAL = 1.5


def embedding_only(inputs: list[tuple[int, bytes]]) -> tuple[float, float, int]:
    """Embed every story's embedding text, 32 a model call; return wall and CPU seconds and the story count."""
    from tickerwire.articles.tasks import EMBED_BATCH
    from tickerwire.core.draft import ArticleDraft
    from tickerwire.enrich.embeddings import embedding_text, get_backend
    from tickerwire.ingest import parse_bytes

    backend = get_backend(None)
    assert backend is not None, "the embedding backend is off (TICKERWIRE_EMBEDDINGS=none)"
    parsed = [item for _id, data in inputs for item in parse_bytes(data, "wire")]
    texts = [embedding_text(item) for item in parsed if isinstance(item, ArticleDraft)]
    backend.embed(texts[:EMBED_BATCH])  # loaded and warmed before the timing (ingest below finds it loaded)
    start, cpu_start = time.perf_counter(), time.process_time()
    for offset in range(0, len(texts), EMBED_BATCH):
        backend.embed(texts[offset : offset + EMBED_BATCH])
    return time.perf_counter() - start, time.process_time() - cpu_start, len(texts)


def enrichment_worker(limit: int | None, batched: bool, profile: bool) -> dict[str, Any]:
    """Time the embedding alone, then ingest with full enrichment, in the database of DATABASE_URL."""
    sys.path.insert(0, str(REPO))
    from tickerwire.cli import migrate_quietly, setup_django

    setup_django()
    migrate_quietly()
    from django.db import connection

    from tickerwire.articles.models import Article, RelatedArticle
    from tickerwire.articles.tasks import refinement_batches
    from tickerwire.enrich.pipeline import enrich_without_embedding
    from tickerwire.ingest import parse_bytes

    inputs = load_wire_inputs(limit)
    embed_s, embed_cpu_s, texts = embedding_only(inputs)
    # The tagger's one-time load (the company-name automaton), paid once per process like the model's:
    # timed on its own so both figures below are per-story costs.
    start = time.perf_counter()
    enrich_without_embedding(next(d for d in parse_bytes(inputs[0][1], "wire") if hasattr(d, "headline")))
    tagger_load_s = time.perf_counter() - start
    with refinement_batches() if batched else contextlib.nullcontext():
        store_s, store_cpu_s, statuses = store_pass(inputs, profile)
    return {
        "database": connection.vendor,
        "stories": len(inputs),
        "texts": texts,
        "refinement": "batched" if batched else "per story",
        "tagger_load_s": tagger_load_s,
        "embed_s": embed_s,
        "embed_cpu_s": embed_cpu_s,
        "store_s": store_s,
        "store_cpu_s": store_cpu_s,
        "statuses": dict(statuses),
        "embedded": Article.objects.exclude(embedding=None).count(),
        "with_related": RelatedArticle.objects.values("article_id").distinct().count(),
    }


def run_enrichment(args: argparse.Namespace) -> int:
    """Run the enrichment comparison (batched, and per story when asked) and print the ratios."""
    rows = []
    for batched in (True, False) if args.per_story else (True,):
        command = [sys.executable, __file__, "--enrichment-worker"]
        if args.limit:
            command += ["--limit", str(args.limit)]
        if not batched:
            command.append("--per-story")
        if args.profile:
            command.append("--profile")
        with fresh_sqlite() as url, tempfile.TemporaryDirectory() as home:
            env = {**os.environ, "DATABASE_URL": url, "TICKERWIRE_HOME": home, "TICKERWIRE_ENRICH": "1"}
            env.pop("TICKERWIRE_TASKS", None)  # in-process tasks, as the embedded default runs them
            done = subprocess.run(command, env=env, stdout=subprocess.PIPE, check=True, cwd=REPO)
        rows.append(json.loads(done.stdout))
    print("full-enrichment ingest against the embedding alone, SQLite, one process; "
          "stories per second, wall clock (CPU in brackets)\n")
    for row in rows:
        ratio = row["store_s"] / row["embed_s"]
        cpu_ratio = row["store_cpu_s"] / row["embed_cpu_s"]
        print(f"{row['refinement']:>9}: {row['stories']:,} stories ({row['texts']:,} texts)  "
              f"embedding only {row['texts'] / row['embed_s']:.1f}/s ({row['texts'] / row['embed_cpu_s']:.1f})  "
              f"ingest with full enrichment {row['stories'] / row['store_s']:.1f}/s "
              f"({row['stories'] / row['store_cpu_s']:.1f})  ratio {ratio:.2f} wall, {cpu_ratio:.2f} CPU "
              f"({'meets' if ratio <= ENRICH_GOAL else 'misses'} the goal <= {ENRICH_GOAL} by wall clock, "
              f"{'meets' if cpu_ratio <= ENRICH_GOAL else 'misses'} it by CPU time); "
              f"{row['embedded']:,} embedded, {row['with_related']:,} with related stories "
              f"(one-time tagger load {row['tagger_load_s']:.1f} s, not counted); "
              + ", ".join(f"{n} {status}" for status, n in sorted(row["statuses"].items())))
    print(f"\n({os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end)")
    return 0


def run_worker(database_url: str, args: argparse.Namespace, with_receivers: bool,
               tree: Path = REPO) -> dict[str, Any]:
    """Run one worker subprocess of the checkout ``tree`` on a database and return its figures."""
    command = [str(tree / ".venv" / "bin" / "python"), str(tree / "bench" / "ingest.py"), "--worker"]
    if args.limit:
        command += ["--limit", str(args.limit)]
    if with_receivers:
        command.append("--with-receivers")
    if args.profile:
        command.append("--profile")
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "DATABASE_URL": database_url, "TICKERWIRE_HOME": home, "PYTHONPATH": str(tree)}
        done = subprocess.run(command, env=env, stdout=subprocess.PIPE, check=True, cwd=tree)
    figures: dict[str, Any] = json.loads(done.stdout)
    figures["tree"] = tree.name
    return figures


@contextlib.contextmanager
def fresh_sqlite() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{Path(folder) / 'bench.sqlite3'}"


@contextlib.contextmanager
def fresh_postgres(server_url: str) -> Iterator[str]:
    """Create an empty database on the server for one worker and drop it afterwards."""
    import psycopg

    name = f"tickerwire_bench_{os.getpid()}_{time.monotonic_ns() % 100000}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def rate(row: dict[str, Any], name: str) -> str:
    """Return "wall (CPU)" stories per second of one pass, or "-" when it did not run."""
    if name + "_s" not in row:
        return "-"
    return f"{row['stories'] / row[name + '_s']:,.0f} ({row['stories'] / row[name + '_cpu_s']:,.0f})"


def print_table(rows: list[dict[str, Any]]) -> None:
    header = ("tree", "database", "stories", "receivers", "parse-only", "parse+store", "re-ingest (unchanged)",
              "results of parse+store")
    lines = [header]
    for row in rows:
        lines.append((
            row.get("tree", REPO.name),
            row["database"],
            f"{row['stories']:,}",
            row["receivers"],
            rate(row, "parse"),
            rate(row, "store"),
            rate(row, "again"),
            ", ".join(f"{n} {status}" for status, n in sorted(row["statuses"].items())),
        ))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for number, line in enumerate(lines):
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())
        if number == 0:
            print("  ".join("-" * width for width in widths))


def print_ratios(rows: list[dict[str, Any]], trees: list[str]) -> None:
    """Print each tree's median stories per CPU second of each pass, and its ratio to the first tree's."""
    print(f"\nmedian stories per CPU second over the rounds; ratio to {trees[0]} (higher is faster)")
    for database in dict.fromkeys(row["database"] for row in rows):
        for receivers in dict.fromkeys(row["receivers"].split()[-1] for row in rows if row["database"] == database):
            group = [r for r in rows if r["database"] == database and r["receivers"].endswith(receivers)]
            for name in ("parse", "store", "again"):
                medians = {}
                for tree in trees:
                    rates = [r["stories"] / r[name + "_cpu_s"] for r in group
                             if r["tree"] == tree and name + "_cpu_s" in r]
                    if rates:
                        medians[tree] = statistics.median(rates)
                if trees[0] not in medians:
                    continue
                cells = "  ".join(f"{tree} {rate:,.0f} ({rate / medians[trees[0]]:.2f}x)"
                                  for tree, rate in medians.items())
                print(f"  {database} receivers {receivers} {name:<6} {cells}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N stories with a body")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help=f"server URL (default {DEFAULT_POSTGRES})")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--with-receivers", action="store_true", help="also store with receivers connected")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the store pass to stderr")
    parser.add_argument("--enrichment", action="store_true",
                        help="compare ingest with full enrichment against the embedding alone (SQLite)")
    parser.add_argument("--per-story", action="store_true",
                        help="with --enrichment: also ingest refining each story after its own commit")
    parser.add_argument("--tree", action="append", type=Path,
                        help="checkout whose worker to run (repeat; the first is the reference; default: this one)")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each tree, interleaved")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--enrichment-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not TRAIN.exists():
        print(f"{TRAIN} is absent: nothing to measure", file=sys.stderr)
        return 1
    if args.worker:
        print(json.dumps(worker(args.limit, args.with_receivers, args.profile)))
        return 0
    if args.enrichment_worker:
        print(json.dumps(enrichment_worker(args.limit, not args.per_story, args.profile)))
        return 0
    if args.enrichment:
        return run_enrichment(args)

    databases: list[tuple[str, Any]] = [("sqlite", fresh_sqlite)]
    if not args.no_postgres:
        databases.append(("postgresql", lambda: fresh_postgres(args.postgres)))
    trees = [tree.resolve() for tree in (args.tree or [REPO])]
    rows = []
    for _name, fresh in databases:
        for with_receivers in (False, True) if args.with_receivers else (False,):
            for _round in range(args.rounds):
                for tree in trees:
                    with fresh() as url:
                        rows.append(run_worker(url, args, with_receivers, tree))
    print("stories per second, wall clock (CPU time of the bench process in brackets)\n")
    print_table(rows)
    if len(trees) > 1 or args.rounds > 1:
        print_ratios(rows, [tree.name for tree in trees])
    sqlite = next(r for r in rows if r["database"] == "sqlite")
    sqlite_rate = sqlite["stories"] / sqlite["store_s"]
    verdict = "meets" if sqlite_rate >= TARGET_SQLITE else "misses"
    print(f"\nSQLite parse+store {sqlite_rate:,.0f} stories/s (wall) {verdict} the target of {TARGET_SQLITE:,.0f}/s "
          f"({os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
