"""Comments on articles, their likes and reports, closed articles and the moderation log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tickerwire.articles.models import Article


class Status(models.TextChoices):
    PENDING = "pending", "Pending review"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"
    DELETED = "deleted", "Deleted by its author"


class Comment(models.Model):
    """A reader's comment; ``root`` is the thread's top comment (itself for one), ``depth`` 0 at the top."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    root = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    depth = models.PositiveSmallIntegerField(default=0)
    body = models.TextField()
    body_hash = models.CharField(max_length=64, db_index=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    reject_reason = models.CharField(max_length=300, blank=True)
    # The rules' results at posting (and at each edit): [{"rule", "outcome", "detail"}], in their fixed order.
    checks = models.JSONField(default=list, blank=True)
    by_staff = models.BooleanField(default=False)  # a community manager's comment: shown with a badge
    is_featured = models.BooleanField(default=False)
    like_count = models.PositiveIntegerField(default=0)
    report_count = models.PositiveIntegerField(default=0)
    # Shown as "comment removed" (a deleted comment with replies keeps its place in the thread).
    keeps_place = models.BooleanField(default=False)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        permissions = [("moderate_comments", "Can moderate comments (queues, approve, reject, ban)")]
        indexes = [
            models.Index(fields=["article", "depth", "status", "-created_at"], name="comment_thread_new"),
            models.Index(fields=["article", "depth", "status", "-like_count"], name="comment_thread_liked"),
            models.Index(fields=["root", "created_at"], name="comment_replies"),
            models.Index(fields=["status", "-created_at"], name="comment_queue"),
            models.Index(fields=["author", "-created_at"], name="comment_author"),
        ]

    def __str__(self) -> str:
        return f"comment {self.pk} on article {self.article_id}"

    @property
    def is_shown(self) -> bool:
        return self.status == Status.PUBLISHED or (self.status == Status.DELETED and self.keeps_place)


SHOWN = Q(status=Status.PUBLISHED) | Q(status=Status.DELETED, keeps_place=True)


class Like(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["comment", "user"], name="one_like_per_user")]


class ReportReason(models.TextChoices):
    SPAM = "spam", "Spam or advertising"
    ABUSE = "abuse", "Abusive or hateful"
    OFF_TOPIC = "off_topic", "Off topic"
    MISLEADING = "misleading", "Misleading financial claims"
    OTHER = "other", "Something else"


class Report(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=12, choices=ReportReason.choices)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["comment", "reporter"], name="one_report_per_reader")]


class ClosedArticle(models.Model):
    """Comments closed on one article (re-opening deletes the row)."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="+")
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(default=timezone.now)


class LogEntry(models.Model):
    """Who did what to which comment or reader, and when."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=30)
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="log")
    target = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
