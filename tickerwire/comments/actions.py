"""Every write to comments: post, edit, delete, like, report, and the community managers' moderation.

Each action runs in one transaction and checks its permission itself (views only translate requests):
readers edit and delete only their own comments; only community managers (:func:`may_moderate`) moderate.
Once a change that readers can see commits, the article's cached copies are purged
(:func:`tickerwire.delivery.purge.purge_story_pages`: page cache, nginx file, proxy) and the emails it
causes are queued (:mod:`tickerwire.comments.notifications`).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tickerwire.accounts import actions as accounts
from tickerwire.accounts.roles import is_community_manager
from tickerwire.articles.actions.discussion import note_discussion_changed
from tickerwire.articles.models import Article
from tickerwire.articles.selectors import Placement
from tickerwire.comments import notifications, rules
from tickerwire.comments.models import SHOWN, ClosedArticle, Comment, Like, LogEntry, Report, ReportReason, Status
from tickerwire.comments.text import clean_text
from tickerwire.delivery.purge import purge_story_pages


class CommentError(ValueError):
    """A request the action refuses, with the reason to show the reader."""


def may_moderate(user: Any) -> bool:
    """Return whether ``user`` is a community manager (or admin)."""
    return is_community_manager(user)


def _require_moderator(user: Any) -> None:
    if not may_moderate(user):
        raise PermissionDenied("moderating comments needs the community manager role")


def _require_reader(user: Any) -> None:
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied("sign in to comment")


def _purge_after_commit(article_id: int) -> None:
    """The article's public comment list changed: new page validators now, purged cached copies after commit."""
    note_discussion_changed(article_id)
    transaction.on_commit(lambda: purge_story_pages(Placement(article_id)))


def _log(actor: Any, action: str, *, comment: Comment | None = None, target: Any = None,
         article_id: int | None = None, reason: str = "") -> LogEntry:
    return LogEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None, action=action, comment=comment,
        target=target, article_id=article_id if article_id is not None else (comment.article_id if comment else None),
        reason=reason[:300],
    )


# ---- open or closed -----------------------------------------------------------------------------------


def parse_hours(spec: str) -> tuple[time, time] | None:
    """Read ``"22:00-06:00"`` (closing time, opening time); raise ValueError on anything else; "" is None."""
    if not spec.strip():
        return None
    try:
        start, end = (part.strip() for part in spec.split("-"))
        return time.fromisoformat(start), time.fromisoformat(end)
    except ValueError:
        raise ValueError(f"TICKERWIRE_COMMENTS_CLOSED_HOURS={spec!r} is not HH:MM-HH:MM, e.g. 22:00-06:00") from None


def site_closed_at(at: datetime) -> bool:
    """Return whether the site-wide schedule closes comments at ``at``."""
    hours = parse_hours(str(getattr(settings, "TICKERWIRE_COMMENTS_CLOSED_HOURS", "")))
    if hours is None:
        return False
    local = at.astimezone(ZoneInfo(str(getattr(settings, "TICKERWIRE_COMMENTS_TZ", "UTC")))).time()
    start, end = hours
    return start <= local < end if start <= end else (local >= start or local < end)


def closed_reason(article_id: int, at: datetime | None = None, *, editor_closed: bool | None = None) -> str:
    """Return why comments on the article are closed now ("" when open).

    ``editor_closed`` is whether an editor closed them, when the caller has already read it.
    """
    if editor_closed is None:
        editor_closed = ClosedArticle.objects.filter(article_id=article_id).exists()
    if editor_closed:
        return "Comments on this story are closed."
    if site_closed_at(at or timezone.now()):
        return f"Comments are closed overnight ({settings.TICKERWIRE_COMMENTS_CLOSED_HOURS} "\
               f"{settings.TICKERWIRE_COMMENTS_TZ}); they open again in the morning."
    return ""


# ---- readers ------------------------------------------------------------------------------------------


def _hash(text: str) -> str:
    return hashlib.sha256(rules.normalised(" ".join(text.split())).encode()).hexdigest()


def _checked_text(text: str) -> str:
    cleaned = clean_text(text)
    if not cleaned:
        raise CommentError("A comment needs some text.")
    most = int(settings.TICKERWIRE_COMMENTS_MAX_CHARS)
    if len(cleaned) > most:
        raise CommentError(f"A comment has at most {most} characters (this one has {len(cleaned)}).")
    return cleaned


def _apply_rules(comment: Comment, author: Any, *, exclude_self: bool) -> None:
    """Run the rules on ``comment.body`` and set its status, checks and reason."""
    since = timezone.now() - timedelta(hours=int(settings.TICKERWIRE_COMMENTS_REPEAT_HOURS))
    repeats = Comment.objects.filter(author=author, body_hash=comment.body_hash, created_at__gte=since).exclude(
        status=Status.DELETED)
    if exclude_self and comment.pk:
        repeats = repeats.exclude(pk=comment.pk)
    context = rules.Context(
        published_before=Comment.objects.filter(author=author, status=Status.PUBLISHED).exclude(pk=comment.pk).count(),
        is_staff=may_moderate(author), is_repeat=repeats.exists(),
    )
    outcome, comment.checks = rules.check(comment.body, context)
    if outcome == rules.REJECT:
        comment.status = Status.REJECTED
        comment.reject_reason = next(r["detail"] for r in comment.checks if r["outcome"] == rules.REJECT)
    elif outcome == rules.HOLD:
        comment.status = Status.PENDING
    else:
        comment.status = Status.PUBLISHED
        comment.published_at = comment.published_at or timezone.now()


@transaction.atomic
def post_comment(author: Any, article_id: int, text: str, parent_id: int | None = None,
                 ip: str | None = None) -> Comment:
    """Post a comment (or a reply to ``parent_id``) on a visible article, through the rules."""
    _require_reader(author)
    block = accounts.profile_of(author).posting_block()
    if block:
        raise CommentError(block)
    if not Article.objects.visible().filter(pk=article_id).exists():
        raise CommentError("There is no such story to comment on.")
    reason = closed_reason(article_id)
    if reason:
        raise CommentError(reason)
    body = _checked_text(text)
    parent = None
    if parent_id is not None:
        parent = Comment.objects.filter(SHOWN, pk=parent_id, article_id=article_id).first()
        if parent is None or parent.status != Status.PUBLISHED:
            raise CommentError("The comment you replied to is not there any more.")
    comment = Comment(article_id=article_id, author=author, parent=parent,
                      root_id=(parent.root_id or parent.pk) if parent else None,
                      depth=parent.depth + 1 if parent else 0,
                      body=body, body_hash=_hash(body), by_staff=may_moderate(author), ip=ip or None)
    _apply_rules(comment, author, exclude_self=False)
    comment.save()
    if comment.root_id is None:
        Comment.objects.filter(pk=comment.pk).update(root=comment.pk)
        comment.root_id = comment.pk
    _log(author, f"posted:{comment.status}", comment=comment,
         reason=comment.reject_reason or "; ".join(r["detail"] for r in comment.checks if r["outcome"] != "pass"))
    if comment.status == Status.PUBLISHED:
        _published(comment)
    elif comment.status == Status.REJECTED:
        notifications.queue("rejected", comment.pk)
    return comment


def _published(comment: Comment) -> None:
    """A comment readers can now see: purge the article's copies; tell the author replied to."""
    _purge_after_commit(comment.article_id)
    if comment.parent_id is not None:
        notifications.queue("reply", comment.pk)


def _own(author: Any, comment_id: int) -> Comment:
    _require_reader(author)
    comment = Comment.objects.select_for_update().filter(pk=comment_id).first()
    if comment is None:
        raise CommentError("There is no such comment.")
    if comment.author_id != author.pk:
        raise PermissionDenied("you can change only your own comments")
    if comment.status == Status.DELETED:
        raise CommentError("This comment was deleted.")
    return comment


def can_edit(comment: Comment, user: Any, at: datetime | None = None) -> bool:
    """Return whether ``user`` may still edit ``comment`` (its author, within the edit window)."""
    window = timedelta(seconds=int(settings.TICKERWIRE_COMMENTS_EDIT_SECONDS))
    return (bool(user.is_authenticated) and comment.author_id == user.pk
            and comment.status in (Status.PUBLISHED, Status.PENDING)
            and (at or timezone.now()) - comment.created_at <= window)


@transaction.atomic
def edit_comment(author: Any, comment_id: int, text: str) -> Comment:
    """Change one's own comment within the edit window; the rules run again on the new text."""
    comment = _own(author, comment_id)
    if not can_edit(comment, author):
        raise CommentError("Comments can be edited only in the first "
                           f"{int(settings.TICKERWIRE_COMMENTS_EDIT_SECONDS) // 60} minutes.")
    block = accounts.profile_of(author).posting_block()
    if block:
        raise CommentError(block)
    was_shown = comment.status == Status.PUBLISHED
    comment.body = _checked_text(text)
    comment.body_hash = _hash(comment.body)
    comment.edited_at = timezone.now()
    _apply_rules(comment, author, exclude_self=True)
    comment.save()
    _log(author, f"edited:{comment.status}", comment=comment, reason=comment.reject_reason)
    if was_shown or comment.status == Status.PUBLISHED:
        _purge_after_commit(comment.article_id)
    return comment


@transaction.atomic
def delete_comment(author: Any, comment_id: int) -> Comment:
    """Delete one's own comment; where replies are shown it leaves "comment removed" in its place."""
    comment = _own(author, comment_id)
    was_shown = comment.status == Status.PUBLISHED
    comment.keeps_place = Comment.objects.filter(SHOWN, parent=comment).exists()
    comment.status, comment.body, comment.is_featured = Status.DELETED, "", False
    comment.save(update_fields=["status", "body", "keeps_place", "is_featured"])
    _log(author, "deleted", comment=comment)
    if was_shown:
        _purge_after_commit(comment.article_id)
    return comment


@transaction.atomic
def set_like(user: Any, comment_id: int, liked: bool) -> int:
    """Like (or unlike) a published comment, once per reader; return its like count."""
    _require_reader(user)
    comment = Comment.objects.filter(pk=comment_id, status=Status.PUBLISHED).first()
    if comment is None:
        raise CommentError("There is no such comment.")
    if comment.author_id == user.pk:
        raise CommentError("You cannot like your own comment.")
    if liked:
        _like, created = Like.objects.get_or_create(comment=comment, user=user)
        changed = 1 if created else 0
    else:
        changed = -Like.objects.filter(comment=comment, user=user).delete()[0]
    if changed:
        Comment.objects.filter(pk=comment.pk).update(like_count=F("like_count") + changed)
        _purge_after_commit(comment.article_id)
    return Comment.objects.values_list("like_count", flat=True).get(pk=comment.pk)


@transaction.atomic
def report_comment(user: Any, comment_id: int, reason: str, note: str = "") -> Report:
    """Report a published comment with a reason (once per reader)."""
    _require_reader(user)
    if reason not in ReportReason.values:
        raise CommentError("Choose a reason for the report.")
    comment = Comment.objects.filter(pk=comment_id, status=Status.PUBLISHED).first()
    if comment is None:
        raise CommentError("There is no such comment.")
    if comment.author_id == user.pk:
        raise CommentError("You cannot report your own comment.")
    report, created = Report.objects.get_or_create(comment=comment, reporter=user,
                                                   defaults={"reason": reason, "note": clean_text(note)[:300]})
    if created:
        Comment.objects.filter(pk=comment.pk).update(report_count=F("report_count") + 1)
        _log(user, "reported", comment=comment, reason=f"{reason}: {report.note}".rstrip(": "))
    return report


# ---- community managers -------------------------------------------------------------------------------


def _moderated(moderator: Any, comment_id: int) -> Comment:
    _require_moderator(moderator)
    comment = Comment.objects.select_for_update().filter(pk=comment_id).first()
    if comment is None:
        raise CommentError("There is no such comment.")
    return comment


@transaction.atomic
def approve(moderator: Any, comment_id: int) -> Comment:
    """Publish a pending (or rejected, or reported) comment; its reports are resolved."""
    comment = _moderated(moderator, comment_id)
    if comment.status == Status.DELETED:
        raise CommentError("A deleted comment cannot be approved.")
    was_published = comment.status == Status.PUBLISHED
    comment.status, comment.reject_reason = Status.PUBLISHED, ""
    comment.published_at = comment.published_at or timezone.now()
    comment.save(update_fields=["status", "reject_reason", "published_at"])
    Report.objects.filter(comment=comment, resolved_at=None).update(resolved_at=timezone.now())
    _log(moderator, "approved", comment=comment)
    if not was_published:
        _published(comment)
    return comment


@transaction.atomic
def reject(moderator: Any, comment_id: int, reason: str, *, notify: bool = True) -> Comment:
    """Reject a comment with a reason the author is shown (and emailed, if they want)."""
    reason = " ".join(str(reason).split())
    if not reason:
        raise CommentError("Give the author a reason for the rejection.")
    comment = _moderated(moderator, comment_id)
    was_shown = comment.status == Status.PUBLISHED
    comment.status, comment.reject_reason, comment.is_featured = Status.REJECTED, reason[:300], False
    comment.save(update_fields=["status", "reject_reason", "is_featured"])
    Report.objects.filter(comment=comment, resolved_at=None).update(resolved_at=timezone.now())
    _log(moderator, "rejected", comment=comment, reason=reason)
    if was_shown:
        _purge_after_commit(comment.article_id)
    if notify:
        notifications.queue("rejected", comment.pk)
    return comment


@transaction.atomic
def dismiss_reports(moderator: Any, comment_id: int) -> Comment:
    """Keep a reported comment as it is and take it out of the reported queue."""
    comment = _moderated(moderator, comment_id)
    Report.objects.filter(comment=comment, resolved_at=None).update(resolved_at=timezone.now())
    _log(moderator, "dismissed reports", comment=comment)
    return comment


@transaction.atomic
def feature(moderator: Any, comment_id: int, featured: bool = True) -> Comment:
    """Pin a published top-level comment above the others (or unpin it)."""
    comment = _moderated(moderator, comment_id)
    if featured and (comment.status != Status.PUBLISHED or comment.depth != 0):
        raise CommentError("Only a published top-level comment can be featured.")
    if comment.is_featured == featured:
        return comment
    comment.is_featured = featured
    comment.save(update_fields=["is_featured"])
    _log(moderator, "featured" if featured else "unfeatured", comment=comment)
    _purge_after_commit(comment.article_id)
    if featured:
        notifications.queue("featured", comment.pk)
    return comment


def _reader(user_id: int) -> Any:
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise CommentError("There is no such reader.")
    return user


@transaction.atomic
def ban_user(moderator: Any, user_id: int, reason: str, *, spam: bool = False) -> int:
    """Ban a reader from commenting; a spam ban also rejects every comment of theirs. Return how many."""
    _require_moderator(moderator)
    target = _reader(user_id)
    if may_moderate(target):
        raise CommentError("A community manager cannot be banned here (ask an admin to change their role).")
    reason = " ".join(str(reason).split()) or ("spam" if spam else "")
    if not reason:
        raise CommentError("Give a reason for the ban.")
    accounts.ban(target, reason)
    _log(moderator, "banned (spam)" if spam else "banned", target=target, reason=reason)
    rejected = 0
    if spam:
        doomed = list(Comment.objects.filter(author=target).exclude(status__in=[Status.REJECTED, Status.DELETED])
                      .values_list("pk", "article_id", "status"))
        Comment.objects.filter(pk__in=[pk for pk, _a, _s in doomed]).update(
            status=Status.REJECTED, reject_reason=f"spam ban: {reason}"[:300], is_featured=False)
        Report.objects.filter(comment_id__in=[pk for pk, _a, _s in doomed], resolved_at=None).update(
            resolved_at=timezone.now())
        for article_id in sorted({a for _pk, a, status in doomed if status == Status.PUBLISHED}):
            _purge_after_commit(article_id)
        rejected = len(doomed)
    return rejected


@transaction.atomic
def suspend_user(moderator: Any, user_id: int, days: int, reason: str) -> datetime:
    """Suspend a reader from commenting for ``days`` days (1 to 365); return until when."""
    _require_moderator(moderator)
    if not 1 <= int(days) <= 365:
        raise CommentError("A suspension lasts 1 to 365 days.")
    target = _reader(user_id)
    if may_moderate(target):
        raise CommentError("A community manager cannot be suspended here.")
    until = timezone.now() + timedelta(days=int(days))
    accounts.suspend(target, until, reason)
    _log(moderator, "suspended", target=target, reason=f"{days} days: {reason}".strip())
    return until


@transaction.atomic
def lift_user(moderator: Any, user_id: int) -> None:
    """Lift a reader's ban or suspension (their rejected comments stay rejected)."""
    _require_moderator(moderator)
    target = _reader(user_id)
    accounts.lift(target)
    _log(moderator, "lifted ban", target=target)


@transaction.atomic
def set_closed(moderator: Any, article_id: int, closed: bool) -> bool:
    """Close (or re-open) comments on one article."""
    _require_moderator(moderator)
    if not Article.objects.filter(pk=article_id).exists():
        raise CommentError("There is no such story.")
    if closed:
        _row, changed = ClosedArticle.objects.get_or_create(article_id=article_id, defaults={"closed_by": moderator})
    else:
        changed = bool(ClosedArticle.objects.filter(article_id=article_id).delete()[0])
    if changed:
        _log(moderator, "closed comments" if closed else "opened comments", article_id=article_id)
        _purge_after_commit(article_id)
    return closed
