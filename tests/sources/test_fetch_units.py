"""The fetcher's and poller's small rules: back-off, content types, charsets, host order, intervals."""

from __future__ import annotations

import pytest

from tickerwire.sources.actions import SourceError, backoff_seconds, parse_interval
from tickerwire.sources.fetch import backoff_delay, body_problems, content_type
from tickerwire.sources.models import PolledSource
from tickerwire.sources.poller import interleave_hosts


def test_retry_delays_grow_exponentially_with_jitter_and_a_cap() -> None:
    delays = [[backoff_delay(attempt, 1.0) for _ in range(200)] for attempt in (1, 2, 3, 4)]
    for attempt, values in enumerate(delays, start=1):
        assert all(0.5 * 2 ** (attempt - 1) <= v <= 2 ** (attempt - 1) for v in values)
        assert len(set(values)) > 100  # jittered, not in step
    assert max(backoff_delay(30, 1.0) for _ in range(50)) <= 60


def test_poll_back_off_doubles_per_failure_up_to_a_day() -> None:
    assert backoff_seconds(300, 0) == 300
    assert 0.8 * 1200 <= backoff_seconds(300, 2) <= 1200
    assert backoff_seconds(300, 40) <= 24 * 3600


def test_content_type_and_charset() -> None:
    assert content_type('application/rss+xml; Charset="UTF-8"') == ("application/rss+xml", "utf-8")
    assert content_type("") == ("", "")
    assert body_problems("rss", "text/xml", "utf-8", "caf\u00e9".encode()) == []
    assert body_problems("rss", "text/html", "", b"<html>") == ["content type text/html is not rss"]
    assert body_problems("html", "text/html", "utf-8", b"caf\xe9") == [
        "the body is not valid utf-8 as declared (byte 3)"
    ]
    assert body_problems("ninjs", "application/json", "klingon", b"{}") == ["unknown charset klingon"]


def test_sources_are_ordered_round_robin_by_host() -> None:
    urls = ["http://a.example/1", "http://a.example/2", "http://a.example/3", "http://b.example/1",
            "http://c.example/1", "http://c.example/2"]
    order = [s.url for s in interleave_hosts([PolledSource(url=url) for url in urls])]
    assert order == ["http://a.example/1", "http://b.example/1", "http://c.example/1", "http://a.example/2",
                     "http://c.example/2", "http://a.example/3"]


@pytest.mark.parametrize(("text", "seconds"), [("5m", 300), ("90s", 90), ("2h", 7200), ("1d", 86400), ("600", 600)])
def test_intervals(text: str, seconds: int) -> None:
    assert parse_interval(text) == seconds


def test_too_short_an_interval_is_refused() -> None:
    with pytest.raises(SourceError):
        parse_interval("5s")


def test_retry_after_takes_seconds_or_an_http_date() -> None:
    from tickerwire.sources.fetch import retry_after_seconds

    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Wed, 02 Dec 2026 10:01:00 GMT", now=1796205600.0) == 60.0
    assert retry_after_seconds("Wed, 02 Dec 2026 09:00:00 GMT", now=1796205600.0) == 0.0  # passed: no wait
    assert retry_after_seconds("") is None and retry_after_seconds("soon") is None
