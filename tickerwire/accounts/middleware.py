"""A script-readable marker of being signed in, so the cached article page knows to fetch the reader's comments.

The session cookie is HttpOnly; the article page is one shared, cached copy for everyone. The marker
(``tw_reader=1``, no secret in it) tells the page's script to load the comment area with the reader's own
state as a fragment. It is set when a signed-in request lacks it and removed when an anonymous one carries
it; a request with neither cookie is never touched, so anonymous pages stay cookie-free and cacheable.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

MARKER = "tw_reader"


class ReaderMarkerMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        has_session = settings.SESSION_COOKIE_NAME in request.COOKIES
        has_marker = MARKER in request.COOKIES
        if not has_session and not has_marker:
            return response
        signed_in = bool(getattr(request, "user", None) and request.user.is_authenticated)
        if signed_in and not has_marker:
            response.set_cookie(MARKER, "1", samesite="Lax", secure=request.is_secure(), httponly=False)
        elif not signed_in and has_marker:
            response.delete_cookie(MARKER, samesite="Lax")
        return response
