"""Nothing is lost: bad input and failed stores go to the quarantine whole, and can be retried."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from tests.articles.story_factory import drafts_jsonl, generated_draft
from tickerwire.articles import events
from tickerwire.articles.actions.ingest import IngestOutcome, do_retry_quarantine, ingest_bytes
from tickerwire.articles.actions.quarantine import do_quarantine
from tickerwire.articles.models import Article, Quarantine
from tickerwire.ingest import ParseError, parse_bytes

pytestmark = pytest.mark.django_db

BAD_LINE = b'{"headline": 42, "body": "not a list"}\n'


def test_bad_item_is_quarantined_with_the_whole_input_and_others_are_stored() -> None:
    """One malformed line of a draft file is quarantined (raw bytes intact, item index); the rest store."""
    data = drafts_jsonl([generated_draft(1)]) + BAD_LINE + drafts_jsonl([generated_draft(2)])
    results = ingest_bytes(data, fmt="draft", source_name="w", path="in/stories.jsonl")
    assert [type(r).__name__ for r in results] == ["IngestOutcome", "Quarantine", "IngestOutcome"]
    quarantine = Quarantine.objects.get()
    assert bytes(quarantine.raw) == data
    assert quarantine.item_index == 1
    assert quarantine.path == "in/stories.jsonl"
    assert quarantine.format == "draft"
    assert "headline" in quarantine.reason
    assert quarantine.status == Quarantine.Status.PENDING
    assert Article.objects.count() == 2


def test_unparseable_input_is_quarantined_whole() -> None:
    """Input that is not a draft file at all is one quarantine row with no item index."""
    data = b"\x00\x01 this is not JSON \xff"
    [result] = ingest_bytes(data, fmt="draft", source_name="w", path="junk.bin")
    assert isinstance(result, Quarantine)
    assert result.item_index is None
    assert bytes(result.raw) == data
    with pytest.raises(ParseError) as parse_error:
        parse_bytes(data, "draft")
    assert result.reason == parse_error.value.reason


def test_same_bytes_again_bump_attempts_instead_of_adding_a_row() -> None:
    """Re-quarantining identical bytes and item keeps one row, counts attempts and keeps the new reason."""
    first = do_quarantine(b"junk", "first reason", path="a", source_name="w", fmt="wire", item_index=None)
    again = do_quarantine(b"junk", "second reason", path="a", source_name="w", fmt="wire", item_index=None)
    other_item = do_quarantine(b"junk", "item", path="a", source_name="w", fmt="wire", item_index=3)
    assert again.pk == first.pk
    assert (again.attempts, again.reason) == (2, "second reason")
    assert other_item.pk != first.pk
    assert Quarantine.objects.count() == 2


def test_retry_of_input_the_current_parsers_read_resolves_it() -> None:
    """Bytes an older parser rejected are re-parsed on retry, stored, and the row marked resolved."""
    data = drafts_jsonl([generated_draft(3)])
    quarantine = do_quarantine(data, "old parser: no headline", path="p", source_name="w", fmt="draft",
                               item_index=None)
    [outcome] = do_retry_quarantine(quarantine.pk)
    assert isinstance(outcome, IngestOutcome)
    assert outcome.status == "new"
    quarantine.refresh_from_db()
    assert quarantine.status == Quarantine.Status.RESOLVED
    assert Article.objects.get().key == generated_draft(3).key


def test_retry_that_still_fails_counts_an_attempt_and_keeps_the_row_pending() -> None:
    """A retry of an item that still does not parse bumps attempts and records the current reason."""
    data = drafts_jsonl([generated_draft(4)]) + BAD_LINE
    ingest_bytes(data, fmt="draft", source_name="w", path="p")
    quarantine = Quarantine.objects.get()
    quarantine.reason = "stale reason"
    quarantine.save(update_fields=["reason"])
    [result] = do_retry_quarantine(quarantine.pk)
    assert isinstance(result, Quarantine) and result.pk == quarantine.pk
    quarantine.refresh_from_db()
    assert (quarantine.attempts, quarantine.status) == (2, Quarantine.Status.PENDING)
    assert "headline" in quarantine.reason
    assert Article.objects.count() == 1


def test_story_that_fails_to_store_is_quarantined_then_retried() -> None:
    """A store error (here a failing search index) quarantines the story; a retry stores it."""

    def broken(event: object) -> None:
        raise RuntimeError("search index unavailable")

    data = drafts_jsonl([generated_draft(5), generated_draft(6)])
    with events.replaced("search.index", broken):
        results = ingest_bytes(data, fmt="draft", source_name="w", path="p")
    assert all(isinstance(r, Quarantine) for r in results)
    assert [r.item_index for r in results] == [0, 1]
    assert "store failed: RuntimeError: search index unavailable" in results[0].reason
    assert not Article.objects.exists()

    retried = do_retry_quarantine(results[1].pk)
    assert [r.status for r in retried] == ["new"]  # type: ignore[union-attr]
    assert Article.objects.get().key == generated_draft(6).key
    assert Quarantine.objects.get(pk=results[1].pk).status == Quarantine.Status.RESOLVED
    assert Quarantine.objects.get(pk=results[0].pk).status == Quarantine.Status.PENDING


def test_retry_of_unknown_id_raises_does_not_exist() -> None:
    """Asking to retry a quarantine id that does not exist is a clear DoesNotExist."""
    with pytest.raises(Quarantine.DoesNotExist):
        do_retry_quarantine(987654)


def test_whole_input_retry_quarantines_failing_items_separately() -> None:
    """A whole input that now parses resolves; its bad items get their own rows."""
    data = drafts_jsonl([generated_draft(7)]) + BAD_LINE
    quarantine = do_quarantine(data, "old parser crashed", path="p", source_name="w", fmt="draft",
                               item_index=None)
    results = do_retry_quarantine(quarantine.pk)
    assert [type(r).__name__ for r in results] == ["IngestOutcome", "Quarantine"]
    assert results[1].item_index == 1  # type: ignore[union-attr]
    quarantine.refresh_from_db()
    assert quarantine.status == Quarantine.Status.RESOLVED
    assert json.loads(data.splitlines()[0])["headline"] == Article.objects.get().headline


def test_retry_records_who_retried_and_refuses_another_sources_story() -> None:
    """A retried input's revisions name who retried it; an input naming another source's story stays pending."""
    data = drafts_jsonl([generated_draft(1)])
    row = do_quarantine(data, "store failed: test", path="in.jsonl", source_name="Retry Wire", fmt="draft",
                        item_index=None)
    [outcome] = do_retry_quarantine(row.pk, made_by="cli:operator")
    assert isinstance(outcome, IngestOutcome)
    assert Article.objects.get(pk=outcome.article_id).revisions.get().made_by == "cli:operator"

    owned = replace(generated_draft(2), uri="urn:test:owned")
    ingest_bytes(drafts_jsonl([owned]), fmt="draft", source_name="Owner Wire", path="owner.jsonl")
    claim = do_quarantine(drafts_jsonl([replace(owned, headline="Rewritten")]), "store failed: test",
                          path="claim.jsonl", source_name="Retry Wire", fmt="draft", item_index=None)
    [still] = do_retry_quarantine(claim.pk)
    assert isinstance(still, Quarantine) and still.pk == claim.pk and still.status == Quarantine.Status.PENDING
    assert "belongs to another source" in still.reason
    assert Article.objects.get(uri="urn:test:owned").headline == owned.headline
