"""One JSON error shape for every API failure: ``{"error": {"code", "message", "status"}}``."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class ErrorBody(Schema):
    code: str
    message: str
    status: int


class ErrorOut(Schema):
    error: ErrorBody


class ApiError(Exception):
    """An error answered to the client; ``code`` is machine-readable, ``message`` is for people.

    ``headers`` are sent with it (a 429's ``Retry-After``).
    """

    def __init__(self, status: int, code: str, message: str, *, headers: dict[str, str] | None = None,
                 **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "status": self.status, **self.extra}}


def not_found(what: str) -> ApiError:
    return ApiError(404, "not_found", f"{what} not found")


# Responses every read endpoint may give besides 200, for the OpenAPI document.
READ_ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}
