"""``tickerwire worker --processes 2``: a worker SIGKILLed while sending alerts loses none and sends none twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
READERS = 4
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SETUP = f"""
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tickerwire.config.settings")
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
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
    env = {**os.environ, "DATABASE_URL": scratch_database_url, "TICKERWIRE_HOME": str(tmp_path / "home"),
           "TICKERWIRE_TASKS": "database", "TICKERWIRE_TEST_MARKS": str(marks), "PYTHONPATH": str(REPO_ROOT),
           "TICKERWIRE_EMAIL_BACKEND": "tests.alerts.marking_mail.MarkingBackend", "TICKERWIRE_ENRICH": "0"}
    subprocess.run([sys.executable, "-c", SETUP], cwd=REPO_ROOT, env=env, check=True, timeout=180)
    log = (tmp_path / "pool.log").open("w")  # a file, not a pipe: a full pipe would block the workers' logging
    pool = subprocess.Popen([sys.executable, "-m", "tickerwire", "worker", "--processes", "2", "--batch",
                             "--interval", "0.2"], cwd=REPO_ROOT, env=env, stderr=log, text=True)
    try:
        deadline = time.monotonic() + 120
        victim = None
        while victim is None and time.monotonic() < deadline:
            started = sorted(marks.glob("*.started"), key=lambda p: int(p.name.split(".")[1]))
            if len(started) >= 2:  # the second email is being sent: one sent before it, two after
                victim = started[1]
            time.sleep(0.05)
        assert victim is not None, "no alert was being sent within 120 s"
        os.kill(int(victim.read_text()), signal.SIGKILL)
        pool.wait(timeout=240)
    finally:
        if pool.poll() is None:
            pool.kill()
        log.close()
    stderr = (tmp_path / "pool.log").read_text()
    assert pool.returncode == 0, stderr
    assert "(signal 9)" in stderr and "1 running task(s) of exited worker(s)" in stderr
    sent = (marks / "sent.log").read_text().split()
    assert sorted(sent) == [f"r{n}" for n in range(READERS)], sent  # each reader once: none lost, none twice
    killed_reader = victim.name.split(".")[0]
    assert len(list(marks.glob(f"{killed_reader}.*.started"))) == 2  # its send was begun again after the kill
