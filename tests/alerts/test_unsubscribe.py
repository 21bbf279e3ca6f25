"""Every alert email's unsubscribe link works without signing in, and a tampered link does nothing."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from tests.alerts.readers import announce, reader
from tests.site.stories import ORBIS, QUILL, tagged_story
from tickerwire.alerts.actions import do_follow
from tickerwire.alerts.models import Delivery, Follow
from tickerwire.alerts.tokens import unsubscribe_token

pytestmark = pytest.mark.django_db


def link_in(message: Any) -> str:
    return urlsplit(message.extra_headers["List-Unsubscribe"].strip("<>")).path


def test_unsubscribe_works_without_logging_in(django_capture_on_commit_callbacks: Any) -> None:
    ada = reader("ada")
    orbis = do_follow(ada, "ticker", ORBIS.symbol)
    quill = do_follow(ada, "ticker", QUILL.symbol)
    announce(django_capture_on_commit_callbacks, tagged_story(1, ORBIS))
    path = link_in(mail.outbox[0])
    assert path in mail.outbox[0].body
    anonymous = Client(enforce_csrf_checks=True)
    page = anonymous.get(path)
    assert page.status_code == 200 and b"Unsubscribe" in page.content and ORBIS.symbol.encode() in page.content
    orbis.refresh_from_db()
    assert orbis.channel == "email"  # a GET (a link scanner) changes nothing
    done = anonymous.post(path)  # the page's button, with no session and no CSRF token
    assert done.status_code == 200 and b"no more emails" in done.content
    orbis.refresh_from_db()
    quill.refresh_from_db()
    assert (orbis.channel, quill.channel) == ("none", "email")  # the follow stays for My news
    announce(django_capture_on_commit_callbacks, tagged_story(2, ORBIS))
    assert len(mail.outbox) == 1


def test_the_one_click_post_of_a_mail_client_unsubscribes(django_capture_on_commit_callbacks: Any) -> None:
    ada = reader("ada")
    do_follow(ada, "ticker", ORBIS.symbol, channel="digest")
    Delivery.objects.all().delete()
    token = unsubscribe_token(ada.pk, None)
    response = Client(enforce_csrf_checks=True).post(f"/alerts/unsubscribe/{token}",
                                                     data="List-Unsubscribe=One-Click",
                                                     content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert Follow.objects.get().channel == "none"


def test_a_tampered_unsubscribe_link_does_nothing() -> None:
    ada = reader("ada")
    follow = do_follow(ada, "ticker", ORBIS.symbol)
    token = unsubscribe_token(ada.pk, follow.pk)
    other = unsubscribe_token(ada.pk + 1, follow.pk)
    forged = token.split(":")[0] + ":" + other.split(":")[-1]
    for bad in (forged, token[:-3], "nonsense"):
        assert Client().post(f"/alerts/unsubscribe/{bad}").status_code == 400
    follow.refresh_from_db()
    assert follow.channel == "email"
