from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings: pytest.FixtureRequest) -> None:
    """Hash test passwords quickly (the real hasher is slow by design)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture
def story(db: None) -> object:
    """A published story to comment on."""
    from tests.site.stories import ORBIS, tagged_story

    return tagged_story(1, ORBIS)


@pytest.fixture
def open_rules(settings: object) -> None:
    """No pre-moderation of new readers (most tests are about something else)."""
    settings.TICKERWIRE_COMMENTS_PREMODERATE_FIRST = 0  # type: ignore[attr-defined]
