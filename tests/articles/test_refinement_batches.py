"""Refinement in batches (an ingest run, a worker taking several queued tasks) gives what one story at a time gives."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from tests.articles.conftest import forget_process_caches
from tests.articles.test_related_race import race_story
from tickerwire.articles import tasks
from tickerwire.articles.actions import enrich
from tickerwire.articles.actions.ingest import do_ingest_draft
from tickerwire.articles.models import Article, RelatedArticle

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_process_caches")]

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMBED_TASK = "tickerwire.articles.tasks.embed_and_relate"


def work_one_task(worker_id: str = "test-host:1:0:1") -> None:
    """Claim the next queued task and run it as ``db_worker`` does (its loop would close the test's connection)."""
    from django.db import transaction
    from django_tasks_db.management.commands.db_worker import Worker

    with transaction.atomic():
        queued = DBTaskResult.objects.ready().filter(task_path=EMBED_TASK)  # ingest queues other tasks too
        row = queued.select_for_update(skip_locked=True).first()
        assert row is not None, "nothing queued"
        row.claim(worker_id)
    Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
           max_tasks=None, worker_id=worker_id, excluded_queue_names=[]).run_task(row)


def ingest_all(count: int, capture) -> list[int]:  # noqa: ANN001 - pytest-django's fixture
    """Ingest ``count`` stories, running what each commit triggers, as ``tickerwire ingest`` would."""
    ids = []
    for number in range(count):
        with capture(execute=True):
            ids.append(do_ingest_draft(race_story(number, "batch"), source_name="race-wire").article_id)
    return ids


def stored_by_key() -> dict[str, tuple[bytes, list[str]]]:
    """Return each article's embedding and related keys (best first), by story key: ids differ between stores."""
    keys = dict(Article.objects.values_list("id", "key"))
    related: dict[int, list[str]] = {pk: [] for pk in keys}
    for article_id, related_id in RelatedArticle.objects.order_by("article_id", "-score", "related_id").values_list(
        "article_id", "related_id"
    ):
        related[article_id].append(keys[related_id])
    embeddings = dict(Article.objects.values_list("id", "embedding"))
    return {keys[pk]: (bytes(embeddings[pk]), related[pk]) for pk in keys}


def test_an_ingest_run_refines_in_batches_as_story_by_story(django_capture_on_commit_callbacks, monkeypatch) -> None:
    """40 stories refined 16 at a time (and the last 8 at the end) get the vectors and lists they get one by one."""
    ingest_all(40, django_capture_on_commit_callbacks)
    one_by_one = stored_by_key()
    assert all(related for _vector, related in one_by_one.values())
    Article.objects.all().delete()
    forget_process_caches()
    batches: list[int] = []
    flush = tasks._flush
    monkeypatch.setattr(tasks, "EMBED_BATCH", 16)
    monkeypatch.setattr(tasks, "_flush", lambda pending: (batches.append(len(set(pending))), flush(pending)))
    with tasks.refinement_batches():
        ids = ingest_all(40, django_capture_on_commit_callbacks)
        assert Article.objects.filter(pk__in=ids, embedding__isnull=False).count() == 32  # two batches so far
    assert batches == [16, 16, 8]
    assert stored_by_key() == one_by_one


@override_settings(TASKS=DATABASE_TASKS)
def test_a_worker_claims_queued_embedding_tasks_and_runs_them_as_one_batch(
    django_capture_on_commit_callbacks, monkeypatch
) -> None:
    """One task taken from the queue runs with the next queued ones (up to the batch): all are done by it."""
    embedded: list[int] = []
    original = tasks.do_embed_and_relate_many

    def counting(ids, **kwargs):  # noqa: ANN001, ANN202
        embedded.append(len(ids))
        return original(ids, **kwargs)

    monkeypatch.setattr(tasks, "do_embed_and_relate_many", counting)
    monkeypatch.setattr(tasks, "EMBED_BATCH", 4)
    ids = ingest_all(6, django_capture_on_commit_callbacks)
    queued = DBTaskResult.objects.filter(task_path=EMBED_TASK)
    assert queued.filter(status="READY").count() == 6
    assert not Article.objects.filter(pk__in=ids, embedding__isnull=False).exists()
    work_one_task()
    assert embedded == [4]  # one task taken: it ran the next three queued with it
    assert queued.filter(status="SUCCESSFUL").count() == 4 and queued.filter(status="READY").count() == 2
    done = queued.filter(status="SUCCESSFUL")
    assert all(row.worker_ids for row in done)
    assert Article.objects.filter(pk__in=ids, embedding__isnull=False).count() == 4
    work_one_task()
    assert embedded == [4, 2]
    assert queued.filter(status="SUCCESSFUL").count() == 6
    assert all(RelatedArticle.objects.filter(article_id=pk).exists() for pk in ids[1:])


@override_settings(TASKS=DATABASE_TASKS)
def test_a_failing_story_in_a_worker_batch_fails_its_own_task_only(
    django_capture_on_commit_callbacks, monkeypatch
) -> None:
    """A sibling that cannot be stored is marked failed; the others in its batch succeed."""
    ids = ingest_all(3, django_capture_on_commit_callbacks)
    store = enrich._store_and_relate

    def failing(article, *args):  # noqa: ANN001, ANN202
        if article.pk == ids[1]:
            raise ValueError("cannot store this one")
        return store(article, *args)

    monkeypatch.setattr(enrich, "_store_and_relate", failing)
    work_one_task()
    rows = DBTaskResult.objects.filter(task_path=EMBED_TASK)
    by_article = {row.args_kwargs["args"][0]: row.status for row in rows}
    assert by_article == {ids[0]: "SUCCESSFUL", ids[1]: "FAILED", ids[2]: "SUCCESSFUL"}
    assert "cannot store this one" in rows.get(status="FAILED").traceback


@override_settings(TASKS=DATABASE_TASKS)
def test_a_worker_batch_that_fails_as_a_whole_leaves_no_sibling_running(
    django_capture_on_commit_callbacks, monkeypatch
) -> None:
    """The database going away under a batch fails every task of it (queued again after the outage), not one."""
    from django.db import OperationalError

    from tickerwire.ops.workers import requeue_failed_in_outage

    ingest_all(3, django_capture_on_commit_callbacks)

    def database_gone(ids, **kwargs):  # noqa: ANN001, ANN202
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(tasks, "do_embed_and_relate_many", database_gone)
    work_one_task()
    rows = DBTaskResult.objects.filter(task_path=EMBED_TASK)
    assert sorted(rows.values_list("status", flat=True)) == ["FAILED"] * 3
    assert requeue_failed_in_outage() == 3
    assert sorted(rows.values_list("status", flat=True)) == ["READY"] * 3
