"""Rate limits counted in the shared cache, so every worker process (and every app server, on Redis) sees one count.

Fixed windows: the n-th hit in a window of ``seconds`` is allowed while n <= ``count``. The count is
``cache.add`` then ``cache.incr``, both atomic on Redis and on the local-memory cache, so concurrent
requests never both take the last slot.
"""

from __future__ import annotations

import contextlib
import re
import time
from dataclasses import dataclass

from django.core.cache import BaseCache
from django.core.cache import cache as default_cache

_UNITS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600,
          "d": 86400, "day": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([a-z]+?)s?\s*$")


@dataclass(frozen=True)
class Limit:
    """At most ``count`` hits per ``seconds``."""

    count: int
    seconds: int

    @classmethod
    def parse(cls, rate: str) -> Limit:
        """Read ``"30/min"``, ``"1/30s"``, ``"1200/minute"`` or ``"5/15min"``; raise ValueError on anything else."""
        match = _RATE.match(rate.lower())
        if not match or match.group(3) not in _UNITS:
            raise ValueError(f"rate {rate!r} is not COUNT/[N]UNIT, e.g. 30/min or 1/30s")
        count, multiple, unit = int(match.group(1)), int(match.group(2) or 1), match.group(3)
        if multiple < 1:
            raise ValueError(f"rate {rate!r} has a zero period")
        return cls(count=count, seconds=multiple * _UNITS[unit])


@dataclass(frozen=True)
class Decision:
    """The outcome of one hit: allowed or not, hits left in the window, seconds until it ends."""

    allowed: bool
    remaining: int
    retry_after: int


def hit(scope: str, ident: str, limit: Limit, *, cache: BaseCache | None = None,
        now: float | None = None) -> Decision:
    """Count one hit of ``ident`` (an IP, a user id, a key prefix) under ``scope`` and say whether it is allowed."""
    store = cache or default_cache
    moment = time.time() if now is None else now
    window = int(moment // limit.seconds)
    key = f"tw:rl:{scope}:{ident}:{window}"
    retry_after = max(1, int((window + 1) * limit.seconds - moment + 0.999))
    store.add(key, 0, timeout=limit.seconds + 1)
    try:
        used = store.incr(key)
    except ValueError:  # evicted between add and incr
        store.add(key, 1, timeout=limit.seconds + 1)
        used = 1
    return Decision(allowed=used <= limit.count, remaining=max(0, limit.count - used), retry_after=retry_after)


def release(scope: str, ident: str, limit: Limit, *, cache: BaseCache | None = None, now: float) -> None:
    """Take back one hit counted at ``now`` (the same moment given to :func:`hit`), e.g. an attempt that succeeded."""
    store = cache or default_cache
    with contextlib.suppress(ValueError):  # the window expired meanwhile: nothing to take back
        store.decr(f"tw:rl:{scope}:{ident}:{int(now // limit.seconds)}")


def peek(scope: str, ident: str, limit: Limit, *, cache: BaseCache | None = None,
         now: float | None = None) -> int:
    """Return the hits counted for ``ident`` in the current window, without counting one."""
    store = cache or default_cache
    moment = time.time() if now is None else now
    return int(store.get(f"tw:rl:{scope}:{ident}:{int(moment // limit.seconds)}", 0))
