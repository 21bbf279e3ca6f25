"""The read API says what a story's date rests on and when it was received, per article and per version."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from django.test import Client

from tests.api.conftest import wire_story
from tickerwire.articles.actions.ingest import IngestOutcome, ingest_bytes

pytestmark = pytest.mark.django_db


def ingest_wire(data: bytes) -> int:
    [outcome] = ingest_bytes(data, fmt="wire", source_name="Tickerwire Test Wire", path="t.txt")
    assert isinstance(outcome, IngestOutcome), outcome
    return outcome.article_id


def test_detail_and_revisions_give_the_dateline_day_and_the_receipt(client: Client, clock) -> None:
    """A "March 4" wire story received on Mar 6 is published Mar 4 (dateline) and received Mar 6."""
    headline, lead = "Orbis Widgets opens a second plant", "Orbis Widgets (MSX: ORBW) opened a plant on Monday."
    clock(datetime(2026, 3, 6, 8, 30, tzinfo=UTC))
    article_id = ingest_wire(wire_story(headline, lead))
    clock(datetime(2026, 3, 7, 9, 0, tzinfo=UTC))
    assert ingest_wire(wire_story(headline, lead, marker="UPDATE 1", extra="Shares rose 3%.")) == article_id

    detail = client.get(f"/api/v1/articles/{article_id}").json()
    assert (detail["published"], detail["published_basis"]) == ("2026-03-04T12:00:00Z", "dateline")
    assert (detail["received"], detail["updated"]) == ("2026-03-06T08:30:00Z", "2026-03-07T09:00:00Z")
    revisions = client.get(f"/api/v1/articles/{article_id}/revisions").json()
    assert [(r["created"], r["published"], r["published_basis"]) for r in revisions] == [
        ("2026-03-06T08:30:00Z", "2026-03-04T12:00:00Z", "dateline"),
        ("2026-03-07T09:00:00Z", "2026-03-04T12:00:00Z", "dateline"),
    ]


FAR_FUTURE = "9999-12-31T23:59:59-23:59"  # overflows when converted to UTC


def far_future_ninjs(uri: str, versioncreated: str) -> bytes:
    return json.dumps({
        "uri": uri, "type": "text", "versioncreated": versioncreated,
        "headline": "Orbis Widgets lifts its outlook on strong demand",
        "body_text": "Orbis Widgets (MSX: ORBW) raised its outlook on Tuesday after strong demand for its widgets. "
                     "The company said orders grew through the quarter.",
    }).encode()


@pytest.mark.parametrize("versioncreated", [FAR_FUTURE, "9999-12-31T23:59:59Z", "0001-01-01T00:00:00+23:59"])
def test_a_time_no_story_can_have_is_read_as_unreadable_through_the_api(
    client: Client, clock, api_token: str, caplog: pytest.LogCaptureFixture, versioncreated: str
) -> None:
    """A push dated out of range is stored dated at its receipt (as text that is not a time), with no traceback."""
    clock(datetime(2026, 3, 6, 8, 30, tzinfo=UTC))
    response = client.post("/api/v1/ingest?format=ninjs", data=far_future_ninjs("urn:test:far", versioncreated),
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {api_token}")
    assert response.status_code == 200, response.content
    [item] = response.json()["items"]
    assert item["status"] == "new"
    detail = client.get(f"/api/v1/articles/{item['id']}").json()
    assert (detail["published"], detail["published_basis"]) == ("2026-03-06T08:30:00Z", "received")
    assert not [record for record in caplog.records if record.exc_info]
    assert client.get(f"/api/v1/articles/{item['id']}/revisions").status_code == 200
