"""Act on wire withdraw and kill notices: find the story a notice names and take it down, recorded once.

Ingest hands every draft that :func:`tickerwire.core.notices.withdraw_notice` recognises here instead of
storing it as a story. The named story is found by ingestion's identity rules: the same key (a notice sent
under the original's URI or guid), else the headline it names, compared as keys compare headlines
(:func:`~tickerwire.core.draft.normalise_for_key`: no revision prefix, case or punctuation), newest first.
Only the notice's own source's stories are candidates: a source takes down only its own stories, as it
revises only its own (:func:`tickerwire.articles.actions.ingest.own_story_key`). The withdrawal and the
:class:`WireNotice` row are one transaction, so the story is down (and its pages purged after commit) when
the ingest call returns.

A notice that names no story we hold is recorded ``unmatched`` and waits ``TICKERWIRE_NOTICE_WAIT_HOURS``:
a new story of the notice's own source that it names (by key or by headline) is stored already withdrawn,
never public, and the notice is marked ``withdrew_on_arrival`` (:func:`waiting_notice_for`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from tickerwire.articles.actions.status import set_status_in_transaction
from tickerwire.articles.models import Article, Source, WireNotice
from tickerwire.core.draft import normalise_for_key
from tickerwire.core.notices import WithdrawNotice

# Stories read to compare normalised headlines when no headline matches exactly (newest first).
HEADLINE_CANDIDATES = 500


@dataclass(frozen=True)
class NoticeResult:
    """What a notice did: its row, the story it named (if any) and whether this call recorded it."""

    notice: WireNotice
    recorded: bool


def do_apply_withdraw_notice(
    notice: WithdrawNotice,
    *,
    key: str,
    headline: str,
    source_name: str,
    raw_sha256: str = "",
    alias: str = DEFAULT_DB_ALIAS,
) -> NoticeResult:
    """Withdraw the story a notice names and record the notice; a notice already recorded changes nothing."""
    with transaction.atomic(using=alias, durable=True):
        seen = WireNotice.objects.using(alias).filter(key=key).first()
        if seen is not None:
            return NoticeResult(seen, recorded=False)
        target, matched_by = find_named_story(notice, key=key, source_name=source_name, alias=alias)
        action, now, acted_at = WireNotice.Action.UNMATCHED, timezone.now(), None
        if target is not None:
            if target.status == Article.Status.WITHDRAWN:
                action = WireNotice.Action.ALREADY
            else:
                set_status_in_transaction(target.pk, Article.Status.WITHDRAWN, alias=alias)
                action, acted_at = WireNotice.Action.WITHDREW, now
        row = WireNotice.objects.using(alias).create(
            key=key, kind=notice.kind, headline=headline, named=list(notice.named_headlines),
            source_name=source_name, article=target, matched_by=matched_by, action=action,
            raw_sha256=raw_sha256, received_at=now, acted_at=acted_at,
        )
    return NoticeResult(row, recorded=True)


def find_named_story(
    notice: WithdrawNotice, *, key: str, source_name: str, alias: str = DEFAULT_DB_ALIAS
) -> tuple[Article | None, str]:
    """Return the notice's source's story it names and how it was found (``key`` or ``headline``), or ``(None, "")``."""
    source_id = Source.objects.using(alias).filter(name=source_name).values_list("id", flat=True).first()
    if source_id is None:
        return None, ""
    by_key = Article.objects.using(alias).filter(key=key, source_id=source_id).first()
    if by_key is not None:
        return by_key, "key"
    for name in notice.named_headlines:
        wanted = normalise_for_key(name)
        if not wanted:
            continue
        found = _by_headline(name, wanted, source_id, alias)
        if found:
            found.sort(key=lambda a: (a.status != Article.Status.WITHDRAWN, a.published_at), reverse=True)
            return found[0], "headline"
    return None, ""


def _by_headline(name: str, wanted: str, source_id: int, alias: str) -> list[Article]:
    """Return the source's stories whose headline normalises to ``wanted`` (exact text first, then a word search)."""
    own = Article.objects.using(alias).filter(source_id=source_id)
    exact = list(own.filter(headline__iexact=name.strip()))
    if exact:
        return exact
    longest = max(wanted.split(), key=len)
    candidates = (
        own.filter(headline__icontains=longest).order_by("-published_at")
        .only("id", "headline", "status", "source_id", "published_at")[:HEADLINE_CANDIDATES]
    )
    return [article for article in candidates if normalise_for_key(article.headline) == wanted]


def waiting_notice_for(
    key: str, headline: str, source_name: str, *, alias: str = DEFAULT_DB_ALIAS
) -> tuple[WireNotice, str] | None:
    """Return a recent unmatched notice that names a story arriving now, and how (``key`` or ``headline``).

    Only a notice from the story's own source counts, by key or by headline: a source takes down only its
    own stories, as it revises only its own. Ingest calls this for each new story (one indexed query).
    """
    since = timezone.now() - timedelta(hours=settings.TICKERWIRE_NOTICE_WAIT_HOURS)
    if not _any_waiting(source_name, since, alias):  # the common case: one prepared statement, no ORM compile
        return None
    waiting = WireNotice.objects.using(alias).filter(action=WireNotice.Action.UNMATCHED, received_at__gte=since)
    wanted = normalise_for_key(headline)
    for notice in waiting.filter(source_name=source_name).order_by("received_at", "id"):
        if notice.key == key:
            return notice, "key"
        if wanted and any(normalise_for_key(name) == wanted for name in notice.named):
            return notice, "headline"
    return None


_ANY_WAITING_SQL: dict[str, str] = {}


def _any_waiting(source_name: str, since: datetime, alias: str) -> bool:
    """Return whether the source has any unmatched notice received since ``since`` (built once per vendor)."""
    connection = connections[alias]
    sql = _ANY_WAITING_SQL.get(connection.vendor)
    if sql is None:
        quote, meta = connection.ops.quote_name, WireNotice._meta
        action, source, received = (quote(meta.get_field(name).column) for name in ("action", "source_name",
                                                                                   "received_at"))
        sql = (f"SELECT 1 FROM {quote(meta.db_table)} WHERE {action} = %s AND {source} = %s AND {received} >= %s"
               " LIMIT 1")
        _ANY_WAITING_SQL[connection.vendor] = sql
    with connection.cursor() as cursor:
        cursor.execute(sql, [str(WireNotice.Action.UNMATCHED), source_name,
                             connection.ops.adapt_datetimefield_value(since)])
        return cursor.fetchone() is not None


def mark_withdrawn_on_arrival(notice: WireNotice, article_id: int, matched_by: str, *, alias: str) -> None:
    """Record that a waiting notice took down the story it named as that story arrived (in ingest's transaction)."""
    notice.action, notice.article_id, notice.matched_by = WireNotice.Action.ON_ARRIVAL, article_id, matched_by
    notice.acted_at = timezone.now()
    notice.save(using=alias, update_fields=["action", "article", "matched_by", "acted_at"])
