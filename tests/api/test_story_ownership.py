"""A key stores and revises only its own source's stories; every revision records who made it.

Before: source Beta's key revised source Alpha's article by sending the same ``uri``, and sending
``"uri": "urn:tickerwire:key:<key>"`` (the key is public in the API and in ninjs) rewrote any article.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.api.conftest import wire_story
from tickerwire.api.actions import do_create_api_key
from tickerwire.articles.models import Article, Quarantine, Revision

pytestmark = pytest.mark.django_db

URL = "/api/v1/ingest"
LEAD = "Orbis Widgets (MSX: ORBW) raised its outlook on Tuesday after strong demand for its widgets."


def ninjs(uri: str, headline: str, lead: str = LEAD) -> dict[str, str]:
    return {"uri": uri, "type": "text", "versioncreated": "2026-03-04T10:00:00Z", "headline": headline,
            "body_text": f"{lead} The company said orders grew through the quarter and into the spring."}


def push(client: Client, token: str, body: bytes, fmt: str = "auto"):  # type: ignore[no-untyped-def]
    return client.post(f"{URL}?format={fmt}", data=body, content_type="text/plain",
                       HTTP_AUTHORIZATION=f"Bearer {token}")


def push_ninjs(client: Client, token: str, *docs: dict[str, str]):  # type: ignore[no-untyped-def]
    return push(client, token, json.dumps(list(docs) if len(docs) > 1 else docs[0]).encode(), fmt="ninjs")


@pytest.fixture
def alpha() -> str:
    return do_create_api_key("Alpha Wire").token


@pytest.fixture
def beta() -> str:
    return do_create_api_key("Beta Wire").token


def snapshot(article_id: int) -> tuple[object, ...]:
    article = Article.objects.get(pk=article_id)
    return (article.headline, article.body, article.content_hash, article.revision_count, article.source.name,
            list(Revision.objects.filter(article=article).values_list("content_hash", flat=True)))


def assert_refused(response, key: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 409, response.content
    error = response.json()["error"]
    assert error["code"] == "story_owned_by_another_source"
    assert "belongs to another source" in error["message"] and "nothing was stored" in error["message"]
    assert error["refused"] == [{"index": 0, "key": key}]


def test_another_sources_key_cannot_revise_a_story_by_its_uri(client: Client, alpha: str, beta: str) -> None:
    """Beta sending Alpha's ``uri`` with new text is a 409; Alpha's story and history are untouched."""
    original = push_ninjs(client, alpha, ninjs("urn:alpha:story-1", "Orbis Widgets lifts outlook")).json()
    article_id = original["items"][0]["id"]
    before = snapshot(article_id)

    response = push_ninjs(client, beta, ninjs("urn:alpha:story-1", "Orbis Widgets collapses, says Beta",
                                              lead="Beta rewrote this story."))
    assert_refused(response, "uri:urn:alpha:story-1")
    assert snapshot(article_id) == before
    assert Article.objects.count() == 1 and not Quarantine.objects.exists()
    # The same text as Alpha's current version is refused too (no "unchanged" that names Alpha's article).
    assert push_ninjs(client, beta, ninjs("urn:alpha:story-1", "Orbis Widgets lifts outlook")).status_code == 409


def test_another_sources_key_cannot_revise_a_story_by_its_key_urn(client: Client, alpha: str, beta: str) -> None:
    """The key URN a story's ninjs ``uri`` shows (``urn:tickerwire:key:h:...``) is refused from another source."""
    original = push(client, alpha, wire_story("Orbis Widgets lifts outlook", LEAD)).json()["items"][0]
    article_id = original["id"]
    urn = client.get(f"/api/v1/articles/{article_id}?format=ninjs").json()["uri"]
    assert urn == f"urn:tickerwire:key:{original['key']}" and original["key"].startswith("h:")
    assert client.get(f"/api/v1/articles/{article_id}").json()["key"] == original["key"]
    before = snapshot(article_id)

    response = push_ninjs(client, beta, ninjs(urn, "Orbis Widgets is rewritten", lead="Beta rewrote this story."))
    assert_refused(response, original["key"])
    assert snapshot(article_id) == before


def test_a_push_naming_another_sources_story_stores_none_of_its_items(
    client: Client, alpha: str, beta: str
) -> None:
    push_ninjs(client, alpha, ninjs("urn:alpha:story-1", "Orbis Widgets lifts outlook"))
    response = push_ninjs(client, beta, ninjs("urn:alpha:story-1", "Rewritten"),
                          ninjs("urn:beta:own", "Halcyon Grid wins a wind contract", lead="Halcyon Grid won a deal."))
    assert response.status_code == 409
    assert not Article.objects.filter(uri="urn:beta:own").exists()


def test_a_source_revises_its_own_story_both_ways_and_each_revision_names_the_key(
    client: Client, alpha: str
) -> None:
    first = push_ninjs(client, alpha, ninjs("urn:alpha:story-1", "Orbis Widgets lifts outlook")).json()["items"][0]
    by_uri = push_ninjs(client, alpha, ninjs("urn:alpha:story-1", "Orbis Widgets lifts outlook again")).json()
    by_urn = push_ninjs(client, alpha, ninjs("urn:tickerwire:key:uri:urn:alpha:story-1",
                                             "Orbis Widgets lifts outlook a third time")).json()
    assert [by_uri["items"][0]["status"], by_urn["items"][0]["status"]] == ["revised", "revised"]
    prefix = alpha.split("_")[1]
    made_by = list(Revision.objects.filter(article_id=first["id"]).order_by("number").values_list("made_by", flat=True))
    assert made_by == [f"api_key:{prefix}"] * 3


def test_the_same_text_from_two_sources_is_two_stories_never_a_revision(
    client: Client, alpha: str, beta: str
) -> None:
    """A derived key (no uri) another source holds gives this source its own story, clustered, not a revision."""
    story = wire_story("Orbis Widgets lifts outlook", LEAD)
    mine = push(client, alpha, story).json()["items"][0]
    theirs = push(client, beta, story).json()["items"][0]
    assert (mine["status"], theirs["status"]) == ("new", "new")
    assert theirs["id"] != mine["id"] and theirs["key"].startswith(mine["key"] + "@s")
    assert push(client, beta, story).json()["items"][0] == {**theirs, "status": "unchanged"}
    update = push(client, beta, wire_story("Orbis Widgets lifts outlook", LEAD, marker="UPDATE 1",
                                           extra="Shares rose 3%.")).json()["items"][0]
    assert (update["id"], update["status"]) == (theirs["id"], "revised")
    assert Article.objects.get(pk=mine["id"]).revision_count == 1
    assert {Article.objects.get(pk=i).source.name for i in (mine["id"], theirs["id"])} == {"Alpha Wire", "Beta Wire"}
