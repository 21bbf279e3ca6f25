"""The API docs page works offline: Swagger UI and its assets come from this server, never a CDN."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def page_assets(page: str) -> list[str]:
    """Return every address the page loads or links (src and href attributes)."""
    return re.findall(r'\b(?:src|href)="([^"]+)"', page)


def test_docs_page_loads_only_same_origin_assets_that_answer(client: Client) -> None:
    """Every script, stylesheet and icon of /api/v1/docs is a path on this server that answers 200."""
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assets = page_assets(page)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    for asset in assets:
        parts = urlsplit(asset)
        assert not parts.scheme and not parts.netloc and asset.startswith("/"), asset
        answer = client.get(asset)
        assert answer.status_code == 200, asset
    # No request to the online validator either (its badge would be fetched from validator.swagger.io).
    assert '"validatorUrl": null' in page
    assert client.get("/api/v1/openapi.json").status_code == 200
