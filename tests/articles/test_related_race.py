"""Two workers ranking related stories at once (a re-queued task beside its first run, or two new stories
that rank each other) write each pair once and never fail; a repeated run leaves the same lists."""

from __future__ import annotations

import contextlib
import threading

import pytest
from django.db import connection
from django.test import override_settings

from tickerwire.articles.actions import enrich
from tickerwire.articles.actions.enrich import do_embed_and_relate
from tickerwire.articles.actions.ingest import do_ingest_draft
from tickerwire.articles.models import Article, RelatedArticle
from tickerwire.core.draft import ArticleDraft, Block, SourceRef
from tickerwire.enrich.related import DEFAULT_K

needs_server_database = pytest.mark.skipif(
    connection.vendor == "sqlite", reason="threads cannot share SQLite's in-memory test database for writing"
)

TOPICS = [
    ("Lumora Semiconductor wins display chip order from tablet maker", "display chips for tablets"),
    ("Lumora Semiconductor to build a second display chip plant", "a factory for display chips"),
    ("Lumora Semiconductor shares rise on tablet chip demand", "demand for its tablet chips"),
    ("Tablet makers order more display chips from Lumora", "new orders of display chips"),
    ("Lumora Semiconductor raises revenue forecast on chip orders", "revenue from chip orders"),
    ("Display chip shortage lifts Lumora Semiconductor prices", "prices of display chips"),
    ("Kettle Lane bakery chain opens four shops in the north", "bread and pastries"),
    ("Kettle Lane bakery plans a harbour cafe next spring", "a cafe selling pastries"),
]


def race_story(number: int, tag: str) -> ArticleDraft:
    """Return an invented story; stories of one topic family rank each other as related."""
    headline, subject = TOPICS[number % len(TOPICS)]
    return ArticleDraft(
        headline=f"{headline} ({tag} {number})",
        source=SourceRef(site="Tickerwire Race Wire"),
        published=f"2026-03-03T10:{number:02d}:00",
        body=[
            Block("paragraph", f"The company said on Tuesday that {subject} grew in story {tag} {number}."),
            Block("paragraph", f"Analysts expect {subject} to keep growing next quarter."),
        ],
        format="draft",
    )


pytestmark = pytest.mark.usefixtures("fresh_process_caches")


def store_unranked(tag: str, count: int) -> list[int]:
    """Store stories without running their refinement (as a worker finds them queued)."""
    with override_settings(TICKERWIRE_ENRICH=False):
        return [do_ingest_draft(race_story(n, tag), source_name="race-wire").article_id for n in range(count)]


def run_at_once(article_ids: list[int], monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Run do_embed_and_relate for each id in its own thread and connection, all released together.

    Each run also waits (up to a second) for the others once it has read its window, so without a lock the
    runs write their lists side by side; under the related lock the later one waits for the first instead.
    """
    barrier = threading.Barrier(len(article_ids))
    inside = threading.Barrier(len(article_ids))
    results: list[object] = [None] * len(article_ids)
    load_window = enrich.load_window

    def meeting_load_window(*args: object, **kwargs: object) -> object:
        window = load_window(*args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            inside.wait(timeout=1)
        return window

    monkeypatch.setattr(enrich, "load_window", meeting_load_window)

    def work(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = do_embed_and_relate(article_ids[index])
        except Exception as exc:  # surfaced by the assertions
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(article_ids))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def lists_of(ids: list[int]) -> dict[int, list[int]]:
    rows = RelatedArticle.objects.filter(article_id__in=ids).order_by("article_id", "-score", "related_id")
    found: dict[int, list[int]] = {pk: [] for pk in ids}
    for article_id, related_id in rows.values_list("article_id", "related_id"):
        found[article_id].append(related_id)
    return found


def assert_well_formed(ids: list[int]) -> None:
    for article_id, related in lists_of(ids).items():
        assert len(related) == len(set(related)) <= DEFAULT_K, (article_id, related)
        assert article_id not in related


@needs_server_database
@pytest.mark.django_db(transaction=True)
def test_one_story_ranked_twice_at_once_fails_neither_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """A re-queued task running beside its first run: both succeed, the story has one list."""
    ids = store_unranked("twice", 6)
    for article_id in ids:
        results = run_at_once([article_id, article_id], monkeypatch)
        assert all(not isinstance(r, Exception) for r in results), [repr(r) for r in results]
        assert results[0] == results[1]
    assert_well_formed(ids)
    assert all(lists_of(ids)[pk] for pk in ids[1:])


@needs_server_database
@pytest.mark.django_db(transaction=True)
def test_new_stories_ranking_each_other_at_once_fail_neither_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two stories ranked at once whose lists take each other, and whose refresh adds each to the other's list."""
    ids = store_unranked("pair", 8)
    # The second round re-runs tasks of stories already embedded: each sees the other in its window.
    for _round in range(2):
        for first, second in zip(ids[::2], ids[1::2], strict=True):
            results = run_at_once([first, second], monkeypatch)
            assert all(not isinstance(r, Exception) for r in results), [repr(r) for r in results]
    assert_well_formed(ids)


@pytest.mark.django_db
def test_ranking_a_story_again_leaves_the_same_lists() -> None:
    """The task is idempotent: running a story's ranking a second time (a retried task) changes no list."""
    ids = store_unranked("again", 6)
    for article_id in ids:
        first = do_embed_and_relate(article_id)
        before = lists_of(ids)
        assert do_embed_and_relate(article_id) == first
        assert lists_of(ids) == before
    assert Article.objects.filter(pk__in=ids, embedding__isnull=False).count() == len(ids)
    assert_well_formed(ids)
