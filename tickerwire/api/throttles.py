"""Rate limits: anonymous reads per client IP, ingestion per API key, rates read from settings."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import AnonRateThrottle, AuthRateThrottle, SimpleRateThrottle


class _SettingsRate(SimpleRateThrottle):
    """Read the rate from a setting on every request, so a changed setting applies without a restart."""

    setting_name = ""

    def __init__(self) -> None:
        super().__init__(getattr(settings, self.setting_name))

    def allow_request(self, request: HttpRequest) -> bool:
        rate = getattr(settings, self.setting_name)
        if rate != self.rate:
            self.rate = rate
            self.num_requests, self.duration = self.parse_rate(rate)
        return super().allow_request(request)


class ReadThrottle(_SettingsRate, AnonRateThrottle):
    """Anonymous reads, per client IP (``TICKERWIRE_API_READ_RATE``, e.g. ``1200/min``)."""

    setting_name = "TICKERWIRE_API_READ_RATE"


class IngestThrottle(_SettingsRate, AuthRateThrottle):
    """Ingestion, per API key (``TICKERWIRE_API_INGEST_RATE``, e.g. ``600/min``)."""

    setting_name = "TICKERWIRE_API_INGEST_RATE"
