"""Comment routes: the comment area (a page, or a fragment the article page loads), and the readers' writes.

``GET /articles/<id>/comments`` is the comment area. Anonymous readers get one shared, cookie-free copy,
cached like the article (group ``article:<id>``, purged with it); signed-in readers get their own, never
stored (``Cache-Control: private, no-store``). With ``?fragment=area`` it is the area alone (the article
page's script swaps it in), with ``?fragment=items`` one page of threads (for "show more").

Writes are POSTs with the CSRF token. Each answers the script (header ``X-Tickerwire-Fragment: 1``) with the
refreshed area, and a browser without scripts with a redirect back to the thread and a message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST, require_safe

from tickerwire.articles.models import Article
from tickerwire.comments import actions, limits
from tickerwire.comments.models import Comment, ReportReason
from tickerwire.comments.queries import read_page, read_sort, reader_comments, thread_page
from tickerwire.delivery.page_cache import is_cacheable_request, mark_cacheable
from tickerwire.limits.clients import client_ip

FRAGMENT_HEADER = "HTTP_X_TICKERWIRE_FRAGMENT"


def _article(article_id: int) -> Article:
    article = Article.objects.visible().filter(pk=article_id).only("id", "slug", "published_at", "headline").first()
    if article is None:
        raise Http404("no such story")
    return article


def _context(request: HttpRequest, article: Article, user: Any) -> dict[str, Any]:
    sort, number = read_sort(request.GET.get("sort")), read_page(request.GET.get("page"))
    return {"thread": thread_page(article.pk, user, sort, number), "article": article,
            "reasons": ReportReason.choices, "thread_url": reverse("comments:thread", args=[article.pk])}


@require_safe
def thread(request: HttpRequest, article_id: int) -> HttpResponse:
    """Show the comment area: a page of its own, or a fragment (see the module docstring)."""
    article = _article(article_id)
    anonymous = is_cacheable_request(request)
    if anonymous:
        # Cookie-free (no form, no CSRF token): one copy for every anonymous reader, purged with the article.
        mark_cacheable(request, f"article:{article.pk}")
    user = None if anonymous else request.user
    context = _context(request, article, user)
    fragment = request.GET.get("fragment")
    template = {"area": "comments/area.html", "items": "comments/items.html"}.get(fragment or "", "comments/page.html")
    response = render(request, template, context)
    if not anonymous:
        response["Cache-Control"] = "private, no-store"
    return response


def public_panel(request: HttpRequest, article: object) -> SafeString:
    """The comment area as the article page shows it: the same for everyone, so the page stays shared."""
    assert isinstance(article, Article)
    context = {"thread": thread_page(article.pk, None), "article": article, "reasons": ReportReason.choices,
               "thread_url": reverse("comments:thread", args=[article.pk]), "in_article": True}
    return mark_safe(render_to_string("comments/area.html", context))  # noqa: S308 - an escaping template


def profile_panel(request: HttpRequest, profile: object) -> SafeString:
    """The reader's comments on their profile page."""
    user = profile.user  # type: ignore[attr-defined]
    nodes = reader_comments(user, getattr(request, "user", None))
    return mark_safe(render_to_string("comments/profile_comments.html", {"nodes": nodes}))  # noqa: S308


# ---- writes ---------------------------------------------------------------------------------------------


def _signed_in(request: HttpRequest) -> Any:
    if not request.user.is_authenticated:
        raise PermissionDenied("sign in to comment")
    return request.user


def _back(request: HttpRequest, article_id: int, anchor: str = "") -> str:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("comments:thread", args=[article_id])
    return target + (f"#{anchor}" if anchor and "#" not in target else "")


def _answer(request: HttpRequest, article_id: int, message: str, *, status: int = 200, anchor: str = "",
            retry_after: int | None = None, data: dict[str, Any] | None = None) -> HttpResponse:
    """Answer a write: JSON to a client asking for it, the refreshed area to the page's script, or a redirect
    back with the message to a browser without scripts."""
    if request.headers.get("Accept") == "application/json":
        response: HttpResponse = JsonResponse({"message": message, **(data or {})}, status=status)
        response["Cache-Control"] = "private, no-store"
    elif request.META.get(FRAGMENT_HEADER) == "1":
        article = _article(article_id)
        context = _context(request, article, request.user) | {"notice": message, "notice_ok": status < 400}
        response = render(request, "comments/area.html", context, status=status)
        response["Cache-Control"] = "private, no-store"
    else:
        (messages.success if status < 400 else messages.error)(request, message)
        response = HttpResponseRedirect(_back(request, article_id, anchor))
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def _comment_article(comment_id: int) -> int:
    article_id = Comment.objects.filter(pk=comment_id).values_list("article_id", flat=True).first()
    if article_id is None:
        raise Http404("no such comment")
    return int(article_id)


@require_POST
def post(request: HttpRequest, article_id: int) -> HttpResponse:
    """Post a comment or a reply (``parent``)."""
    user = _signed_in(request)
    _article(article_id)
    counted = limits.check("post", request, user)
    if counted.refusal:
        return _with(_answer(request, article_id, counted.refusal.message, status=429,
                             retry_after=counted.refusal.retry_after), counted.headers())
    parent = request.POST.get("parent") or None
    try:
        comment = actions.post_comment(user, article_id, request.POST.get("text", ""),
                                       int(parent) if parent and parent.isdigit() else None, client_ip(request))
    except actions.CommentError as error:
        return _with(_answer(request, article_id, str(error), status=400), counted.headers())
    message = {
        "published": "Your comment is published.",
        "pending": "Thanks: your comment will show once a community manager has reviewed it.",
        "rejected": f"Your comment was not published: {comment.reject_reason}",
    }[comment.status]
    response = _answer(request, article_id, message, status=201 if comment.status == "published" else 202,
                       anchor=f"c{comment.pk}", data={"id": comment.pk, "status": str(comment.status)})
    response["X-Comment-Id"] = str(comment.pk)
    response["X-Comment-Status"] = str(comment.status)
    return _with(response, counted.headers())


def _with(response: HttpResponse, headers: dict[str, str]) -> HttpResponse:
    for name, value in headers.items():
        response[name] = value
    return response


@require_POST
def edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    user = _signed_in(request)
    article_id = _comment_article(comment_id)
    try:
        comment = actions.edit_comment(user, comment_id, request.POST.get("text", ""))
    except actions.CommentError as error:
        return _answer(request, article_id, str(error), status=400)
    text = "Your comment is changed." if comment.status == "published" else (
        "Your changed comment waits for review." if comment.status == "pending"
        else f"Your changed comment was not published: {comment.reject_reason}")
    return _answer(request, article_id, text, anchor=f"c{comment_id}")


@require_POST
def delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    user = _signed_in(request)
    article_id = _comment_article(comment_id)
    try:
        actions.delete_comment(user, comment_id)
    except actions.CommentError as error:
        return _answer(request, article_id, str(error), status=400)
    return _answer(request, article_id, "Your comment is deleted.")


def _limited_write(request: HttpRequest, comment_id: int, limit: str, write: Any, done: str) -> HttpResponse:
    """Run ``write(user)`` on a comment under the ``limit`` rate limit; answer with ``done`` or the refusal."""
    user = _signed_in(request)
    article_id = _comment_article(comment_id)
    counted = limits.check(limit, request, user)
    if counted.refusal:
        return _answer(request, article_id, counted.refusal.message, status=429,
                       retry_after=counted.refusal.retry_after)
    try:
        write(user)
    except actions.CommentError as error:
        return _answer(request, article_id, str(error), status=400)
    return _answer(request, article_id, done, anchor=f"c{comment_id}")


@require_POST
def like(request: HttpRequest, comment_id: int) -> HttpResponse:
    liked = request.POST.get("liked", "1") == "1"
    return _limited_write(request, comment_id, "like", lambda user: actions.set_like(user, comment_id, liked),
                          "Thanks for your vote.")


@require_POST
def report(request: HttpRequest, comment_id: int) -> HttpResponse:
    reason, note = request.POST.get("reason", ""), request.POST.get("note", "")
    return _limited_write(request, comment_id, "report",
                          lambda user: actions.report_comment(user, comment_id, reason, note),
                          "Thanks: a community manager will look at it.")
