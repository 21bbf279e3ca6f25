"""Chunked pushes (``Transfer-Encoding: chunked``, no Content-Length) against a real granian server.

The Django test client always sends a Content-Length, so these run ``tickerwire serve`` in a child process.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from tests.api.conftest import wire_story
from tests.live_server import create_key, live_server, server_env

LIMIT = 4000
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    env = server_env(tmp_path_factory.mktemp("chunked") / "home", TICKERWIRE_INGEST_MAX_BYTES=str(LIMIT))
    with live_server(env) as base:
        yield base, create_key(env, "Chunked Wire")


def push(base: str, token: str, body: bytes, *, chunked: bool, chunk: int = 500) -> tuple[int, dict]:
    """POST ``body`` to the ingest API, in ``chunk``-byte pieces when ``chunked``; return status and JSON."""
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/plain"}
    if chunked:
        pieces = (body[i:i + chunk] for i in range(0, len(body), chunk))
        connection.request("POST", "/api/v1/ingest", body=pieces, headers=headers, encode_chunked=True)
    else:
        connection.request("POST", "/api/v1/ingest", body=body, headers=headers)
    response = connection.getresponse()
    payload = json.loads(response.read() or b"{}")
    connection.close()
    return response.status, payload


def test_a_chunked_push_is_read_whole_and_stored(server: tuple[str, str]) -> None:
    """A story sent in 500-byte chunks is stored as if it had a Content-Length (it used to be an empty body)."""
    base, token = server
    story = wire_story("Orbis Widgets lifts outlook", "Orbis Widgets raised its outlook on Tuesday. " * 20)
    assert 1000 < len(story) < LIMIT
    status, payload = push(base, token, story, chunked=True)
    assert status == 200, payload
    assert [item["status"] for item in payload["items"]] == ["new"]
    assert push(base, token, story, chunked=False)[1]["items"][0]["status"] == "unchanged"


def test_a_chunked_push_over_the_limit_gets_the_same_413(server: tuple[str, str]) -> None:
    """Past the body limit a chunked push is refused as a too-large Content-Length one is: 413 body_too_large."""
    base, token = server
    story = wire_story("Halcyon Grid wins contract", "Halcyon Grid won an offshore wind contract. " * 120)
    assert len(story) > LIMIT
    chunked_status, chunked = push(base, token, story, chunked=True)
    plain_status, plain = push(base, token, story, chunked=False)
    assert (chunked_status, plain_status) == (413, 413)
    assert chunked["error"]["code"] == plain["error"]["code"] == "body_too_large"
