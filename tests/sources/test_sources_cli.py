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


def test_a_rounds_quiet_polls_are_recorded_per_source() -> None:
    """Grouped into one UPDATE per interval, each source still gets its own next poll; a failing one is reset."""
    from datetime import timedelta

    from django.utils import timezone

    from tickerwire.sources.actions import do_add_source, do_record_not_modified_many

    fast = do_add_source("https://a.example/feed", fmt="rss", interval_seconds=60)
    slow = do_add_source("https://b.example/feed", fmt="rss", interval_seconds=300)
    failing = do_add_source("https://c.example/feed", fmt="rss", interval_seconds=60)
    PolledSource.objects.filter(pk=failing.pk).update(failures=2, last_error="HTTP 500")
    failing.refresh_from_db()
    now = timezone.now()
    do_record_not_modified_many([(fast, None), (slow, ("", "")), (failing, ('"e2"', ""))], now=now)
    rows = {row.pk: row for row in PolledSource.objects.all()}
    assert rows[fast.pk].next_poll_at == now + timedelta(seconds=60) and rows[fast.pk].last_status == "not modified"
    assert rows[slow.pk].next_poll_at == now + timedelta(seconds=300)
    assert rows[slow.pk].last_status == "unchanged bytes" and rows[slow.pk].last_success_at == now
    assert rows[failing.pk].failures == 0 and rows[failing.pk].etag == '"e2"'
    assert rows[failing.pk].next_poll_at == now + timedelta(seconds=60)
