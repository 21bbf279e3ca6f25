"""What readers see of story dates: the day a dateline gives, and the received time when it is another day."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client

from tests.site.page_text import visible_text
from tests.site.stories import ORBIS, ingest, story_draft, tag
from tickerwire.articles.models import Article, RelatedArticle

pytestmark = pytest.mark.django_db


def page_meta(client: Client, article: Article) -> tuple[str, str]:
    """Return the article page's header meta line as HTML and as visible text."""
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    meta = html.split('<p class="meta">', 1)[1].split("</p>", 1)[0]
    return meta, visible_text(meta)


def dateline_only_story(number: int, day: int = 3) -> Article:
    draft = story_draft(number, day=day)
    draft.published = None
    return ingest(draft)


def test_dateline_dated_story_shows_its_day_and_when_it_was_received(client: Client, clock) -> None:
    """"Mar 3" received on Mar 5 reads "Published Mar 3, 2026 · Received Mar 5, 2026 9:14 AM UTC"."""
    clock(datetime(2026, 3, 5, 9, 14, tzinfo=UTC))
    article = dateline_only_story(1)
    meta, text = page_meta(client, article)
    assert text == "Published Mar 3, 2026 · Received Mar 5, 2026 9:14 AM UTC"
    assert '<time datetime="2026-03-03" data-local="date">' in meta  # a day, not a made-up time of day
    assert '<time datetime="2026-03-05T09:14:00Z" data-local="datetime">' in meta


def test_story_received_on_its_own_day_shows_one_date(client: Client, clock) -> None:
    clock(datetime(2026, 3, 3, 18, 0, tzinfo=UTC))
    own_time = ingest(story_draft(2, day=3))  # its own time, 03:15 on Mar 3
    assert page_meta(client, own_time)[1] == "Mar 3, 2026 3:15 AM UTC"
    dateline_only = dateline_only_story(3)
    assert page_meta(client, dateline_only)[1] == "Mar 3, 2026"


def test_draft_with_its_own_time_keeps_it_and_shows_a_later_receipt(client: Client, clock) -> None:
    clock(datetime(2026, 12, 3, 10, 28, tzinfo=UTC))
    article = ingest(story_draft(4, day=3))
    assert page_meta(client, article)[1] == "Published Mar 3, 2026 5:15 AM UTC · Received Dec 3, 2026 10:28 AM UTC"


def test_revisions_of_a_bulk_loaded_wire_story_read_the_story_date(client: Client, clock) -> None:
    """History and "Updated" give each version's story day; the receipt is said apart, not as the date."""
    clock(datetime(2026, 3, 5, 9, 14, tzinfo=UTC))
    first = dateline_only_story(5)
    clock(datetime(2026, 3, 6, 7, 30, tzinfo=UTC))
    draft = story_draft(5, extra_paragraph="Shares rose 4% in early trade.")
    draft.published, draft.revision_marker = None, "UPDATE 1"
    article = ingest(draft)
    assert article.pk == first.pk and article.revision_count == 2
    assert page_meta(client, article)[1] == (
        "Published Mar 3, 2026 · Updated Mar 3, 2026 · Received Mar 5, 2026 9:14 AM UTC"
    )
    html = client.get(article.get_absolute_url()).content.decode()
    history = visible_text(html.split('<section class="panel history"', 1)[1].split("</section>", 1)[0])
    assert "Version 2 (UPDATE 1) · Mar 3, 2026 · received Mar 6, 2026 7:30 AM UTC" in history
    assert "Version 1 · Mar 3, 2026 · received Mar 5, 2026 9:14 AM UTC" in history
    # The teaser gives the day; a receipt time of a bulk load is not offered as the update time.
    home = visible_text(client.get("/").content.decode())
    assert "Mar 3, 2026 · updated" not in home and "12:00 PM" not in home
    assert "Mar 3, 2026" in home


def test_ticker_chart_counts_a_dateline_dated_story_on_its_day(client: Client, clock) -> None:
    clock(datetime(2026, 3, 9, 9, 14, tzinfo=UTC))
    tag(dateline_only_story(6, day=4), ORBIS)
    html = client.get("/ticker/ORBW/").content.decode()
    assert '<th scope="row"><time datetime="2026-03-04" data-local="date">Mar 4, 2026</time></th>' in html


def test_related_story_dated_by_its_dateline_shows_its_day(client: Client, clock) -> None:
    clock(datetime(2026, 3, 9, 9, 14, tzinfo=UTC))
    article = ingest(story_draft(7, day=5))
    related = dateline_only_story(8, day=4)
    RelatedArticle.objects.create(article=article, related=related, score=0.9)
    html = client.get(article.get_absolute_url()).content.decode()
    box = html.split('<section class="related"', 1)[1].split("</section>", 1)[0]
    assert related.headline in box
    assert '<time datetime="2026-03-04" data-local="date">Mar 4, 2026</time>' in box
