"""Prove the scale-out set-up under load and faults: no story lost or doubled, no 500, recovery by itself.

On PostgreSQL (the default) it starts 2 app servers (``tickerwire serve``, granian) and a pool of 2 task
workers (``tickerwire worker --processes 2``) on loopback, sharing a scratch database and Redis, then pushes
``--stories`` Reuters-21578 wire stories over ``POST /api/v1/ingest`` from 4 threads while 2 threads read
pages. Mid-run it kills one worker with SIGKILL and, later, restarts PostgreSQL. With ``--backend sqlite``
it runs one app server and the same pool on the embedded default (WAL), with no database restart.

It checks, and exits 1 if any fails:
- every acknowledged story is stored exactly once (one article, one revision) and nothing was quarantined;
- no request got a 500 (a 503 while the database restarts is the clean failure it must give);
- requests succeed again within ``--recovery`` seconds of the database coming back;
- every background task ended SUCCESSFUL (the killed worker's task was queued again and run).

A push that failed (503, a refused connection) is retried after a pause, as a wire client does; a push is
"acknowledged" once it got a 200 naming the story.

Run: ``.venv/bin/python bench/faults.py [--stories 5000] [--backend postgres|sqlite]
[--pg-url postgres://postgres@127.0.0.1:5432/postgres] [--redis redis://127.0.0.1:6379/3] [--no-pg-restart]``
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_harness import REPO, free_port, machine_load, wait_for  # noqa: E402

sys.path.insert(0, str(REPO))

from tests.processes import http, query  # noqa: E402 - the one copy of both, shared with the process tests

PYTHON = sys.executable  # the bench runs with the project's .venv python
SOURCE = "Faults Wire"
DATA = REPO.parent / "shared" / "data" / "reuters21578"
PG_CLUSTER_RESTART = "pg_ctlcluster --skip-systemctl-redirect {version} main restart"


@dataclass
class Tally:
    """What the clients saw: statuses per kind of request, acknowledged keys, and when the outage ended."""

    statuses: Counter = field(default_factory=Counter)
    acknowledged: dict[str, int] = field(default_factory=dict)
    changes: Counter = field(default_factory=Counter)  # key -> acknowledged new/revised pushes
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    outage_started: float | None = None
    outage_ended: float | None = None
    first_success_after_outage: float | None = None

    def saw(self, kind: str, status: int | str) -> None:
        with self.lock:
            self.statuses[(kind, status)] += 1
            if (status == 200 and self.outage_ended is not None and self.first_success_after_outage is None):
                self.first_success_after_outage = time.monotonic()


def wire_stories(count: int) -> list[str]:
    """Reuters-21578 stories as wire text, repeated with a changed headline (so a new key) past the corpus."""
    sys.path.insert(0, str(REPO))
    from lab.reuters21578 import case_from_record

    base: list[str] = []
    for name in ("train.jsonl", "unused.jsonl"):
        path = DATA / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                case = case_from_record(json.loads(line))
                if case is not None:
                    base.append(case.wire)
    if not base:
        raise SystemExit(f"no Reuters stories under {DATA}: this bench needs ../shared/data")
    stories = []
    for index in range(count):
        wire = base[index % len(base)]
        copy = index // len(base)
        if copy:
            title, rest = wire.split("\n", 1)
            wire = f"{title} (set {copy + 1})\n{rest}"
        stories.append(wire)
    return stories


def push(base_urls: list[str], key: str, index: int, wire: str, tally: Tally, stop: threading.Event) -> None:
    """Push one story until it is acknowledged (retrying failures with a pause), as a wire client would."""
    attempt = 0
    while not stop.is_set():
        base = base_urls[(index + attempt) % len(base_urls)]
        status, body = http("POST", f"{base}/api/v1/ingest?format=wire", wire.encode("utf-8"),
                            {"Authorization": f"Bearer {key}", "Content-Type": "text/plain"})
        tally.saw("ingest", status)
        if status == 200:
            items = json.loads(body)["items"]
            with tally.lock:
                for item in items:
                    if item["status"] in ("new", "unchanged", "revised"):
                        tally.acknowledged[item["key"]] = item["id"]
                        if item["status"] != "unchanged":
                            tally.changes[item["key"]] += 1
                    else:
                        tally.failures.append(f"story {index}: {item}")
            return
        if status == 500:
            tally.failures.append(f"story {index}: 500 {body[:200]!r}")
        attempt += 1
        time.sleep(min(0.5 * attempt, 3))


def read_pages(base_urls: list[str], tally: Tally, stop: threading.Event) -> None:
    paths = ["/", "/api/v1/articles?limit=5", "/api/v1/sections", "/search?q=oil", "/readyz"]
    n = 0
    while not stop.is_set():
        path = paths[n % len(paths)]
        status, body = http("GET", base_urls[n % len(base_urls)] + path, timeout=15)
        kind = "readyz" if path == "/readyz" else "read"
        tally.saw(kind, status)
        if status == 500:
            tally.failures.append(f"GET {path}: 500 {body[:200]!r}")
        n += 1
        time.sleep(0.02)


def pool_children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def restart_postgres(tally: Tally) -> float:
    version = subprocess.run(["ls", "/etc/postgresql"], capture_output=True, text=True).stdout.split()[0]
    tally.outage_started = time.monotonic()
    started = time.monotonic()
    subprocess.run(PG_CLUSTER_RESTART.format(version=version).split(), check=True, capture_output=True)
    tally.outage_ended = time.monotonic()
    return time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=5000)
    parser.add_argument("--backend", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/3")
    parser.add_argument("--no-pg-restart", action="store_true")
    parser.add_argument("--recovery", type=float, default=30.0, help="seconds allowed to recover after a restart")
    args = parser.parse_args(argv)

    print(f"faults bench: {args.stories} stories on {args.backend}; {machine_load()}", flush=True)
    stories = wire_stories(args.stories)
    home = Path(tempfile.mkdtemp(prefix="tickerwire-faults-"))
    scratch = f"tickerwire_faults_{os.getpid()}"
    if args.backend == "postgres":
        import psycopg

        with psycopg.connect(args.pg_url, autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{scratch}"')
        database_url = args.pg_url.rsplit("/", 1)[0] + f"/{scratch}"
    else:
        database_url = f"sqlite:///{home / 'tickerwire.sqlite3'}"
    env = dict(os.environ, DATABASE_URL=database_url, TICKERWIRE_HOME=str(home), TICKERWIRE_TASKS="database",
               TICKERWIRE_EMBEDDINGS="none", TICKERWIRE_API_INGEST_RATE="1000000/min",
               TICKERWIRE_API_READ_RATE="1000000/min", TICKERWIRE_LOG_LEVEL="ERROR",
               TICKERWIRE_PAGE_CACHE_SECONDS="0")
    if args.backend == "postgres":
        env["TICKERWIRE_CACHE_URL"] = args.redis
    created = subprocess.run([PYTHON, "-m", "tickerwire", "apikey", "create", SOURCE], cwd=REPO, env=env,
                             capture_output=True, text=True, check=True)
    key = created.stdout.splitlines()[0].strip()
    servers = 2 if args.backend == "postgres" else 1
    ports = [free_port() for _ in range(servers)]
    processes = [subprocess.Popen([PYTHON, "-m", "tickerwire", "serve", "--port", str(port), "--workers", "1",
                                   "--threads", "4"], cwd=REPO, env=env, stdout=subprocess.DEVNULL)
                 for port in ports]
    # The pool's log goes to a file: a pipe read only at the end fills up and blocks the workers' logging.
    pool_log_path = home / "pool.log"
    pool_log_file = pool_log_path.open("w")
    pool = subprocess.Popen([PYTHON, "-m", "tickerwire", "worker", "--processes", "2", "--interval", "0.2"],
                            cwd=REPO, env=env, stderr=pool_log_file, text=True)
    base_urls = [f"http://127.0.0.1:{port}" for port in ports]
    tally = Tally()
    stop = threading.Event()
    report: dict[str, object] = {}
    try:
        for base in base_urls:
            wait_for(base + "/healthz", 120)
        readers = [threading.Thread(target=read_pages, args=(base_urls, tally, stop), daemon=True)
                   for _ in range(2)]
        for reader in readers:
            reader.start()
        started = time.monotonic()
        killed = restarted = False
        last_progress = started
        with ThreadPoolExecutor(max_workers=4) as executor:
            futures = [executor.submit(push, base_urls, key, i, wire, tally, stop) for i, wire in enumerate(stories)]
            while not all(f.done() for f in futures):
                done = len(tally.acknowledged)
                if not killed and done >= args.stories * 0.3:
                    children = pool_children(pool.pid)
                    if children:
                        os.kill(children[0], signal.SIGKILL)
                        report["killed worker pid"] = children[0]
                        killed = True
                if (args.backend == "postgres" and not args.no_pg_restart and not restarted
                        and done >= args.stories * 0.6):
                    report["postgres restart seconds"] = round(restart_postgres(tally), 2)
                    restarted = True
                if time.monotonic() - last_progress >= 10:
                    last_progress = time.monotonic()
                    print(f"{done}/{args.stories} acknowledged, {last_progress - started:.0f} s", file=sys.stderr,
                          flush=True)
                time.sleep(0.5)
            for future in futures:
                future.result()
        elapsed = time.monotonic() - started
        # Let the pool finish the queue, then stop the readers.
        drain_started = time.monotonic()
        deadline = drain_started + 600
        while time.monotonic() < deadline:
            waiting = dict(query(database_url, "SELECT status, COUNT(*) FROM django_tasks_database_dbtaskresult "
                                               "WHERE status IN ('READY', 'RUNNING') GROUP BY status"))
            if not waiting:
                break
            if time.monotonic() - last_progress >= 10:
                last_progress = time.monotonic()
                print(f"draining the queue: {waiting.get('READY', 0)} ready, {waiting.get('RUNNING', 0)} running, "
                      f"{last_progress - drain_started:.0f} s", file=sys.stderr, flush=True)
            time.sleep(1)
        report["queue drained in seconds"] = round(time.monotonic() - drain_started, 1)
        stop.set()
        for reader in readers:
            reader.join(timeout=30)
        rows = query(database_url, "SELECT a.key, a.revision_count FROM articles_article a JOIN articles_source s "
                                   f"ON s.id = a.source_id WHERE s.name = '{SOURCE}'")
        tasks = dict(query(database_url, "SELECT status, COUNT(*) FROM django_tasks_database_dbtaskresult "
                                         "GROUP BY status"))
        quarantined = query(database_url, "SELECT COUNT(*) FROM articles_quarantine")[0][0]
    finally:
        stop.set()
        for process in [*processes, pool]:
            process.send_signal(signal.SIGTERM)
        for process in [*processes, pool]:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
        pool_log_file.close()
        pool_log = pool_log_path.read_text()

    stored = Counter(key for key, _ in rows)
    problems = list(tally.failures)
    missing = set(tally.acknowledged) - set(stored)
    doubled = [key for key, n in stored.items() if n > 1]
    # Reuters has a few stories twice under one identity: the second is a revision, acknowledged as one.
    revised = [key for key, count in rows if count != max(1, tally.changes[key])]
    if missing:
        problems.append(f"{len(missing)} acknowledged stories not stored")
    if doubled or revised:
        problems.append(f"{len(doubled)} stories stored twice, {len(revised)} with revisions other than acknowledged")
    if quarantined:
        problems.append(f"{quarantined} inputs quarantined")
    if set(tasks) - {"SUCCESSFUL"}:
        problems.append(f"tasks not all successful: {tasks}")
    if any(status == 500 for (_, status) in tally.statuses):
        problems.append("a request got a 500")
    recovery = None
    if tally.outage_ended is not None:
        if tally.first_success_after_outage is None:
            problems.append("no request succeeded after the database restart")
        else:
            recovery = tally.first_success_after_outage - tally.outage_ended
            if recovery > args.recovery:
                problems.append(f"recovery took {recovery:.1f} s (allowed {args.recovery:.0f} s)")
    if "(signal 9)" not in pool_log and "killed worker pid" in report:
        problems.append("the pool did not report the killed worker")

    print(f"\n{len(tally.acknowledged)} stories acknowledged in {elapsed:.1f} s "
          f"({len(tally.acknowledged) / elapsed:.1f}/s); {len(stored)} stored")
    for name, value in report.items():
        print(f"{name}: {value}")
    if recovery is not None:
        print(f"first success {recovery:.2f} s after PostgreSQL was back")
    print("responses:", ", ".join(f"{kind} {status}: {n}" for (kind, status), n in sorted(
        tally.statuses.items(), key=lambda item: (item[0][0], str(item[0][1])))))
    print("tasks:", ", ".join(f"{status} {n}" for status, n in sorted(tasks.items())))
    print(f"quarantined: {quarantined}; {machine_load()}")
    if args.backend == "postgres":
        import psycopg

        with psycopg.connect(args.pg_url, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
    if problems:
        print("FAILED:\n  " + "\n  ".join(problems[:20]))
        return 1
    print("OK: nothing lost, nothing doubled, no 500")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
