"""Rate limits: anonymous reads per client IP, ingestion per API key, failed authentication per IP and key.

Every count is :func:`tickerwire.limits.ratelimit.hit` in Django's cache (Redis when
``TICKERWIRE_CACHE_URL`` names one), so N server processes share one count rather than multiplying the
limit, and the IP is :func:`tickerwire.limits.clients.client_ip`, which believes ``X-Forwarded-For`` only from
``TICKERWIRE_TRUSTED_PROXIES``. Rates are read from settings on every request, so a changed setting
applies without a restart.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from tickerwire.api.errors import ApiError
from tickerwire.api.tokens import token_prefix
from tickerwire.limits.clients import client_ip
from tickerwire.limits.ratelimit import Limit, hit, release


class SharedRateThrottle(BaseThrottle):
    """A django-ninja throttle counted by the shared limiter under ``scope``, at the rate in ``setting_name``."""

    scope = ""
    setting_name = ""

    def __init__(self) -> None:
        # ninja asks wait() right after a refused allow_request(), in the same thread; one instance
        # serves every request thread.
        self._last = threading.local()

    def ident(self, request: HttpRequest) -> str | None:
        """Return what the request is counted against, or None for a request this throttle does not limit."""
        raise NotImplementedError

    def allow_request(self, request: HttpRequest) -> bool:
        ident = self.ident(request)
        if ident is None:
            return True
        decision = hit(self.scope, ident, Limit.parse(getattr(settings, self.setting_name)))
        self._last.retry_after = decision.retry_after
        return decision.allowed

    def wait(self) -> float | None:
        """Return the seconds until the refused request's window ends (the 429's ``Retry-After``)."""
        return float(getattr(self._last, "retry_after", 1))


class ReadThrottle(SharedRateThrottle):
    """Anonymous reads, per client IP (``TICKERWIRE_API_READ_RATE``, e.g. ``1200/min``)."""

    scope = "api-read"
    setting_name = "TICKERWIRE_API_READ_RATE"

    def ident(self, request: HttpRequest) -> str | None:
        if getattr(request, "auth", None) is not None:
            return None
        return client_ip(request)


class IngestThrottle(SharedRateThrottle):
    """Ingestion, per API key (``TICKERWIRE_API_INGEST_RATE``, e.g. ``600/min``)."""

    scope = "api-ingest"
    setting_name = "TICKERWIRE_API_INGEST_RATE"

    def ident(self, request: HttpRequest) -> str | None:
        api_key = getattr(request, "auth", None)
        prefix = getattr(api_key, "prefix", None)
        return f"key:{prefix}" if prefix else f"ip:{client_ip(request)}"


AUTH_FAILURE_SCOPES = (("api-auth-ip", "TICKERWIRE_API_AUTH_FAILURES_PER_IP"),
                       ("api-auth-key", "TICKERWIRE_API_AUTH_FAILURES_PER_KEY"))


@dataclass(frozen=True)
class AuthAttempt:
    """The counts one authentication attempt took, given back if it succeeds."""

    counted: tuple[tuple[str, str, Limit], ...]
    moment: float


def begin_authentication(request: HttpRequest, token: str) -> AuthAttempt:
    """Count an attempt against the client's IP and the token's key prefix; raise a 429 past either limit.

    Counted before the token is checked, so concurrent guesses cannot all slip under the limit, and a
    blocked client's right guess is not told apart from a wrong one. :func:`authentication_succeeded`
    takes the counts back, so only failures (missing, wrong or revoked keys) use the limit up.
    """
    moment = time.time()
    idents = [client_ip(request), token_prefix(token)]
    counted = tuple((scope, ident, Limit.parse(getattr(settings, setting)))
                    for (scope, setting), ident in zip(AUTH_FAILURE_SCOPES, idents, strict=True) if ident)
    for scope, ident, limit in counted:
        decision = hit(scope, ident, limit, now=moment)
        if not decision.allowed:
            raise ApiError(429, "too_many_failed_authentications",
                           "too many requests with a missing or wrong API key; retry later",
                           headers={"Retry-After": str(decision.retry_after)})
    return AuthAttempt(counted, moment)


def authentication_succeeded(attempt: AuthAttempt) -> None:
    """Give back the counts of an attempt whose key was valid."""
    for scope, ident, limit in attempt.counted:
        release(scope, ident, limit, now=attempt.moment)
