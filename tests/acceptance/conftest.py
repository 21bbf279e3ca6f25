"""Shared helpers for checks against the corpora in ``../shared/data`` (skipped cleanly when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = REPO_ROOT.parent / "shared"
SHARED_DATA = SHARED / "data"
SHARED_SEEDS = SHARED / "seeds"


def require_shared_data(*parts: str) -> Path:
    """Return ``../shared/data/<parts>``; skip the calling test module when it is absent.

    Call it at module level: ``TRAIN = require_shared_data("reuters21578", "train.jsonl")``.
    """
    return require_shared("data", *parts)


def require_shared(*parts: str) -> Path:
    """Return ``../shared/<parts>`` (e.g. ``"seeds"``); skip the calling test module when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared corpora are not checked out)", allow_module_level=True)
    return path
