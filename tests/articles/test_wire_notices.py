"""Wire withdraw and kill notices take the story they name down within the one ingest call, recorded once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from tests.site.test_visibility import HIDDEN_MARK, HIDDEN_WORD, public_answers
from tickerwire.articles.actions.ingest import IngestOutcome, do_ingest_draft, ingest_bytes
from tickerwire.articles.models import Article, WireNotice
from tickerwire.core.draft import ArticleDraft, Block
from tickerwire.core.notices import withdraw_notice

MARK = HIDDEN_MARK
HEADLINE = f"Orbis Widgets {HIDDEN_WORD} plant deal collapses at {MARK}"


def wire(headline: str, lead: str) -> bytes:
    """Return a short piece of wire copy written for these tests."""
    return (
        f"{headline}\n\nZENITH CITY, March 4 (Tickerwire Test Wire) - {lead}\n\n"
        "The company said talks with the buyer ended on Tuesday.\n"
    ).encode()


def ingest_wire(data: bytes, path: str = "wire.txt") -> IngestOutcome:
    with override_settings(TICKERWIRE_ENRICH=False):
        [result] = ingest_bytes(data, fmt="wire", source_name="Tickerwire Test Wire", path=path)
    assert isinstance(result, IngestOutcome), result
    return result


def stored(headline: str = HEADLINE) -> Article:
    outcome = ingest_wire(wire(headline, "Orbis Widgets (ORBW) said its plant deal fell through."))
    assert outcome.status == "new"
    return Article.objects.get(pk=outcome.article_id)


@pytest.mark.parametrize(("headline", "kind", "named"), [
    ("WITHDRAWN-Orbis Widgets plant deal collapses", "withdraw", "Orbis Widgets plant deal collapses"),
    ("KILL - Orbis Widgets plant deal collapses", "kill", "Orbis Widgets plant deal collapses"),
    ("MANDATORY KILL: Orbis Widgets plant deal collapses", "kill", "Orbis Widgets plant deal collapses"),
    ("Orbis Widgets plant deal collapses - WITHDRAWN", "withdraw", "Orbis Widgets plant deal collapses"),
    ("Orbis Widgets plant deal collapses (withdrawn)", "withdraw", "Orbis Widgets plant deal collapses"),
])
def test_notice_headlines_are_recognised(headline: str, kind: str, named: str) -> None:
    notice = withdraw_notice(ArticleDraft(headline=headline, body=[Block("paragraph", "x")]))
    assert notice is not None and notice.kind == kind and notice.named_headlines[0] == named


@pytest.mark.parametrize("headline", [
    "Orbis Widgets bid withdrawn after regulator objects", "Withdrawn: the quiet exit of a chief executive",
    "UPDATE 1-Orbis Widgets plant deal collapses", "Killer whales delay Orbis port works",
])
def test_news_about_withdrawals_is_not_a_notice(headline: str) -> None:
    assert withdraw_notice(ArticleDraft(headline=headline)) is None


def test_a_notice_names_its_story_in_the_body_too() -> None:
    draft = ArticleDraft(headline="WITHDRAWN-Advisory", body=[
        Block("paragraph", 'The story headlined "Orbis Widgets plant deal collapses" is withdrawn.')])
    notice = withdraw_notice(draft)
    assert notice is not None and notice.named_headlines == ("Advisory", "Orbis Widgets plant deal collapses")


@pytest.mark.django_db
def test_a_withdraw_notice_takes_the_named_story_down_everywhere_in_one_ingest_call(
    client: Client, django_capture_on_commit_callbacks: object
) -> None:
    """After the notice's one ingest call: 410 on its page and API, absent from every list, purged, recorded."""
    article = stored()
    assert MARK in client.get("/").content.decode()  # the home page is now in the page cache
    assert client.get(article.get_absolute_url()).status_code == 200
    assert MARK in client.get(f"/search?q={HIDDEN_WORD}").content.decode()  # control: search finds it
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        outcome = ingest_wire(wire(f"WITHDRAWN-{HEADLINE}", "The story was sent in error. There is no substitute."))
    assert (outcome.status, outcome.article_id) == ("notice", article.pk)
    article.refresh_from_db()
    assert article.status == Article.Status.WITHDRAWN
    page = client.get(article.get_absolute_url())
    assert page.status_code == 410 and "withdrawn" in page.content.decode() and MARK not in page.content.decode()
    api = client.get(f"/api/v1/articles/{article.pk}")
    assert api.status_code == 410 and api.json()["error"]["code"] == "withdrawn"
    assert MARK not in client.get("/").content.decode()  # purged: the cached home page was dropped
    answers = public_answers(client, article)
    assert [url for url, text in answers.items() if MARK in text] == []
    assert client.get(article.get_absolute_url()).status_code == 410
    [notice] = WireNotice.objects.all()
    assert (notice.article_id, notice.action, notice.matched_by, notice.kind) == (
        article.pk, WireNotice.Action.WITHDREW, "headline", "withdraw")
    assert not Article.objects.filter(headline__contains="WITHDRAWN").exists()  # not stored as a story


@pytest.mark.django_db
def test_a_second_notice_is_a_no_op(django_capture_on_commit_callbacks: object) -> None:
    """The same notice again records nothing; another notice for the withdrawn story changes nothing."""
    article = stored()
    notice = wire(f"KILL-{HEADLINE}", "Please kill the story. It was sent in error.")
    ingest_wire(notice)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # type: ignore[operator]
        again = ingest_wire(notice)
    assert again.status == "notice" and again.article_id == article.pk
    assert callbacks == []  # no status_changed event: nothing to purge
    assert WireNotice.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # type: ignore[operator]
        other = ingest_wire(wire(f"{HEADLINE} - WITHDRAWN", "A second desk sends the same withdrawal."))
    assert other.article_id == article.pk and callbacks == []
    assert list(WireNotice.objects.order_by("id").values_list("action", flat=True)) == ["withdrew", "already_withdrawn"]


@pytest.mark.django_db
def test_a_notice_sent_under_the_storys_uri_matches_by_key() -> None:
    """A feed item re-sent under the original's guid as a notice names it by key, whatever its headline."""
    body = [Block("paragraph", "ZENITH CITY (Test Wire) - Orbis Widgets said the plant deal fell through.")]
    from tickerwire.articles.actions.ingest import do_ingest_draft

    with override_settings(TICKERWIRE_ENRICH=False):
        first = do_ingest_draft(ArticleDraft(headline=HEADLINE, body=body, uri="urn:test:orbis-1"), source_name="T")
        outcome = do_ingest_draft(
            ArticleDraft(headline="WITHDRAWN-Orbis story", body=[Block("paragraph", "Withdrawn.")],
                         uri="urn:test:orbis-1"),
            source_name="T",
        )
    assert (outcome.status, outcome.article_id) == ("notice", first.article_id)
    assert WireNotice.objects.get().matched_by == "key"
    assert Article.objects.get(pk=first.article_id).status == Article.Status.WITHDRAWN


@pytest.mark.django_db
def test_a_notice_naming_no_story_we_hold_is_recorded_and_publishes_nothing() -> None:
    stored()
    outcome = ingest_wire(wire("WITHDRAWN-Quillfeather Mills shuts its mill", "The story is withdrawn."))
    assert (outcome.status, outcome.article_id) == ("notice", None)
    assert WireNotice.objects.get().action == WireNotice.Action.UNMATCHED
    assert Article.objects.get().status == Article.Status.PUBLISHED


@pytest.mark.django_db
def test_a_notice_takes_down_only_its_own_sources_story() -> None:
    """Another source's withdraw notice naming the story (by headline or by its key URN) changes nothing."""
    story = stored()
    notice = f"WITHDRAWN-{HEADLINE}\n\nZENITH CITY, March 4 (Other Wire) - The story is withdrawn.\n".encode()
    with override_settings(TICKERWIRE_ENRICH=False):
        [by_headline] = ingest_bytes(notice, fmt="wire", source_name="Other Wire", path="notice.txt")
    assert isinstance(by_headline, IngestOutcome) and by_headline.article_id is None
    draft = ArticleDraft(headline=f"KILL-{HEADLINE}", body=[Block("paragraph", "Kill the story.")],
                         uri=f"urn:tickerwire:key:{story.key}")
    assert do_ingest_draft(draft, source_name="Other Wire").article_id is None
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED
    assert list(WireNotice.objects.values_list("action", flat=True)) == ["unmatched", "unmatched"]


@pytest.mark.django_db
def test_a_notice_that_arrives_before_its_story_waits_and_the_story_arrives_withdrawn(client: Client) -> None:
    """Recorded unmatched first; the named story, arriving later, is stored withdrawn and never shown."""
    ingest_wire(wire(f"WITHDRAWN-{HEADLINE}", "The story is withdrawn. There is no substitute."))
    assert WireNotice.objects.get().action == WireNotice.Action.UNMATCHED  # nothing to act on yet
    outcome = ingest_wire(wire(HEADLINE, "Orbis Widgets (ORBW) said its plant deal fell through."))
    assert outcome.status == "new"
    article = Article.objects.get(pk=outcome.article_id)
    assert article.status == Article.Status.WITHDRAWN
    assert client.get(article.get_absolute_url()).status_code == 410
    answers = public_answers(client, article)
    assert [url for url, text in answers.items() if MARK in text] == []
    notice = WireNotice.objects.get()
    assert (notice.action, notice.article_id, notice.matched_by) == (
        WireNotice.Action.ON_ARRIVAL, article.pk, "headline")
    assert notice.acted_at is not None and notice.acted_at >= notice.received_at
    # Acted on once: the story's next revision keeps the status, an editor may still publish it.
    ingest_wire(wire(HEADLINE, "Orbis Widgets (ORBW) said its plant deal fell through on Tuesday."))
    assert Article.objects.get(pk=article.pk).status == Article.Status.WITHDRAWN
    assert WireNotice.objects.get().action == WireNotice.Action.ON_ARRIVAL


@pytest.mark.django_db
def test_a_waiting_notice_matches_its_own_sources_story_by_key_and_no_other_sources_by_headline() -> None:
    from tickerwire.articles.actions.ingest import do_ingest_draft

    body = [Block("paragraph", "ZENITH CITY (Test Wire) - Orbis Widgets said the plant deal fell through.")]
    with override_settings(TICKERWIRE_ENRICH=False):
        do_ingest_draft(ArticleDraft(headline="KILL-Orbis story", body=[Block("paragraph", "Kill it.")],
                                     uri="urn:test:orbis-2"), source_name="T")
        by_key = do_ingest_draft(ArticleDraft(headline=HEADLINE, body=body, uri="urn:test:orbis-2"), source_name="T")
        ingest_wire(wire("WITHDRAWN-Quillfeather Mills shuts its mill", "The story is withdrawn."))
        other_source = do_ingest_draft(
            ArticleDraft(headline="Quillfeather Mills shuts its mill", body=body), source_name="Another Wire")
        # A waiting notice of source T naming a key does not take down another source's story of that key.
        do_ingest_draft(ArticleDraft(headline="KILL-Orbis second story", body=[Block("paragraph", "Kill it.")],
                                     uri="urn:test:orbis-3"), source_name="T")
        other_by_key = do_ingest_draft(ArticleDraft(headline="Orbis plant deal, second take", body=body,
                                                    uri="urn:test:orbis-3"), source_name="Another Wire")
    assert Article.objects.get(pk=by_key.article_id).status == Article.Status.WITHDRAWN
    assert Article.objects.get(pk=other_source.article_id).status == Article.Status.PUBLISHED
    assert Article.objects.get(pk=other_by_key.article_id).status == Article.Status.PUBLISHED
    assert sorted(WireNotice.objects.values_list("action", "matched_by")) == [
        ("unmatched", ""), ("unmatched", ""), ("withdrew_on_arrival", "key")]


@pytest.mark.django_db
def test_a_notice_waits_only_so_long() -> None:
    ingest_wire(wire(f"WITHDRAWN-{HEADLINE}", "The story is withdrawn."))
    WireNotice.objects.update(received_at=timezone.now() - timedelta(hours=169))
    assert stored().status == Article.Status.PUBLISHED  # the default wait is a week (168 hours)
    assert WireNotice.objects.get().action == WireNotice.Action.UNMATCHED
