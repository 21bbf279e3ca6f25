"""Story dates: the dateline's year rule and which time a story is published at."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from tickerwire.core.dates import (
    DATELINE_FUTURE_DAYS,
    dateline_day,
    month_number,
    readable_story_time,
    received_differs,
    story_time,
)


@pytest.mark.parametrize(
    ("text", "received", "expected"),
    [
        ("Nov 10", date(2026, 11, 12), date(2026, 11, 10)),
        ("Dec 31", date(2027, 1, 2), date(2026, 12, 31)),  # received Jan 2: last year's Dec 31
        ("Jan 1", date(2026, 12, 31), date(2027, 1, 1)),  # one day ahead: within the allowance
        ("Jan 3", date(2026, 12, 31), date(2027, 1, 3)),  # three days ahead: the allowance's edge
        ("Jan 4", date(2026, 12, 31), date(2026, 1, 4)),  # four days ahead: this year's, eleven months back
        ("Nov 13", date(2026, 11, 10), date(2026, 11, 13)),
        ("Nov 14", date(2026, 11, 10), date(2025, 11, 14)),
        ("Nov 10", date(2026, 11, 10), date(2026, 11, 10)),
        ("Feb 29", date(2027, 3, 1), date(2024, 2, 29)),  # the latest leap day, three years back
        ("Feb 29", date(2028, 2, 27), date(2028, 2, 29)),  # two days ahead in a leap year
        ("Feb 29", date(2028, 2, 25), date(2024, 2, 29)),  # four days ahead: the leap day before
        ("Feb 29", date(2100, 3, 1), date(2096, 2, 29)),  # 2100 is no leap year
        ("Aug. 28, 2025", date(2026, 12, 3), date(2025, 8, 28)),  # a year given is that year
        ("28 Aug 2025", date(2026, 12, 3), date(2025, 8, 28)),
        ("Feb 26, 1987", date(2026, 12, 3), date(1987, 2, 26)),
        ("March 2", date(2026, 12, 3), date(2026, 3, 2)),
        ("2 March", date(2026, 12, 3), date(2026, 3, 2)),
        ("Sept 3", date(2026, 12, 3), date(2026, 9, 3)),
        ("sep. 3", date(2026, 12, 3), date(2026, 9, 3)),
    ],
)
def test_dateline_day_takes_the_latest_such_day_not_after_received_plus_allowance(
    text: str, received: date, expected: date
) -> None:
    """The year is the one that puts the day last before received + the allowance (a given year wins)."""
    assert dateline_day(text, received) == expected


@pytest.mark.parametrize("text", [None, "", "Tuesday", "Nov", "Feb 30", "Feb 29, 2027", "Nov 0", "Ma 3", "Mayday 3"])
def test_dateline_day_is_none_when_the_text_names_no_day(text: str | None) -> None:
    assert dateline_day(text, date(2026, 12, 3)) is None


def test_future_allowance_is_a_parameter() -> None:
    """With no allowance a dateline one day ahead is last year's; the default allows three days."""
    assert DATELINE_FUTURE_DAYS == 3
    assert dateline_day("Jan 1", date(2026, 12, 31), future_days=0) == date(2026, 1, 1)
    assert dateline_day("Jan 1", date(2026, 12, 31)) == date(2027, 1, 1)


def test_month_names_and_abbreviations() -> None:
    assert [month_number(word) for word in ("Jan", "February", "mar.", "Sept", "Sep", "dec")] == [1, 2, 3, 9, 9, 12]
    assert month_number("Ju") is None and month_number("Juneteenth") is None


def test_own_published_time_wins_over_the_dateline() -> None:
    """A 1987 story loaded today keeps its 1987 time, whatever its dateline says."""
    own = datetime(1987, 2, 26, 15, 1, tzinfo=UTC)
    result = story_time(own, "Feb 27", datetime(2026, 12, 3, 10, 0, tzinfo=UTC), UTC)
    assert (result.at, result.basis, result.style) == (own, "source", "datetime")


def test_dateline_day_earlier_than_received_is_noon_of_that_day_in_the_source_zone() -> None:
    received = datetime(2026, 11, 12, 9, 14, tzinfo=UTC)
    result = story_time(None, "Nov 10", received, UTC)
    assert (result.at, result.basis, result.style) == (datetime(2026, 11, 10, 12, 0, tzinfo=UTC), "dateline", "date")
    tokyo = story_time(None, "Nov 10", received, ZoneInfo("Asia/Tokyo"))
    assert tokyo.at == datetime(2026, 11, 10, 3, 0, tzinfo=UTC)


def test_dateline_of_the_received_day_takes_the_received_time() -> None:
    """The story is no later than it arrived: on its own day, the received time is the better guess."""
    received = datetime(2026, 11, 10, 9, 14, tzinfo=UTC)
    assert story_time(None, "Nov 10", received, UTC).at == received


def test_dateline_day_is_read_in_the_source_zone() -> None:
    """Received at 23:30 UTC on Jan 2 is Jan 3 in Tokyo, where "Jan 3" is then today, not last year's."""
    received = datetime(2027, 1, 2, 23, 30, tzinfo=UTC)
    assert story_time(None, "Jan 3", received, ZoneInfo("Asia/Tokyo")).at == received
    assert story_time(None, "Dec 31", received, ZoneInfo("Asia/Tokyo")).at.date() == date(2026, 12, 31)


def test_dateline_a_day_ahead_is_that_day() -> None:
    received = datetime(2026, 12, 31, 22, 0, tzinfo=UTC)
    result = story_time(None, "Jan 1", received, UTC)
    assert result.at == datetime(2027, 1, 1, 12, 0, tzinfo=UTC)


def test_no_dateline_date_means_the_received_time() -> None:
    received = datetime(2026, 12, 3, 10, 28, tzinfo=timezone(timedelta(hours=2)))
    for text in (None, "", "yesterday"):
        result = story_time(None, text, received, UTC)
        assert (result.at, result.basis, result.style) == (received.astimezone(UTC), "received", "datetime")
        assert result.at.tzinfo is UTC


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="received"):
        story_time(None, "Nov 10", datetime(2026, 11, 12), UTC)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="published"):
        story_time(datetime(2026, 11, 12), None, datetime(2026, 11, 12, tzinfo=UTC), UTC)  # noqa: DTZ001


def test_received_differs_when_the_utc_days_differ() -> None:
    published = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)
    assert received_differs(published, datetime(2026, 11, 12, 9, 14, tzinfo=UTC))
    assert received_differs(published, datetime(2026, 11, 11, 0, 5, tzinfo=UTC))
    assert not received_differs(published, datetime(2026, 11, 10, 23, 59, tzinfo=UTC))
    assert not received_differs(published, published)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2026, 3, 4, 10, 0, tzinfo=timezone(timedelta(hours=2))), datetime(2026, 3, 4, 8, 0, tzinfo=UTC)),
        (datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(-timedelta(hours=23, minutes=59))), None),
        (datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC), None),
        (datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=23, minutes=59))), None),
        (datetime(999, 12, 31, tzinfo=UTC), None),
    ],
)
def test_readable_story_time_refuses_times_that_overflow_or_leave_no_room(value, expected) -> None:
    assert readable_story_time(value) == expected
