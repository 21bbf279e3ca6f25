"""``tickerwire sources add|list|show|pause|resume|remove``."""

from __future__ import annotations

import pytest

from tickerwire.articles.models import Source
from tickerwire.cli import main
from tickerwire.sources.models import PolledSource

pytestmark = pytest.mark.django_db


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["sources", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_add_list_pause_resume_remove(capsys) -> None:
    """A source is added with its settings, listed, paused, resumed and removed; its store source stays."""
    status, out, _ = run(capsys, "add", "https://news.example.org/rss", "--format", "atom", "--every", "2h",
                         "--name", "Example News")
    assert status == 0 and out.startswith("added ")
    polled = PolledSource.objects.get()
    assert (polled.format, polled.interval_seconds, polled.source.name, polled.source.kind) == (
        "atom", 7200, "Example News", "feed")
    status, out, _ = run(capsys, "list")
    assert out.splitlines()[1].split("\t")[:4] == [str(polled.pk), "ok", "atom", "7200s"]
    run(capsys, "pause", str(polled.pk))
    assert run(capsys, "list")[1].splitlines()[1].split("\t")[1] == "paused"
    _, out, _ = run(capsys, "show", str(polled.pk))
    assert "paused because:    paused by hand" in out
    run(capsys, "resume", str(polled.pk))
    polled.refresh_from_db()
    assert not polled.paused
    status, out, _ = run(capsys, "remove", str(polled.pk))
    assert status == 0 and not PolledSource.objects.exists() and Source.objects.filter(name="Example News").exists()
    assert run(capsys, "show", str(polled.pk))[0] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ftp://x.example/feed", "--format", "rss"], "only http and https"),
        (["https://x.example/feed", "--format", "rss", "--every", "10s"], "under 30s"),
        (["https://x.example/feed", "--format", "rss", "--every", "soon"], "not a number"),
        (["https://x.example/feed", "--format", "html", "--fetch-articles"], "needs --format rss or atom"),
        (["https://x.example/feed", "--format", "rss", "--section", "Astrology"], "not one of the site's sections"),
        (["https://x.example/feed", "--format", "rss", "--time-zone", "Mars/Olympus"], "not an IANA zone"),
    ],
)
def test_add_refuses_bad_input_with_a_reason(capsys, args: list[str], message: str) -> None:
    status, _, err = run(capsys, "add", *args)
    assert status == 1 and message in err
    assert not PolledSource.objects.exists()


def test_the_same_url_is_registered_once(capsys) -> None:
    assert run(capsys, "add", "https://x.example/feed", "--format", "rss")[0] == 0
    status, _, err = run(capsys, "add", "https://x.example/feed", "--format", "rss")
    assert status == 1 and "already registered" in err


def test_a_due_source_is_claimed_by_one_poller_until_its_lease_runs_out() -> None:
    """Two pollers sharing a store: the first claims the due source, the second gets nothing meanwhile."""
    from datetime import timedelta

    from django.utils import timezone

    from tickerwire.sources.actions import do_add_source, do_claim_due_sources

    polled = do_add_source("https://x.example/feed", fmt="rss", interval_seconds=300)
    now = timezone.now()
    assert [p.pk for p in do_claim_due_sources(now, lease_seconds=600)] == [polled.pk]
    assert do_claim_due_sources(now, lease_seconds=600) == []
    assert [p.pk for p in do_claim_due_sources(now + timedelta(seconds=601))] == [polled.pk]
