"""``/healthz``, ``/readyz`` and ``/metrics``: fresh answers, a named failing tier, metrics for allowed scrapers."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import override_settings

from tests.articles.story_factory import generated_draft
from tickerwire.articles.actions.ingest import do_ingest_draft
from tickerwire.articles.actions.quarantine import do_quarantine
from tickerwire.ops import health
from tickerwire.ops.logs import JsonFormatter

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_readyz_reports_each_tier(client) -> None:
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "cache", "queue"}
    assert all(check["ok"] for check in body["checks"].values())


def test_readyz_is_503_naming_the_tier_that_fails(client, monkeypatch) -> None:
    def broken_cache() -> None:
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")

    monkeypatch.setitem(health.CHECKS, "cache", broken_cache)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"] == {"ok": False, "ms": body["checks"]["cache"]["ms"],
                                       "error": "ConnectionError: Error 111 connecting to 127.0.0.1:6390. "
                                                "Connection refused."}


def test_readyz_checks_the_database_queue_when_tasks_are_queued(client, settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert client.get("/readyz").json()["checks"]["queue"]["ok"] is True


def _metric_lines(text: str, name: str) -> dict[str, float]:
    return {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
            for line in text.splitlines() if line.startswith(name)}


def test_metrics_count_stories_quarantine_and_requests(client) -> None:
    do_ingest_draft(generated_draft(1), source_name="probe-wire")
    do_ingest_draft(generated_draft(2), source_name="probe-wire")
    do_quarantine(b"junk", "not a story", path="x.txt", source_name="probe-wire", fmt="wire", item_index=None)
    client.get("/healthz")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert _metric_lines(text, "tickerwire_stories{")['tickerwire_stories{status="published"}'] == 2
    assert _metric_lines(text, "tickerwire_quarantined_items")["tickerwire_quarantined_items"] == 1
    requests = _metric_lines(text, "tickerwire_http_request_duration_seconds_count")
    assert requests['tickerwire_http_request_duration_seconds_count{method="GET",route="healthz",status="2xx"}'] >= 1


@override_settings(TICKERWIRE_METRICS_ALLOW=["10.0.0.0/8"])
def test_metrics_refuse_other_addresses(client) -> None:
    response = client.get("/metrics")
    assert response.status_code == 403
    assert "TICKERWIRE_METRICS_ALLOW" in response.content.decode()


def test_json_log_lines_carry_fields_and_tracebacks() -> None:
    formatter = JsonFormatter()
    record = logging.LogRecord("tickerwire.ingest", logging.ERROR, __file__, 1, "stored %d", (3,), None)
    record.source = "probe-wire"
    entry = json.loads(formatter.format(record))
    assert entry["message"] == "stored 3" and entry["level"] == "ERROR" and entry["source"] == "probe-wire"
    assert entry["logger"] == "tickerwire.ingest" and entry["ts"].endswith("+00:00")
    try:
        raise ValueError("bad time")
    except ValueError:
        import sys

        record = logging.LogRecord("t", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    assert "ValueError: bad time" in json.loads(formatter.format(record))["exc"]
