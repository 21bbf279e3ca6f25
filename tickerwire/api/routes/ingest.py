"""``POST /api/v1/ingest``: newsrooms push stories in any format ``tickerwire parse`` accepts."""

from __future__ import annotations

from typing import BinaryIO, Literal

from django.conf import settings
from django.http import HttpRequest
from ninja import Router
from ninja.security import APIKeyHeader, HttpBearer

from tickerwire.api.errors import ApiError, ErrorOut
from tickerwire.api.keys import KeyCheck, check_token
from tickerwire.api.models import ApiKey
from tickerwire.api.schemas import IngestOut
from tickerwire.api.throttles import IngestThrottle, authentication_succeeded, begin_authentication
from tickerwire.articles.actions.ingest import IngestOutcome, RefusedItem, SkippedItem, ingest_bytes
from tickerwire.articles.models import Quarantine, revision_maker

router = Router(tags=["ingest"])

# The formats `tickerwire parse` accepts (tickerwire.ingest.FORMATS), spelled out for the OpenAPI document.
IngestFormat = Literal["auto", "page", "wire", "html", "rss", "ninjs", "draft"]


def _authenticate(request: HttpRequest, token: str | None) -> ApiKey:
    """Return the valid key ``token`` names; failures are limited per client IP and per key prefix (429)."""
    token = token or ""
    attempt = begin_authentication(request, token)
    result = check_token(token)
    if result.status is KeyCheck.VALID:
        authentication_succeeded(attempt)
    if result.status is KeyCheck.MISSING:
        raise ApiError(401, "missing_api_key", "send your API key as 'Authorization: Bearer <key>' or X-API-Key")
    if result.status is KeyCheck.REVOKED:
        raise ApiError(401, "revoked_api_key", "this API key was revoked; ask for a new one")
    if result.api_key is None:
        raise ApiError(401, "invalid_api_key", "this API key is not valid")
    return result.api_key


class BearerKey(HttpBearer):
    """``Authorization: Bearer <key>``; without that header the X-API-Key scheme is tried next."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey:
        return _authenticate(request, token)


class HeaderKey(APIKeyHeader):
    """``X-API-Key: <key>``; tried last, so a request with neither header gets ``missing_api_key``."""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiKey:
        return _authenticate(request, key)


def read_limited_body(request: HttpRequest) -> bytes:
    """Return the request body, refusing more than the configured limit with 413.

    A declared ``Content-Length`` over the limit is refused before anything is read. A chunked body
    (``Transfer-Encoding: chunked``, no length) is read from the server's input stream, which Django would
    read as empty, until it ends or passes the limit.
    """
    limit = settings.TICKERWIRE_INGEST_MAX_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise ApiError(400, "bad_content_length", "Content-Length is not a number") from None
    if declared > limit:
        raise ApiError(413, "body_too_large", f"the body is {declared} bytes; the limit is {limit}")
    if not declared and is_chunked(request):
        data = read_up_to(request.META["wsgi.input"], limit + 1)
    else:
        data = request.read(limit + 1)
    if len(data) > limit:
        raise ApiError(413, "body_too_large", f"the body is over the limit of {limit} bytes")
    return data


def is_chunked(request: HttpRequest) -> bool:
    """Return whether the body comes in chunks with no declared length."""
    encodings = str(request.META.get("HTTP_TRANSFER_ENCODING") or "").lower()
    return "chunked" in (part.strip() for part in encodings.split(",")) and "wsgi.input" in request.META


def read_up_to(stream: BinaryIO, most: int, block: int = 64 * 1024) -> bytes:
    """Read ``stream`` to its end or until ``most`` bytes, whichever comes first (a read may return fewer)."""
    parts: list[bytes] = []
    size = 0
    while size < most:
        part = stream.read(min(block, most - size))
        if not part:
            break
        parts.append(part)
        size += len(part)
    return b"".join(parts)


@router.post(
    "/ingest",
    auth=[BearerKey(), HeaderKey()],
    throttle=[IngestThrottle()],
    response={200: IngestOut, 400: ErrorOut, 401: ErrorOut, 409: ErrorOut, 413: ErrorOut, 422: ErrorOut,
              429: ErrorOut},
    summary="Push stories (ninjs, wire text, RSS/Atom, HTML or draft JSON)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                media: {"schema": {"type": "string"}}
                for media in ("text/plain", "application/json", "application/xml", "text/html")
            },
        }
    },
)
def ingest(request: HttpRequest, format: IngestFormat = "auto") -> dict:  # noqa: A002
    """Store each story of the body under the key's source; idempotent by story key.

    Each item reports ``new``, ``revised``, ``unchanged``, ``skipped`` (nothing to publish) or
    ``quarantined`` (kept with its reason for an operator). Input that yields no story at all is a 400
    with the parser's message (text that is not language among them), or a 413 when it is over the story
    size cap (``TICKERWIRE_MAX_STORY_BYTES``); it is quarantined all the same. A key stores and revises
    only its own source's stories: a body with an item whose ``uri`` (or ``urn:tickerwire:key:`` key) is
    another source's story is a 409 ``story_owned_by_another_source`` naming the items, and nothing of it
    is stored. Each revision records the key (``api_key:<prefix>``) as who made it.
    """
    api_key: ApiKey = request.auth  # type: ignore[attr-defined]
    data = read_limited_body(request)
    if not data.strip():
        raise ApiError(400, "empty_body", "the request body is empty")
    results = ingest_bytes(data, fmt=format, source_name=api_key.source.name, path=f"api:{api_key.prefix}",
                           made_by=revision_maker("api_key", api_key.prefix), refuse_whole_input=True,
                           arrive_held=api_key.arrive_held, raise_when_unavailable=True)
    refused = [result for result in results if isinstance(result, RefusedItem)]
    if refused:
        stored = sum(isinstance(result, IngestOutcome) for result in results)
        raise ApiError(
            409, "story_owned_by_another_source",
            "; ".join(f"item {r.item_index}: {r.reason}" for r in refused)[:2000]
            + ("; nothing was stored" if not stored else f"; {stored} other item(s) were stored"),
            refused=[{"index": r.item_index, "key": r.key} for r in refused],
        )
    items = []
    for index, result in enumerate(results):
        if isinstance(result, IngestOutcome):
            items.append({"index": index, "status": result.status, "id": result.article_id, "key": result.key,
                          "revision": result.revision_number})
        elif isinstance(result, SkippedItem):
            items.append({"index": result.item_index, "status": "skipped", "reason": result.reason})
        elif isinstance(result, Quarantine):
            items.append({"index": result.item_index if result.item_index is not None else index,
                          "status": "quarantined", "quarantine_id": result.pk, "reason": result.reason})
    if items and all(item["status"] == "quarantined" for item in items):
        if all(str(item["reason"]).startswith("too large") for item in items):
            raise ApiError(413, "story_too_large", "; ".join(str(i["reason"]) for i in items)[:2000],
                           quarantine_ids=[i["quarantine_id"] for i in items])
        raise ApiError(400, "parse_error", "; ".join(str(i["reason"]) for i in items)[:2000],
                       quarantine_ids=[i["quarantine_id"] for i in items])
    return {"source": api_key.source.name, "items": items}
