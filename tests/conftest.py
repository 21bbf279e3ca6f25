"""Shared fixtures. Tests run on SQLite by default and on PostgreSQL when DATABASE_URL points there."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def example_story(name: str) -> bytes:
    """Return the bytes of a test fixture written for this project (``tests/fixtures/<name>``)."""
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(autouse=True)
def _empty_django_cache() -> None:
    """Start every test with an empty cache: cached pages and rate-limit counts never leak between tests."""
    from django.core.cache import cache

    from tickerwire.delivery.page_cache import LOCAL_PAGES

    cache.clear()
    LOCAL_PAGES.clear()
