"""Public addresses of site paths: the configured site URL when one is set, else the request's own host.

``TICKERWIRE_SITE_URL`` names the address readers use (behind a proxy, the one host search engines should
index). When it is not set, a page names the host it was asked for, so a server started on another port or
machine never points readers at ``127.0.0.1:8000``. Pages, feeds, sitemaps and the API all follow this rule.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest


def configured_site_url() -> str:
    """Return ``TICKERWIRE_SITE_URL`` without a trailing slash, or ``""`` when it was not set."""
    return str(getattr(settings, "SITE_URL", "") or "").rstrip("/")


def public_url(path: str, request: HttpRequest) -> str:
    """Return the absolute address of a site path for a reader who sent ``request``."""
    base = configured_site_url()
    return base + path if base else request.build_absolute_uri(path)


def public_base(request: HttpRequest) -> str:
    """Return the scheme and host (no trailing slash) that absolute addresses start with."""
    return public_url("/", request).rstrip("/")


def feed_address(path: str) -> str:
    """Return a path for a feed or sitemap: absolute on the configured site URL, else left for the request's host.

    Django's feeds and sitemaps add the request's host to a relative path themselves, and keep an absolute one.
    """
    base = configured_site_url()
    return base + path if base else path


def configured_host() -> tuple[str, str] | None:
    """Return ``(scheme, host)`` of the configured site URL, or None when it was not set."""
    base = configured_site_url()
    if not base:
        return None
    parts = urlsplit(base)
    return parts.scheme or "https", parts.netloc
