"""Webhook alerts: an HTTPS POST of the story's ninjs item, signed so the receiver can trust it.

Each request carries:

- ``Content-Type: application/ninjs+json``; the body is the ninjs 2.2 item (:func:`format_ninjs`), or for a
  withdrawal a short item with ``pubstatus: canceled``;
- ``Tickerwire-Event``: ``alert``, ``update`` or ``withdrawal``;
- ``Tickerwire-Delivery``: the delivery's id; the same id may come twice (delivery is at-least-once), so a
  receiver that has seen it can ignore it;
- ``Tickerwire-Timestamp``: Unix seconds when the request was signed;
- ``Tickerwire-Signature``: ``sha256=`` and the hex HMAC-SHA256, keyed by the follow's webhook secret, of
  the bytes ``timestamp + "." + body``.

To verify (see :func:`verify_signature`): recompute the HMAC over the timestamp header, a dot and the raw
body as received, compare it to the signature with a constant-time comparison, and refuse a timestamp more
than five minutes from your clock (a replay).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx
from django.conf import settings

from tickerwire.api.formatters import NINJS_MEDIA_TYPE, format_ninjs
from tickerwire.articles.models import Article
from tickerwire.core.draft import key_uri
from tickerwire.sources.fetch import GuardedBackend

SIGNATURE_HEADER = "Tickerwire-Signature"
TIMESTAMP_HEADER = "Tickerwire-Timestamp"
EVENT_HEADER = "Tickerwire-Event"
DELIVERY_HEADER = "Tickerwire-Delivery"
TOLERANCE_SECONDS = 300


class WebhookError(Exception):
    """The receiver did not take the delivery (connection failed, timed out, or answered other than 2xx)."""


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """Return the signature header value of a body sent at ``timestamp``."""
    digest = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def verify_signature(
    secret: str, timestamp: str, body: bytes, header: str, *, now: float | None = None,
    tolerance: float = TOLERANCE_SECONDS,
) -> bool:
    """Return whether a received webhook is ours and fresh: the receiver's side of the recipe above."""
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - sent_at) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), header)


def withdrawal_item(article: Article) -> dict[str, Any]:
    """Return the ninjs notice that an alerted story was withdrawn (no text: it was taken down)."""
    return {"uri": key_uri(article.key), "type": "text", "pubstatus": "canceled",
            "version": str(article.revision_count)}


def request_body(article: Article, event: str) -> bytes:
    """Return the bytes a webhook of this event posts for the story."""
    item = withdrawal_item(article) if event == "withdrawal" else format_ninjs(article)
    return json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class WebhookRequest:
    url: str
    headers: dict[str, str]
    body: bytes


def build_request(url: str, secret: str, delivery_id: int, event: str, body: bytes,
                  *, now: float | None = None) -> WebhookRequest:
    """Return the signed request of one delivery."""
    timestamp = str(int(time.time() if now is None else now))
    headers = {
        "Content-Type": NINJS_MEDIA_TYPE,
        EVENT_HEADER: event,
        DELIVERY_HEADER: str(delivery_id),
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: signature(secret, timestamp, body),
        "User-Agent": "Tickerwire-Webhooks/1",
    }
    return WebhookRequest(url, headers, body)


def post(request: WebhookRequest) -> int:
    """Send one webhook request; return the status, or raise :class:`WebhookError` when not taken (2xx)."""
    from tickerwire.alerts.actions import FollowError, check_webhook_url

    try:
        check_webhook_url(request.url)  # settings may have changed since the follow was saved
    except FollowError as exc:
        raise WebhookError(str(exc)) from None
    try:
        response = _client(settings.TICKERWIRE_ALERTS_WEBHOOK_ALLOW_HTTP_LOOPBACK).post(
            request.url, content=request.body, headers=request.headers)
    except httpx.HTTPError as exc:
        raise WebhookError(f"{type(exc).__name__}: {exc}") from None
    if not 200 <= response.status_code < 300:
        raise WebhookError(f"answered {response.status_code}")
    return response.status_code


@functools.lru_cache(maxsize=2)
def _client(allow_private: bool) -> httpx.Client:
    """Return the webhook client: every connection checked by the pollers' SSRF guard (no private addresses,
    unless loopback http is allowed for tests), no redirects followed, no proxy from the environment."""
    transport = httpx.HTTPTransport(trust_env=False)
    transport._pool = httpcore.ConnectionPool(network_backend=GuardedBackend(allow_private=allow_private))
    return httpx.Client(transport=transport, trust_env=False, follow_redirects=False,
                        timeout=httpx.Timeout(settings.TICKERWIRE_ALERTS_WEBHOOK_TIMEOUT_SECONDS))
