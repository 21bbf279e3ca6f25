"""Webhooks: the ninjs item POSTed, signed by the documented recipe, retried with back-off, withdrawn later."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.alerts.readers import announce, reader
from tests.alerts.webhook_receiver import webhook_receiver
from tests.site.stories import ORBIS, tagged_story
from tickerwire.alerts import webhooks
from tickerwire.alerts.actions import FollowError, do_follow
from tickerwire.alerts.models import Delivery
from tickerwire.alerts.sending import retry_delay
from tickerwire.alerts.tasks import run_due
from tickerwire.articles.actions.status import do_set_status

pytestmark = pytest.mark.django_db


def documented_check(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """The receiver's recipe as docs/alerts.md writes it, without our helper: HMAC-SHA256(ts + "." + body)."""
    timestamp = headers["Tickerwire-Timestamp"]
    expected = "sha256=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["Tickerwire-Signature"]) and abs(time.time() - int(timestamp)) < 300


def test_the_signature_verifies_with_the_documented_recipe_and_fails_when_tampered() -> None:
    body = b'{"uri":"urn:x","headlines":[]}'
    request = webhooks.build_request("https://hooks.example.org/x", "s3cret", 7, "alert", body)
    assert documented_check("s3cret", request.headers, body)
    ts, sig = request.headers["Tickerwire-Timestamp"], request.headers["Tickerwire-Signature"]
    assert webhooks.verify_signature("s3cret", ts, body, sig)
    assert not webhooks.verify_signature("s3cret", ts, body.replace(b"urn:x", b"urn:y"), sig)  # body changed
    assert not webhooks.verify_signature("s3cret", str(int(ts) + 1), body, sig)  # timestamp changed
    assert not webhooks.verify_signature("other", ts, body, sig)  # another secret
    assert not webhooks.verify_signature("s3cret", ts, body, sig, now=int(ts) + 3600)  # replayed an hour later
    assert not documented_check("s3cret", request.headers, body + b" ")


def test_a_webhook_address_must_be_https(settings: Any) -> None:
    ada = reader("ada")
    with pytest.raises(FollowError, match="https"):
        do_follow(ada, "ticker", ORBIS.symbol, channel="webhook", webhook_url="http://hooks.example.org/x")
    settings.TICKERWIRE_ALERTS_WEBHOOK_ALLOW_HTTP_LOOPBACK = True
    with pytest.raises(FollowError, match="https"):  # plain http only to loopback, even then
        do_follow(ada, "ticker", ORBIS.symbol, channel="webhook", webhook_url="http://hooks.example.org/x")


def test_a_webhook_posts_the_signed_ninjs_item_and_is_retried_with_back_off(
        django_capture_on_commit_callbacks: Any, settings: Any) -> None:
    settings.TICKERWIRE_ALERTS_WEBHOOK_ALLOW_HTTP_LOOPBACK = True
    settings.TICKERWIRE_ALERTS_RETRY_BASE_SECONDS = 10
    with webhook_receiver() as receiver:
        receiver.statuses = [500, 503]
        follow = do_follow(reader("ada"), "ticker", ORBIS.symbol, channel="webhook", webhook_url=receiver.url)
        article = tagged_story(1, ORBIS)
        announce(django_capture_on_commit_callbacks, article)
        [delivery] = Delivery.objects.filter(follow=follow)
        assert (delivery.state, delivery.attempts, delivery.last_error) == ("pending", 1, "answered 500")
        waited = delivery.next_attempt_at - timezone.now()
        assert timedelta(seconds=8) < waited <= timedelta(seconds=10)
        assert run_due(now=timezone.now()).get("sent", 0) == 0  # not due yet
        run_due(now=timezone.now() + timedelta(seconds=11))  # second attempt: 503, next in 20 s
        delivery.refresh_from_db()
        assert (delivery.state, delivery.attempts) == ("pending", 2)
        assert retry_delay(2) == timedelta(seconds=20)
        run_due(now=timezone.now() + timedelta(seconds=40))
        delivery.refresh_from_db()
        assert (delivery.state, delivery.attempts) == ("sent", 3)
    assert len(receiver.requests) == 3
    last = receiver.requests[-1]
    assert last.headers["Content-Type"] == "application/ninjs+json"
    assert last.headers["Tickerwire-Event"] == "alert" and last.headers["Tickerwire-Delivery"] == str(delivery.pk)
    assert documented_check(follow.webhook_secret, last.headers, last.body)
    item = json.loads(last.body)
    assert item["headlines"][0]["value"] == article.headline and item["pubstatus"] == "usable"


def test_a_webhook_gives_up_after_the_last_attempt(django_capture_on_commit_callbacks: Any, settings: Any) -> None:
    settings.TICKERWIRE_ALERTS_WEBHOOK_ALLOW_HTTP_LOOPBACK = True
    settings.TICKERWIRE_ALERTS_MAX_ATTEMPTS = 2
    with webhook_receiver() as receiver:
        receiver.statuses = [500, 500, 500]
        follow = do_follow(reader("ada"), "ticker", ORBIS.symbol, channel="webhook", webhook_url=receiver.url)
        announce(django_capture_on_commit_callbacks, tagged_story(1, ORBIS))
        run_due(now=timezone.now() + timedelta(hours=1))
        run_due(now=timezone.now() + timedelta(hours=2))
    [delivery] = Delivery.objects.filter(follow=follow)
    assert (delivery.state, delivery.attempts, len(receiver.requests)) == ("failed", 2, 2)


def test_a_withdrawal_after_the_alert_sends_a_notice_to_webhooks(
        django_capture_on_commit_callbacks: Any, settings: Any) -> None:
    settings.TICKERWIRE_ALERTS_WEBHOOK_ALLOW_HTTP_LOOPBACK = True
    with webhook_receiver() as receiver:
        follow = do_follow(reader("ada"), "ticker", ORBIS.symbol, channel="webhook", webhook_url=receiver.url)
        do_follow(reader("ben"), "ticker", ORBIS.symbol)  # email: told nothing more
        article = tagged_story(1, ORBIS)
        announce(django_capture_on_commit_callbacks, article)
        with django_capture_on_commit_callbacks(execute=True):
            do_set_status(article.pk, "withdrawn")
        with django_capture_on_commit_callbacks(execute=True):
            do_set_status(article.pk, "withdrawn")  # no change, no second notice
    events = [r.headers["Tickerwire-Event"] for r in receiver.requests]
    assert events == ["alert", "withdrawal"]
    notice = receiver.requests[1]
    assert documented_check(follow.webhook_secret, notice.headers, notice.body)
    item = json.loads(notice.body)
    assert item["pubstatus"] == "canceled" and "bodies" not in item and "headlines" not in item
