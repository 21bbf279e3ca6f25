"""API rate limits hold whatever X-Forwarded-For says, tell when to retry, and cover failed authentication."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from tests.api.conftest import wire_story

SECTIONS = "/api/v1/sections"
INGEST = "/api/v1/ingest"


def read(client: Client, remote: str, forwarded: str | None = None) -> int:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.get(SECTIONS, **extra).status_code


def push(client: Client, token: str, remote: str = "203.0.113.5"):  # type: ignore[no-untyped-def]
    return client.post(INGEST, data=wire_story("Orbis Widgets lifts outlook", "Orbis raised its outlook."),
                       content_type="text/plain", HTTP_AUTHORIZATION=f"Bearer {token}", REMOTE_ADDR=remote)


@pytest.mark.django_db
@override_settings(TICKERWIRE_API_READ_RATE="5/min", TICKERWIRE_TRUSTED_PROXIES=[])
def test_a_rotated_forwarded_for_from_a_client_does_not_reset_its_limit(client: Client) -> None:
    """A client sending a new X-Forwarded-For each time is still counted by its own address."""
    statuses = [read(client, "203.0.113.9", f"198.51.100.{n}") for n in range(10)]
    assert statuses == [200] * 5 + [429] * 5


@pytest.mark.django_db
@override_settings(TICKERWIRE_API_READ_RATE="5/min", TICKERWIRE_TRUSTED_PROXIES=["127.0.0.1"])
def test_behind_the_trusted_proxy_only_the_hop_it_added_counts(client: Client) -> None:
    """Behind nginx on loopback, a forged left part of the header does not choose the counted address."""
    statuses = [read(client, "127.0.0.1", f"6.6.{n}.6, 198.51.100.7") for n in range(7)]
    assert statuses == [200] * 5 + [429] * 2
    assert read(client, "127.0.0.1", "198.51.100.8") == 200


@pytest.mark.django_db
@override_settings(TICKERWIRE_API_READ_RATE="2/min")
def test_a_refused_read_says_when_to_retry(client: Client) -> None:
    """The 429 carries Retry-After: whole seconds until the window ends, at most the window."""
    for _ in range(2):
        read(client, "203.0.113.10")
    refused = client.get(SECTIONS, REMOTE_ADDR="203.0.113.10")
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(refused["Retry-After"]) <= 60


@pytest.mark.django_db
@override_settings(TICKERWIRE_API_AUTH_FAILURES_PER_IP="3/10min", TICKERWIRE_API_AUTH_FAILURES_PER_KEY="100/10min")
def test_failed_authentication_is_limited_per_ip(client: Client, api_token: str) -> None:
    """Three wrong keys from one address, then 429 even for the right key; another address is not affected."""
    prefix = api_token.split("_")[1]
    wrong = [push(client, f"tw_{prefix}x{n}_nope").status_code for n in range(3)]
    assert wrong == [401, 401, 401]
    blocked = push(client, api_token)
    assert blocked.status_code == 429 and blocked.json()["error"]["code"] == "too_many_failed_authentications"
    assert 1 <= int(blocked["Retry-After"]) <= 600
    assert push(client, "tw_missing_key").status_code == 429
    assert push(client, api_token, remote="203.0.113.6").status_code == 200


@pytest.mark.django_db
@override_settings(TICKERWIRE_API_AUTH_FAILURES_PER_IP="100/10min", TICKERWIRE_API_AUTH_FAILURES_PER_KEY="3/10min")
def test_failed_authentication_is_limited_per_key_prefix(client: Client, api_token: str) -> None:
    """Guesses at one key's secret from many addresses stop after three; another key still works."""
    from tickerwire.api.actions import do_create_api_key

    prefix = api_token.split("_")[1]
    guesses = [push(client, f"tw_{prefix}_guess{n}", remote=f"198.51.100.{n}").status_code for n in range(5)]
    assert guesses == [401, 401, 401, 429, 429]
    other = do_create_api_key("Other Newsroom").token
    assert push(client, other, remote="198.51.100.50").status_code == 200


def test_nginx_sets_forwarded_for_instead_of_appending_the_clients() -> None:
    """deploy/nginx.conf replaces a client's X-Forwarded-For with the address it saw."""
    from pathlib import Path

    conf = Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf"
    lines = [line.split("#")[0].strip() for line in conf.read_text().splitlines()]
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in lines
    assert not any("$proxy_add_x_forwarded_for" in line for line in lines)
