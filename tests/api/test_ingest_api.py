"""POST /api/v1/ingest: authenticated, idempotent, bounded, and nothing acknowledged is lost."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from tests.api.conftest import wire_story
from tickerwire.articles.models import Article, Quarantine, Revision

URL = "/api/v1/ingest"


def post(client: Client, body: bytes, token: str | None = None, fmt: str = "auto", header: str = "bearer"):
    headers = {}
    if token is not None:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if header == "bearer" else {"HTTP_X_API_KEY": token}
    return client.post(f"{URL}?format={fmt}", data=body, content_type="text/plain", **headers)


def error_code(response) -> str:  # type: ignore[no-untyped-def]
    return response.json()["error"]["code"]


@pytest.mark.django_db
def test_missing_wrong_and_revoked_keys_are_refused(client: Client, api_token: str) -> None:
    """No key, a wrong key and a revoked key each get 401 with their own code; nothing is stored."""
    from tickerwire.api.actions import do_revoke_api_key

    story = wire_story("Orbis Widgets lifts outlook", "Orbis Widgets raised its outlook.")
    assert post(client, story).status_code == 401
    assert error_code(post(client, story)) == "missing_api_key"
    wrong = api_token[:-4] + "abcd"
    assert error_code(post(client, story, wrong)) == "invalid_api_key"
    assert error_code(post(client, story, "not-a-key")) == "invalid_api_key"
    do_revoke_api_key(api_token.split("_")[1])
    assert error_code(post(client, story, api_token)) == "revoked_api_key"
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_both_key_headers_work_and_the_key_names_the_source(client: Client, api_token: str) -> None:
    """Bearer and X-API-Key both authenticate; stories are stored under the key's source."""
    first = post(client, wire_story("Orbis Widgets lifts outlook", "Orbis raised its outlook."), api_token)
    second = post(client, wire_story("Halcyon Grid wins contract", "Halcyon won a contract."), api_token,
                  header="x-api-key")
    assert first.status_code == 200 and second.status_code == 200
    assert first.json()["source"] == "Test Newsroom"
    assert set(Article.objects.values_list("source__name", flat=True)) == {"Test Newsroom"}


@pytest.mark.django_db
def test_same_story_twice_then_an_update(client: Client, api_token: str) -> None:
    """The same story twice is one article; a changed body is a new revision of it."""
    story = wire_story("Orbis Widgets lifts outlook", "Orbis Widgets raised its outlook on Tuesday.")
    first = post(client, story, api_token).json()["items"][0]
    again = post(client, story, api_token).json()["items"][0]
    assert first["status"] == "new" and again["status"] == "unchanged"
    assert first["id"] == again["id"] and first["key"] == again["key"]
    update = wire_story("Orbis Widgets lifts outlook", "Orbis Widgets raised its outlook on Tuesday.",
                        marker="UPDATE 1", extra="Shares rose 4% in early trading.")
    revised = post(client, update, api_token).json()["items"][0]
    assert revised["status"] == "revised" and revised["id"] == first["id"] and revised["revision"] == 2
    assert Article.objects.count() == 1
    assert Revision.objects.filter(article_id=first["id"]).count() == 2


@pytest.mark.django_db
@override_settings(TICKERWIRE_INGEST_MAX_BYTES=1000)
def test_oversized_body_gets_413(client: Client, api_token: str) -> None:
    """A body over the configured limit is refused with 413 and stores nothing."""
    story = wire_story("Orbis Widgets lifts outlook", "Orbis raised its outlook. " * 100)
    response = post(client, story, api_token)
    assert response.status_code == 413
    assert error_code(response) == "body_too_large"
    assert Article.objects.count() == 0


MALFORMED = {
    "ninjs": b'{"uri": "urn:x", "headlines": [',
    "draft": b'{"headline": "no body here", "body": "not a list"}',
    "rss": b"<rss version='2.0'><channel><title>Empty</title></channel></rss>",
    "html": b"<html><head></head><body></body></html>",
    "wire": b"\x00\x01\x02\xff\xfe binary noise \x00",
    "page": b"\x00\x00\x00",
    "auto": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
}


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", sorted(MALFORMED))
def test_malformed_input_is_a_400_and_is_quarantined(client: Client, api_token: str, fmt: str) -> None:
    """Malformed input in every format gets 400 with the parser's message and lands in the quarantine."""
    response = post(client, MALFORMED[fmt], api_token, fmt=fmt)
    assert response.status_code == 400, response.content
    body = response.json()["error"]
    assert body["code"] == "parse_error" and body["message"]
    quarantined = Quarantine.objects.get(pk=body["quarantine_ids"][0])
    assert bytes(quarantined.raw) == MALFORMED[fmt]
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_unknown_format_and_empty_body_are_refused(client: Client, api_token: str) -> None:
    """An unknown format is a 422 (the OpenAPI enum says which exist); an empty body is a 400."""
    from typing import get_args

    from tickerwire.api.routes.ingest import IngestFormat
    from tickerwire.ingest import FORMATS

    assert set(get_args(IngestFormat)) == {"auto", *FORMATS}
    assert error_code(post(client, b"x", api_token, fmt="pdf")) == "invalid_request"
    assert error_code(post(client, b"   ", api_token)) == "empty_body"


@pytest.mark.django_db
@override_settings(TICKERWIRE_API_INGEST_RATE="3/min")
def test_ingest_is_rate_limited_per_key(client: Client, api_token: str) -> None:
    """Past the per-key rate the API answers 429 with Retry-After; another key is not affected."""
    from tickerwire.api.actions import do_create_api_key

    story = wire_story("Orbis Widgets lifts outlook", "Orbis raised its outlook.")
    statuses = [post(client, story, api_token).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = post(client, story, api_token)
    assert error_code(limited) == "rate_limited" and int(limited["Retry-After"]) >= 1
    other = do_create_api_key("Other Newsroom").token
    assert post(client, story, other).status_code == 200


@pytest.mark.django_db
@override_settings(TICKERWIRE_MAX_STORY_BYTES=1000)
def test_story_over_the_cap_gets_413_json_and_is_quarantined(client: Client, api_token: str) -> None:
    """A push over the story cap is refused with 413 naming the setting; its first bytes are kept."""
    body = wire_story("Orbis Widgets orders rise", "Orbis Widgets said orders rose. " * 60)
    response = post(client, body, api_token)
    assert response.status_code == 413, response.content
    error = response.json()["error"]
    assert error["code"] == "story_too_large" and "TICKERWIRE_MAX_STORY_BYTES" in error["message"]
    row = Quarantine.objects.get(pk=error["quarantine_ids"][0])
    assert bytes(row.raw) == body[:1000] and row.size == len(body)
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_gibberish_push_is_quarantined_not_published(client: Client, api_token: str) -> None:
    """Random letter strings are a 400 "not language" and land in the quarantine whole."""
    import random
    import string

    rng = random.Random(2)
    noise = " ".join("".join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 9))) for _ in range(800))
    body = f"Xqvr plomb zeta\n\n{noise}\n".encode()
    response = post(client, body, api_token)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "parse_error" and "not language:" in error["message"]
    assert bytes(Quarantine.objects.get(pk=error["quarantine_ids"][0]).raw) == body
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_flash_push_is_stored_and_shown_as_a_flash_in_json_and_ninjs(client: Client, api_token: str) -> None:
    response = post(client, b"Northbank Maintains Orbis Widgets at Buy\n", api_token)
    assert response.status_code == 200, response.content
    (item,) = response.json()["items"]
    article = client.get(f"/api/v1/articles/{item['id']}").json()
    assert article["kind"] == "flash" and article["body"] == []
    ninjs = client.get(f"/api/v1/articles/{item['id']}?format=ninjs")
    assert ninjs.status_code == 200, ninjs.content
    doc = ninjs.json()
    assert doc["genres"] == [{"name": "Flash", "literal": "flash", "uri": "urn:tickerwire:genre:flash"}]
    assert "bodies" not in doc
