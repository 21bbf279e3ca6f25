"""The versioned API object: routers, the error shape, throttles and the OpenAPI document."""

from __future__ import annotations

import math

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from tickerwire.api.errors import ApiError
from tickerwire.api.routes import articles, ingest, tickers
from tickerwire.api.throttles import ReadThrottle

api = NinjaAPI(
    title="Tickerwire API",
    version="1",
    description="Financial news as JSON and IPTC ninjs: articles, sections, tickers, search and ingestion.",
    urls_namespace="api-v1",
    throttle=[ReadThrottle()],
    # Swagger UI comes from django-ninja's static files ("ninja" is an installed app); no validator badge,
    # which would ask validator.swagger.io about every page view.
    docs=Swagger(settings={"validatorUrl": None}),
)
api.add_router("/", articles.router)
api.add_router("/", tickers.router)
api.add_router("/", ingest.router)


def _error(request: HttpRequest, status: int, code: str, message: str, **extra: object) -> HttpResponse:
    return api.create_response(
        request, {"error": {"code": code, "message": message, "status": status, **extra}}, status=status
    )


@api.exception_handler(ApiError)
def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    response = api.create_response(request, exc.body(), status=exc.status)
    for name, value in exc.headers.items():
        response[name] = value
    return response


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = "; ".join(
        f"{'.'.join(str(p) for p in error.get('loc', ()))}: {error.get('msg', '')}" for error in exc.errors
    )
    return _error(request, 422, "invalid_request", details or "the request is not valid")


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "missing_api_key", "this endpoint needs an API key")


@api.exception_handler(Throttled)
def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    return too_many_requests(request, exc.wait)


def too_many_requests(request: HttpRequest, wait: float | None) -> HttpResponse:
    """The API's 429, with Retry-After when the limiter knows when a slot frees."""
    response = _error(request, 429, "rate_limited", "too many requests; slow down and retry later")
    if wait:
        response["Retry-After"] = str(max(1, math.ceil(wait)))
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, "http_error", str(exc))
