"""``tickerwire worker --processes 2``: a worker SIGKILLed while sending alerts loses none and sends none twice."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from tests.processes import process_env, run_setup, running, start_pool, wait_until

READERS = 4
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SETUP = f"""
from tests.alerts.readers import reader
from tests.site.stories import ORBIS, tagged_story
from tickerwire.alerts.actions import do_follow
for n in range({READERS}):
    do_follow(reader(f"r{{n}}"), "ticker", ORBIS.symbol)
tagged_story(1, ORBIS)  # its story_stored event queues plan_alerts in the database queue
"""


def test_a_worker_killed_mid_send_neither_loses_nor_duplicates_an_alert(
        tmp_path: Path, scratch_database_url: str) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()
    env = process_env(scratch_database_url, tmp_path, TICKERWIRE_TEST_MARKS=str(marks), TICKERWIRE_ENRICH="0",
                      TICKERWIRE_EMAIL_BACKEND="tests.alerts.marking_mail.MarkingBackend")
    run_setup(SETUP, env)

    def second_send_started() -> Path | None:  # the second email is being sent: one sent before it, two after
        started = sorted(marks.glob("*.started"), key=lambda p: int(p.name.split(".")[1]))
        return started[1] if len(started) >= 2 else None

    with running(start_pool(env, tmp_path / "pool.log")) as (pool,):
        victim = wait_until(second_send_started, 120, "no alert was being sent")
        os.kill(int(victim.read_text()), signal.SIGKILL)
        pool.wait(timeout=240)
        log = pool.log()
    assert pool.process.returncode == 0, log
    assert "(signal 9)" in log and "1 running task(s) of exited worker(s)" in log
    sent = (marks / "sent.log").read_text().split()
    assert sorted(sent) == [f"r{n}" for n in range(READERS)], sent  # each reader once: none lost, none twice
    killed_reader = victim.name.split(".")[0]
    assert len(list(marks.glob(f"{killed_reader}.*.started"))) == 2  # its send was begun again after the kill
