"""The public read API: lists with cursors, details, revisions, related, search, validators, errors."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from tickerwire.api.formatters import NINJS_MEDIA_TYPE
from tickerwire.api.pagination import encode_cursor


def get(client: Client, url: str, **headers: str):  # type: ignore[no-untyped-def]
    return client.get(url, **headers)


@pytest.mark.django_db
def test_list_is_newest_first_and_cursor_pages_without_overlap(client: Client, stored: list[int]) -> None:
    """Two pages of one and two items cover every story once, newest first."""
    first = get(client, "/api/v1/articles?limit=2").json()
    assert [item["id"] for item in first["items"]] == [stored[2], stored[1]]
    second = get(client, f"/api/v1/articles?limit=2&cursor={first['next_cursor']}").json()
    assert [item["id"] for item in second["items"]] == [stored[0]]
    assert second["next_cursor"] is None


@pytest.mark.django_db
def test_list_filters_by_date_range(client: Client, stored: list[int]) -> None:
    """since/until are whole UTC days, until exclusive."""
    items = get(client, "/api/v1/articles?since=2026-03-02&until=2026-03-03").json()["items"]
    assert [item["id"] for item in items] == [stored[1]]


@pytest.mark.django_db
def test_bad_cursor_limit_and_unknown_section_use_the_error_shape(client: Client, stored: list[int]) -> None:
    for url, status, code in [
        ("/api/v1/articles?cursor=!!!", 400, "bad_cursor"),
        ("/api/v1/articles?limit=0", 422, "invalid_request"),
        ("/api/v1/articles/1?format=xml", 422, "invalid_request"),
        ("/api/v1/articles?section=no-such", 404, "not_found"),
        ("/api/v1/articles/999999", 404, "not_found"),
        ("/api/v1/articles?since=yesterday", 422, "invalid_request"),
        ("/api/v1/articles?since=2026-02-30", 400, "bad_date"),
    ]:
        response = get(client, url)
        assert response.status_code == status, url
        assert response.json()["error"]["code"] == code, url


FORGED_CURSORS = [
    {"t": "9999-12-31T23:59:59-23:59", "i": 1},  # overflows when converted to UTC
    {"t": "0001-01-01T00:00:00+23:59", "i": 1},
    {"t": "2026-03-01T10:00:00", "i": 1},  # no zone: not one this API gave out
]


@pytest.mark.django_db
@pytest.mark.parametrize("data", FORGED_CURSORS)
def test_a_forged_cursor_out_of_range_is_a_400(client: Client, stored: list[int], data: dict[str, object]) -> None:
    response = get(client, f"/api/v1/articles?cursor={encode_cursor(data)}")
    assert (response.status_code, response.json()["error"]["code"]) == (400, "bad_cursor")


@pytest.mark.django_db
@pytest.mark.parametrize("url", [
    "/api/v1/articles?until=9999-12-31", "/api/v1/articles?since=0001-01-01",
    "/api/v1/search?q=orbis&until=9999-12-31", "/api/v1/articles?q=orbis&since=9999-12-31",
])
def test_a_date_out_of_range_is_a_400(client: Client, stored: list[int], url: str) -> None:
    response = get(client, url)
    assert response.status_code == 400, url
    assert response.json()["error"]["code"] == "bad_date"
    assert "out of range" in response.json()["error"]["message"]


@pytest.mark.django_db
def test_detail_has_the_whole_story(client: Client, stored: list[int]) -> None:
    data = get(client, f"/api/v1/articles/{stored[0]}").json()
    assert data["headline"] == "Orbis Widgets lifts outlook"
    assert data["byline"] == ["Ada Fictional", "Bo Imaginary"]
    assert data["dateline"]["place"] == "ZENITH CITY"
    assert [block["type"] for block in data["body"]] == ["paragraph", "subhead", "paragraph"]
    assert data["url"].startswith("/news/2026/03/01/")


@pytest.mark.django_db
def test_conditional_requests_get_304(client: Client, stored: list[int]) -> None:
    """Responses carry ETag and Last-Modified; repeating with them answers 304 Not Modified."""
    url = f"/api/v1/articles/{stored[0]}"
    first = get(client, url)
    assert first.has_header("ETag") and first.has_header("Last-Modified")
    assert get(client, url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert get(client, url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


@pytest.mark.django_db
def test_ninjs_by_parameter_and_by_accept_header(client: Client, stored: list[int]) -> None:
    """?format=ninjs and Accept: application/ninjs+json both give the ninjs document."""
    by_param = get(client, f"/api/v1/articles/{stored[0]}?format=ninjs")
    by_accept = get(client, f"/api/v1/articles/{stored[0]}", HTTP_ACCEPT=NINJS_MEDIA_TYPE)
    assert by_param["Content-Type"].startswith(NINJS_MEDIA_TYPE)
    assert by_param.json() == by_accept.json()
    doc = by_param.json()
    assert doc["headlines"][0]["value"] == "Orbis Widgets lifts outlook"
    assert doc["by"] == "Ada Fictional and Bo Imaginary"
    assert doc["located"] == "ZENITH CITY"
    assert "<h2>OUTLOOK</h2>" in doc["bodies"][1]["value"]
    assert "&lt;fast&gt; &amp; steadily" in doc["bodies"][1]["value"]
    assert [d["role"] for d in doc["descriptions"]] == ["summary", "credits"]
    assert doc["pubstatus"] == "usable"


@pytest.mark.django_db
def test_a_withdrawn_story_as_ninjs_is_a_410_with_its_cancellation(client: Client, stored: list[int]) -> None:
    """pubstatus canceled under the story's own uri, valid IPTC ninjs 2.2, and none of the withdrawn text."""
    from tests.acceptance.test_ninjs_output import ninjs_validator
    from tickerwire.desk.actions import do_withdraw

    usable = client.get(f"/api/v1/articles/{stored[0]}?format=ninjs").json()
    do_withdraw(stored[0])
    by_param = client.get(f"/api/v1/articles/{stored[0]}?format=ninjs")
    by_accept = client.get(f"/api/v1/articles/{stored[0]}", HTTP_ACCEPT=NINJS_MEDIA_TYPE)
    assert by_param.status_code == by_accept.status_code == 410
    assert by_param["Content-Type"].startswith(NINJS_MEDIA_TYPE) and by_param.json() == by_accept.json()
    doc = by_param.json()
    assert (doc["uri"], doc["pubstatus"], doc["version"]) == (usable["uri"], "canceled", usable["version"])
    assert "headlines" not in doc and "bodies" not in doc and "Orbis" not in by_param.content.decode()
    assert list(ninjs_validator().iter_errors(doc)) == []
    plain = client.get(f"/api/v1/articles/{stored[0]}")  # JSON still gets the error shape
    assert plain.status_code == 410 and plain.json()["error"]["code"] == "withdrawn"


@pytest.mark.django_db
def test_revisions_and_related(client: Client, stored: list[int]) -> None:
    from tests.api.conftest import make_draft
    from tickerwire.articles.actions.ingest import do_ingest_draft

    draft = make_draft("Orbis Widgets lifts outlook", "Orbis Widgets (MSX: ORBW) raised its outlook on Tuesday.",
                       published="2026-03-01T10:00:00")
    draft.body.append(draft.body[0].__class__("paragraph", "Shares rose 4%."))
    assert do_ingest_draft(draft, source_name="Test Newsroom").status == "revised"
    revisions = get(client, f"/api/v1/articles/{stored[0]}/revisions").json()
    assert [r["number"] for r in revisions] == [1, 2]
    assert len(revisions[1]["body"]) == len(revisions[0]["body"]) + 1
    related = get(client, f"/api/v1/articles/{stored[0]}/related")
    assert related.status_code == 200 and isinstance(related.json(), list)


@pytest.mark.django_db
def test_sections_tickers_and_search(client: Client, stored: list[int]) -> None:
    sections = get(client, "/api/v1/sections").json()
    assert len(sections) == 14 and sections[0]["name"] == "News"
    search = get(client, "/api/v1/search?q=wind contract").json()
    assert search["total"] == 1 and search["items"][0]["article"]["id"] == stored[1]
    assert "<mark>" in search["items"][0]["snippet_html"]
    assert get(client, "/api/v1/tickers/NOSUCHSYMBOL").status_code == 404
    assert get(client, "/api/v1/tickers?limit=5").status_code == 200


@pytest.mark.django_db
@override_settings(TICKERWIRE_API_READ_RATE="5/min")
def test_anonymous_reads_are_rate_limited_per_ip(client: Client) -> None:
    statuses = [get(client, "/api/v1/sections", REMOTE_ADDR="10.0.0.7").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    assert get(client, "/api/v1/sections", REMOTE_ADDR="10.0.0.8").status_code == 200


@pytest.mark.django_db
@override_settings(CORS_ALLOWED_ORIGINS=["https://partner.example"])
def test_cors_allows_configured_origins_only(client: Client) -> None:
    allowed = get(client, "/api/v1/sections", HTTP_ORIGIN="https://partner.example")
    assert allowed["Access-Control-Allow-Origin"] == "https://partner.example"
    other = get(client, "/api/v1/sections", HTTP_ORIGIN="https://elsewhere.example")
    assert not other.has_header("Access-Control-Allow-Origin")


@pytest.mark.django_db
def test_nul_characters_in_parameters_are_a_400(client: Client, stored: list[int]) -> None:
    """PostgreSQL cannot compare text with NUL; the API refuses it up front on every database."""
    for url in ("/api/v1/articles?section=a%00b", "/api/v1/search?q=oil%00", "/api/v1/tickers?q=%00"):
        response = get(client, url)
        assert response.status_code == 400, url
        assert response.json()["error"]["code"] == "invalid_request"
