"""A source under review: its new stories arrive held (pushed over the API or ingested), for an editor to publish."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.api.conftest import wire_story
from tests.site.stories import ingest, story_draft
from tickerwire.api.actions import do_create_api_key, do_set_key_arrive_held
from tickerwire.api.models import ApiKey
from tickerwire.articles.actions.sources import do_set_arrive_held
from tickerwire.articles.models import Article
from tickerwire.cli import main
from tickerwire.desk.actions import do_publish

pytestmark = pytest.mark.django_db


def test_new_stories_from_a_held_source_arrive_held_and_revisions_keep_the_status(client: Client) -> None:
    do_set_arrive_held("Sample Markets Desk", True)
    article = ingest(story_draft(1))
    assert article.status == "held"
    assert client.get(article.get_absolute_url()).status_code == 404
    assert article.headline not in client.get("/").content.decode()
    do_publish(article.pk)
    revised = ingest(story_draft(1, extra_paragraph="Shipments resumed on Friday."))
    assert revised.pk == article.pk and revised.status == "published"  # a revision keeps the editor's status
    assert client.get(article.get_absolute_url()).status_code == 200


def test_other_sources_and_the_setting_turned_off_publish_at_once() -> None:
    do_set_arrive_held("Another Wire", True)
    assert ingest(story_draft(2)).status == "published"  # "Sample Markets Desk" is not under review
    do_set_arrive_held("Sample Markets Desk", True)
    do_set_arrive_held("Sample Markets Desk", False)
    assert ingest(story_draft(3)).status == "published"


def test_a_story_pushed_with_a_key_of_a_held_source_arrives_held(client: Client) -> None:
    token = do_create_api_key("Review Newsroom").token
    do_set_arrive_held(ApiKey.objects.get().source.name, True)
    response = client.post("/api/v1/ingest?format=wire", wire_story("Orbis Widgets opens a plant", "Orbis said so."),
                           content_type="text/plain", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code in (200, 201), response.content
    [item] = response.json()["items"]
    assert item["status"] == "new" and Article.objects.get(pk=item["id"]).status == "held"
    assert client.get(f"/api/v1/articles/{item['id']}").status_code == 404


def push(client: Client, token: str, headline: str) -> dict:
    response = client.post("/api/v1/ingest?format=wire", wire_story(headline, f"{headline}, it said."),
                           content_type="text/plain", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code in (200, 201), response.content
    [item] = response.json()["items"]
    return item


def test_a_key_under_review_holds_its_new_stories_and_the_sources_other_keys_do_not(client: Client) -> None:
    """Per key: a newsroom's new key is reviewed while its established key keeps publishing at once."""
    trusted = do_create_api_key("Review Newsroom", "desk pc").token
    reviewed = do_create_api_key("Review Newsroom", "new tool", arrive_held=True)
    held = push(client, reviewed.token, "Orbis Widgets opens a plant")
    assert held["status"] == "new" and Article.objects.get(pk=held["id"]).status == "held"
    assert client.get(f"/api/v1/articles/{held['id']}").status_code == 404
    published = push(client, trusted, "Quillfeather Mills cuts prices")
    assert Article.objects.get(pk=published["id"]).status == "published"
    do_set_key_arrive_held(reviewed.api_key.prefix, False)
    later = push(client, reviewed.token, "Orbis Widgets hires 200")
    assert Article.objects.get(pk=later["id"]).status == "published"
    assert Article.objects.get(pk=held["id"]).status == "held"  # stories already stored keep their status


def test_the_apikey_cli_sets_it_per_key(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["apikey", "create", "CLI Newsroom", "--held"]) == 0
    capsys.readouterr()
    key = ApiKey.objects.get()
    assert key.arrive_held
    assert main(["apikey", "list"]) == 0
    assert "new stories arrive held" in capsys.readouterr().out
    assert main(["apikey", "arrive-held", key.prefix, "off"]) == 0
    assert capsys.readouterr().out.strip() == f"{key.prefix} (CLI Newsroom): new stories arrive published"
    assert not ApiKey.objects.get().arrive_held
    assert main(["apikey", "arrive-held", "nosuchkey", "on"]) == 1
    assert "no key with prefix 'nosuchkey'" in capsys.readouterr().err


def test_the_cli_sets_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["desk", "arrive-held", "Review Wire", "on"]) == 0
    assert capsys.readouterr().out.strip() == "Review Wire: new stories arrive held"
    assert main(["desk", "arrive-held", "Review Wire", "off"]) == 0
    assert capsys.readouterr().out.strip() == "Review Wire: new stories arrive published"


def test_the_cli_creates_the_roles(capsys: pytest.CaptureFixture[str]) -> None:
    """Editors get the story permissions; the community manager none of them (comments only); admin gets auth."""
    from django.contrib.auth.models import Group

    assert main(["desk", "roles"]) == 0
    counts = dict(line.split(": ") for line in capsys.readouterr().out.strip().splitlines())
    assert set(counts) == {"editor", "community manager", "admin"}
    editor = set(Group.objects.get(name="editor").permissions.values_list("codename", flat=True))
    assert {"edit_stories", "change_article", "view_auditentry"} <= editor and "change_user" not in editor
    manager = set(Group.objects.get(name="community manager").permissions.values_list("codename", flat=True))
    assert not manager & {"edit_stories", "change_article", "change_user"}
    admin = set(Group.objects.get(name="admin").permissions.values_list("codename", flat=True))
    assert "change_user" in admin and "edit_stories" not in admin
