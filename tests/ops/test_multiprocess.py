"""The scale-out set-up on PostgreSQL, small and bounded: 2 app servers, a pool of 2 workers, Redis.

60 stories are pushed over ``POST /api/v1/ingest`` from 2 threads while a thread reads pages; one worker is
SIGKILLed mid-run. Every acknowledged story must be stored exactly once, no request may get a 500, and every
background task must end SUCCESSFUL (the killed worker's task queued again and run). PostgreSQL is never
restarted here (other tests share the server: ``bench/faults.py`` does that, with 5,000 stories).
Runs only when the tests run on PostgreSQL and Redis answers on 127.0.0.1:6379 (db 3, or ``TICKERWIRE_TEST_REDIS``).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from tests.processes import (
    Program,
    free_port,
    http,
    process_env,
    query,
    run_tickerwire,
    running,
    start_pool,
    wait_until,
)

STORIES = 60
# Bounds, not timings (a machine shared with other work is slow): past them the test fails, naming what was late.
PUSH_SECONDS = 90
SOURCE = "Multiprocess Test Wire"
REDIS = os.environ.get("TICKERWIRE_TEST_REDIS", "redis://127.0.0.1:6379/3")
READ_PATHS = ["/", "/api/v1/articles?limit=5", "/api/v1/sections", "/search?q=orders", "/readyz"]


def redis_answers() -> bool:
    host_port = REDIS.split("//", 1)[1].split("/", 1)[0]
    host, _, port = host_port.rpartition(":")
    try:
        with socket.create_connection((host or "127.0.0.1", int(port or 6379)), timeout=1):
            return True
    except OSError:
        return False


pytestmark = [
    pytest.mark.django_db,
    pytest.mark.slow,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the multi-process check runs on PostgreSQL"),
    pytest.mark.skipif(not redis_answers(), reason=f"no Redis at {REDIS}"),
]


def story(number: int) -> bytes:
    """Return a short wire story written for this test, one headline (so one key) per number."""
    return (
        f"Orbis Widgets wins order {number} from a regional grid operator\n\n"
        f"ZENITH CITY, March 4 (Multiprocess Test Wire) - Orbis Widgets said on Tuesday it had won order "
        f"{number} to supply transformers to a regional grid operator, its {number}th this year.\n\n"
        "The company said demand for its products stayed strong through the quarter.\n"
    ).encode()


class Tally:
    def __init__(self) -> None:
        self.statuses: Counter = Counter()
        self.acknowledged: dict[str, int] = {}
        self.failures: list[str] = []
        self.lock = threading.Lock()

    def saw(self, kind: str, status: int | str, what: str, body: bytes) -> None:
        with self.lock:
            self.statuses[(kind, status)] += 1
            if status == 500:
                self.failures.append(f"{what}: 500 {body[:200]!r}")


def push(bases: list[str], key: str, numbers: list[int], tally: Tally, deadline: float) -> None:
    """Push each story until it is acknowledged (a 200 naming it), retrying failures after a pause."""
    for number in numbers:
        attempt = 0
        while time.monotonic() < deadline:
            status, body = http("POST", f"{bases[(number + attempt) % len(bases)]}/api/v1/ingest?format=wire",
                                story(number), {"Authorization": f"Bearer {key}", "Content-Type": "text/plain"})
            tally.saw("ingest", status, f"story {number}", body)
            if status == 200:
                with tally.lock:
                    for item in json.loads(body)["items"]:
                        if item["status"] in ("new", "unchanged", "revised"):
                            tally.acknowledged[item["key"]] = item["id"]
                        else:
                            tally.failures.append(f"story {number}: {item}")
                break
            attempt += 1
            time.sleep(min(0.2 * attempt, 1))


def read_pages(bases: list[str], tally: Tally, stop: threading.Event) -> None:
    n = 0
    while not stop.is_set():
        path = READ_PATHS[n % len(READ_PATHS)]
        status, body = http("GET", bases[n % len(bases)] + path, timeout=15)
        tally.saw("read", status, f"GET {path}", body)
        n += 1
        time.sleep(0.02)


def test_two_servers_and_two_workers_lose_and_double_nothing_when_a_worker_is_killed(
    tmp_path: Path, scratch_database_url: str
) -> None:
    env = process_env(scratch_database_url, tmp_path, TICKERWIRE_CACHE_URL=REDIS, TICKERWIRE_EMBEDDINGS="none",
                      TICKERWIRE_API_INGEST_RATE="1000000/min", TICKERWIRE_API_READ_RATE="1000000/min",
                      TICKERWIRE_LOG_LEVEL="ERROR", TICKERWIRE_PAGE_CACHE_SECONDS="0")
    key = run_tickerwire(["apikey", "create", SOURCE], env).splitlines()[0].strip()
    ports = [free_port(), free_port(18350)]
    servers = [Program(["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1", "--threads", "4"],
                       env, tmp_path / f"serve-{port}.log") for port in ports]
    pool = start_pool(env, tmp_path / "pool.log", batch=False)
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    tally = Tally()
    stop = threading.Event()
    with running(*servers, pool):
        for base in bases:
            wait_until(lambda base=base: http("GET", base + "/healthz", timeout=2)[0] == 200, 60,
                       f"{base} did not answer")
        reader = threading.Thread(target=read_pages, args=(bases, tally, stop), daemon=True)
        reader.start()
        deadline = time.monotonic() + PUSH_SECONDS
        pushers = [threading.Thread(target=push, args=(bases, key, list(range(part, STORIES, 2)), tally, deadline))
                   for part in range(2)]
        for pusher in pushers:
            pusher.start()
        wait_until(lambda: len(tally.acknowledged) >= STORIES // 3, PUSH_SECONDS, "a third of the stories not stored")
        victim = wait_until(lambda: pool.children(), 10, "the pool has no workers")[0]  # type: ignore[index]
        os.kill(victim, signal.SIGKILL)
        for pusher in pushers:
            pusher.join(timeout=max(1.0, deadline - time.monotonic()))
        waiting = "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY', 'RUNNING')"
        wait_until(lambda: query(scratch_database_url, waiting)[0][0] == 0, 30, "the queue was not worked off",
                   every=0.5)
        stop.set()
        reader.join(timeout=20)
    pool_log = pool.log_path.read_text()
    rows = query(scratch_database_url, "SELECT a.key, a.revision_count FROM articles_article a JOIN "
                                       f"articles_source s ON s.id = a.source_id WHERE s.name = '{SOURCE}'")
    tasks = dict(query(scratch_database_url, "SELECT status, COUNT(*) FROM django_tasks_database_dbtaskresult "
                                             "GROUP BY status"))
    stored = Counter(key for key, _count in rows)
    assert len(tally.acknowledged) == STORIES, f"{len(tally.acknowledged)} of {STORIES} acknowledged"
    assert set(stored) == set(tally.acknowledged)  # none lost
    assert all(n == 1 for n in stored.values()) and all(count == 1 for _key, count in rows)  # none doubled
    assert not tally.failures, tally.failures[:5]
    assert not any(status == 500 for (_kind, status) in tally.statuses), tally.statuses
    assert any(kind == "read" and status == 200 for (kind, status) in tally.statuses)
    assert set(tasks) == {"SUCCESSFUL"}, tasks
    assert "(signal 9)" in pool_log, pool_log[-2000:]
