"""A story with 5,000 comments renders its first page of comments in as many queries as one with 30."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.comments.helpers import make_reader
from tests.site.stories import ORBIS, tagged_story
from tickerwire.comments.models import Comment, Status

pytestmark = pytest.mark.django_db


def fill(story: Any, count: int, authors: list[Any]) -> None:
    """Store ``count`` published comments: nine top-level comments in ten, the rest replies, some deep."""
    now = timezone.now()
    first = Comment.objects.filter(article_id=story.pk).count()
    tops = Comment.objects.bulk_create([
        Comment(article_id=story.pk, author=authors[n % len(authors)], body=f"Top comment {first + n} with https://x.test/{n}",
                body_hash=f"t{first + n}", status=Status.PUBLISHED, like_count=n % 17, published_at=now,
                created_at=now - timedelta(seconds=first + n))
        for n in range(count * 9 // 10)
    ])
    Comment.objects.filter(article_id=story.pk, root=None).update(root_id=models_pk())
    replies = []
    for n in range(count - len(tops)):
        top = tops[n % len(tops)]
        replies.append(Comment(article_id=story.pk, author=authors[(n + 1) % len(authors)], parent=top, root=top,
                               depth=1, body=f"Reply {n}", body_hash=f"r{n}", status=Status.PUBLISHED,
                               published_at=now, created_at=now))
    Comment.objects.bulk_create(replies)


def models_pk() -> Any:
    from django.db.models import F

    return F("pk")


def first_page_queries(client: Client, path: str) -> tuple[int, float, str]:
    from django.core.cache import cache

    from tickerwire.articles.visibility import forget_released
    from tickerwire.delivery.page_cache import LOCAL_PAGES

    cache.clear()
    LOCAL_PAGES.clear()
    forget_released()  # the visibility rule's one-second memo would make the count depend on timing
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(path)
        elapsed = time.perf_counter() - started
    assert response.status_code == 200
    return len(queries), elapsed, response.content.decode()


@pytest.mark.slow
def test_the_query_count_does_not_grow_with_the_comment_count() -> None:
    """The same story, measured with 30 comments and again with 5,000: the same queries, signed in or not."""
    authors = [make_reader(f"author{n}") for n in range(12)]
    story = tagged_story(1, ORBIS)
    viewer = make_reader("viewer")
    clients = {"anonymous": Client(), "signed in": Client()}
    clients["signed in"].force_login(viewer)
    paths = {"comment area": f"/articles/{story.pk}/comments", "article page": story.get_absolute_url()}

    def measure() -> dict[tuple[str, str], tuple[int, float, str]]:
        out = {}
        for who, client in clients.items():
            for what, path in paths.items():
                client.get(path)  # Django's per-process caches, the session's first use
                client.get(path)
                out[(who, what)] = first_page_queries(client, path)
        return out

    fill(story, 30, authors)
    few = measure()
    fill(story, 4970, authors)
    assert Comment.objects.filter(article=story, status=Status.PUBLISHED).count() == 5000
    many = measure()
    for key, (count, elapsed, html) in many.items():
        assert count == few[key][0], (key, few[key][0], count)
        assert "Show More Comments" in html and "(5000)" in html
        assert elapsed < 2.0, (key, elapsed)  # generous: the test machine is shared
        print(f"{key[0]} {key[1]}: {count} queries, {elapsed * 1000:.0f} ms with 5000 comments "
              f"({few[key][1] * 1000:.0f} ms with 30)")
