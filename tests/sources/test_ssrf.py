"""The SSRF guard: private, loopback and link-local addresses are refused before any connection is made."""

from __future__ import annotations

import ipaddress

import pytest

from tests.sources.conftest import XML, Answer, FeedServer, rss_feed
from tickerwire.cli import main
from tickerwire.sources import fetch
from tickerwire.sources.actions import SourceError, do_add_source
from tickerwire.sources.fetch import FetchPolicy, address_refused
from tickerwire.sources.models import PolledSource
from tickerwire.sources.poller import Poller, due_sources

pytestmark = pytest.mark.django_db

FEED = rss_feed([("a", "Harbor Mining lifts copper output forecast",
                  "Harbor Mining said it expects to produce more copper this year than planned.")])


@pytest.fixture
def guarded(settings) -> None:
    settings.TICKERWIRE_POLL_ALLOW_PRIVATE = False
    settings.TICKERWIRE_POLL_TIMEOUT_SECONDS = 2
    settings.TICKERWIRE_POLL_RETRIES = 2
    settings.TICKERWIRE_POLL_RETRY_BASE_SECONDS = 0.01


def private_urls(feed_server: FeedServer) -> list[str]:
    return [
        feed_server.url("/feed.xml"),
        "http://10.0.0.1/feed.xml",
        "http://169.254.169.254/latest/meta-data/",
        feed_server.url("/feed.xml", host="localhost"),
        "http://[::1]:9/feed.xml",
    ]


def test_private_loopback_and_link_local_sources_are_refused_when_added(
    feed_server: FeedServer, guarded: None, capsys
) -> None:
    """``sources add`` says why at once (the admin's form too), and nothing is registered or connected."""
    for url in private_urls(feed_server):
        with pytest.raises(SourceError, match="a private, loopback, link-local or reserved address"):
            do_add_source(url, fmt="rss", interval_seconds=300)
        assert main(["sources", "add", url, "--format", "rss"]) == 1
        assert "TICKERWIRE_POLL_ALLOW_PRIVATE=1 to allow" in capsys.readouterr().err
    assert not PolledSource.objects.exists() and feed_server.requests == []


def test_private_loopback_and_link_local_sources_are_refused_without_a_connection(
    feed_server: FeedServer, guarded: None, settings, capsys
) -> None:
    """Registered while allowed (or resolving elsewhere then): each poll fails with the reason, no socket opens."""
    feed_server.routes["/feed.xml"] = Answer(FEED, headers=XML)
    urls = private_urls(feed_server)
    settings.TICKERWIRE_POLL_ALLOW_PRIVATE = True
    for url in urls:
        do_add_source(url, fmt="rss", interval_seconds=300)
    settings.TICKERWIRE_POLL_ALLOW_PRIVATE = False
    with Poller(FetchPolicy(allow_private=False, timeout=2, retries=2, retry_base=0.01)) as poller:
        reports = poller.poll(due_sources_now())
        assert poller.fetcher.backend.connections == 0
    assert len(reports) == len(urls)
    assert all(report.status == "failed" and report.error.startswith(fetch.REFUSED) for report in reports)
    assert feed_server.requests == []
    # The command says so too, and shows it on the source.
    assert main(["sources", "show", str(PolledSource.objects.get(url=urls[2]).pk)]) == 0
    assert "169.254.169.254, a private, loopback, link-local or reserved address" in capsys.readouterr().out


def due_sources_now() -> list[PolledSource]:
    from django.utils import timezone

    return due_sources(timezone.now())


def test_a_redirect_to_a_refused_address_is_stopped_at_connect_time(monkeypatch, settings) -> None:
    """Each redirect hop is checked when it connects: the hop's server never sees a request."""
    with FeedServer("127.0.0.1") as first, FeedServer("127.0.0.2") as second:
        second.routes["/feed.xml"] = Answer(FEED, headers=XML)
        first.routes["/feed.xml"] = Answer(
            status=301, headers={"Location": second.url("/feed.xml", host="127.0.0.2"), "Content-Length": "0"}
        )
        # Treat 127.0.0.1 as a public address so the first hop connects; 127.0.0.2 stays refused.
        monkeypatch.setattr(fetch, "address_refused", lambda ip: str(ip) != "127.0.0.1")
        polled = do_add_source(first.url("/feed.xml"), fmt="rss", interval_seconds=300)
        with Poller(FetchPolicy(allow_private=False, timeout=2, retries=0)) as poller:
            [report] = poller.poll([polled])
        assert first.hits("/feed.xml") == 1
        assert second.requests == []
        assert report.error.startswith(fetch.REFUSED) and "127.0.0.2" in report.error


@pytest.mark.parametrize("url", ["ftp://example.org/feed.xml", "file:///etc/passwd", "gopher://x/", "http:///x"])
def test_only_http_and_https_urls_are_accepted(url: str) -> None:
    with pytest.raises(SourceError):
        do_add_source(url, fmt="rss", interval_seconds=300)


@pytest.mark.parametrize(
    ("address", "refused"),
    [("127.0.0.1", True), ("10.0.0.1", True), ("172.16.5.4", True), ("192.168.1.1", True),
     ("169.254.169.254", True), ("100.64.0.1", True), ("0.0.0.0", True), ("224.0.0.1", True), ("::1", True),
     ("fe80::1", True), ("fc00::1", True), ("::ffff:127.0.0.1", True), ("240.0.0.1", True),
     ("93.184.216.34", False), ("2606:4700::1111", False)],
)
def test_address_classes(address: str, refused: bool) -> None:
    assert address_refused(ipaddress.ip_address(address)) is refused
