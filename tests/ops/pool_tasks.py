"""A task for the worker-pool test: marks its start (with the worker's pid) and its end in a folder."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def slow_mark(name: str, seconds: float) -> str:
    marks = Path(os.environ["TICKERWIRE_TEST_MARKS"])
    (marks / f"{name}.started").write_text(str(os.getpid()))
    time.sleep(seconds)
    (marks / f"{name}.done").write_text(str(os.getpid()))
    return name
