"""How ingest and search cost grow with the size of the store, on SQLite (WAL) and PostgreSQL.

For each database and each size (``--sizes``, default 10,000 and 100,000 stories):

1. a base store gets ``--base`` Reuters-21578 stories through the real ingest path
   (:func:`bench.http_harness.load_stories_report`: ``ingest_bytes``, one transaction per story, the search
   index written in it; enrichment off unless ``--enrich``, which runs it without embeddings);
2. a copy of the base store is filled by SQL copies of the base's stories and of their index entries (with
   changed keys) up to ``size - --batch`` stories: ingesting 100,000 stories one by one takes hours on the
   shared 2-core machine, and search only sees the articles table and the index;
3. ``--batch`` further corpus stories go in through the real ingest path: the ingest stories/s at that size;
4. the 50 queries of :mod:`bench.search` are timed in a fresh process (each once to warm up, then
   ``--repeat`` times): p50/p95, with the search code of this checkout, and with ``--compare-repo``'s (an
   older checkout, e.g. a worktree of main) on the same store in the same run.

It prints, per database, the ingest and search figures at each size, the growth ratios of the largest size
to the smallest, and with ``--compare-repo`` for how many queries both first pages (top 20) list the same
stories in the same order, and how many totals were capped (``total_exact`` false).

Stores are kept between runs: SQLite folders ``/tmp/scale_<db>_<size>`` and PostgreSQL databases
``<--pg-prefix>_<size>`` (base: ``..._base<N>``), each with its last ingest report in
``/tmp/scale_<db>_<size>.json``; ``--drop`` removes them at the end. The stories are Reuters stories
repeated: past the base, copies of the same text with other keys, so a first page may list several copies
of one story (the comparison reads distinct headlines).

Run: ``.venv/bin/python bench/scale.py [--sizes 10000,100000] [--databases sqlite,postgres]
[--postgres postgres://postgres@127.0.0.1:5432/test] [--base 2000] [--batch 500] [--repeat 3]
[--compare-repo DIR] [--drop]``. Goal: search p95 at 100,000 stories <= 2x its value at 10,000.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_harness import (  # noqa: E402 - the bench folder is not on sys.path
    PYTHON,
    REPO,
    LoadReport,
    load_stories_report,
    machine_load,
    store_env,
)
from search import QUERIES, in_process  # noqa: E402

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/test"
STORE_ROOT = Path("/tmp")
GOAL_GROWTH = 2.0

# Copies of the base's stories, made in SQL in the store's own process (Django's connection, either vendor).
_FILLER = """
import json, sys
sys.path.insert(0, {repo!r})
from tickerwire.cli import setup_django, migrate_quietly
setup_django(); migrate_quietly()
from django.db import connection, transaction
target = {target}
with connection.cursor() as cursor:
    cursor.execute("SELECT COUNT(*), COALESCE(MAX(id), 0) FROM articles_article")
    have, span = cursor.fetchone()
    base = have
    columns = [c.name for c in connection.introspection.get_table_description(cursor, "articles_article")]
    others = ", ".join(c for c in columns if c not in ("id", "key"))
    copy = 0
    while have < target:
        copy += 1
        offset = copy * span
        with transaction.atomic():
            cursor.execute(
                f"INSERT INTO articles_article (id, key, {{others}}) SELECT id + %s, key || %s, {{others}}"
                " FROM articles_article WHERE id <= %s ORDER BY id LIMIT %s",
                [offset, f"~copy{{copy}}", span, target - have])
            added = cursor.rowcount
            if connection.vendor == "sqlite":
                cursor.execute(
                    "INSERT INTO search_fts (rowid, headline, summary, body, tickers)"
                    " SELECT a.id, f.headline, f.summary, f.body, f.tickers FROM articles_article a"
                    " JOIN search_fts f ON f.rowid = a.id - %s WHERE a.id > %s AND a.id <= %s",
                    [offset, offset, offset + span])
            else:
                cursor.execute(
                    "INSERT INTO search_document (article_id, body, document)"
                    " SELECT a.id, d.body, d.document FROM articles_article a"
                    " JOIN search_document d ON d.article_id = a.id - %s WHERE a.id > %s AND a.id <= %s",
                    [offset, offset, offset + span])
        have += added
    if connection.vendor == "postgresql":
        cursor.execute("SELECT setval(pg_get_serial_sequence('articles_article', 'id'), MAX(id)) FROM articles_article")
        # What autovacuum does on a live site: statistics, and the GIN pending list merged into the index.
        cursor.execute("VACUUM ANALYZE")
print(json.dumps({{"stored": have, "copied": have - base}}))
"""


@dataclass
class SizeRow:
    """One database at one size: the ingest rate of the last real batch and the search distribution."""

    database: str
    size: int
    stored: int
    ingest: LoadReport
    search: dict[str, float]
    before: dict[str, float] | None = None
    same_pages: int | None = None
    capped_totals: int = 0


def database_url_for(server_url: str, name: str) -> str:
    """Return ``server_url`` pointed at the database ``name``."""
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def psql(server_url: str, sql: str) -> str:
    """Run one statement with ``psql`` on the server's maintenance database; return its output."""
    out = subprocess.run(["psql", database_url_for(server_url, "postgres"), "-qAtc", sql], check=True,
                         capture_output=True, text=True)
    return out.stdout.strip()


def pg_exists(server_url: str, name: str) -> bool:
    return psql(server_url, f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"


class Store:
    """One store of the run: a SQLite folder or a PostgreSQL database, with its saved load report."""

    def __init__(self, database: str, label: str, args: argparse.Namespace) -> None:
        self.database = database
        self.home = STORE_ROOT / f"scale_{database}_{label}"
        self.pg_name = f"{args.pg_prefix}_{label}"
        self.server = args.postgres
        self.url = database_url_for(args.postgres, self.pg_name) if database == "postgres" else None
        self.report_path = STORE_ROOT / f"scale_{database}_{label}.json"

    def exists(self) -> bool:
        if self.database == "postgres":
            return pg_exists(self.server, self.pg_name) and self.report_path.exists()
        return (self.home / "tickerwire.sqlite3").exists() and self.report_path.exists()

    def clone_from(self, other: Store) -> None:
        """Start this store as a copy of ``other`` (file copy; PostgreSQL ``CREATE DATABASE ... TEMPLATE``)."""
        self.drop()
        if self.database == "postgres":
            psql(self.server, f'CREATE DATABASE "{self.pg_name}" TEMPLATE "{other.pg_name}"')
        else:
            shutil.copytree(other.home, self.home)
        self.home.mkdir(parents=True, exist_ok=True)

    def create_empty(self) -> None:
        self.drop()
        if self.database == "postgres":
            psql(self.server, f'CREATE DATABASE "{self.pg_name}"')
        self.home.mkdir(parents=True, exist_ok=True)

    def drop(self) -> None:
        if self.database == "postgres" and pg_exists(self.server, self.pg_name):
            psql(self.server, f'DROP DATABASE "{self.pg_name}" WITH (FORCE)')
        shutil.rmtree(self.home, ignore_errors=True)
        self.report_path.unlink(missing_ok=True)

    def save(self, report: LoadReport) -> None:
        self.report_path.write_text(json.dumps(asdict(report)))

    def saved(self) -> LoadReport:
        return LoadReport(**json.loads(self.report_path.read_text()))

    def fill_by_copies(self, target: int) -> int:
        """Copy stories in SQL until the store holds ``target``; return how many it holds."""
        code = _FILLER.format(repo=str(REPO), target=target)
        out = subprocess.run([str(PYTHON), "-c", code], env=store_env(self.home, self.url), check=True,
                             capture_output=True, text=True)
        return int(json.loads(out.stdout.strip().splitlines()[-1])["stored"])


def build(database: str, size: int, args: argparse.Namespace) -> tuple[Store, LoadReport]:
    """Return the store of ``size`` stories for ``database`` (built unless kept from an earlier run) and the
    report of its last real ingest batch."""
    store = Store(database, str(size), args)
    if store.exists():
        return store, store.saved()
    base = Store(database, f"base{args.base}", args)
    if not base.exists():
        base.create_empty()
        base.save(load_stories_report(base.home, args.base, enrich=args.enrich, database_url=base.url,
                                      TICKERWIRE_EMBEDDINGS="none"))
    base_report = base.saved()
    if size <= args.base:
        raise SystemExit(f"--sizes must be above --base ({args.base})")
    store.clone_from(base)
    store.fill_by_copies(size - args.batch)
    report = load_stories_report(store.home, size, enrich=args.enrich, database_url=store.url,
                                 skip=base_report.stored, TICKERWIRE_EMBEDDINGS="none")
    store.save(report)
    return store, report


def same_headlines(after: list[dict], before: list[dict]) -> int:
    """Return for how many queries both first pages list the same stories in the same order.

    Copies share a headline and a score, so a page may hold several copies of one story: each page is
    read as its distinct headlines in order, and the shorter list must begin the longer one.
    """
    def stories(page: dict) -> list[str]:
        return list(dict.fromkeys(re.sub(r" \(set \d+\)$", "", headline) for _id, headline in page["hits"]))

    def same(one: list[str], two: list[str]) -> bool:
        shorter = min(len(one), len(two))
        return one[:shorter] == two[:shorter] and (shorter > 0 or not one and not two)

    return sum(same(stories(a), stories(b)) for a, b in zip(after, before, strict=True))


def measure(database: str, size: int, args: argparse.Namespace) -> SizeRow:
    store, report = build(database, size, args)
    print(f"{database} {size}: {machine_load()}", flush=True)
    pages: list[dict] = []
    after = in_process(store.home, args.repeat, store.url, pages=pages)
    row = SizeRow(database, size, int(after["stories"]), report, after,
                  capped_totals=sum(not page["exact"] for page in pages))
    if args.compare_repo:
        before_pages: list[dict] = []
        row.before = in_process(store.home, args.repeat, store.url, repo=args.compare_repo, pages=before_pages)
        row.same_pages = same_headlines(pages, before_pages)
    print(f"  {json.dumps(asdict(row), default=str)}", flush=True)
    return row


def ratio(new: float, old: float) -> str:
    return f"{new / old:.2f}x" if old else "-"


def print_report(rows: list[SizeRow], args: argparse.Namespace) -> None:
    print(f"\n{len(QUERIES)} queries x {args.repeat}; ingest: the last {args.batch} stories of each size through "
          f"ingest_bytes (enrichment {'on, no embeddings' if args.enrich else 'off'}; search index on); "
          f"{machine_load()} (shared)")
    compare = args.compare_repo is not None
    header = f"{'database':<10}{'stories':>9}{'ingest/s':>10}{'p50 ms':>9}{'p95 ms':>9}"
    if compare:
        header += f"{'before p50':>12}{'before p95':>12}{'same top 20':>13}"
    print(header + f"{'capped totals':>15}")
    for row in rows:
        rate = row.ingest.stories_per_second
        line = (f"{row.database:<10}{row.stored:>9}{(f'{rate:.1f}' if rate else '-'):>10}"
                f"{row.search['p50']:>9.1f}{row.search['p95']:>9.1f}")
        if compare and row.before is not None:
            line += (f"{row.before['p50']:>12.1f}{row.before['p95']:>12.1f}"
                     f"{f'{row.same_pages}/{len(QUERIES)}':>13}")
        print(line + f"{row.capped_totals:>15}")
    print(f"\ngrowth, largest size / smallest (goal: search p95 <= {GOAL_GROWTH:g}x)")
    for database in args.databases:
        mine = sorted((r for r in rows if r.database == database), key=lambda r: r.size)
        if len(mine) < 2:
            continue
        small, large = mine[0], mine[-1]
        rates = (small.ingest.stories_per_second, large.ingest.stories_per_second)
        line = (f"{database:<10}{large.size}/{small.size} stories: ingest/s "
                f"{ratio(rates[1], rates[0]) if all(rates) else '-'}, "  # type: ignore[arg-type]
                f"search p50 {ratio(large.search['p50'], small.search['p50'])}, "
                f"p95 {ratio(large.search['p95'], small.search['p95'])}")
        if compare and small.before and large.before:
            line += (f"; before: p50 {ratio(large.before['p50'], small.before['p50'])}, "
                     f"p95 {ratio(large.before['p95'], small.before['p95'])}")
        print(line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated store sizes, smallest first")
    parser.add_argument("--databases", default="sqlite,postgres", help="sqlite, postgres or both")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="server URL (its own databases are made)")
    parser.add_argument("--pg-prefix", default="tickerwire_bench_scale", help="name prefix of the databases made")
    parser.add_argument("--base", type=int, default=2000, help="stories ingested one by one before the copies")
    parser.add_argument("--batch", type=int, default=500, help="stories ingested one by one at each size")
    parser.add_argument("--enrich", action="store_true", help="enrich at ingest (embeddings off)")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes over the query set")
    parser.add_argument("--compare-repo", type=Path, help="another checkout whose search code is timed alike")
    parser.add_argument("--drop", action="store_true", help="remove the stores at the end")
    args = parser.parse_args(argv)
    args.databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    sizes = sorted(int(s) for s in args.sizes.split(","))
    rows = [measure(database, size, args) for database in args.databases for size in sizes]
    print_report(rows, args)
    if args.drop:
        for database in args.databases:
            for label in (*map(str, sizes), f"base{args.base}"):
                Store(database, label, args).drop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
