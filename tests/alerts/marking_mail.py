"""An email backend for the worker-kill test: marks each send's start (with the pid), takes a while, logs it."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend


class MarkingBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[Any]) -> int:
        marks = Path(os.environ["TICKERWIRE_TEST_MARKS"])
        for message in email_messages:
            name = message.to[0].split("@")[0]
            (marks / f"{name}.{time.monotonic_ns()}.started").write_text(str(os.getpid()))
            time.sleep(1.0)  # the kill lands here: claimed, not yet sent
            with (marks / "sent.log").open("a") as log:
                log.write(name + "\n")
            (marks / f"{name}.done").write_text(str(os.getpid()))
        return len(email_messages)
