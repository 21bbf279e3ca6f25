"""Prometheus metrics (prometheus-client): request latency per route, and store figures read at scrape time.

Stories stored and quarantined and the task queue's depth are counted in the database when Prometheus
scrapes, so every process (app servers, ingesters, workers) is reflected, whichever process answers.
Request latency is observed per process; with ``PROMETHEUS_MULTIPROC_DIR`` set (before the server starts),
prometheus-client's multiprocess mode adds up all worker processes of a server.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUEST_SECONDS = Histogram(
    "tickerwire_http_request_duration_seconds",
    "Time Django took to answer a request, by route pattern, method and status class.",
    ["route", "method", "status"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0),
)


class StoreCollector(Collector):
    """Figures of the store, counted in the database at each scrape."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django.db.models import Count

        from tickerwire.articles.models import Article, Quarantine

        stories = GaugeMetricFamily("tickerwire_stories", "Stories stored, by status.", labels=["status"])
        for row in Article.objects.values("status").annotate(n=Count("id")).order_by():
            stories.add_metric([row["status"]], row["n"])
        yield stories
        yield GaugeMetricFamily("tickerwire_quarantined_items", "Inputs held in the quarantine.",
                                value=Quarantine.objects.count())
        depth = GaugeMetricFamily("tickerwire_task_queue_depth", "Background tasks waiting to run, by queue.",
                                  labels=["queue"])
        if settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db."):
            from django_tasks_db.models import DBTaskResult

            for row in (DBTaskResult.objects.filter(status="READY").values("queue_name")
                        .annotate(n=Count("id")).order_by()):
                depth.add_metric([row["queue_name"]], row["n"])
        yield depth


def exposition() -> bytes:
    """Return the text exposition of every metric (all processes' latencies in multiprocess mode)."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_SECONDS)
    registry.register(StoreCollector())
    return generate_latest(registry)


def metrics_response() -> HttpResponse:
    response = HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response


class RequestMetricsMiddleware:
    """Observe how long each request took, labelled by its URL pattern (bounded), not its path (unbounded)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = (match.route or match.view_name) if match else "unmatched"
        method = request.method if request.method in _METHODS else "other"
        REQUEST_SECONDS.labels(route=route or "unmatched", method=method,
                               status=f"{response.status_code // 100}xx").observe(time.perf_counter() - started)
        return response
