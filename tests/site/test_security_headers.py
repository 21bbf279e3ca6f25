"""Security headers on pages, the API and its docs; the page cache never answers a host the site refuses."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.site.page_cache_wsgi import Inner, wsgi_get
from tests.site.stories import ingest, story_draft
from tickerwire.delivery.page_cache import PageCacheApp

pytestmark = pytest.mark.django_db


def assert_locked_down(response) -> None:  # type: ignore[no-untyped-def]
    policy = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split("; ")}
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["script-src"] == ["'self'"] and directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_page_the_api_and_the_docs_send_csp_and_refuse_framing(client: Client) -> None:
    article = ingest(story_draft(1))
    for path in (article.get_absolute_url(), "/", "/api/v1/sections", "/api/v1/docs", "/api/v1/openapi.json"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_locked_down(response)
    cached = client.get(article.get_absolute_url())  # answered from the page cache, headers as stored
    assert_locked_down(cached)


def test_the_api_docs_load_nothing_from_another_origin_and_run_nothing_inline(client: Client) -> None:
    page = client.get("/api/v1/docs").content.decode()
    addresses = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert addresses and all(address.startswith("/static/") for address in addresses), addresses
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    inline = [attrs for attrs, body in scripts if body.strip() and 'type="application/json"' not in attrs]
    assert inline == []


def test_a_cached_page_is_not_served_for_a_host_the_site_no_longer_allows(client: Client, settings) -> None:
    """A page cached for a host later dropped from ALLOWED_HOSTS gets Django's 400, in both cache layers."""
    settings.ALLOWED_HOSTS = ["old.example", "testserver"]
    article = ingest(story_draft(1))
    path = article.get_absolute_url()
    assert client.get(path, HTTP_HOST="old.example").status_code == 200
    inner = Inner()
    assert wsgi_get(PageCacheApp(inner), path, HTTP_HOST="old.example")[0] == "200 OK" and inner.calls == 0
    settings.ALLOWED_HOSTS = ["testserver"]
    assert client.get(path, HTTP_HOST="old.example").status_code == 400
    status, _headers, body = wsgi_get(PageCacheApp(inner), path, HTTP_HOST="old.example")
    assert inner.calls == 1 and body == b"rendered by Django"
    assert client.get(path).status_code == 200
