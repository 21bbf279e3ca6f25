"""Emails about a reader's comments: a reply to it, it being featured, it being rejected (with the reason).

Queued after the action commits, as a background task (in-process on the embedded default). Each reader can
turn each kind off (:class:`tickerwire.accounts.models.Profile`); nobody is emailed about their own reply.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django_tasks import task

KINDS = ("reply", "featured", "rejected")


def queue(kind: str, comment_id: int) -> None:
    """Send the ``kind`` email about ``comment_id`` once the current transaction commits."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification {kind!r}: one of {', '.join(KINDS)}")
    transaction.on_commit(lambda: send_notice.enqueue(kind, comment_id))


def _link(path: str) -> str:
    return f"{getattr(settings, 'SITE_URL', '') or ''}{path}"


@task()
def send_notice(kind: str, comment_id: int) -> bool:
    """Email the reader concerned; return whether an email went out."""
    from tickerwire.accounts.actions import profile_of
    from tickerwire.comments.models import Comment, Status

    comment = Comment.objects.select_related("author", "parent__author", "article").filter(pk=comment_id).first()
    if comment is None:
        return False
    site = getattr(settings, "SITE_NAME", "Tickerwire")
    story = comment.article.headline
    address = _link(reverse("comments:thread", kwargs={"article_id": comment.article_id})) + f"#c{comment.pk}"
    if kind == "reply":
        parent = comment.parent
        if (parent is None or comment.status != Status.PUBLISHED or parent.author_id == comment.author_id
                or parent.status != Status.PUBLISHED or not profile_of(parent.author).notify_replies):
            return False
        recipient = parent.author
        subject = f"[{site}] {profile_of(comment.author).shown_name} replied to your comment"
        text = f"On \"{story}\":\n\n{comment.body}\n\nRead it: {address}\n"
    elif kind == "featured":
        recipient = comment.author
        if comment.status != Status.PUBLISHED or not profile_of(recipient).notify_featured:
            return False
        subject = f"[{site}] Your comment is featured"
        text = f"A community manager featured your comment on \"{story}\".\n\n{address}\n"
    else:
        recipient = comment.author
        if comment.status != Status.REJECTED or not profile_of(recipient).notify_rejected:
            return False
        subject = f"[{site}] Your comment was not published"
        text = (f"Your comment on \"{story}\" was not published.\n\nReason: {comment.reject_reason}\n\n"
                f"Your comment:\n{comment.body}\n")
    if not recipient.email:
        return False
    settings_path = _link(reverse("accounts:settings"))
    send_mail(subject, f"{text}\nChoose which emails you get: {settings_path}\n", None, [recipient.email])
    return True
