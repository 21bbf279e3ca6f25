"""Shared fixtures. Tests run on SQLite by default and on PostgreSQL when DATABASE_URL points there."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
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
    """Start every test with empty caches: pages, limits, released embargoes and reference ids never leak."""
    from django.core.cache import cache

    from tickerwire.articles.actions.ingest import clear_reference_caches
    from tickerwire.articles.visibility import forget_released
    from tickerwire.delivery.page_cache import LOCAL_PAGES

    cache.clear()
    LOCAL_PAGES.clear()
    forget_released()
    # A test that runs its on-commit callbacks (django_capture_on_commit_callbacks(execute=True)) would
    # otherwise leave the ids of sources it created, then rolled back, for the next test.
    clear_reference_caches()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    """Return a setter of the time ``django.utils.timezone.now()`` reports (the store's received time)."""
    from django.utils import timezone

    def set_now(moment: datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_now


@pytest.fixture
def scratch_database_url(tmp_path: Path):
    """A database of the backend under test for this test and its subprocesses alone (a restore replaces it)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'store.sqlite3'}"
        return
    import psycopg

    s = connection.settings_dict
    name = f"tickerwire_scratch_{uuid.uuid4().hex[:10]}"
    admin = f"postgresql://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/postgres"
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    yield admin.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
