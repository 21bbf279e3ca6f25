"""Daily mention volume and average sentiment of a ticker, as data and as SVG geometry for its page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

CHART_WIDTH = 640
CHART_HEIGHT = 200
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 36, 36, 12, 28


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
class MentionChart:
    """Everything the template needs to draw the chart and its table alternative."""

    points: list[DayPoint]
    bars: list[Bar]
    sentiment_path: str
    max_mentions: int
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT

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


def build_chart(points: list[DayPoint], width: int = CHART_WIDTH, height: int = CHART_HEIGHT) -> MentionChart | None:
    """Return the chart geometry for the points, or None when there is nothing to draw."""
    if not points:
        return None
    plot_width = width - PAD_LEFT - PAD_RIGHT
    plot_height = height - PAD_TOP - PAD_BOTTOM
    step = plot_width / len(points)
    top = max(p.mentions for p in points) or 1
    bars: list[Bar] = []
    path: list[str] = []
    for index, point in enumerate(points):
        x = PAD_LEFT + index * step
        if point.mentions:
            bar_height = point.mentions / top * plot_height
            bars.append(
                Bar(x=round(x + step * 0.15, 1), y=round(PAD_TOP + plot_height - bar_height, 1),
                    width=round(step * 0.7, 1), height=round(bar_height, 1),
                    label=f"{point.day.isoformat()}: {point.mentions} stories")
            )
        if point.sentiment is not None:
            command = "L" if path else "M"
            path.append(f"{command}{round(x + step / 2, 1)},{sentiment_y(point.sentiment, height)}")
    return MentionChart(points=points, bars=bars, sentiment_path=" ".join(path), max_mentions=top,
                        width=width, height=height)
