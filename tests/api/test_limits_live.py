"""The API limits hold exactly across two real server processes sharing Redis, with X-Forwarded-For rotated.

``tickerwire serve --workers 2`` (granian; the kernel spreads connections over both worker processes),
counts in Redis db 1 by default (``TICKERWIRE_TEST_REDIS_URL``) under a key prefix of its own; skipped
cleanly when Redis does not answer. Every request opens a new loopback connection, so both workers serve.
"""

from __future__ import annotations

import http.client
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.api.conftest import wire_story
from tests.live_server import create_key, live_server, server_env

REDIS_URL = __import__("os").environ.get("TICKERWIRE_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
READS, READ_LIMIT = 150, 60
AUTH_TRIES, AUTH_LIMIT = 40, 12
BUDGET_SECONDS = 90
pytestmark = pytest.mark.slow


def redis_or_skip() -> object:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {exc}")
    return client


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, str]]:
    redis_client = redis_or_skip()
    prefix = f"tw-test-{uuid.uuid4().hex[:12]}"
    env = server_env(
        tmp_path_factory.mktemp("limits") / "home",
        TICKERWIRE_CACHE_URL=REDIS_URL, TICKERWIRE_CACHE_KEY_PREFIX=prefix,
        TICKERWIRE_API_READ_RATE=f"{READ_LIMIT}/hour",
        TICKERWIRE_API_AUTH_FAILURES_PER_IP=f"{AUTH_LIMIT}/hour", TICKERWIRE_API_AUTH_FAILURES_PER_KEY="1000/hour",
        TICKERWIRE_TRUSTED_PROXIES="", TICKERWIRE_PAGE_CACHE_SECONDS="0",
    )
    try:
        with live_server(env, workers=2) as base:
            yield int(base.rsplit(":", 1)[1]), create_key(env, "Limits Wire")
    finally:
        for key in redis_client.scan_iter(f"{prefix}:*"):  # type: ignore[attr-defined]
            redis_client.delete(key)  # type: ignore[attr-defined]


def away_from_the_hour_boundary() -> None:
    """Wait out the last 30 s of a clock hour, so every request falls in one fixed window."""
    left = 3600 - time.time() % 3600
    if left < 30:
        time.sleep(left + 1)


def request(port: int, method: str, path: str, headers: dict[str, str], body: bytes | None = None) -> int:
    """Send one request on a new connection; return the status."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_reads_with_rotated_forwarded_for_get_exactly_the_limit(server: tuple[int, str]) -> None:
    """150 reads from one client naming 150 addresses, 4 at a time over 2 workers: exactly 60 are answered."""
    port, _token = server
    away_from_the_hour_boundary()
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = list(pool.map(
            lambda n: request(port, "GET", "/api/v1/sections", {"X-Forwarded-For": f"198.51.{n // 250}.{n % 250}"}),
            range(READS)))
    elapsed = time.monotonic() - started
    assert Counter(statuses) == {200: READ_LIMIT, 429: READS - READ_LIMIT}
    assert elapsed < BUDGET_SECONDS


def test_failed_authentications_with_rotated_forwarded_for_stop_at_the_limit(server: tuple[int, str]) -> None:
    """40 wrong keys from one client naming 40 addresses: 12 are checked (401), the rest refused (429)."""
    port, token = server
    away_from_the_hour_boundary()
    prefix = token.split("_")[1]
    body = wire_story("Orbis Widgets lifts outlook", "Orbis raised its outlook.")

    def guess(n: int) -> int:
        headers = {"Authorization": f"Bearer tw_{prefix}_wrong{n}", "X-Forwarded-For": f"203.0.113.{n}",
                   "Content-Type": "text/plain"}
        return request(port, "POST", "/api/v1/ingest", headers, body)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = list(pool.map(guess, range(AUTH_TRIES)))
    assert Counter(statuses) == {401: AUTH_LIMIT, 429: AUTH_TRIES - AUTH_LIMIT}
    assert time.monotonic() - started < BUDGET_SECONDS
    # The right key from the same client is refused too until the window ends: a guess is never confirmed.
    assert request(port, "POST", "/api/v1/ingest", {"Authorization": f"Bearer {token}"}, body) == 429
