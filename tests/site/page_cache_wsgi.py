"""Calling the WSGI hot-page layer as a server would, with a stand-in for Django behind it."""

from __future__ import annotations

from django.test import RequestFactory

from tickerwire.delivery.page_cache import PageCacheApp


class Inner:
    """The WSGI application behind PageCacheApp, recording whether a request reached it."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, environ: dict, start_response: object) -> list[bytes]:
        self.calls += 1
        start_response("503 Service Unavailable", [("Content-Type", "text/plain")])  # type: ignore[operator]
        return [b"rendered by Django"]


def wsgi_get(app: PageCacheApp, path: str, method: str = "GET", **headers: str) -> tuple[str, dict[str, str], bytes]:
    """Call the WSGI app like a server would; return status, headers and body."""
    environ = RequestFactory().generic(method, path, **headers).META
    seen: dict[str, object] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]]) -> None:
        seen["status"], seen["headers"] = status, dict(response_headers)

    body = b"".join(app(environ, start_response))
    return str(seen["status"]), seen["headers"], body  # type: ignore[return-value]
