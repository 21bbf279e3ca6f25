"""Moderation: the queues, approve, reject with a reason, ban (and spam ban), suspend, reports, the log; and
every moderation and edit endpoint refusing anonymous readers, other readers and cross-site POSTs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.comments.helpers import make_manager, make_reader
from tickerwire.accounts.actions import profile_of
from tickerwire.comments import actions
from tickerwire.comments.models import Comment, LogEntry, Status
from tickerwire.comments.moderation import queue_of

pytestmark = pytest.mark.django_db
FRAGMENT = {"HTTP_X_TICKERWIRE_FRAGMENT": "1"}


def signed_in(user: Any, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def test_queues_and_approve_reject_from_the_page(story: Any) -> None:
    reader, manager = make_reader("abe"), make_manager("cat")
    held = actions.post_comment(reader, story.pk, "First ever comment")  # a new reader's: pending
    page = signed_in(manager).get("/moderation/?queue=pending")
    assert page.status_code == 200 and "First ever comment" in page.content.decode()
    assert "new_user: hold" in page.content.decode()
    response = signed_in(manager).post(f"/moderation/comments/{held.pk}/approve")
    assert response.status_code == 303
    assert Comment.objects.get(pk=held.pk).status == Status.PUBLISHED
    assert "First ever comment" in signed_in(manager).get("/moderation/?queue=recent").content.decode()
    signed_in(manager).post(f"/moderation/comments/{held.pk}/reject", {"reason": "Please stay on topic"})
    rejected = Comment.objects.get(pk=held.pk)
    assert (rejected.status, rejected.reject_reason) == (Status.REJECTED, "Please stay on topic")
    # The author sees why on their profile; others do not see the comment.
    assert "not published: Please stay on topic" in signed_in(reader).get(
        f"/accounts/readers/{reader.pk}/").content.decode()
    assert "First ever comment" not in Client().get(f"/accounts/readers/{reader.pk}/").content.decode()
    assert [e.action for e in LogEntry.objects.filter(actor=manager).order_by("id")] == ["approved", "rejected"]
    log = signed_in(manager).get("/moderation/log").content.decode()
    assert "Please stay on topic" in log and "cat@example.test" in log


def test_a_rejection_needs_a_reason(story: Any) -> None:
    manager = make_manager("dan")
    comment = actions.post_comment(make_reader("eva"), story.pk, "hello")
    with pytest.raises(actions.CommentError, match="reason"):
        actions.reject(manager, comment.pk, "  ")


@pytest.mark.usefixtures("open_rules")
def test_reports_put_a_comment_in_the_reported_queue(story: Any, settings: Any) -> None:
    settings.TICKERWIRE_COMMENTS_REPORT_THRESHOLD = 2
    author, manager = make_reader("fin"), make_manager("gil")
    comment = actions.post_comment(author, story.pk, "Contentious take")
    with pytest.raises(actions.CommentError, match="own"):
        actions.report_comment(author, comment.pk, "spam")
    with pytest.raises(actions.CommentError, match="reason"):
        actions.report_comment(make_reader("hex"), comment.pk, "because")
    first = make_reader("ivy")
    actions.report_comment(first, comment.pk, "spam", "link farm")
    actions.report_comment(first, comment.pk, "spam")  # once per reader
    assert list(queue_of("reported")) == []
    actions.report_comment(make_reader("jay"), comment.pk, "abuse")
    assert [c.pk for c in queue_of("reported")] == [comment.pk]
    page = signed_in(manager).get("/moderation/?queue=reported").content.decode()
    assert "Spam or advertising: link farm" in page and "Abusive or hateful" in page
    signed_in(manager).post(f"/moderation/comments/{comment.pk}/dismiss")
    assert list(queue_of("reported")) == []


@pytest.mark.usefixtures("open_rules")
def test_reporting_is_rate_limited(story: Any, settings: Any) -> None:
    settings.TICKERWIRE_COMMENTS_REPORT_RATE = "2/h"
    reporter = make_reader("kai")
    comments = [actions.post_comment(make_reader(f"w{n}"), story.pk, f"comment {n}") for n in range(3)]
    client = signed_in(reporter)
    codes = [client.post(f"/comments/{c.pk}/report", {"reason": "spam"}, **FRAGMENT).status_code for c in comments]
    assert codes == [200, 200, 429]


@pytest.mark.usefixtures("open_rules")
def test_a_banned_reader_cannot_post_and_a_spam_ban_rejects_all_their_comments(story: Any) -> None:
    spammer, manager = make_reader("leo"), make_manager("mae")
    kept = [actions.post_comment(spammer, story.pk, f"Buy my course number {n}") for n in range(3)]
    response = signed_in(manager).post(f"/moderation/readers/{spammer.pk}/spam-ban", {"reason": "course spam"})
    assert response.status_code == 303
    assert set(Comment.objects.filter(pk__in=[c.pk for c in kept]).values_list("status", flat=True)) == {
        Status.REJECTED}
    with pytest.raises(actions.CommentError, match="banned"):
        actions.post_comment(spammer, story.pk, "Let me back in")
    page = signed_in(spammer).get(f"/articles/{story.pk}/comments").content.decode()
    assert "Your account is banned from commenting." in page and "Post comment" not in page
    assert signed_in(spammer).post(f"/articles/{story.pk}/comments/post", {"text": "again"},
                                   **FRAGMENT).status_code == 400
    signed_in(manager).post(f"/moderation/readers/{spammer.pk}/lift")
    assert actions.post_comment(spammer, story.pk, "I will behave").status == Status.PUBLISHED
    actions_done = list(LogEntry.objects.filter(target=spammer).values_list("action", flat=True).order_by("id"))
    assert actions_done == ["banned (spam)", "lifted ban"]


@pytest.mark.usefixtures("open_rules")
def test_a_plain_ban_and_a_suspension(story: Any) -> None:
    reader, manager = make_reader("nia"), make_manager("oz")
    comment = actions.post_comment(reader, story.pk, "Still here")
    actions.ban_user(manager, reader.pk, "abuse")
    assert Comment.objects.get(pk=comment.pk).status == Status.PUBLISHED  # a plain ban keeps old comments
    actions.lift_user(manager, reader.pk)
    until = actions.suspend_user(manager, reader.pk, 3, "cool off")
    assert profile_of(reader).suspended_until == until
    with pytest.raises(actions.CommentError, match="suspended"):
        actions.post_comment(reader, story.pk, "now?")
    with pytest.raises(actions.CommentError, match="1 to 365"):
        actions.suspend_user(manager, reader.pk, 0, "")
    with pytest.raises(actions.CommentError, match="community manager"):
        actions.ban_user(manager, make_manager("pam").pk, "no")
    profile = profile_of(reader)
    profile.suspended_until = timezone.now() - timedelta(seconds=1)
    profile.save()
    assert actions.post_comment(reader, story.pk, "back again").status == Status.PUBLISHED


# ---- permissions, both ways ----------------------------------------------------------------------------


def moderation_posts(comment: Comment, target: Any, story: Any) -> list[tuple[str, dict[str, str]]]:
    return [
        (f"/moderation/comments/{comment.pk}/approve", {}),
        (f"/moderation/comments/{comment.pk}/reject", {"reason": "r"}),
        (f"/moderation/comments/{comment.pk}/feature", {}),
        (f"/moderation/comments/{comment.pk}/unfeature", {}),
        (f"/moderation/comments/{comment.pk}/dismiss", {}),
        (f"/moderation/readers/{target.pk}/ban", {"reason": "r"}),
        (f"/moderation/readers/{target.pk}/spam-ban", {"reason": "r"}),
        (f"/moderation/readers/{target.pk}/suspend", {"days": "2", "reason": "r"}),
        (f"/moderation/readers/{target.pk}/lift", {}),
        (f"/moderation/articles/{story.pk}/close", {}),
        (f"/moderation/articles/{story.pk}/open", {}),
    ]


@pytest.mark.usefixtures("open_rules")
def test_moderation_refuses_anonymous_readers_other_readers_and_cross_site_posts(story: Any) -> None:
    author, reader, manager = make_reader("quy"), make_reader("rex"), make_manager("sal")
    comment = actions.post_comment(author, story.pk, "Moderate me")
    anonymous = Client()
    for page in ("/moderation/", "/moderation/log"):
        assert anonymous.get(page).status_code == 302 and "/accounts/login/" in anonymous.get(page)["Location"]
        assert signed_in(reader).get(page).status_code == 403
        assert signed_in(manager).get(page).status_code == 200
    before = LogEntry.objects.count()
    for url, data in moderation_posts(comment, author, story):
        assert anonymous.post(url, data).status_code == 403, url
        assert signed_in(reader).post(url, data).status_code == 403, url
        assert signed_in(manager, csrf=True).post(url, data).status_code == 403, url  # no CSRF token
    assert LogEntry.objects.count() == before
    assert Comment.objects.get(pk=comment.pk).status == Status.PUBLISHED
    # ... and the same requests from the community manager with the token go through.
    for url, data in moderation_posts(comment, author, story):
        assert signed_in(manager).post(url, data).status_code == 303, url
    assert LogEntry.objects.filter(actor=manager).count() >= 9


@pytest.mark.usefixtures("open_rules")
def test_only_the_author_edits_and_deletes_and_never_cross_site(story: Any) -> None:
    author, other = make_reader("tia"), make_reader("uma")
    comment = actions.post_comment(author, story.pk, "Mine")
    for url, data in ((f"/comments/{comment.pk}/edit", {"text": "Changed"}), (f"/comments/{comment.pk}/delete", {})):
        assert Client().post(url, data).status_code == 403, url
        assert signed_in(other).post(url, data).status_code == 403, url
        assert signed_in(author, csrf=True).post(url, data).status_code == 403, url
        assert Comment.objects.get(pk=comment.pk).body == "Mine"
    assert signed_in(author).post(f"/comments/{comment.pk}/edit", {"text": "Changed"}).status_code == 302
    assert Comment.objects.get(pk=comment.pk).body == "Changed"
    assert signed_in(author).post(f"/comments/{comment.pk}/delete").status_code == 302
    assert Comment.objects.get(pk=comment.pk).status == Status.DELETED


@pytest.mark.usefixtures("open_rules")
def test_posting_liking_and_reporting_need_a_signed_in_reader_and_the_token(story: Any) -> None:
    author, reader = make_reader("val"), make_reader("wyn")
    comment = actions.post_comment(author, story.pk, "Target")
    writes = [(f"/articles/{story.pk}/comments/post", {"text": "hi"}), (f"/comments/{comment.pk}/like", {}),
              (f"/comments/{comment.pk}/report", {"reason": "spam"})]
    for url, data in writes:
        assert Client().post(url, data).status_code == 403, url
        assert signed_in(reader, csrf=True).post(url, data).status_code == 403, url
    assert Comment.objects.count() == 1 and Comment.objects.get(pk=comment.pk).like_count == 0
    for url, data in writes:
        assert signed_in(reader).post(url, data).status_code == 302, url
    assert Comment.objects.count() == 2 and Comment.objects.get(pk=comment.pk).like_count == 1
    # Readers see no moderation controls; community managers do.
    assert "Close comments" not in signed_in(reader).get(f"/articles/{story.pk}/comments").content.decode()
    assert "Close comments" in signed_in(make_manager("xen")).get(f"/articles/{story.pk}/comments").content.decode()
