"""Rate limits of posting, reporting and liking, per reader and per client address (the shared limiter)."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from tickerwire.limits.clients import client_ip
from tickerwire.limits.ratelimit import Limit, hit

# action -> (per-user setting, per-address setting)
RATES = {
    "post": ("TICKERWIRE_COMMENTS_POST_RATE", "TICKERWIRE_COMMENTS_POST_IP_RATE"),
    "report": ("TICKERWIRE_COMMENTS_REPORT_RATE", "TICKERWIRE_COMMENTS_REPORT_IP_RATE"),
    "like": ("TICKERWIRE_COMMENTS_LIKE_RATE", "TICKERWIRE_COMMENTS_LIKE_RATE"),
}


@dataclass(frozen=True)
class Refusal:
    message: str
    retry_after: int


@dataclass(frozen=True)
class Counted:
    """The reader's own limit after this hit, for the ``RateLimit`` headers; ``refusal`` when over a limit."""

    limit: int
    remaining: int
    reset: int  # when the reader's window ends (Unix time)
    refusal: Refusal | None = None

    def headers(self) -> dict[str, str]:
        return {"X-RateLimit-Limit": str(self.limit), "X-RateLimit-Remaining": str(self.remaining),
                "X-RateLimit-Reset": str(self.reset)}


def check(action: str, request: HttpRequest, user: Any) -> Counted:
    """Count one ``action`` by the reader and their address; the refusal says which limit was passed."""
    user_setting, ip_setting = RATES[action]
    own = Limit.parse(str(getattr(settings, user_setting)))
    moment = time.time()
    per_user = hit(f"comments.{action}", f"u{user.pk}", own, now=moment)
    counted = Counted(own.count, per_user.remaining, (int(moment // own.seconds) + 1) * own.seconds)
    if not per_user.allowed:
        return replace(counted, refusal=Refusal(
            f"You are doing that too often: try again in {per_user.retry_after} s.", per_user.retry_after))
    per_ip = hit(f"comments.{action}.ip", client_ip(request) or "unknown",
                 Limit.parse(str(getattr(settings, ip_setting))), now=moment)
    if not per_ip.allowed:
        return replace(counted, refusal=Refusal(
            f"Too many from your network: try again in {per_ip.retry_after} s.", per_ip.retry_after))
    return counted
