"""``tickerwire worker --processes N``: a worker killed mid-task loses nothing; its task runs again and finishes."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from tests.processes import process_env, run_setup, running, start_pool, task_rows, wait_until

TASKS = 6
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ENQUEUE = f"""
from tests.ops.pool_tasks import slow_mark
for n in range({TASKS}):
    slow_mark.enqueue(f"t{{n}}", 1.5)
"""


def test_a_killed_worker_loses_no_task(tmp_path: Path, scratch_database_url: str) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()
    env = process_env(scratch_database_url, tmp_path, TICKERWIRE_TEST_MARKS=str(marks))
    run_setup(ENQUEUE, env, timeout=120)
    with running(start_pool(env, tmp_path / "pool.log")) as (pool,):
        victim = wait_until(
            lambda: next((p for p in marks.glob("*.started") if not p.with_suffix(".done").exists()), None),
            300, "no task started",
        )
        os.kill(int(victim.read_text()), signal.SIGKILL)
        pool.wait(timeout=600)
        log = pool.log()
    assert pool.process.returncode == 0, log
    assert "(signal 9)" in log and "1 running task(s) of exited worker(s)" in log
    assert sorted(p.stem for p in marks.glob("*.done")) == [f"t{n}" for n in range(TASKS)]
    rows = task_rows(scratch_database_url)
    assert [status for status, _ in rows] == ["SUCCESSFUL"] * TASKS
    # The killed task was claimed twice: by the worker that died and by the one that finished it.
    assert sum(ids.count(":") >= 6 for _, ids in rows) == 1
