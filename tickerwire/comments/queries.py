"""What the comment area shows: one page of threads in a fixed number of queries, whatever the comment count.

A page is the featured comments (first page only), then ``PAGE_SIZE`` top-level comments in the chosen
order, each with its replies: direct replies shown, deeper ones collapsed under them. The queries: the
count, the featured, the page of top-level comments (+1 to know whether there is more), all replies of
those threads, and, for a signed-in reader, their likes on the page and their posting state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connections, router
from django.db.models import Count, Q, QuerySet
from django.utils.safestring import SafeString

from tickerwire.accounts.actions import profile_of
from tickerwire.comments import actions
from tickerwire.comments.models import SHOWN, ClosedArticle, Comment, Like, Status
from tickerwire.comments.text import render

SORTS = {"newest": ("-created_at", "-id"), "oldest": ("created_at", "id"), "liked": ("-like_count", "-created_at",
                                                                                    "-id")}
SORT_LABELS = {"newest": "Newest", "oldest": "Oldest", "liked": "Most liked"}
DEFAULT_SORT = "newest"
# Replies read per page of threads at most (the rest of a huge thread shows as a count and a link).
REPLY_CAP = 400


def page_size() -> int:
    return int(getattr(settings, "TICKERWIRE_COMMENTS_PAGE_SIZE", 20))


@dataclass
class Node:
    comment: Comment
    html: SafeString | str
    author_name: str
    liked: bool = False
    can_edit: bool = False
    is_own: bool = False
    replies: list[Node] = field(default_factory=list)  # shown (level two)
    deeper: list[Node] = field(default_factory=list)  # collapsed (level three and below), oldest first

    @property
    def removed(self) -> bool:
        return self.comment.status == Status.DELETED


@dataclass
class ThreadPage:
    article_id: int
    sort: str
    number: int
    count: int
    featured: list[Node]
    threads: list[Node]
    has_next: bool
    closed: str
    signed_in: bool
    posting_block: str = ""
    is_moderator: bool = False
    sorts: dict[str, str] = field(default_factory=lambda: dict(SORT_LABELS))

    @property
    def next_number(self) -> int:
        return self.number + 1


def read_sort(value: str | None) -> str:
    return value if value in SORTS else DEFAULT_SORT


def read_page(value: str | None) -> int:
    try:
        number = int(value or 1)
    except ValueError:
        return 1
    return min(max(number, 1), 10_000)


def visible_counts(article_ids: list[int]) -> dict[int, int]:
    """Return the published comment count of each article (one query); the site's comment counter."""
    if len(article_ids) == 1:  # the article page: the prepared statement, not an ORM compile per request
        count = thread_state(article_ids[0]).published
        return {article_ids[0]: count} if count else {}
    rows = (Comment.objects.filter(article_id__in=article_ids, status=Status.PUBLISHED).order_by()
            .values("article_id").annotate(n=Count("id")).values_list("article_id", "n"))
    return dict(rows)


@dataclass(frozen=True)
class ThreadState:
    published: int  # published comments (the count readers see)
    shown_roots: int  # top-level comments anyone sees (published, or removed but keeping its replies' place)
    editor_closed: bool


_STATE_SQL: dict[str, str] = {}


def thread_state(article_id: int) -> ThreadState:
    """Return an article's comment counts and whether an editor closed it, in one statement.

    Every uncached article page asks this (most stories have no comment at all), so the statement is built
    once per database vendor rather than compiled by the ORM for each request, as the story's validators are.
    """
    connection = connections[router.db_for_read(Comment)]
    sql = _STATE_SQL.get(connection.vendor)
    if sql is None:
        quote, meta = connection.ops.quote_name, Comment._meta

        def column(name: str) -> str:
            return quote(meta.get_field(name).column)

        table, closed = quote(meta.db_table), ClosedArticle._meta
        closed_article = quote(closed.get_field("article").column)
        sql = (
            f"SELECT (SELECT COUNT(*) FROM {table} WHERE {column('article')} = %s AND {column('status')} = %s),"
            f" (SELECT COUNT(*) FROM {table} WHERE {column('article')} = %s AND {column('depth')} = 0"
            f" AND ({column('status')} = %s OR ({column('status')} = %s AND {column('keeps_place')} = %s))),"
            f" (SELECT COUNT(*) FROM {quote(closed.db_table)} WHERE {closed_article} = %s)"
        )
        _STATE_SQL[connection.vendor] = sql
    with connection.cursor() as cursor:
        published, deleted = str(Status.PUBLISHED), str(Status.DELETED)  # plain strings for the driver
        cursor.execute(sql, [article_id, published, article_id, published, deleted, True, article_id])
        published, roots, closed_rows = cursor.fetchone()
    return ThreadState(int(published), int(roots), bool(closed_rows))


def _shown(article_id: int, user: Any = None) -> QuerySet[Comment]:
    """Return the article's comments readers see, and ``user``'s own ones awaiting review."""
    shown = SHOWN | Q(author_id=user.pk, status=Status.PENDING) if user is not None and user.is_authenticated else SHOWN
    return Comment.objects.filter(shown, article_id=article_id).select_related("author__reader_profile")


def _name(comment: Comment) -> str:
    profile = getattr(comment.author, "reader_profile", None)
    return profile.shown_name if profile is not None else f"Reader {comment.author_id}"


def thread_page(article_id: int, user: Any = None, sort: str = DEFAULT_SORT, number: int = 1) -> ThreadPage:
    """Return one page of the article's comment threads, as ``user`` (None: as anyone) sees it."""
    size = page_size()
    signed_in = bool(user is not None and user.is_authenticated)
    state = thread_state(article_id)
    count = state.published
    viewer = user if signed_in else None
    # A reader who is not signed in sees only what the state counted: with no top-level comment shown,
    # there is no thread to read (a signed-in reader may also see their own ones awaiting review).
    any_shown = signed_in or state.shown_roots > 0
    featured = list(_shown(article_id).filter(depth=0, is_featured=True, status=Status.PUBLISHED)
                    .order_by("-published_at", "-id")[:3]) if number == 1 and any_shown and count else []
    start = (number - 1) * size
    roots = list(_shown(article_id, viewer).filter(depth=0, is_featured=False)
                 .order_by(*SORTS[sort])[start:start + size + 1]) if any_shown else []
    has_next = len(roots) > size
    roots = roots[:size]
    tops = featured + roots
    replies = list(_shown(article_id, viewer).filter(root_id__in=[c.pk for c in tops], depth__gt=0)
                   .order_by("created_at", "id")[:REPLY_CAP]) if tops else []
    liked: set[int] = set()
    if signed_in and (tops or replies):
        liked = set(Like.objects.filter(user=user, comment_id__in=[c.pk for c in tops + replies])
                    .values_list("comment_id", flat=True))

    def node(comment: Comment) -> Node:
        own = signed_in and comment.author_id == user.pk
        return Node(comment=comment, html=render(comment.body) if comment.body else "", author_name=_name(comment),
                    liked=comment.pk in liked, is_own=own, can_edit=own and actions.can_edit(comment, user))

    by_id = {c.pk: node(c) for c in tops}
    level_two: dict[int, Node] = {}
    deeper_of: dict[int, int] = {}  # a deep reply's id -> its level-two ancestor's id
    for reply in replies:
        item = node(reply)
        if reply.depth == 1 and reply.parent_id in by_id:
            by_id[reply.parent_id].replies.append(item)
            level_two[reply.pk] = item
        else:
            anchor = reply.parent_id if reply.parent_id in level_two else deeper_of.get(reply.parent_id or 0)
            if anchor is not None:  # else its parent is not shown (pending, rejected): neither is it
                deeper_of[reply.pk] = anchor
                level_two[anchor].deeper.append(item)
    block = ""
    closed = actions.closed_reason(article_id, editor_closed=state.editor_closed)
    moderator = False
    if signed_in:
        block = profile_of(user).posting_block()
        moderator = actions.may_moderate(user)
    return ThreadPage(
        article_id=article_id, sort=sort, number=number, count=count,
        featured=[by_id[c.pk] for c in featured], threads=[by_id[c.pk] for c in roots], has_next=has_next,
        closed=closed, signed_in=signed_in, posting_block=block, is_moderator=moderator,
    )


def reader_comments(user: Any, viewer: Any = None, limit: int = 50) -> list[Node]:
    """Return a reader's published comments, newest first (their own pending and rejected ones to themselves)."""
    query = Comment.objects.filter(author=user).select_related("article", "author__reader_profile")
    own = viewer is not None and viewer.is_authenticated and viewer.pk == user.pk
    query = query.exclude(status=Status.DELETED) if own else query.filter(status=Status.PUBLISHED)
    return [Node(comment=c, html=render(c.body), author_name=_name(c), is_own=own)
            for c in query.order_by("-created_at", "-id")[:limit]]
