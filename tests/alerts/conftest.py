"""Alerts tests run on-commit callbacks inside the test's transaction, so reference ids cached then go stale."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tickerwire.alerts import sending


@pytest.fixture(autouse=True)
def _fresh_reference_ids() -> Iterator[None]:
    from tickerwire.articles.actions.ingest import clear_reference_caches

    clear_reference_caches()
    yield
    clear_reference_caches()
    sending.after_claim = None
