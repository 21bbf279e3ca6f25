"""The desk (the admin at /desk/): editors list, filter, correct and change stories; other roles cannot."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from tests.site.stories import ORBIS, QUILL, file_under, story_draft, tagged_story
from tickerwire.articles.actions.ingest import do_ingest_draft
from tickerwire.articles.models import Article, ArticleTicker
from tickerwire.desk.admin import figure_lines
from tickerwire.desk.models import AuditEntry
from tickerwire.desk.roles import ADMIN, COMMUNITY_MANAGER, EDITOR, ensure_roles

pytestmark = pytest.mark.django_db
LIST = "/desk/articles/article/"


def signed_in(role: str | None, name: str) -> Client:
    """Return a client signed in as a staff member with one role (or none)."""
    ensure_roles()
    user = User.objects.create_user(name, password="pw", is_staff=True)
    if role is not None:
        user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return client


def change_form(article: Article, **fields: str) -> dict[str, str]:
    """Return the story form as the desk posts it, with ``fields`` changed."""
    count = str(article.revisions.count())
    data = {
        "headline": article.headline, "status": article.status, "embargo_until_0": "", "embargo_until_1": "",
        "remove_tickers": "", "add_tickers": "", "lead_section": "",
        "summary_bullets": "\n".join(article.summary), "key_figures": figure_lines(article.figures),
        "revisions-TOTAL_FORMS": count, "revisions-INITIAL_FORMS": count,
        "revisions-MIN_NUM_FORMS": "0", "revisions-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    return data


@pytest.fixture
def stories() -> tuple[Article, Article]:
    orbis = tagged_story(1, ORBIS, headline="Orbis Widgets opens its Lowmoor plant")
    quill = tagged_story(2, QUILL, headline="Quillfeather Mills cuts paper prices")
    file_under(orbis, "Technology")
    return orbis, quill


def test_an_editor_lists_and_filters_stories(stories: tuple[Article, Article]) -> None:
    orbis, quill = stories
    client = signed_in(EDITOR, "ed")
    listing = client.get(LIST).content.decode()
    assert orbis.headline in listing and quill.headline in listing
    by_ticker = client.get(LIST, {"ticker": ORBIS.symbol}).content.decode()
    assert orbis.headline in by_ticker and quill.headline not in by_ticker
    by_section = client.get(LIST, {"section": "technology"}).content.decode()
    assert orbis.headline in by_section and quill.headline not in by_section
    Article.objects.filter(pk=quill.pk).update(status="held")
    held = client.get(LIST, {"status__exact": "held"}).content.decode()
    assert quill.headline in held and orbis.headline not in held
    other = do_ingest_draft(story_draft(7, headline="Bramble Foods opens a bakery"), source_name="Other Desk")
    by_source = client.get(LIST, {"source__id__exact": str(orbis.source_id)}).content.decode()
    assert orbis.headline in by_source and "Bramble Foods opens a bakery" not in by_source
    assert "Bramble Foods opens a bakery" in client.get(LIST, {"source__id__exact": str(
        Article.objects.get(pk=other.article_id).source_id)}).content.decode()


def test_an_editor_lists_and_filters_the_quarantine() -> None:
    """What could not be stored, by source and status, with its reason (the raw bytes are not shown)."""
    from tickerwire.articles.actions.quarantine import do_quarantine
    from tickerwire.articles.models import Quarantine

    do_quarantine(b"\x00garbage-one", "not language", path="http://a.example/feed", source_name="Wire A",
                  fmt="rss", item_index=None)
    do_quarantine(b"\x00garbage-two", "too large: 9 bytes", path="api:abc", source_name="Wire B", fmt="auto",
                  item_index=0)
    Quarantine.objects.filter(source_name="Wire B").update(status="resolved")
    client = signed_in(EDITOR, "ed")
    quarantine = "/desk/articles/quarantine/"
    everything = client.get(quarantine).content.decode()
    assert "not language" in everything and "too large: 9 bytes" in everything
    by_source = client.get(quarantine, {"source_name": "Wire A"}).content.decode()
    assert "not language" in by_source and "too large" not in by_source
    pending = client.get(quarantine, {"status__exact": "pending"}).content.decode()
    assert "not language" in pending and "too large" not in pending
    assert "garbage-one" not in client.get(f"{quarantine}{Quarantine.objects.get(source_name='Wire A').pk}/change/"
                                           ).content.decode()


def test_the_story_page_shows_each_revision_and_what_changed(stories: tuple[Article, Article]) -> None:
    orbis, _quill = stories
    do_ingest_draft(story_draft(1, company=ORBIS, headline="Orbis Widgets opens its Lowmoor plant",
                                extra_paragraph="Hiring starts in May."), source_name="Sample Markets Desk")
    page = signed_in(EDITOR, "ed").get(f"{LIST}{orbis.pk}/change/").content.decode()
    assert "first version" in page and "<ins> Hiring starts in May.</ins>" in page


def test_an_editor_corrects_tickers_and_withdraws_through_the_form(stories: tuple[Article, Article]) -> None:
    orbis, _quill = stories
    client = signed_in(EDITOR, "ed")
    form = change_form(orbis, remove_tickers=ORBIS.symbol, add_tickers=QUILL.symbol, status="withdrawn")
    response = client.post(f"{LIST}{orbis.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    orbis.refresh_from_db()
    assert orbis.status == "withdrawn"
    assert set(ArticleTicker.objects.filter(article=orbis).values_list("symbol", flat=True)) == {QUILL.symbol}
    assert set(AuditEntry.objects.values_list("username", "action")) == {("ed", "correct_tickers"),
                                                                        ("ed", "set_withdrawn")}
    assert Client().get(orbis.get_absolute_url()).status_code == 410


def test_an_editor_edits_the_summary_and_key_figures_through_the_form(stories: tuple[Article, Article]) -> None:
    orbis, _quill = stories
    Article.objects.filter(pk=orbis.pk).update(
        summary=["Orbis opens a plant"],
        figures=[{"text": "$90 million", "metric": "plant cost", "value": 9e7, "unit": "USD", "sentence": "s"}],
    )
    orbis.refresh_from_db()
    client = signed_in(EDITOR, "ed")
    page = client.get(f"{LIST}{orbis.pk}/change/").content.decode()
    assert "Orbis opens a plant" in page and "$90 million | plant cost" in page  # the form shows what is there
    unchanged = client.post(f"{LIST}{orbis.pk}/change/", change_form(orbis))
    assert unchanged.status_code == 302 and not AuditEntry.objects.exists()  # an untouched form changes nothing
    form = change_form(orbis, summary_bullets="Orbis opens its Lowmoor plant\nIt hires 200",
                       key_figures="$90 million | Lowmoor plant cost\n200 | jobs")
    assert client.post(f"{LIST}{orbis.pk}/change/", form).status_code == 302
    orbis.refresh_from_db()
    assert orbis.summary == ["Orbis opens its Lowmoor plant", "It hires 200"] and orbis.corrected_at is not None
    assert orbis.figures == [
        {"text": "$90 million", "metric": "Lowmoor plant cost", "value": 9e7, "unit": "USD", "sentence": "s"},
        {"text": "200", "metric": "jobs"},
    ]
    assert set(AuditEntry.objects.values_list("action", flat=True)) == {"edit_summary", "edit_figures"}
    bad = client.post(f"{LIST}{orbis.pk}/change/", change_form(orbis, key_figures=" | jobs"))
    assert bad.status_code == 200 and "needs its text" in bad.content.decode()


def test_an_editor_holds_stories_with_the_list_action(stories: tuple[Article, Article]) -> None:
    orbis, quill = stories
    client = signed_in(EDITOR, "ed")
    response = client.post(LIST, {"action": "hold_stories", "_selected_action": [orbis.pk, quill.pk]})
    assert response.status_code == 302
    assert set(Article.objects.values_list("status", flat=True)) == {"held"}
    assert AuditEntry.objects.filter(action="set_held").count() == 2


@pytest.mark.parametrize("role", [COMMUNITY_MANAGER, ADMIN, None])
def test_other_roles_cannot_change_stories(stories: tuple[Article, Article], role: str | None) -> None:
    """Refused by the server: no list, no story form, no bulk action; nothing changes, nothing is logged."""
    orbis, _quill = stories
    client = signed_in(role, "someone")
    assert client.get(LIST).status_code == 403
    assert client.post(f"{LIST}{orbis.pk}/change/", change_form(orbis, status="withdrawn")).status_code == 403
    assert client.post(LIST, {"action": "withdraw_stories", "_selected_action": [orbis.pk]}).status_code == 403
    orbis.refresh_from_db()
    assert orbis.status == "published" and not AuditEntry.objects.exists()


def test_only_the_admin_role_manages_users() -> None:
    assert signed_in(ADMIN, "boss").get("/desk/auth/user/").status_code == 200
    assert signed_in(EDITOR, "ed").get("/desk/auth/user/").status_code == 403


def test_readers_are_sent_to_sign_in(stories: tuple[Article, Article]) -> None:
    response = Client().get(LIST)
    assert response.status_code == 302 and "/desk/login/" in response["Location"]


def test_an_editor_pins_a_story_from_its_page_and_unpins_it_from_the_pin_list(
    stories: tuple[Article, Article],
) -> None:
    orbis, _quill = stories
    client = signed_in(EDITOR, "ed")
    response = client.post(f"{LIST}{orbis.pk}/change/", change_form(orbis, pin_on="home", pin_until="2099-01-01 12:00"))
    assert response.status_code == 302, response.content.decode()[:2000]
    [pin] = orbis.pins.all()
    assert pin.section is None and pin.expires_at is not None and pin.expires_at.year == 2099
    assert "2099-01-01 12:00" in client.get(f"{LIST}{orbis.pk}/change/").content.decode()
    response = client.post("/desk/articles/pin/", {"action": "unpin", "_selected_action": [pin.pk]})
    assert response.status_code == 302 and not orbis.pins.exists()
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == ["pin", "unpin"]
    manager = signed_in(COMMUNITY_MANAGER, "cm")
    assert manager.post(f"{LIST}{orbis.pk}/change/", change_form(orbis, pin_on="home")).status_code == 403
    assert not orbis.pins.exists()


def test_an_editor_puts_a_source_under_review_from_the_source_list(stories: tuple[Article, Article]) -> None:
    source = stories[0].source
    manager = signed_in(COMMUNITY_MANAGER, "cm")
    assert manager.post("/desk/articles/source/", {"action": "hold_new_stories",
                                                   "_selected_action": [source.pk]}).status_code == 403
    source.refresh_from_db()
    assert source.arrive_held is False
    editor = signed_in(EDITOR, "ed")
    response = editor.post("/desk/articles/source/", {"action": "hold_new_stories", "_selected_action": [source.pk]})
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.arrive_held is True


def test_the_community_manager_role_is_for_comments_only_both_ways() -> None:
    """Comments' permissions (whatever app provides them), and not one story, user or source permission."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    from tickerwire.desk.actions import may_edit

    comment_type, _ = ContentType.objects.get_or_create(app_label="comments", model="comment")
    Permission.objects.get_or_create(codename="moderate_comment", content_type=comment_type,
                                     defaults={"name": "Can moderate comments"})
    ensure_roles()
    manager_group = Group.objects.get(name=COMMUNITY_MANAGER)
    apps = set(manager_group.permissions.values_list("content_type__app_label", flat=True))
    assert apps == {"comments"}
    manager = User.objects.create_user("cm", is_staff=True)
    manager.groups.add(manager_group)
    manager = User.objects.get(pk=manager.pk)
    assert manager.has_perm("comments.moderate_comment")  # may do the comments' work
    assert not may_edit(manager) and not manager.has_perm("articles.change_article")  # and no story work
    editor = User.objects.create_user("ed2", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITOR))
    editor = User.objects.get(pk=editor.pk)
    assert may_edit(editor) and not editor.has_perm("comments.moderate_comment")  # the other way round
