"""``/healthz``, ``/readyz`` and ``/metrics``: answered fresh every time, never cached, never rate-limited."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from tickerwire.articles.db_errors import database_unavailable
from tickerwire.limits.clients import client_ip, in_networks
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


@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, for scrapers in ``TICKERWIRE_METRICS_ALLOW`` only (default: this machine)."""
    if not in_networks(client_ip(request), settings.TICKERWIRE_METRICS_ALLOW):
        return HttpResponse("metrics are served to TICKERWIRE_METRICS_ALLOW addresses only\n", status=403,
                            content_type="text/plain")
    return metrics_response()


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 handler: a database outage is a 503 with Retry-After (JSON on the API), the rest a 500.

    A restarting or unreachable database fails the request cleanly; the next request reconnects by itself
    (``CONN_HEALTH_CHECKS``), so clients and load balancers are told to retry rather than that we broke.
    """
    import sys

    from django.template import loader

    from tickerwire.site.views import server_error as site_server_error

    unavailable = database_unavailable(sys.exc_info()[1])
    status = 503 if unavailable else 500
    if request.path.startswith("/api/"):
        code, message = (("unavailable", "the database is not answering; retry in a few seconds") if unavailable
                         else ("server_error", "the server failed to answer this request"))
        response: HttpResponse = JsonResponse({"error": {"code": code, "message": message, "status": status}},
                                              status=status)
    elif unavailable:
        response = HttpResponse(loader.get_template("site/errors/503.html").render(), status=503)
    else:
        response = site_server_error(request)
    if unavailable:
        response["Retry-After"] = "5"
    response["Cache-Control"] = "no-store"
    return response
