"""Rate limits of posting, reporting and liking, per reader and per client address (the shared limiter)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from tickerwire.core.clients import client_ip
from tickerwire.core.ratelimit import Limit, hit

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


def check(action: str, request: HttpRequest, user: Any) -> Refusal | None:
    """Count one ``action`` by the reader and their address; return a refusal when either is over its limit."""
    user_setting, ip_setting = RATES[action]
    per_user = hit(f"comments.{action}", f"u{user.pk}", Limit.parse(str(getattr(settings, user_setting))))
    if not per_user.allowed:
        return Refusal(f"You are doing that too often: try again in {per_user.retry_after} s.", per_user.retry_after)
    per_ip = hit(f"comments.{action}.ip", client_ip(request) or "unknown",
                 Limit.parse(str(getattr(settings, ip_setting))))
    if not per_ip.allowed:
        return Refusal(f"Too many from your network: try again in {per_ip.retry_after} s.", per_ip.retry_after)
    return None
