"""Property-based API tests: schemathesis drives the OpenAPI document against a live loopback server.

Every generated request must get no 5xx, a documented status code and a body matching its schema,
with a valid API key so ingestion is exercised past authentication. The schemathesis CLI is used (its
pytest plugin does not run under pytest 9); settings are in ``schemathesis.toml`` at the repo root.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import override_settings

from tests.api.conftest import make_draft

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@override_settings(TICKERWIRE_API_READ_RATE="100000/min", TICKERWIRE_API_INGEST_RATE="100000/min")
def test_api_conforms_to_its_openapi_document(live_server) -> None:  # type: ignore[no-untyped-def]
    """No server errors, documented status codes, and bodies that match the declared schemas."""
    from tickerwire.api.actions import do_create_api_key
    from tickerwire.articles.actions.ingest import do_ingest_draft

    cache.clear()
    for day in range(1, 4):
        do_ingest_draft(make_draft(f"Test story {day} about Orbis Widgets", f"Orbis Widgets lead {day}.",
                                   published=f"2026-03-0{day}T10:00:00"), source_name="Test Newsroom")
    token = do_create_api_key("Fuzz Newsroom").token
    command = [
        str(Path(sys.executable).with_name("schemathesis")), "run", f"{live_server.url}/api/v1/openapi.json",
        "--max-examples", os.environ.get("TICKERWIRE_SCHEMATHESIS_EXAMPLES", "25"), "--workers", "1",
        "--seed", "20261128", "-H", f"Authorization: Bearer {token}", "--no-color",
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)
    summary = result.stdout[-6000:]
    assert result.returncode == 0, summary
    assert "Tested: 9" in summary or "Tested:" in summary
