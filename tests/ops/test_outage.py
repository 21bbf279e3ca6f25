"""A database that stops answering gives readers and API clients a clean 503 with Retry-After, not a 500."""

from __future__ import annotations

import json

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db

REFUSED = 'connection to server at "127.0.0.1", port 5432 failed: Connection refused'


def _client() -> Client:
    return Client(raise_request_exception=False)


def test_handler_turns_an_outage_into_503_for_pages_and_the_api(rf) -> None:
    from tickerwire.ops.views import server_error

    try:
        raise OperationalError(REFUSED)
    except OperationalError:
        page = server_error(rf.get("/markets"))
        api = server_error(rf.get("/api/v1/articles"))
    assert page.status_code == 503 and page["Retry-After"] == "5"
    assert "back in a moment" in page.content.decode()
    assert api.status_code == 503 and api["Retry-After"] == "5"
    assert json.loads(api.content) == {"error": {"code": "unavailable", "status": 503,
                                    "message": "the database is not answering; retry in a few seconds"}}


def test_a_query_bug_stays_a_500(rf) -> None:
    from tickerwire.ops.views import server_error

    try:
        raise OperationalError("no such table: articles_nothing")
    except OperationalError:
        page = server_error(rf.get("/markets"))
    assert page.status_code == 500
    assert "Retry-After" not in page
    try:
        raise ValueError("a bug")
    except ValueError:
        api = server_error(rf.get("/api/v1/articles"))
    assert api.status_code == 500 and json.loads(api.content)["error"]["code"] == "server_error"


def test_an_outage_inside_a_request_reaches_the_reader_as_503(monkeypatch) -> None:
    from django.db.backends.utils import CursorWrapper

    def refused(self, sql, params=None):
        raise OperationalError(REFUSED)

    monkeypatch.setattr(CursorWrapper, "execute", refused)
    page = _client().get("/")
    api = _client().get("/api/v1/articles")
    assert page.status_code == 503, page.content[:200]
    assert api.status_code == 503
    assert api.json()["error"]["code"] == "unavailable"
