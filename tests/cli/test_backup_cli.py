"""``tickerwire backup`` / ``restore``: a copy taken while the store is in use comes back whole, on both backends."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.articles.story_factory import drafts_jsonl, generated_draft

REPO_ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def _cli(database_url: str, home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "TICKERWIRE_HOME": str(home), "TICKERWIRE_ENRICH": "0",
           "TICKERWIRE_EMBEDDINGS": "none"}
    return subprocess.run([sys.executable, "-m", "tickerwire", *args], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def _ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def _count(database_url: str) -> int:
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:
            return int(db.execute("SELECT COUNT(*) FROM articles_article").fetchone()[0])
    import psycopg

    with psycopg.connect(database_url) as db:
        return int(db.execute("SELECT COUNT(*) FROM articles_article").fetchone()[0])


def test_backup_then_restore_gives_back_every_story(tmp_path: Path, scratch_database_url: str) -> None:
    home = tmp_path / "home"
    stories = tmp_path / "stories.jsonl"
    stories.write_bytes(drafts_jsonl([generated_draft(i) for i in range(1, 13)]))
    _ok(_cli(scratch_database_url, home, "ingest", str(stories), "--format", "draft", "--source", "backup-wire"))
    copy = tmp_path / "copy.backup"
    out = _ok(_cli(scratch_database_url, home, "backup", str(copy)))
    assert copy.stat().st_size > 0
    if scratch_database_url.startswith("sqlite"):
        assert "12 stories, integrity ok" in out

    # A second backup to the same file is refused rather than silently overwriting it.
    refused = _cli(scratch_database_url, home, "backup", str(copy))
    assert refused.returncode == 2 and "exists" in refused.stderr

    more = tmp_path / "more.jsonl"
    more.write_bytes(drafts_jsonl([generated_draft(i) for i in range(13, 16)]))
    _ok(_cli(scratch_database_url, home, "ingest", str(more), "--format", "draft", "--source", "backup-wire"))
    assert _count(scratch_database_url) == 15

    # Restoring over stories needs --force; with it, the store is the copy's again.
    refused = _cli(scratch_database_url, home, "restore", str(copy))
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert _count(scratch_database_url) == 15
    out = _ok(_cli(scratch_database_url, home, "restore", str(copy), "--force"))
    assert "12 stories" in out
    assert _count(scratch_database_url) == 12


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database" * 100)
    result = _cli(f"sqlite:///{tmp_path / 'store.sqlite3'}", tmp_path / "home", "restore", str(junk))
    assert result.returncode == 2
    assert "not a readable SQLite database" in result.stderr
