"""Story dates: which day a wire dateline ("Nov 10") names, and when a story counts as published.

Wire copy often carries no time line, only a dateline date without a year. Dating such a story by the
moment it was loaded puts every story of a bulk load on one day; the dateline says better. The year is
the one that makes the date the latest not after the story was received, with a few days' allowance for
a dateline ahead of the receiver's clock (a zone ahead of ours, an agency dating a story for tomorrow).
A time the source gives itself always wins: a 1987 corpus story keeps its 1987 time whenever it is loaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Literal

PublishedBasis = Literal["source", "dateline", "received"]

# How far ahead of the received day a dateline date may be and still be read as this year's.
DATELINE_FUTURE_DAYS = 3
# A story dated only by its dateline is placed at noon of that day in the source's zone: a time that
# stays on the same calendar day in every zone within twelve hours of it.
DATELINE_HOUR = 12

# The story times the store can work with: windows of days either side of a story (related stories,
# clusters) must stay within what datetime can hold, and no source dates a story before the year 1000
# (an RFC 822 date that early is a mis-read two-digit year). A time outside is unreadable, as a
# malformed one is: the story is dated by its dateline or its received time instead.
EARLIEST_STORY_TIME = datetime(1000, 1, 1, tzinfo=UTC)
LATEST_STORY_TIME = datetime(9998, 12, 31, tzinfo=UTC)

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")
_MONTH_DAY = re.compile(r"^(?P<month>[a-z]+)\.?\s+(?P<day>\d{1,2})(?:\s*,?\s*(?P<year>\d{4}))?$")
_DAY_MONTH = re.compile(r"^(?P<day>\d{1,2})\s+(?P<month>[a-z]+)\.?(?:\s*,?\s*(?P<year>\d{4}))?$")


@dataclass(frozen=True)
class StoryTime:
    """When a story counts as published (aware, UTC) and what that rests on.

    ``basis`` is ``source`` (the draft's own time), ``dateline`` (only the day is known, from the
    dateline) or ``received`` (nothing better than the ingest time).
    """

    at: datetime
    basis: PublishedBasis

    @property
    def style(self) -> Literal["date", "datetime"]:
        """Return how readers are shown the time: no time of day when only the day is known."""
        return time_style(self.basis)


def month_number(word: str) -> int | None:
    """Return the month a name or abbreviation ("Nov", "Sept", "November") spells, or ``None``."""
    word = word.casefold().rstrip(".")
    if len(word) < 3:
        return None
    for number, name in enumerate(_MONTHS, start=1):
        if name.startswith(word):
            return number
    return None


def dateline_day(text: str | None, received: date, *, future_days: int = DATELINE_FUTURE_DAYS) -> date | None:
    """Return the day a dateline date names, or ``None`` when it names none.

    A date with its year ("Aug. 28, 2025", "28 Aug 2025") is that day. Without one it is the latest such
    day at most ``future_days`` after ``received``: "Dec 31" received on Jan 2 is the previous year's,
    "Jan 1" received on Dec 31 is the next year's, and "Feb 29" is the latest leap day before.
    """
    parts = _month_day_year(text)
    if parts is None:
        return None
    month, day, year = parts
    if year is not None:
        try:
            return date(year, month, day)
        except ValueError:
            return None
    latest = received + timedelta(days=future_days)
    # Leap years are at most eight apart (2096 -> 2104), so nine years back always finds a Feb 29.
    for candidate_year in range(latest.year, latest.year - 9, -1):
        try:
            candidate = date(candidate_year, month, day)
        except ValueError:
            continue
        if candidate <= latest:
            return candidate
    return None


def _month_day_year(text: str | None) -> tuple[int, int, int | None] | None:
    if not text:
        return None
    folded = " ".join(text.casefold().split())
    match = _MONTH_DAY.match(folded) or _DAY_MONTH.match(folded)
    if match is None:
        return None
    month = month_number(match.group("month"))
    if month is None:
        return None
    year = match.group("year")
    return month, int(match.group("day")), int(year) if year else None


def readable_story_time(value: datetime) -> datetime | None:
    """Return an aware time as UTC, or ``None`` when it is outside the times a story can have.

    ``9999-12-31T23:59:59-23:59`` cannot be converted to UTC at all, and ``9999-12-31T23:59:59Z`` leaves
    no room for the days-wide windows the store reads around a story: both are unreadable, like text that
    is not a time, so the caller falls back (see :data:`EARLIEST_STORY_TIME` and :func:`story_time`).
    """
    if value.tzinfo is None:
        raise ValueError("value must be an aware datetime")
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        return None
    return utc if EARLIEST_STORY_TIME <= utc <= LATEST_STORY_TIME else None


def in_story_range(day: date) -> bool:
    """Return whether a calendar day lies within the times a story can have (a search or list filter's day)."""
    return EARLIEST_STORY_TIME.date() <= day <= LATEST_STORY_TIME.date()


def story_range_text() -> str:
    """Return the range of days :func:`in_story_range` accepts, as error messages state it."""
    return f"dates run from {EARLIEST_STORY_TIME.date()} to {LATEST_STORY_TIME.date()}"


def story_time(
    published: datetime | None,
    dateline_date: str | None,
    received: datetime,
    zone: tzinfo,
    *,
    future_days: int = DATELINE_FUTURE_DAYS,
) -> StoryTime:
    """Return when a story counts as published: its own time, else its dateline's day, else ``received``.

    ``published`` and ``received`` must be aware; ``zone`` is the source's zone, in which the dateline's
    day and the received day are compared. A dateline day that is the received day takes the received
    time (the story cannot be later than that); an earlier or later day takes noon of that day.
    """
    if received.tzinfo is None:
        raise ValueError("received must be an aware datetime")
    if published is not None:
        if published.tzinfo is None:
            raise ValueError("published must be an aware datetime")
        return StoryTime(published.astimezone(UTC), "source")
    received_local = received.astimezone(zone)
    day = dateline_day(dateline_date, received_local.date(), future_days=future_days)
    if day is None:
        return StoryTime(received.astimezone(UTC), "received")
    if day == received_local.date():
        return StoryTime(received.astimezone(UTC), "dateline")
    return StoryTime(datetime.combine(day, time(DATELINE_HOUR), tzinfo=zone).astimezone(UTC), "dateline")


def time_style(basis: str) -> Literal["date", "datetime"]:
    """Return how a time resting on ``basis`` is shown: ``date`` when only the day is known."""
    return "date" if basis == "dateline" else "datetime"


def received_differs(published: datetime, received: datetime) -> bool:
    """Return whether readers should be told the received time too: the two fall on different UTC days.

    Both must be aware. Stories loaded in bulk long after they were written (an archive, a demo) then
    say so, while a story received minutes after its own time does not repeat it.
    """
    return published.astimezone(UTC).date() != received.astimezone(UTC).date()
