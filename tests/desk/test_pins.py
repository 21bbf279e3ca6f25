"""Pinned stories lead the home page and section pages until they expire; pinning is the editors'."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from tests.site.stories import ORBIS, QUILL, tagged_story
from tickerwire.desk.actions import do_hold, do_pin, do_unpin
from tickerwire.desk.models import AuditEntry

pytestmark = pytest.mark.django_db


def order(html: str, headlines: list[str]) -> list[str]:
    """Return the headlines in the order the page shows them (each once)."""
    found = sorted((html.index(h), h) for h in headlines if h in html)
    return [h for _at, h in found]


@pytest.fixture
def three() -> list[str]:
    old = tagged_story(1, ORBIS, day=1, headline="Orbis Widgets old plant news")
    tagged_story(2, QUILL, day=5, headline="Quillfeather Mills newer mill news")
    tagged_story(3, QUILL, day=6, headline="Quillfeather Mills newest price news")
    return [old.headline, "Quillfeather Mills newer mill news", "Quillfeather Mills newest price news", str(old.pk)]


def test_a_pinned_story_leads_the_home_page_until_its_pin_expires(
    client: Client, three: list[str], clock: Callable[[datetime], None], django_capture_on_commit_callbacks: object
) -> None:
    old, newer, newest, old_id = three
    now = timezone.now()
    clock(now)
    assert order(client.get("/").content.decode(), [old, newer, newest])[0] == newest  # control: newest first
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        do_pin(int(old_id), until=now + timedelta(hours=2))
    home = client.get("/").content.decode()  # purged: not the copy cached before the pin
    assert order(home, [old, newer, newest])[0] == old
    clock(now + timedelta(hours=3))
    from django.core.cache import cache

    cache.clear()  # the page cache's own expiry (30 s) has long passed too
    assert order(client.get("/").content.decode(), [old, newer, newest])[0] == newest


def test_a_section_pin_leads_the_section_page_once(
    client: Client, three: list[str], django_capture_on_commit_callbacks: object
) -> None:
    old, newer, newest, old_id = three
    do_pin(int(old_id), "Business")
    page = client.get("/section/business/").content.decode()
    assert order(page, [old, newer, newest]) == [old, newest, newer]
    assert len(re.findall(re.escape(old), page)) == len(re.findall(re.escape(newest), page))  # listed once
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        do_unpin(int(old_id), "business")  # and the cached section page is purged
    assert order(client.get("/section/business/").content.decode(), [old, newer, newest])[0] == newest


def test_a_pinned_story_that_is_held_is_not_shown(client: Client, three: list[str]) -> None:
    old, _newer, _newest, old_id = three
    do_pin(int(old_id))
    do_hold(int(old_id))
    assert old not in client.get("/").content.decode()


def test_pinning_is_for_editors_and_is_audited(three: list[str]) -> None:
    _old, _newer, _newest, old_id = three
    with pytest.raises(PermissionDenied):
        do_pin(int(old_id), user=User.objects.create_user("reader"))
    with pytest.raises(ValueError, match="future"):
        do_pin(int(old_id), until=timezone.now() - timedelta(minutes=1))
    do_pin(int(old_id), "Business")
    do_unpin(int(old_id), "Business")
    assert list(AuditEntry.objects.order_by("id").values_list("action", "old_value", "new_value")) == [
        ("pin", None, {"on": "Business", "until": None}), ("unpin", {"on": "Business"}, None)]
