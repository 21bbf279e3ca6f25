"""Refuse API query strings that no database can compare: text with NUL characters.

PostgreSQL rejects ``\\x00`` in any text value, so a filter such as ``?section=a%00b`` would otherwise
end as a 500 there (and silently match nothing on SQLite). Both now get the API's 400 error shape.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse


class RejectNulInQuery:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/") and _has_nul(request):
            return JsonResponse(
                {"error": {"code": "invalid_request", "message": "query parameters may not contain NUL characters",
                           "status": 400}},
                status=400,
            )
        return self.get_response(request)


def _has_nul(request: HttpRequest) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists())
