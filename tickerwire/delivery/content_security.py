"""The Content-Security-Policy header, built once from ``SECURE_CSP`` and sent with every response.

``SECURE_CSP`` maps each directive to its sources, in the shape of Django 6.0's own setting, so the move to
``django.middleware.csp.ContentSecurityPolicyMiddleware`` is a change of middleware only. The header is
the same bytes in every process, directives in the order the setting lists them: pages are cached as sent
(:mod:`tickerwire.delivery.page_cache`) and nginx repeats the header for static article copies
(``deploy/nginx.conf``). django-csp 4.0 orders directives through a ``set``, which differs between
processes (string hashing is randomised per process), and its nonces would be replayed from the page
cache; the policy needs neither, since nothing the site or the API docs send runs inline.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

HEADER = "Content-Security-Policy"


def policy_text(directives: Mapping[str, Sequence[str]]) -> str:
    """Return the header value of a policy: ``name source source; name ...`` in the given order."""
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


@lru_cache(maxsize=4)
def _cached_policy(items: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    return policy_text(dict(items))


def current_policy() -> str:
    """Return the header value for the ``SECURE_CSP`` setting (empty: no header)."""
    directives: Mapping[str, Sequence[str]] = getattr(settings, "SECURE_CSP", {}) or {}
    return _cached_policy(tuple((name, tuple(sources)) for name, sources in directives.items()))


class ContentSecurityPolicyMiddleware:
    """Add the policy to every response that does not set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        policy = current_policy()
        if policy and HEADER not in response:
            response[HEADER] = policy
        return response
