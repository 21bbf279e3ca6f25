"""Fixtures shared by the store's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tickerwire.articles.actions.ingest import clear_reference_caches
from tickerwire.articles.related_window import forget_vectors
from tickerwire.articles.story_clusters import forget_windows


def forget_process_caches() -> None:
    """Empty the cluster and related windows and the reference caches, as a fresh process has them."""
    forget_windows()
    forget_vectors()
    clear_reference_caches()


@pytest.fixture
def fresh_process_caches() -> Iterator[None]:
    """Each test starts with empty process caches, as a fresh process on a fresh database would.

    Running on-commit callbacks inside a test transaction that is then rolled back would otherwise leave
    rolled-back ids in the caches that trust committed rows.
    """
    forget_process_caches()
    yield
    forget_process_caches()
