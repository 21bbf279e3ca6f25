"""Daily mention volume and average sentiment of a ticker, as data and as SVG geometry for its page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

CHART_WIDTH = 640
CHART_HEIGHT = 260
# Room for the tick labels and axis titles; sized for the phone stylesheet's larger text (site.css), which
# keeps labels readable when the 640-unit chart is drawn 360 pixels wide.
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 66, 66, 20, 62
DATE_TICK_DAYS = 14  # one date label every two weeks, counted back from the latest day
MAX_COUNT_TICKS = 5


@dataclass(frozen=True)
class DayPoint:
    """One day of the chart: how many stories mentioned the ticker and their mean sentiment (-1..1)."""

    day: date
    mentions: int
    sentiment: float | None


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str


@dataclass(frozen=True)
class Tick:
    """One labelled place on an axis: ``at`` is the x of a date tick, the y of a count or sentiment tick."""

    at: float
    label: str


@dataclass(frozen=True)
class MentionChart:
    """Everything the template needs to draw the chart and its table alternative."""

    points: list[DayPoint]
    bars: list[Bar]
    sentiment_path: str
    max_mentions: int
    count_ticks: list[Tick] = field(default_factory=list)
    date_ticks: list[Tick] = field(default_factory=list)
    sentiment_ticks: list[Tick] = field(default_factory=list)
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT

    @property
    def plot_left(self) -> int:
        return PAD_LEFT

    @property
    def plot_right(self) -> int:
        return self.width - PAD_RIGHT

    @property
    def plot_centre_x(self) -> float:
        return (PAD_LEFT + self.plot_right) / 2

    @property
    def plot_middle_y(self) -> float:
        return (PAD_TOP + self.plot_bottom) / 2

    @property
    def date_label_y(self) -> int:
        return self.plot_bottom + 24

    @property
    def date_title_y(self) -> int:
        return self.height - 8

    @property
    def first_day(self) -> date:
        return self.points[0].day

    @property
    def last_day(self) -> date:
        return self.points[-1].day

    @property
    def plot_bottom(self) -> int:
        return self.height - PAD_BOTTOM

    @property
    def zero_y(self) -> float:
        return sentiment_y(0.0, self.height)

    @property
    def active_points(self) -> list[DayPoint]:
        """Return the days with at least one story (for the table alternative)."""
        return [p for p in self.points if p.mentions]


def sentiment_score(value: Any) -> float | None:
    """Return a stored sentiment's score (-1..1) from ``{"label", "score"}``, a number or nothing."""
    if isinstance(value, dict):
        value = value.get("score")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return max(-1.0, min(1.0, float(value)))
    return None


def daily_points(rows: Iterable[tuple[datetime, Any]], days: int = 60) -> list[DayPoint]:
    """Return one point per day for the ``days`` ending on the latest mention (UTC dates)."""
    counts: dict[date, int] = {}
    scores: dict[date, list[float]] = {}
    for published_at, sentiment in rows:
        day = published_at.date()
        counts[day] = counts.get(day, 0) + 1
        score = sentiment_score(sentiment)
        if score is not None:
            scores.setdefault(day, []).append(score)
    if not counts:
        return []
    last = max(counts)
    first = last - timedelta(days=days - 1)
    points = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        day_scores = scores.get(day)
        mean = sum(day_scores) / len(day_scores) if day_scores else None
        points.append(DayPoint(day=day, mentions=counts.get(day, 0), sentiment=mean))
    return points


def sentiment_y(score: float, height: int = CHART_HEIGHT) -> float:
    """Return the y coordinate of a sentiment score: +1 at the top of the plot, -1 at the bottom."""
    plot = height - PAD_TOP - PAD_BOTTOM
    return round(PAD_TOP + (1 - score) / 2 * plot, 1)


def count_step(top: int) -> int:
    """Return the step between count ticks: 1, 2 or 5 times a power of ten, at most five ticks above zero."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if -(-top // step) <= MAX_COUNT_TICKS:
                return step
        magnitude *= 10


def day_label(day: date) -> str:
    """Return a short axis label for a day: ``Nov 3``."""
    return f"{day:%b} {day.day}"


def build_chart(points: list[DayPoint], width: int = CHART_WIDTH, height: int = CHART_HEIGHT) -> MentionChart | None:
    """Return the chart geometry for the points, or None when there is nothing to draw.

    The count axis runs from 0 to a round number at or above the busiest day, with a labelled tick at each
    step; dates are labelled every two weeks back from the latest day, under the middle of that day's bar.
    """
    if not points:
        return None
    plot_width = width - PAD_LEFT - PAD_RIGHT
    plot_height = height - PAD_TOP - PAD_BOTTOM
    plot_bottom = PAD_TOP + plot_height
    step = plot_width / len(points)
    busiest = max(p.mentions for p in points) or 1
    count_every = count_step(busiest)
    axis_top = -(-busiest // count_every) * count_every
    bars: list[Bar] = []
    path: list[str] = []
    for index, point in enumerate(points):
        x = PAD_LEFT + index * step
        if point.mentions:
            bar_height = point.mentions / axis_top * plot_height
            bars.append(
                Bar(x=round(x + step * 0.15, 1), y=round(plot_bottom - bar_height, 1),
                    width=round(step * 0.7, 1), height=round(bar_height, 1),
                    label=f"{point.day.isoformat()}: {point.mentions} stor{'y' if point.mentions == 1 else 'ies'}")
            )
        if point.sentiment is not None:
            command = "L" if path else "M"
            path.append(f"{command}{round(x + step / 2, 1)},{sentiment_y(point.sentiment, height)}")
    count_ticks = [
        Tick(at=round(plot_bottom - value / axis_top * plot_height, 1), label=str(value))
        for value in range(0, axis_top + 1, count_every)
    ]
    date_ticks = [
        Tick(at=round(PAD_LEFT + (index + 0.5) * step, 1), label=day_label(points[index].day))
        for index in range(len(points) - 1, -1, -DATE_TICK_DAYS)
    ][::-1]
    sentiment_ticks = [Tick(at=sentiment_y(score, height), label=label)
                       for score, label in ((1.0, "+1"), (0.0, "0"), (-1.0, "−1"))]
    return MentionChart(points=points, bars=bars, sentiment_path=" ".join(path), max_mentions=busiest,
                        count_ticks=count_ticks, date_ticks=date_ticks, sentiment_ticks=sentiment_ticks,
                        width=width, height=height)
