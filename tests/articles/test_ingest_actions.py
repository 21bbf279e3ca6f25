"""Storing stories: identity, revisions, timestamps and the story events."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import override_settings

from tests.articles.story_factory import generated_draft
from tickerwire.articles import events
from tickerwire.articles.actions.ingest import do_ingest_draft, parse_published
from tickerwire.articles.events import StoryEvent, StoryEventName
from tickerwire.articles.models import Article, Revision, Section, Source
from tickerwire.core.draft import Block

pytestmark = pytest.mark.django_db


def test_new_story_is_stored_with_one_revision_holding_the_draft() -> None:
    """A first ingest creates the article, its source and revision 1 with the full draft JSON."""
    draft = generated_draft(1)
    outcome = do_ingest_draft(draft, source_name="sample-wire", raw=b"raw input")
    assert (outcome.status, outcome.revision_number, outcome.key) == ("new", 1, draft.key)
    article = Article.objects.get(pk=outcome.article_id)
    assert article.headline == draft.headline
    assert article.source.name == "sample-wire"
    assert article.body == draft.to_json()["body"]
    assert article.content_hash == draft.content_hash()
    assert article.primary_section == Section.objects.get(name="Business")
    revision = article.revisions.get()
    assert revision.number == 1
    assert revision.draft == draft.to_json()
    assert len(revision.raw_sha256) == 64


def test_same_story_twice_changes_nothing() -> None:
    """Re-ingesting identical content reports unchanged and writes no revision."""
    first = do_ingest_draft(generated_draft(2), source_name="sample-wire")
    again = do_ingest_draft(generated_draft(2), source_name="sample-wire")
    assert again.status == "unchanged"
    assert again.article_id == first.article_id
    assert Revision.objects.count() == 1


def test_thousand_stories_twice_then_one_body_change_makes_exactly_one_revision() -> None:
    """1,000 stories ingested twice are 1,000 articles with 1 revision each; one changed body adds one."""
    for _round in range(2):
        statuses = {do_ingest_draft(generated_draft(n), source_name="sample-wire").status for n in range(1000)}
        assert statuses == ({"new"} if _round == 0 else {"unchanged"})
    assert Article.objects.count() == 1000
    assert Revision.objects.count() == 1000
    assert Source.objects.filter(name="sample-wire").count() == 1

    changed = generated_draft(500, extra=" Shares rose.")
    assert changed.key == generated_draft(500).key
    outcome = do_ingest_draft(changed, source_name="sample-wire")
    assert (outcome.status, outcome.revision_number) == ("revised", 2)
    assert Revision.objects.count() == 1001
    article = Article.objects.get(pk=outcome.article_id)
    assert article.revision_count == 2
    assert article.body[-1]["text"].endswith("Shares rose.")
    history = list(article.revisions.order_by("number").values_list("number", "draft"))
    assert [number for number, _ in history] == [1, 2]
    assert history[0][1]["body"] == generated_draft(500).to_json()["body"]
    assert history[1][1]["body"] == changed.to_json()["body"]


def test_headline_change_of_uri_keyed_story_is_a_revision() -> None:
    """A story keyed by its URI keeps its article when the headline changes, with a new revision."""
    first = do_ingest_draft(generated_draft(3, uri="urn:sample:3"), source_name="sample-wire")
    changed = generated_draft(3, uri="urn:sample:3")
    changed.headline = "Orbis Widgets corrects its quarter figures"
    changed.revision_marker = "CORRECTED"
    outcome = do_ingest_draft(changed, source_name="sample-wire")
    assert outcome.key == "uri:urn:sample:3"
    assert (outcome.status, outcome.article_id, outcome.revision_number) == ("revised", first.article_id, 2)
    article = Article.objects.get(pk=first.article_id)
    assert article.headline == "Orbis Widgets corrects its quarter figures"
    assert article.revision_marker == "CORRECTED"
    assert article.slug == Article.objects.get(pk=first.article_id).slug  # the URL stays stable
    assert list(article.revisions.values_list("revision_marker", flat=True)) == ["", "CORRECTED"]


def test_zoneless_published_time_is_read_in_source_zone_and_kept_as_text(settings) -> None:
    """A published time without a zone is read in TICKERWIRE_SOURCE_TZ and stored as UTC."""
    settings.TICKERWIRE_SOURCE_TZ = "America/New_York"
    draft = generated_draft(4)
    draft.published = "2026-03-05T09:30:00"
    article = Article.objects.get(pk=do_ingest_draft(draft, source_name="w").article_id)
    assert article.published_at == datetime(2026, 3, 5, 14, 30, tzinfo=UTC)
    assert article.published_text == "2026-03-05T09:30:00"
    assert article.updated_at == article.published_at


def test_published_time_with_zone_is_converted_to_utc() -> None:
    """An explicit offset wins over the source zone."""
    assert parse_published("2026-03-05T09:30:00+02:00", UTC) == datetime(2026, 3, 5, 7, 30, tzinfo=UTC)
    assert parse_published("2026-03-05T09:30:00Z", UTC) == datetime(2026, 3, 5, 9, 30, tzinfo=UTC)
    assert parse_published("Thursday morning", UTC) is None
    assert parse_published(None, UTC) is None


def test_story_without_published_time_gets_ingest_time_and_revision_moves_updated_at() -> None:
    """No published time nor dateline date means the ingest time; a revision sets updated_at to its own time."""
    draft = generated_draft(5)
    draft.published = None
    draft.dateline = None
    before = datetime.now(UTC)
    article = Article.objects.get(pk=do_ingest_draft(draft, source_name="w").article_id)
    assert before <= article.published_at <= datetime.now(UTC)
    assert (article.published_text, article.published_basis) == ("", "received")

    draft.body.append(Block("paragraph", "A later paragraph."))
    do_ingest_draft(draft, source_name="w")
    article.refresh_from_db()
    latest = article.revisions.get(number=2)
    assert article.updated_at == latest.created_at
    assert article.updated_at >= article.published_at
    assert article.updated_at - before < timedelta(minutes=1)


def test_story_events_are_published_for_new_and_revised_but_not_unchanged() -> None:
    """Consumers (search index, purge, refinement) hear about new and revised stories only."""
    heard: list[tuple[StoryEventName, int, int]] = []

    def consumer(event: StoryEvent) -> None:
        revision = Revision.objects.get(pk=event.revision_id)
        heard.append((event.name, event.article_id, revision.number))

    with events.replaced("search.index", consumer):
        first = do_ingest_draft(generated_draft(6), source_name="w")
        do_ingest_draft(generated_draft(6), source_name="w")
        do_ingest_draft(generated_draft(6, extra=" More."), source_name="w")
    assert heard == [(StoryEventName.STORED, first.article_id, 1), (StoryEventName.REVISED, first.article_id, 2)]


def test_consumers_run_in_the_written_order_whatever_the_app_order() -> None:
    """The wiring names every consumer; within a phase they run in CONSUMER_ORDER."""
    assert events.consumers(events.Phase.IN_TRANSACTION, StoryEventName.STORED) == ["search.index"]
    assert events.consumers(events.Phase.AFTER_COMMIT, StoryEventName.STORED) == ["delivery.purge", "articles.refine",
                                                                                    "alerts.notify"]
    with pytest.raises(ValueError, match="CONSUMER_ORDER"):
        events.register("somebody.else", events.Phase.AFTER_COMMIT, {StoryEventName.STORED}, print)


def test_failing_in_transaction_consumer_rolls_the_story_back() -> None:
    """An index error undoes the whole story: no article, no revision, no half-written state."""

    def broken(event: StoryEvent) -> None:
        raise RuntimeError("index unavailable")

    with events.replaced("search.index", broken), pytest.raises(RuntimeError):
        do_ingest_draft(generated_draft(7), source_name="w")
    assert not Article.objects.exists()
    assert not Revision.objects.exists()


def test_overlong_uri_key_is_folded_to_fit() -> None:
    """A URI longer than the key column still stores, under a prefix plus a digest of the whole key."""
    long_uri = "https://example.invalid/" + "a" * 900
    first = do_ingest_draft(generated_draft(8, uri=long_uri), source_name="w")
    again = do_ingest_draft(generated_draft(8, uri=long_uri), source_name="w")
    assert len(first.key) <= 600
    assert again.status == "unchanged"


# SQLite's in-memory test database is shared between threads through shared cache, whose table locks
# fail at once instead of waiting; the file database used in production (and by the multi-process test in
# tests/cli/test_ingest_cli.py) serialises writers with BEGIN IMMEDIATE and busy_timeout instead.
needs_server_database = pytest.mark.skipif(
    connection.vendor == "sqlite", reason="threads cannot share SQLite's in-memory test database for writing"
)


def _ingest_concurrently(drafts: list, barrier_parties: int) -> list:
    """Run do_ingest_draft for each draft in its own thread, all released at once."""
    barrier = threading.Barrier(barrier_parties)
    results: list = [None] * len(drafts)

    def work(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = do_ingest_draft(drafts[index], source_name="race-wire")
        except Exception as exc:  # surfaced by the assertions below
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(drafts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@needs_server_database
@pytest.mark.django_db(transaction=True)
def test_concurrent_ingests_of_one_key_create_one_article() -> None:
    """Four writers storing the same new story at once make one article: one new, three unchanged."""
    results = _ingest_concurrently([generated_draft(9) for _ in range(4)], 4)
    assert all(not isinstance(r, Exception) for r in results), [repr(r) for r in results]
    assert sorted(r.status for r in results) == ["new", "unchanged", "unchanged", "unchanged"], results
    # Scoped to this story: committed tests share the database with whatever ran before them.
    assert Article.objects.filter(key=generated_draft(9).key).count() == 1
    assert Revision.objects.filter(article_id=results[0].article_id).count() == 1
    assert Source.objects.filter(name="race-wire").count() == 1


@needs_server_database
@pytest.mark.django_db(transaction=True)
def test_concurrent_revisions_of_one_key_get_distinct_numbers() -> None:
    """Three different versions stored at once become revisions 2, 3 and 4 of the one article."""
    do_ingest_draft(generated_draft(10), source_name="race-wire")
    versions = [generated_draft(10, extra=f" Version {n}.") for n in range(3)]
    results = _ingest_concurrently(versions, 3)
    assert all(not isinstance(r, Exception) for r in results), [repr(r) for r in results]
    assert sorted(r.revision_number for r in results) == [2, 3, 4], results
    assert {r.status for r in results} == {"revised"}
    article = Article.objects.get(key=generated_draft(10).key)
    assert article.revision_count == 4
    assert list(article.revisions.order_by("number").values_list("number", flat=True)) == [1, 2, 3, 4]


@pytest.mark.django_db
def test_resending_an_older_version_changes_nothing() -> None:
    """A feed replaying the original after its update is 'unchanged': no revision, newest stays current."""
    from tickerwire.articles.actions.ingest import do_ingest_draft
    from tickerwire.articles.models import Article, Revision
    from tickerwire.core.draft import ArticleDraft, Block

    original = ArticleDraft(headline="Orbis Widgets lifts outlook", uri="urn:test:replay",
                            body=[Block("paragraph", "Orbis Widgets raised its outlook.")])
    update = ArticleDraft(headline="Orbis Widgets lifts outlook", uri="urn:test:replay",
                          body=[Block("paragraph", "Orbis Widgets raised its outlook."),
                                Block("paragraph", "Shares rose 4%.")])
    assert do_ingest_draft(original, source_name="t").status == "new"
    assert do_ingest_draft(update, source_name="t").status == "revised"
    replay = do_ingest_draft(original, source_name="t")
    assert (replay.status, replay.revision_number) == ("unchanged", 2)
    assert Revision.objects.count() == 2
    assert len(Article.objects.get().body) == 2


@override_settings(TICKERWIRE_ENRICH=False)  # the insert alone: enrichment would fill figures and enrichment
def test_fast_insert_matches_save_and_yields_to_post_save_listeners() -> None:
    """The compiled INSERT fills what save() would (slug, created_at); a post_save listener gets save()."""
    from django.db.models.signals import post_save

    fast = Article.objects.get(pk=do_ingest_draft(generated_draft(11), source_name="w").article_id)
    saved: list[int] = []

    def listener(sender: type, instance: Article, created: bool, **kwargs: object) -> None:
        saved.append(instance.pk)

    post_save.connect(listener, sender=Article, dispatch_uid="test-post-save")
    try:
        slow_id = do_ingest_draft(generated_draft(12), source_name="w").article_id
    finally:
        post_save.disconnect(sender=Article, dispatch_uid="test-post-save")
    slow = Article.objects.get(pk=slow_id)
    assert saved == [slow_id]
    assert fast.slug == "quillfeather-mills-beats-forecasts-in-quarter-11"
    assert slow.slug == "bramblecote-energy-beats-forecasts-in-quarter-12"
    assert fast.created_at is not None and fast.status == Article.Status.PUBLISHED
    assert (fast.summary, fast.figures, fast.enrichment, fast.embedding) == ([], [], {}, None)
