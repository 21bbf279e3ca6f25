"""Decide who is alerted of a story, and write those decisions as deliveries in one transaction.

The rules, for each follow the story matches:

- one alert per story cluster per follow (its first story); a revision or correction of the alerted story
  alerts again only when the follow opted in to updates, and a near-duplicate of the cluster never does;
- one message per reader and channel: a story matching two of a reader's email follows is one email (the
  other rows are ``merged`` into it), and a digest entry is merged into an email of the same story;
- at most ``TICKERWIRE_ALERTS_PER_HOUR`` immediate emails per reader per hour: the rest are ``rolled`` into
  the reader's next digest;
- only stories the public sees alert (:meth:`Article.is_visible`); a story withdrawn after its alert went to
  webhooks owes those webhooks a withdrawal notice.

Running the planner again for the same event finds the rows it wrote (the unique key) and adds nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from tickerwire.alerts.matching import Match, matched_follows
from tickerwire.alerts.models import Delivery, Follow
from tickerwire.articles.events import StoryEventName
from tickerwire.articles.models import Article

UPDATE_EVENTS = frozenset({StoryEventName.REVISED, StoryEventName.CORRECTED})
PLAN_ATTEMPTS = 3


@dataclass
class Plan:
    """What one planner run decided: the rows written and the ones to send now (email, webhook)."""

    matched: int = 0
    written: int = 0
    to_send: list[int] = field(default_factory=list)


def cluster_of(article: Article) -> str:
    """Return the story cluster an alert is keyed by (the story itself when it has none)."""
    return article.cluster_key or f"article:{article.pk}"


def plan_story_alerts(article_id: int, event: str, *, now: datetime | None = None) -> Plan:
    """Write the deliveries one story event owes; return the plan (see the module note for the rules)."""
    for attempt in range(1, PLAN_ATTEMPTS + 1):
        try:
            with transaction.atomic(durable=True):
                return _plan(article_id, event, now or timezone.now())
        except IntegrityError:
            # Another planner run for the same story committed first: read its rows and add only the rest.
            if attempt == PLAN_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def _plan(article_id: int, event: str, now: datetime) -> Plan:
    article = Article.objects.select_related("primary_section").filter(pk=article_id).first()
    if article is None:
        return Plan()
    if article.status == Article.Status.WITHDRAWN:
        return _plan_withdrawal(article, now)
    if not article.is_visible(now):
        return Plan()  # held or still embargoed: its status_changed event plans it when it is public
    follows = matched_follows(article)
    plan = Plan(matched=len(follows))
    if not follows:
        return plan
    cluster = cluster_of(article)
    alerted = {
        d.follow_id: d
        for d in Delivery.objects.filter(follow_id__in=[f.id for f in follows], cluster=cluster,
                                         kind=Delivery.Kind.ALERT)
    }
    owed: list[tuple[Match, str, int]] = []
    for follow in follows:
        prior = alerted.get(follow.pk)
        if prior is None:
            owed.append((follow, Delivery.Kind.ALERT, 0))
        elif (event in UPDATE_EVENTS and follow.include_updates and prior.article_id == article.pk
              and not Delivery.objects.filter(follow_id=follow.id, kind=Delivery.Kind.UPDATE, cluster=cluster,
                                              revision_number=article.revision_count).exists()):
            owed.append((follow, Delivery.Kind.UPDATE, article.revision_count))
    if owed:
        _write(article, cluster, owed, now, plan)
    return plan


def _recent_emails(user_ids: set[int], now: datetime) -> dict[int, int]:
    """Return how many immediate emails each reader was owed in the last hour (sent or on their way)."""
    rows = (
        Delivery.objects.filter(user_id__in=user_ids, channel=Follow.Channel.EMAIL,
                                created_at__gte=now - timedelta(hours=1),
                                state__in=(Delivery.State.PENDING, Delivery.State.SENDING, Delivery.State.SENT))
        .values("user_id").annotate(n=Count("id")).order_by()
    )
    return {row["user_id"]: row["n"] for row in rows}


def _write(article: Article, cluster: str, owed: list[tuple[Match, str, int]], now: datetime, plan: Plan) -> None:
    """Write one message row per reader and channel (webhooks: per follow) and merge the rest into it."""
    by_user: dict[int, list[tuple[Match, str, int]]] = defaultdict(list)
    for item in owed:
        by_user[item[0].user_id].append(item)
    email_users = {uid for uid, items in by_user.items() if any(f.channel == Follow.Channel.EMAIL for f, _, _ in items)}
    recent = _recent_emails(email_users, now) if email_users else {}
    limit = settings.TICKERWIRE_ALERTS_PER_HOUR

    def row(follow: Match, kind: str, revision: int, channel: str, **extra: object) -> Delivery:
        return Delivery(follow_id=follow.id, user_id=follow.user_id, kind=kind, channel=channel, cluster=cluster,
                        article=article, revision_number=revision, created_at=now, **extra)

    # A reader already told of this cluster (through another follow) is not told again: merged into that row.
    told = {
        (d.user_id, d.kind, d.revision_number): d
        for d in Delivery.objects.filter(user_id__in=set(by_user), cluster=cluster, merged_into__isnull=True,
                                         channel__in=(Follow.Channel.EMAIL, Follow.Channel.DIGEST))
        .exclude(state__in=(Delivery.State.CANCELLED, Delivery.State.FAILED))
    }
    heads: list[Delivery] = []
    merged: list[tuple[Delivery, int]] = []  # (row, index of its head in heads)
    late: list[Delivery] = []  # rows merged into a head an earlier run wrote
    for user_id, items in by_user.items():
        mail = [item for item in items if item[0].channel in (Follow.Channel.EMAIL, Follow.Channel.DIGEST)]
        for follow, kind, revision in items:
            if follow.channel == Follow.Channel.WEBHOOK:
                heads.append(row(follow, kind, revision, "webhook"))
        earlier = [item for item in mail if (user_id, item[1], item[2]) in told]
        for follow, kind, revision in earlier:
            late.append(row(follow, kind, revision, follow.channel, state=Delivery.State.MERGED,
                            merged_into=told[(user_id, kind, revision)]))
        mail = [item for item in mail if item not in earlier]
        if not mail:
            continue
        mail.sort(key=lambda item: (item[0].channel != Follow.Channel.EMAIL, item[0].pk))
        first, kind, revision = mail[0]
        channel, rolled = first.channel, False
        if channel == Follow.Channel.EMAIL and recent.get(user_id, 0) >= limit:
            channel, rolled = "digest", True
        heads.append(row(first, kind, revision, channel, rolled=rolled))
        head_index = len(heads) - 1
        for follow, other_kind, other_revision in mail[1:]:
            merged.append((row(follow, other_kind, other_revision, follow.channel, state=Delivery.State.MERGED),
                           head_index))
    Delivery.objects.bulk_create(heads)
    for item, head_index in merged:
        item.merged_into = heads[head_index]
    Delivery.objects.bulk_create([item for item, _ in merged] + late)
    plan.written = len(heads) + len(merged) + len(late)
    plan.to_send = [d.pk for d in heads if d.channel in (Follow.Channel.EMAIL, Follow.Channel.WEBHOOK)]


def _plan_withdrawal(article: Article, now: datetime) -> Plan:
    """Cancel the story's unsent alerts, and owe each webhook that was sent it a withdrawal notice."""
    Delivery.objects.filter(article=article, state=Delivery.State.PENDING).exclude(
        kind=Delivery.Kind.WITHDRAWAL).update(state=Delivery.State.CANCELLED, last_error="story withdrawn")
    sent = Delivery.objects.filter(
        article=article, channel=Follow.Channel.WEBHOOK, state=Delivery.State.SENT,
        kind__in=(Delivery.Kind.ALERT, Delivery.Kind.UPDATE),
    ).select_related("follow")
    follows = {d.follow_id: d for d in sent}
    noticed = set(Delivery.objects.filter(article=article, kind=Delivery.Kind.WITHDRAWAL).values_list(
        "follow_id", flat=True))
    notices = [
        Delivery(follow_id=d.follow_id, user_id=d.user_id, kind=Delivery.Kind.WITHDRAWAL,
                 channel=Follow.Channel.WEBHOOK, cluster=d.cluster, article=article, created_at=now)
        for follow_id, d in follows.items() if follow_id not in noticed
    ]
    Delivery.objects.bulk_create(notices)
    return Plan(matched=len(follows), written=len(notices), to_send=[d.pk for d in notices])
