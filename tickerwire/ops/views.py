"""``/healthz``, ``/readyz`` and ``/metrics``: answered fresh every time, never cached, never rate-limited."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from tickerwire.limits.clients import client_ip
from tickerwire.ops.health import readiness
from tickerwire.ops.metrics import metrics_response


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is alive and answering; touches nothing else, so a database outage does not restart it."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """200 when the database, cache and task queue all answer; 503 naming the ones that do not."""
    checks = readiness()
    ready = all(check.ok for check in checks)
    body = {
        "status": "ready" if ready else "unavailable",
        "checks": {c.name: {"ok": c.ok, "ms": c.milliseconds, **({"error": c.error} if c.error else {})}
                   for c in checks},
    }
    return JsonResponse(body, status=200 if ready else 503)


def _metrics_allowed(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net, strict=False) for net in settings.TICKERWIRE_METRICS_ALLOW)


@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, for scrapers in ``TICKERWIRE_METRICS_ALLOW`` only (default: this machine)."""
    if not _metrics_allowed(client_ip(request)):
        return HttpResponse("metrics are served to TICKERWIRE_METRICS_ALLOW addresses only\n", status=403,
                            content_type="text/plain")
    return metrics_response()
