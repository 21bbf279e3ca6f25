"""What a load balancer asks: is the process alive, and can it serve (database, cache and task queue answer)?

Each check is one cheap round trip with its own error text, so a failing ``/readyz`` says which tier is down.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection


@dataclass(frozen=True)
class Check:
    """One dependency's answer: its name, whether it is usable, how long it took and, if not, why."""

    name: str
    ok: bool
    milliseconds: float
    error: str = ""


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    key = f"tw:readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=5)
    if cache.get(key) != "1":
        raise RuntimeError(f"{settings.CACHES['default']['BACKEND']} did not return what was just stored")
    cache.delete(key)


def _queue() -> None:
    backend = settings.TASKS["default"]["BACKEND"]
    if backend.startswith("django_tasks_db."):
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.filter(status="READY").exists()


CHECKS: dict[str, Callable[[], None]] = {"database": _database, "cache": _cache, "queue": _queue}


def run_check(name: str, probe: Callable[[], None]) -> Check:
    """Run one probe, turning any failure into a named, readable result instead of an exception."""
    started = time.perf_counter()
    try:
        probe()
    except Exception as exc:  # a probe reports every failure; none may escape as a 500
        if name == "database":
            connection.close_if_unusable_or_obsolete()
        return Check(name, False, round((time.perf_counter() - started) * 1000, 2),
                     f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}")
    return Check(name, True, round((time.perf_counter() - started) * 1000, 2))


def readiness() -> list[Check]:
    """Probe the database, the cache and the task queue, in that order."""
    return [run_check(name, probe) for name, probe in CHECKS.items()]
