"""The shared limiter counts exactly per window, and client addresses ignore headers no trusted proxy added."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings

from tickerwire.limits.clients import client_ip
from tickerwire.limits.ratelimit import Limit, hit, peek, release


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(("rate", "limit"), [
    ("30/min", Limit(30, 60)), ("1/30s", Limit(1, 30)), ("1200/minute", Limit(1200, 60)),
    ("5/15min", Limit(5, 900)), ("100/day", Limit(100, 86400)), ("2/hours", Limit(2, 3600)),
])
def test_rates_parse(rate, limit):
    assert Limit.parse(rate) == limit


@pytest.mark.parametrize("rate", ["", "ten/min", "5/fortnight", "5/0min", "5"])
def test_bad_rates_are_refused(rate):
    with pytest.raises(ValueError, match="rate"):
        Limit.parse(rate)


def test_limit_holds_exactly_within_a_window_and_resets_after():
    limit = Limit(3, 60)
    decisions = [hit("t", "1.2.3.4", limit, now=120.0 + i) for i in range(5)]
    assert [d.allowed for d in decisions] == [True, True, True, False, False]
    assert decisions[0].remaining == 2 and decisions[-1].remaining == 0
    assert decisions[0].retry_after == 60
    assert peek("t", "1.2.3.4", limit, now=130.0) == 5
    assert hit("t", "1.2.3.4", limit, now=180.0).allowed
    assert hit("t", "5.6.7.8", limit, now=125.0).allowed


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@override_settings(TICKERWIRE_TRUSTED_PROXIES=[])
def test_without_trusted_proxies_the_header_is_ignored():
    assert client_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


@override_settings(TICKERWIRE_TRUSTED_PROXIES=["127.0.0.1", "10.0.0.0/8"])
def test_only_hops_added_by_trusted_proxies_count():
    # The client forged the left part; nginx (127.0.0.1) appended the address it saw.
    assert client_ip(_request("127.0.0.1", "6.6.6.6, 198.51.100.7")) == "198.51.100.7"
    # Two trusted hops (a load balancer in 10/8, then nginx on loopback).
    assert client_ip(_request("127.0.0.1", "6.6.6.6, 198.51.100.7, 10.1.2.3")) == "198.51.100.7"
    # A request that did not come through a trusted proxy is its own address, whatever it sends.
    assert client_ip(_request("198.51.100.8", "1.1.1.1")) == "198.51.100.8"
    # Garbage in the hop the proxy set falls back to the proxy's address rather than believing it.
    assert client_ip(_request("127.0.0.1", "not-an-ip")) == "127.0.0.1"


def test_a_released_hit_gives_its_slot_back():
    limit = Limit(2, 60)
    assert hit("t", "k", limit, now=60.0).allowed and hit("t", "k", limit, now=61.0).allowed
    release("t", "k", limit, now=61.0)
    assert hit("t", "k", limit, now=62.0).allowed
    assert not hit("t", "k", limit, now=63.0).allowed
    release("t", "gone", limit, now=63.0)  # nothing counted: nothing to take back, no error
