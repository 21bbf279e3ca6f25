"""Background tasks of the store (django-tasks: in-process by default, a database queue for workers).

The embedding model is cheaper per story over a batch than one story at a time, so the embedding tasks run
in batches where they can: a ``tickerwire ingest`` run (in-process tasks) collects the stories it stores
and refines them :data:`EMBED_BATCH` at a time (:func:`refinement_batches`), and a worker that takes an
embedding task from the database queue claims the next queued ones with it and runs them as one batch.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from contextvars import ContextVar

from django_tasks import TaskContext, task

from tickerwire.articles.actions.enrich import do_embed_and_relate_many, enrichment_enabled
from tickerwire.articles.events import StoryEvent

logger = logging.getLogger(__name__)

# Stories embedded per model call (OnnxMiniLM's batch size): ingest runs and workers refine this many at once.
EMBED_BATCH = 32

# The ids an ingest run has stored and not yet refined, while :func:`refinement_batches` is active.
_pending: ContextVar[list[int] | None] = ContextVar("tickerwire_pending_refinement", default=None)


@task(takes_context=True)
def embed_and_relate(context: TaskContext, article_id: int) -> list[int]:
    """Embed a stored article and rank its related stories; return the related ids.

    In a worker, the next queued embedding tasks are claimed with this one and embedded in the same model
    call (each still marked done or failed on its own; a killed worker's claims are queued again by the pool).
    """
    siblings = _claim_queued_siblings(context, EMBED_BATCH - 1)
    if not siblings:
        return do_embed_and_relate_many([article_id]).get(article_id, [])
    ids = [article_id, *(_article_id_of(row) for row in siblings)]
    failures: dict[int, Exception] = {}
    try:
        related = do_embed_and_relate_many(ids, failures=failures)
    except BaseException as exc:  # the whole batch failed (the database went away): so did each sibling
        _fail_siblings(siblings, exc)
        raise
    for row, sibling_id in zip(siblings, ids[1:], strict=True):
        if sibling_id in failures and sibling_id != article_id:
            row.set_failed(failures[sibling_id])
        else:
            row.set_successful(related.get(sibling_id, []))
    if article_id in failures:
        raise failures[article_id]
    return related.get(article_id, [])


@task()
def embed_and_relate_batch(article_ids: list[int]) -> dict[str, list[int]]:
    """Embed several stored articles in one model call and rank each one's related stories, in order."""
    return {str(pk): ids for pk, ids in do_embed_and_relate_many(article_ids).items()}


def _fail_siblings(siblings: list, exc: BaseException) -> None:  # noqa: ANN401 - DBTaskResult rows
    """Mark claimed siblings failed with the batch's error, so none stays RUNNING under a live worker.

    A failure from a database outage is queued again by the pool (``requeue_failed_in_outage``); if the
    database cannot even take the mark, the worker dies on it and the pool queues its claims again.
    """
    for row in siblings:
        row.set_failed(exc)


def _article_id_of(row: object) -> int:
    args_kwargs = row.args_kwargs  # type: ignore[attr-defined]
    return int(args_kwargs["args"][0] if args_kwargs.get("args") else args_kwargs["kwargs"]["article_id"])


def _claim_queued_siblings(context: TaskContext, limit: int) -> list:  # noqa: ANN401 - DBTaskResult rows
    """Claim up to ``limit`` more queued embedding tasks for this worker (database queue only)."""
    from django_tasks_db.backend import DatabaseBackend

    backend = embed_and_relate.get_backend()
    worker_ids = context.task_result.worker_ids
    if limit < 1 or not isinstance(backend, DatabaseBackend) or not worker_ids:
        return []
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    queued = DBTaskResult.objects.ready().filter(
        backend_name=backend.alias, queue_name=embed_and_relate.queue_name, task_path=embed_and_relate.module_path
    )
    with exclusive_transaction(queued.db):
        rows = list(queued.select_for_update(skip_locked=True)[:limit])
        for row in rows:
            row.claim(worker_ids[-1])
    return rows


def queue_refinement(event: StoryEvent) -> None:
    """Queue the embedding and related ranking of a stored or revised story (the ``articles.refine`` consumer).

    Inside :func:`refinement_batches` the ids are collected and refined in batches instead.
    """
    if not enrichment_enabled():
        return
    pending = _pending.get()
    if pending is not None:
        pending.extend(event.article_ids)
        if len(pending) >= EMBED_BATCH:
            _flush(pending)
        return
    for article_id in event.article_ids:
        embed_and_relate.enqueue(article_id)


def _flush(pending: list[int]) -> None:
    ids = list(dict.fromkeys(pending))
    pending.clear()
    if ids:
        embed_and_relate_batch.enqueue(ids)


@contextlib.contextmanager
def refinement_batches() -> Iterator[None]:
    """Refine the stories stored in the block :data:`EMBED_BATCH` at a time, and the rest at its end.

    For a run that stores many stories in one process (``tickerwire ingest``) with in-process tasks: each
    batch is embedded in one model call and ranked story by story in the order stored, which gives the same
    vectors and related lists as refining each after its commit. With a database queue it changes nothing
    (workers batch the queued tasks themselves). A run killed mid-batch leaves at most a batch of stories
    unrefined (``tickerwire related KEY --refresh`` ranks one).
    """
    from django_tasks.backends.immediate import ImmediateBackend

    if _pending.get() is not None or not isinstance(embed_and_relate_batch.get_backend(), ImmediateBackend):
        yield
        return
    pending: list[int] = []
    token = _pending.set(pending)
    try:
        yield
    except Exception:
        _pending.reset(token)
        _flush_after_error(pending)
        raise
    except BaseException:  # interrupted: stop now (the stored stories are ranked by a later refresh)
        _pending.reset(token)
        raise
    _pending.reset(token)
    _flush(pending)


def _flush_after_error(pending: list[int]) -> None:
    """Refine what was stored before the block failed, without hiding its error."""
    try:
        _flush(pending)
    except Exception:
        logger.exception("refining the last %d stored stories failed", len(pending))
