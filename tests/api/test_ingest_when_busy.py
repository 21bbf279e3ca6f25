"""A push that meets a busy or unreachable database is retried, then answered 503: never quarantined as bad input.

Found by ``bench/faults.py --backend sqlite``: under load SQLite's write lock outlasted its busy timeout, the
store failed, the story was quarantined as if it were malformed and the client was told 400.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client

from tests.api.conftest import wire_story
from tickerwire.articles.actions import ingest as ingest_actions
from tickerwire.articles.models import Article, Quarantine

pytestmark = pytest.mark.django_db
URL = "/api/v1/ingest?format=wire"


@pytest.fixture
def failing_store(monkeypatch: pytest.MonkeyPatch) -> Callable[[int, str], list[int]]:
    """Make the next ``times`` stores raise ``OperationalError(message)``; return the list of calls seen."""
    monkeypatch.setattr(ingest_actions, "STORE_RETRY_WAITS", (0.0, 0.0))
    real = ingest_actions.do_ingest_draft

    def arrange(times: int, message: str) -> list[int]:
        calls: list[int] = []

        def store(*args: Any, **kwargs: Any) -> Any:
            calls.append(1)
            if len(calls) <= times:
                raise OperationalError(message)
            return real(*args, **kwargs)

        monkeypatch.setattr(ingest_actions, "do_ingest_draft", store)
        return calls

    return arrange


def push(token: str) -> Any:
    body = wire_story("Orbis Widgets lifts outlook", "Orbis Widgets raised its outlook on Tuesday.")
    return Client(raise_request_exception=False).post(URL, data=body, content_type="text/plain",
                                                      HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_lock_that_clears_is_retried_and_the_story_stored_once(api_token: str, failing_store: Any) -> None:
    calls = failing_store(2, "database is locked")
    response = push(api_token)
    assert response.status_code == 200, response.content
    assert len(calls) == 3 and Article.objects.count() == 1 and Quarantine.objects.count() == 0


def test_a_lock_that_lasts_is_a_503_with_retry_after_and_nothing_is_kept(api_token: str, failing_store: Any) -> None:
    failing_store(99, "database is locked")
    response = push(api_token)
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response.json()["error"]["code"] == "unavailable"
    assert Article.objects.count() == 0 and Quarantine.objects.count() == 0
    failing_store(0, "")  # the database answers again: the client's retry is stored
    assert push(api_token).status_code == 200 and Article.objects.count() == 1


def test_a_query_bug_is_not_retried_and_keeps_the_story_in_the_quarantine(api_token: str, failing_store: Any) -> None:
    calls = failing_store(99, "no such column: articles_article.nothing")
    response = push(api_token)
    assert response.status_code == 400 and len(calls) == 1
    assert Quarantine.objects.get().reason.startswith("store failed: OperationalError")


def test_the_cli_path_quarantines_a_story_the_database_stays_locked_for(failing_store: Any) -> None:
    """Files and polls have no client to retry: after the retries the bytes wait in the quarantine."""
    calls = failing_store(99, "database is locked")
    body = wire_story("Orbis Widgets lifts outlook", "Orbis Widgets raised its outlook on Tuesday.")
    results = ingest_actions.ingest_bytes(body, fmt="wire", source_name="Files", path="story.txt")
    assert len(calls) == 1 + len(ingest_actions.STORE_RETRY_WAITS)
    assert isinstance(results[0], Quarantine) and "database is locked" in results[0].reason
    assert bytes(results[0].raw) == body
