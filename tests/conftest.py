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
