"""Stored story dates: wire copy is dated by its dateline, a draft's own time wins, receipt is kept apart."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import override_settings

from tests.articles.story_factory import generated_draft
from tickerwire.articles.actions.ingest import IngestOutcome, do_ingest_draft, ingest_bytes
from tickerwire.articles.models import Article, ArticleTicker

pytestmark = pytest.mark.django_db

# Invented wire copy about a fictional company: a dateline with a day but no year, and no time line.
WIRE = """{prefix}Halberd Rail wins seven-year freight contract in the north

By Ada Sample

    PORT ALDER, {day} (Sample Wire) - Halberd Rail (NASDAQ: HLBQ) said
on Tuesday it had won a seven-year contract to haul grain and timber
across the northern provinces, its largest order in a decade.

    The company said the contract was worth about 310 million marks
and would need twelve new locomotives, to be built at its own works.
{extra}
"""


def wire(day: str = "Nov 10", *, prefix: str = "", extra: str = "") -> bytes:
    return WIRE.format(prefix=prefix, day=day, extra=extra).encode("utf-8")


def ingest_wire(data: bytes) -> Article:
    [outcome] = ingest_bytes(data, fmt="wire", source_name="Sample Wire", path="halberd.txt")
    assert isinstance(outcome, IngestOutcome), outcome
    return Article.objects.get(pk=outcome.article_id)


def test_wire_story_with_dateline_only_is_dated_by_its_dateline_and_received_at_ingest(clock) -> None:
    """ "Nov 10" received on Nov 12 is Nov 10 (noon UTC, day only); created and revision times are receipt."""
    received = datetime(2026, 11, 12, 9, 14, tzinfo=UTC)
    clock(received)
    article = ingest_wire(wire())
    assert article.published_at == datetime(2026, 11, 10, 12, 0, tzinfo=UTC)
    assert (article.published_basis, article.published_style, article.published_text) == ("dateline", "date", "")
    assert article.created_at == received
    assert article.updated_at == article.published_at
    assert article.shows_received
    revision = article.revisions.get()
    assert (revision.created_at, revision.published_at, revision.published_basis) == (
        received, article.published_at, "dateline"
    )
    # The ticker chart reads the tag's copy of the story date, not the load time.
    assert ArticleTicker.objects.get(article=article, symbol="HLBQ").published_at == article.published_at


def test_story_received_on_jan_2_with_a_dec_31_dateline_is_dated_the_previous_year(clock) -> None:
    clock(datetime(2027, 1, 2, 8, 0, tzinfo=UTC))
    article = ingest_wire(wire("Dec 31"))
    assert article.published_at == datetime(2026, 12, 31, 12, 0, tzinfo=UTC)


def test_dateline_of_the_received_day_takes_the_received_time(clock) -> None:
    received = datetime(2026, 11, 10, 9, 14, tzinfo=UTC)
    clock(received)
    article = ingest_wire(wire())
    assert (article.published_at, article.published_basis, article.shows_received) == (received, "dateline", False)


def test_dateline_ahead_of_the_clock_does_not_put_updated_at_in_the_future(clock) -> None:
    """A Jan 1 dateline received on Dec 31 is next year's Jan 1; Last-Modified stays at the receipt."""
    received = datetime(2026, 12, 31, 22, 0, tzinfo=UTC)
    clock(received)
    article = ingest_wire(wire("Jan 1"))
    assert article.published_at == datetime(2027, 1, 1, 12, 0, tzinfo=UTC)
    assert article.updated_at == received


@override_settings(TICKERWIRE_SOURCE_TZ="Asia/Tokyo")
def test_dateline_day_is_placed_in_the_source_zone(clock) -> None:
    clock(datetime(2026, 11, 12, 9, 14, tzinfo=UTC))
    assert ingest_wire(wire()).published_at == datetime(2026, 11, 10, 3, 0, tzinfo=UTC)


def test_draft_with_its_own_published_time_keeps_it(clock) -> None:
    """An archive story (its own 1987 time, a dateline without a year) is not re-dated by the dateline."""
    received = datetime(2026, 12, 3, 10, 28, tzinfo=UTC)
    clock(received)
    draft = generated_draft(7)
    draft.published = "1987-02-26T15:01:00"
    article = Article.objects.get(pk=do_ingest_draft(draft, source_name="Reuters").article_id)
    assert article.published_at == datetime(1987, 2, 26, 15, 1, tzinfo=UTC)
    assert (article.published_basis, article.published_style) == ("source", "datetime")
    assert article.created_at == received
    assert article.shows_received


def test_wire_revision_keeps_the_story_date_and_records_its_own_receipt(clock) -> None:
    """An UPDATE 1 loaded a day later: the article stays dated Nov 10, the revision is received Nov 13."""
    clock(datetime(2026, 11, 12, 9, 14, tzinfo=UTC))
    first = ingest_wire(wire())
    later = datetime(2026, 11, 13, 7, 0, tzinfo=UTC)
    clock(later)
    extra = "\n    Shares rose 4% in early trade.\n"
    article = ingest_wire(wire(prefix="UPDATE 1-", extra=extra))
    assert article.pk == first.pk and article.revision_count == 2
    assert (article.published_at, article.published_basis) == (first.published_at, "dateline")
    assert article.updated_at == later  # when our copy changed: what Last-Modified must say
    revision = article.revisions.get(number=2)
    assert (revision.created_at, revision.published_at) == (later, datetime(2026, 11, 10, 12, 0, tzinfo=UTC))


def test_revision_with_its_own_time_dates_a_story_that_had_only_its_dateline(clock) -> None:
    clock(datetime(2026, 11, 12, 9, 14, tzinfo=UTC))
    draft = generated_draft(8)
    draft.published = None
    first = Article.objects.get(pk=do_ingest_draft(draft, source_name="w").article_id)
    assert first.published_basis == "dateline"
    draft.published = "2026-03-03T16:45:00"
    draft.summary = ["Orders rose"]
    article = Article.objects.get(pk=do_ingest_draft(draft, source_name="w").article_id)
    assert (article.published_at, article.published_basis) == (datetime(2026, 3, 3, 16, 45, tzinfo=UTC), "source")
