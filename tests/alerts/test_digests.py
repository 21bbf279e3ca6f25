"""Daily digests at each reader's hour in their own zone, across zones and DST changes, once a day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from tests.alerts.readers import announce, reader
from tests.site.stories import ORBIS, tagged_story
from tickerwire.alerts.actions import do_follow, do_set_alert_settings
from tickerwire.alerts.models import AlertProfile, Delivery, Digest
from tickerwire.alerts.schedule import next_digest_time
from tickerwire.alerts.tasks import run_due

NEW_YORK, LONDON, TOKYO = ZoneInfo("America/New_York"), ZoneInfo("Europe/London"), ZoneInfo("Asia/Tokyo")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(("after", "hour", "zone", "expected"), [
    (utc(2026, 1, 10, 0, 0), 7, TOKYO, utc(2026, 1, 10, 22, 0)),  # 07:00 JST = 22:00 UTC the day before
    (utc(2026, 1, 10, 12, 0), 7, NEW_YORK, utc(2026, 1, 11, 12, 0)),  # EST: UTC-5
    (utc(2026, 7, 10, 12, 0), 7, NEW_YORK, utc(2026, 7, 11, 11, 0)),  # EDT: UTC-4
    (utc(2026, 7, 10, 5, 0), 7, LONDON, utc(2026, 7, 10, 6, 0)),  # BST: UTC+1
    (utc(2026, 3, 7, 12, 0), 7, NEW_YORK, utc(2026, 3, 8, 11, 0)),  # clocks spring forward on 8 March: EDT
    (utc(2026, 3, 8, 1, 0), 2, NEW_YORK, utc(2026, 3, 8, 7, 0)),  # 02:00 does not exist that day: at 03:00 EDT
    (utc(2026, 10, 31, 12, 0), 1, NEW_YORK, utc(2026, 11, 1, 5, 0)),  # 01:00 twice on 1 Nov: the first (EDT)
    (utc(2026, 11, 1, 5, 0), 1, NEW_YORK, utc(2026, 11, 2, 6, 0)),  # right after it: the next day, EST
    (utc(2026, 3, 28, 12, 0), 8, LONDON, utc(2026, 3, 29, 7, 0)),  # London springs forward on 29 March
])
def test_the_next_digest_is_at_the_local_hour(after: datetime, hour: int, zone: ZoneInfo, expected: datetime) -> None:
    assert next_digest_time(after, hour, zone) == expected


@pytest.mark.django_db
def test_digests_go_out_at_each_readers_hour_across_zones_and_a_dst_change(
        django_capture_on_commit_callbacks: Any, clock: Any) -> None:
    """Readers in New York, London and Tokyo, all at 07:00 local, over the night US clocks spring forward."""
    clock(utc(2026, 3, 7, 12, 0))
    zones = {"nyc": "America/New_York", "ldn": "Europe/London", "tyo": "Asia/Tokyo"}
    for name, zone in zones.items():
        user = reader(name)
        do_set_alert_settings(user, time_zone=zone, digest_hour=7)
        do_follow(user, "ticker", ORBIS.symbol, channel="digest")
    announce(django_capture_on_commit_callbacks, tagged_story(1, ORBIS))
    assert mail.outbox == []  # digests only
    assert Delivery.objects.filter(channel="digest", state="pending").count() == 3

    def run_at(moment: datetime) -> list[str]:
        clock(moment)
        before = len(mail.outbox)
        run_due(now=moment)
        return [m.to[0].split("@")[0] for m in mail.outbox[before:]]

    assert run_at(utc(2026, 3, 7, 21, 59)) == []
    assert run_at(utc(2026, 3, 7, 22, 0)) == ["tyo"]  # 07:00 on 8 March in Tokyo
    assert run_at(utc(2026, 3, 8, 6, 59)) == []
    assert run_at(utc(2026, 3, 8, 7, 0)) == ["ldn"]  # GMT until 29 March
    assert run_at(utc(2026, 3, 8, 10, 59)) == []  # 06:59 EDT
    assert run_at(utc(2026, 3, 8, 11, 0, 30)) == ["nyc"]  # 07:00 EDT (New York sprang forward at 02:00; EST: 12:00)
    assert run_at(utc(2026, 3, 8, 12, 0)) == []  # once a day
    message = mail.outbox[0]
    assert "digest" in message.subject and message.extra_headers["List-Unsubscribe-Post"]
    assert Delivery.objects.filter(state="sent", channel="digest").count() == 3
    # Next slots are each reader's next 07:00 local.
    nexts = {p.user.username: p.next_digest_at for p in AlertProfile.objects.select_related("user")}
    assert nexts == {"tyo": utc(2026, 3, 8, 22, 0), "ldn": utc(2026, 3, 9, 7, 0), "nyc": utc(2026, 3, 9, 11, 0)}


@pytest.mark.django_db
def test_the_repeated_hour_when_clocks_fall_back_sends_one_digest(
        django_capture_on_commit_callbacks: Any, clock: Any) -> None:
    clock(utc(2026, 10, 31, 12, 0))
    user = reader("nyc")
    do_set_alert_settings(user, time_zone="America/New_York", digest_hour=1)
    do_follow(user, "ticker", ORBIS.symbol, channel="digest")
    announce(django_capture_on_commit_callbacks, tagged_story(1, ORBIS))
    clock(utc(2026, 11, 1, 5, 0))
    run_due(now=utc(2026, 11, 1, 5, 0))  # 01:00 EDT
    announce(django_capture_on_commit_callbacks, tagged_story(2, ORBIS))
    # An operator forces the slot back to the second 01:00 (EST) of the same local date: still one digest.
    AlertProfile.objects.update(next_digest_at=utc(2026, 11, 1, 6, 0))
    run_due(now=utc(2026, 11, 1, 6, 0))
    assert len(mail.outbox) == 1
    assert Digest.objects.get().local_date.isoformat() == "2026-11-01"
    assert AlertProfile.objects.get().next_digest_at == utc(2026, 11, 2, 6, 0)
    assert Delivery.objects.filter(state="pending").count() == 1  # the second story waits for 2 November
    clock(utc(2026, 11, 2, 6, 0))
    run_due(now=utc(2026, 11, 2, 6, 0))
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_no_digest_is_sent_when_there_is_nothing_to_tell(clock: Any) -> None:
    clock(utc(2026, 1, 1, 0, 0))
    user = reader("ada")
    do_follow(user, "ticker", ORBIS.symbol, channel="digest")
    run_due(now=utc(2026, 1, 2, 8, 0) + timedelta(days=1))
    assert mail.outbox == [] and not Digest.objects.exists()
    assert AlertProfile.objects.get().next_digest_at == utc(2026, 1, 4, 7, 0)
