"""Comments: posting through the rules, threads, sorting, paging, likes, edit window, delete, badge, featured,
closing, counts on the article and section pages, rate limits and notifications."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from tests.comments.helpers import make_manager, make_reader
from tickerwire.accounts.actions import update_settings
from tickerwire.comments import actions
from tickerwire.comments.models import Comment, LogEntry, Status
from tickerwire.comments.queries import thread_page

pytestmark = pytest.mark.django_db
FRAGMENT = {"HTTP_X_TICKERWIRE_FRAGMENT": "1"}


def post(author: Any, story: Any, text: str, parent: Comment | None = None) -> Comment:
    return actions.post_comment(author, story.pk, text, parent.pk if parent else None, "192.0.2.1")


def test_a_new_readers_first_comment_waits_for_review_then_they_publish(story: Any) -> None:
    reader = make_reader("amy")
    first = post(reader, story, "My first comment")
    assert first.status == Status.PENDING
    assert [c["outcome"] for c in first.checks] == ["hold", "pass", "pass", "pass", "pass", "pass"]
    actions.approve(make_manager(), first.pk)
    assert post(reader, story, "My second comment").status == Status.PUBLISHED


@pytest.mark.usefixtures("open_rules")
def test_rules_reject_hold_and_record(story: Any) -> None:
    reader = make_reader("bob")
    assert post(reader, story, "Nice work").status == Status.PUBLISHED
    assert post(reader, story, "Nice work").status == Status.REJECTED  # repeat
    spam = post(reader, story, "ORBW to the moon, guaranteed returns")
    assert spam.status == Status.REJECTED and "pump-and-dump" in spam.reject_reason
    assert post(reader, story, "read https://example.test/analysis").status == Status.PENDING
    assert LogEntry.objects.filter(action="posted:rejected").count() == 2


@pytest.mark.usefixtures("open_rules")
def test_bad_input_gets_a_clear_error(story: Any, settings: Any) -> None:
    reader = make_reader("cy")
    with pytest.raises(actions.CommentError, match="needs some text"):
        post(reader, story, "  \n ")
    settings.TICKERWIRE_COMMENTS_MAX_CHARS = 10
    with pytest.raises(actions.CommentError, match="at most 10 characters"):
        post(reader, story, "x" * 11)
    with pytest.raises(actions.CommentError, match="no such story"):
        actions.post_comment(reader, 999999, "hello")


@pytest.mark.usefixtures("open_rules")
def test_threads_show_two_levels_and_collapse_deeper_ones(story: Any) -> None:
    a, b = make_reader("dee"), make_reader("eli")
    top = post(a, story, "Top")
    reply = post(b, story, "Reply", top)
    deep = post(a, story, "Deep", reply)
    deeper = post(b, story, "Deeper", deep)
    page = thread_page(story.pk)
    assert [n.comment.pk for n in page.threads] == [top.pk]
    assert [n.comment.pk for n in page.threads[0].replies] == [reply.pk]
    assert [n.comment.pk for n in page.threads[0].replies[0].deeper] == [deep.pk, deeper.pk]
    assert (deep.depth, deeper.depth, deeper.root_id) == (2, 3, top.pk)
    html = Client().get(f"/articles/{story.pk}/comments").content.decode()
    assert '<details class="deeper-replies"><summary>2 more replies</summary>' in html


@pytest.mark.usefixtures("open_rules")
def test_sort_and_show_more(story: Any, settings: Any) -> None:
    settings.TICKERWIRE_COMMENTS_PAGE_SIZE = 2
    readers = [make_reader(f"r{n}") for n in range(4)]
    comments = []
    for n, reader in enumerate(readers):
        comment = post(reader, story, f"Comment number {n}")
        Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=10 - n))
        comments.append(comment)
    actions.set_like(readers[0], comments[1].pk, True)
    actions.set_like(readers[2], comments[1].pk, True)
    actions.set_like(readers[1], comments[2].pk, True)
    ids = [c.pk for c in comments]
    assert [n.comment.pk for n in thread_page(story.pk, sort="newest").threads] == [ids[3], ids[2]]
    assert [n.comment.pk for n in thread_page(story.pk, sort="oldest").threads] == [ids[0], ids[1]]
    assert [n.comment.pk for n in thread_page(story.pk, sort="liked").threads] == [ids[1], ids[2]]
    second = thread_page(story.pk, sort="newest", number=2)
    assert [n.comment.pk for n in second.threads] == [ids[1], ids[0]] and not second.has_next
    client = Client()
    html = client.get(f"/articles/{story.pk}/comments").content.decode()
    assert f'href="/articles/{story.pk}/comments?sort=newest&amp;page=2" data-show-more' in html
    items = client.get(f"/articles/{story.pk}/comments?sort=newest&page=2&fragment=items").content.decode()
    assert "Comment number 1" in items and "Comment number 3" not in items and "<html" not in items


@pytest.mark.usefixtures("open_rules")
def test_likes_are_one_per_reader(story: Any) -> None:
    author, fan = make_reader("fay"), make_reader("gus")
    comment = post(author, story, "Like me")
    assert actions.set_like(fan, comment.pk, True) == 1
    assert actions.set_like(fan, comment.pk, True) == 1
    with pytest.raises(actions.CommentError):
        actions.set_like(author, comment.pk, True)
    assert actions.set_like(fan, comment.pk, False) == 0
    assert actions.set_like(fan, comment.pk, False) == 0


@pytest.mark.usefixtures("open_rules")
def test_edit_within_five_minutes_shows_edited(story: Any) -> None:
    author = make_reader("hal")
    comment = post(author, story, "Frist")
    edited = actions.edit_comment(author, comment.pk, "First")
    assert edited.body == "First" and edited.edited_at is not None
    assert '<span class="edited">edited</span>' in Client().get(f"/articles/{story.pk}/comments").content.decode()
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=6))
    with pytest.raises(actions.CommentError, match="first 5 minutes"):
        actions.edit_comment(author, comment.pk, "Later")


@pytest.mark.usefixtures("open_rules")
def test_an_edit_runs_the_rules_again(story: Any) -> None:
    author = make_reader("ian")
    comment = post(author, story, "Fine words")
    assert actions.edit_comment(author, comment.pk, "to the moon").status == Status.REJECTED


@pytest.mark.usefixtures("open_rules")
def test_delete_leaves_comment_removed_where_replies_exist(story: Any) -> None:
    a, b = make_reader("jan"), make_reader("kay")
    lonely = post(a, story, "Nobody answers me")
    answered = post(a, story, "Somebody answers me")
    post(b, story, "An answer", answered)
    actions.delete_comment(a, lonely.pk)
    actions.delete_comment(a, answered.pk)
    html = Client().get(f"/articles/{story.pk}/comments").content.decode()
    assert "Nobody answers me" not in html and "Somebody answers me" not in html
    assert html.count("Comment removed") == 1 and "An answer" in html
    assert Comment.objects.get(pk=answered.pk).body == ""


@pytest.mark.usefixtures("open_rules")
def test_community_managers_badge_and_featured_comment_on_top(story: Any) -> None:
    manager, reader = make_manager("lea"), make_reader("max")
    first = post(reader, story, "An early insight")
    post(manager, story, "Thanks all, keep it civil")
    post(reader, story, "A later thought here")
    actions.feature(manager, first.pk)
    page = thread_page(story.pk)
    assert [n.comment.pk for n in page.featured] == [first.pk]
    assert first.pk not in [n.comment.pk for n in page.threads]
    html = Client().get(f"/articles/{story.pk}/comments").content.decode()
    assert html.count('<span class="badge cm-badge">Community Manager</span>') == 1
    assert html.index("An early insight") < html.index("A later thought here")
    with pytest.raises(actions.CommentError):
        actions.feature(manager, post(reader, story, "reply", first).pk)  # replies are not featured


@pytest.mark.usefixtures("open_rules")
def test_closing_per_article_and_overnight(story: Any, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    manager, reader = make_manager("ned"), make_reader("oli")
    actions.set_closed(manager, story.pk, True)
    with pytest.raises(actions.CommentError, match="closed"):
        post(reader, story, "Can I?")
    assert "Comments on this story are closed." in Client().get(f"/articles/{story.pk}/comments").content.decode()
    actions.set_closed(manager, story.pk, False)
    settings.TICKERWIRE_COMMENTS_CLOSED_HOURS = "22:00-06:00"
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 3, 4, 23, 30, tzinfo=UTC))
    with pytest.raises(actions.CommentError, match="closed overnight"):
        post(reader, story, "Late night")
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 3, 4, 12, 0, tzinfo=UTC))
    assert post(reader, story, "Midday").status == Status.PUBLISHED
    assert actions.site_closed_at(datetime(2026, 3, 4, 5, 59, tzinfo=UTC))
    assert not actions.site_closed_at(datetime(2026, 3, 4, 6, 0, tzinfo=UTC))
    with pytest.raises(ValueError, match="HH:MM-HH:MM"):
        actions.parse_hours("overnight")


@pytest.mark.usefixtures("open_rules")
def test_counts_on_article_and_section_pages(story: Any) -> None:
    reader = make_reader("pia")
    post(reader, story, "One")
    post(reader, story, "Two")
    post(reader, story, "to the moon")  # rejected: not counted
    client = Client()
    assert 'Comments <span class="count">(2)</span>' in client.get(story.get_absolute_url()).content.decode()
    section = client.get("/section/business/").content.decode()
    assert f'href="{story.get_absolute_url()}#comments">2 comments</a>' in section


@pytest.mark.usefixtures("open_rules")
def test_posting_is_limited_to_one_per_30_seconds_per_reader(story: Any) -> None:
    reader = make_reader("quin")
    client = Client()
    client.force_login(reader)
    url = f"/articles/{story.pk}/comments/post"
    first = client.post(url, {"text": "one"}, HTTP_ACCEPT="application/json")
    assert first.status_code == 201 and first.json()["status"] == "published"
    assert first.json()["id"] == Comment.objects.get(author=reader).pk
    second = client.post(url, {"text": "two"}, **FRAGMENT)
    assert second.status_code == 429 and int(second["Retry-After"]) <= 30
    assert Comment.objects.filter(author=reader).count() == 1
    # A client asking for JSON gets the outcome as JSON, with the reader's limit in RateLimit headers.
    third = client.post(url, {"text": "three"}, HTTP_ACCEPT="application/json")
    assert third.status_code == 429 and third.json()["message"].startswith("You are doing that too often")
    assert (third["X-RateLimit-Limit"], third["X-RateLimit-Remaining"]) == ("1", "0")
    assert third["X-RateLimit-Reset"] == first["X-RateLimit-Reset"] and int(third["X-RateLimit-Reset"]) % 30 == 0


@pytest.mark.usefixtures("open_rules")
def test_posting_is_limited_per_address(story: Any, settings: Any) -> None:
    settings.TICKERWIRE_COMMENTS_POST_IP_RATE = "2/10min"
    url = f"/articles/{story.pk}/comments/post"
    codes = []
    for n in range(3):
        client = Client()
        client.force_login(make_reader(f"ip{n}"))
        codes.append(client.post(url, {"text": f"from one address {n}"}, **FRAGMENT).status_code)
    assert codes == [201, 201, 429]


@pytest.mark.usefixtures("open_rules")
def test_emails_on_reply_featured_and_rejected_each_can_be_turned_off(
    story: Any, django_capture_on_commit_callbacks: Any
) -> None:
    a, b, manager = make_reader("ray"), make_reader("sue"), make_manager("tom")

    def run(call: Any, *args: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args)

    top = run(post, a, story, "Top comment")
    mail.outbox.clear()
    run(post, b, story, "A reply", top)
    assert [m.to for m in mail.outbox] == [["ray@example.test"]] and "replied" in mail.outbox[0].subject
    run(post, a, story, "Replying to my own thread", top)
    assert len(mail.outbox) == 1  # no email about one's own reply
    run(actions.feature, manager, top.pk)
    assert "featured" in mail.outbox[-1].subject
    run(actions.reject, manager, top.pk, "Off topic for this story")
    assert "Off topic for this story" in mail.outbox[-1].body
    update_settings(a, display_name="Ray", notify_replies=False, notify_featured=False, notify_rejected=False)
    mail.outbox.clear()
    second = run(post, a, story, "Another one")
    run(post, b, story, "Another reply", second)
    run(actions.feature, manager, second.pk)
    run(actions.reject, manager, second.pk, "No")
    assert mail.outbox == []


def test_a_reader_sees_their_own_comment_awaiting_review_and_nobody_else_does(story: Any) -> None:
    reader = make_reader("yul")
    held = post(reader, story, "Waiting for a community manager")
    own = thread_page(story.pk, reader)
    assert [n.comment.pk for n in own.threads] == [held.pk]
    assert thread_page(story.pk, make_reader("zoe")).threads == [] and thread_page(story.pk).threads == []
    client = Client()
    client.force_login(reader)
    assert "awaiting review" in client.get(f"/articles/{story.pk}/comments").content.decode()
    assert "Waiting for a community manager" not in Client().get(f"/articles/{story.pk}/comments").content.decode()
