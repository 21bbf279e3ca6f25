"""``tickerwire worker --processes N``: a worker killed mid-task loses nothing; its task runs again and finishes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
TASKS = 6
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ENQUEUE = f"""
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tickerwire.config.settings")
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from tests.ops.pool_tasks import slow_mark
for n in range({TASKS}):
    slow_mark.enqueue(f"t{{n}}", 1.5)
"""


def _env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database_url, "TICKERWIRE_HOME": str(tmp_path / "home"),
            "TICKERWIRE_TASKS": "database", "TICKERWIRE_TEST_MARKS": str(tmp_path / "marks"),
            "PYTHONPATH": str(REPO_ROOT)}


def _task_rows(database_url: str) -> list[tuple[str, str]]:
    sql = "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult"
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:
            return [(status, str(ids)) for status, ids in db.execute(sql).fetchall()]
    import psycopg

    with psycopg.connect(database_url) as db:
        return [(status, str(ids)) for status, ids in db.execute(sql).fetchall()]


def test_a_killed_worker_loses_no_task(tmp_path: Path, scratch_database_url: str) -> None:
    env = _env(scratch_database_url, tmp_path)
    marks = tmp_path / "marks"
    marks.mkdir()
    subprocess.run([sys.executable, "-c", ENQUEUE], cwd=REPO_ROOT, env=env, check=True, timeout=120)
    pool = subprocess.Popen([sys.executable, "-m", "tickerwire", "worker", "--processes", "2", "--batch",
                             "--interval", "0.2"], cwd=REPO_ROOT, env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 300
        victim = None
        while victim is None and time.monotonic() < deadline:
            running = [p for p in marks.glob("*.started") if not p.with_suffix(".done").exists()]
            if running:
                victim = running[0]
            time.sleep(0.05)
        assert victim is not None, "no task started within 300 s"
        os.kill(int(victim.read_text()), signal.SIGKILL)
        _, stderr = pool.communicate(timeout=600)
    finally:
        if pool.poll() is None:
            pool.kill()
    assert pool.returncode == 0, stderr
    assert "(signal 9)" in stderr and "1 running task(s) of exited worker(s)" in stderr
    assert sorted(p.stem for p in marks.glob("*.done")) == [f"t{n}" for n in range(TASKS)]
    rows = _task_rows(scratch_database_url)
    assert [status for status, _ in rows] == ["SUCCESSFUL"] * TASKS
    # The killed task was claimed twice: by the worker that died and by the one that finished it.
    assert sum(ids.count(":") >= 6 for _, ids in rows) == 1
