"""Running the real programs in tests: the environment, a setup script, a worker pool, app servers, waiting.

Shared by the tests that kill a worker mid-task (tests/ops/test_worker_pool.py, tests/alerts/test_worker_kill.py)
and the multi-process check (tests/ops/test_multiprocess.py). Every process binds 127.0.0.1; logs go to files
(a pipe read only at the end fills up and blocks the writer).
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

REPO_ROOT = Path(__file__).resolve().parents[1]

# The head of every setup script run in a subprocess: Django set up, the store migrated.
DJANGO_SETUP = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tickerwire.config.settings")
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
"""


def process_env(database_url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    """Return the environment of the programs under test: this checkout, the scratch store, the database queue."""
    return {**os.environ, "DATABASE_URL": database_url, "TICKERWIRE_HOME": str(tmp_path / "home"),
            "TICKERWIRE_TASKS": "database", "PYTHONPATH": str(REPO_ROOT), **extra}


def run_setup(script: str, env: dict[str, str], timeout: float = 180) -> str:
    """Run ``script`` after :data:`DJANGO_SETUP` in a subprocess; return its stdout."""
    done = subprocess.run([sys.executable, "-c", DJANGO_SETUP + script], cwd=REPO_ROOT, env=env, check=True,
                          timeout=timeout, capture_output=True, text=True)
    return done.stdout


def run_tickerwire(args: list[str], env: dict[str, str], timeout: float = 120) -> str:
    """Run ``tickerwire ARGS`` to its end; return its stdout."""
    done = subprocess.run([sys.executable, "-m", "tickerwire", *args], cwd=REPO_ROOT, env=env, check=True,
                          timeout=timeout, capture_output=True, text=True)
    return done.stdout


class Program:
    """A long-running ``tickerwire`` process whose stderr (and stdout) go to a log file."""

    def __init__(self, args: list[str], env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self._log: IO[str] = log_path.open("w")
        self.process = subprocess.Popen([sys.executable, "-m", "tickerwire", *args], cwd=REPO_ROOT, env=env,
                                        stdout=self._log, stderr=subprocess.STDOUT, text=True)

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text()

    def children(self) -> list[int]:
        """Return the pids of its child processes (a pool's workers)."""
        try:
            return [int(p) for p in Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()]
        except OSError:
            return []

    def wait(self, timeout: float) -> int:
        return self.process.wait(timeout=timeout)

    def stop(self, timeout: float = 60) -> None:
        """Ask it to finish (SIGTERM), then kill it if it has not within ``timeout``."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()


def start_pool(env: dict[str, str], log_path: Path, *, processes: int = 2, batch: bool = True,
               extra: tuple[str, ...] = ()) -> Program:
    """Start ``tickerwire worker --processes N`` (``--batch``: until the queue is empty)."""
    args = ["worker", "--processes", str(processes), "--interval", "0.2", *extra]
    return Program([*args, "--batch"] if batch else args, env, log_path)


@contextmanager
def running(*programs: Program, timeout: float = 60) -> Iterator[tuple[Program, ...]]:
    """Stop the programs when the block ends, however it ends."""
    try:
        yield programs
    finally:
        for program in programs:
            program.stop(timeout)


def wait_until(condition: Callable[[], object], timeout: float, what: str, every: float = 0.05) -> object:
    """Return ``condition()``'s first true value; fail the test naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"{what} within {timeout:.0f} s")


def free_port(low: int = 18300, high: int = 18399) -> int:
    """Return a free loopback port in ``[low, high]`` (``TICKERWIRE_TEST_PORTS="a-b"`` overrides the range)."""
    span = os.environ.get("TICKERWIRE_TEST_PORTS", "")
    if span:
        first, _, last = span.partition("-")
        low, high = int(first), int(last or first)
    for port in range(low, high + 1):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise AssertionError(f"no free port in {low}-{high}")


def http(method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None,
         timeout: float = 30) -> tuple[int | str, bytes]:
    """Return the status (or the error's name when there was no answer) and body of one request."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (OSError, TimeoutError) as exc:
        return type(exc).__name__, b""


def query(database_url: str, sql: str) -> list[tuple]:
    """Return the rows of one SQL query on the store (SQLite or PostgreSQL), from outside the programs."""
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=30) as db:
            return db.execute(sql).fetchall()
    import psycopg

    with psycopg.connect(database_url) as db:
        return db.execute(sql).fetchall()


def task_rows(database_url: str) -> list[tuple[str, str]]:
    """Return (status, worker ids) of every queued task."""
    return [(status, str(ids)) for status, ids in
            query(database_url, "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult")]
