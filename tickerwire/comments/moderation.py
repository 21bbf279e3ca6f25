"""The community managers' moderation page: queues, actions on comments and readers, and the log.

Queues: ``pending`` (held by the rules, oldest first), ``reported`` (unresolved reports from at least
``TICKERWIRE_COMMENTS_REPORT_THRESHOLD`` readers, most reported first) and ``recent`` (everything, newest
first). Every page and action refuses anyone but community managers and admins (anonymous readers are sent
to sign in; other readers get 403); every action is a POST with the CSRF token and is logged.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from tickerwire.comments import actions
from tickerwire.comments.models import Comment, LogEntry, Status
from tickerwire.comments.text import render as render_text

QUEUES = {"pending": "Pending", "reported": "Reported", "recent": "Recent"}


def moderators_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            if request.method == "POST":
                raise PermissionDenied("sign in as a community manager")
            return redirect_to_login(request.get_full_path())
        if not actions.may_moderate(request.user):
            raise PermissionDenied("the moderation page is for community managers")
        return view(request, *args, **kwargs)

    return never_cache(wrapper)


def queue_of(name: str) -> QuerySet[Comment]:
    """Return a queue's comments in its order."""
    base = Comment.objects.select_related("author__reader_profile", "article")
    if name == "pending":
        return base.filter(status=Status.PENDING).order_by("created_at", "id")
    if name == "reported":
        threshold = int(getattr(settings, "TICKERWIRE_COMMENTS_REPORT_THRESHOLD", 2))
        return (base.filter(status=Status.PUBLISHED)
                .annotate(open_reports=Count("reports", filter=Q(reports__resolved_at=None)))
                .filter(open_reports__gte=threshold).order_by("-open_reports", "-created_at"))
    return base.exclude(status=Status.DELETED).order_by("-created_at", "-id")


@require_safe
@moderators_only
def queue(request: HttpRequest) -> HttpResponse:
    name = request.GET.get("queue") if request.GET.get("queue") in QUEUES else "pending"
    page = Paginator(queue_of(name), 25).get_page(request.GET.get("page"))
    items = list(page)
    reports: dict[int, list[Any]] = {}
    if items:
        from tickerwire.comments.models import Report

        for found in Report.objects.filter(comment_id__in=[c.pk for c in items], resolved_at=None).order_by("id"):
            reports.setdefault(found.comment_id, []).append(found)
    rows = [{"comment": c, "html": render_text(c.body), "reports": reports.get(c.pk, []),
             "author_name": getattr(getattr(c.author, "reader_profile", None), "shown_name", f"Reader {c.author_id}"),
             "author_profile": getattr(c.author, "reader_profile", None)} for c in items]
    counts = {key: queue_of(key).count() for key in ("pending", "reported")}
    return render(request, "comments/moderation.html", {
        "queue": name, "queues": QUEUES, "page": page, "rows": rows, "counts": counts,
    })


@require_safe
@moderators_only
def log(request: HttpRequest) -> HttpResponse:
    entries = LogEntry.objects.select_related("actor", "target", "comment").order_by("-created_at", "-id")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "comments/moderation_log.html", {"page": page, "queues": QUEUES})


def _back(request: HttpRequest) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("comments:moderation")
    return HttpResponseRedirect(target)


def _run(request: HttpRequest, done: str, call: Callable[[], object]) -> HttpResponse:
    try:
        call()
    except actions.CommentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    response = _back(request)
    response.status_code = 303
    return response


@require_POST
@moderators_only
def comment_action(request: HttpRequest, comment_id: int, verb: str) -> HttpResponse:
    """approve, reject (with ``reason``), feature, unfeature, or dismiss the reports of a comment."""
    user = request.user
    calls: dict[str, tuple[str, Callable[[], object]]] = {
        "approve": ("Comment approved.", lambda: actions.approve(user, comment_id)),
        "reject": ("Comment rejected.", lambda: actions.reject(user, comment_id, request.POST.get("reason", ""))),
        "feature": ("Comment featured.", lambda: actions.feature(user, comment_id, True)),
        "unfeature": ("Comment no longer featured.", lambda: actions.feature(user, comment_id, False)),
        "dismiss": ("Reports dismissed.", lambda: actions.dismiss_reports(user, comment_id)),
    }
    return _dispatch(request, calls, verb)


def _dispatch(request: HttpRequest, calls: dict[str, tuple[str, Callable[[], object]]], verb: str) -> HttpResponse:
    if verb not in calls:
        raise PermissionDenied(f"unknown moderation action {verb!r}")
    done, call = calls[verb]
    return _run(request, done, call)


@require_POST
@moderators_only
def reader_action(request: HttpRequest, user_id: int, verb: str) -> HttpResponse:
    """ban, spam-ban, suspend (``days``) or lift a reader."""
    user = request.user
    reason = request.POST.get("reason", "")

    def suspend() -> object:
        days = request.POST.get("days", "")
        if not days.isdigit():
            raise actions.CommentError("Give the suspension in whole days.")
        return actions.suspend_user(user, user_id, int(days), reason)

    calls: dict[str, tuple[str, Callable[[], object]]] = {
        "ban": ("Reader banned.", lambda: actions.ban_user(user, user_id, reason)),
        "spam-ban": ("Reader banned for spam; their comments are rejected.",
                     lambda: actions.ban_user(user, user_id, reason, spam=True)),
        "suspend": ("Reader suspended.", suspend),
        "lift": ("Ban lifted.", lambda: actions.lift_user(user, user_id)),
    }
    return _dispatch(request, calls, verb)


@require_POST
@moderators_only
def article_action(request: HttpRequest, article_id: int, verb: str) -> HttpResponse:
    """close or open comments on one story."""
    if verb not in ("close", "open"):
        raise PermissionDenied(f"unknown moderation action {verb!r}")
    return _run(request, "Comments closed." if verb == "close" else "Comments opened.",
                lambda: actions.set_closed(request.user, article_id, verb == "close"))
