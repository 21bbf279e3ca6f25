"""``tickerwire ingest``: summary line, JSON Lines report, exit statuses, directories, crash safety."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from tests.articles.story_factory import drafts_jsonl, generated_draft, write_drafts
from tickerwire.articles.models import Article, Quarantine, Revision
from tickerwire.cli import main
from tickerwire.core.draft import ArticleDraft, Block

REPO_ROOT = Path(__file__).resolve().parents[2]
BAD_LINE = b'{"headline": ["not", "text"]}\n'
TEST_SOURCE = "subprocess-test-wire"


def run_ingest(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], list[str]]:
    """Run ``tickerwire ingest`` in-process; return the exit status, stdout lines and stderr lines."""
    status = main(["ingest", *args])
    captured = capsys.readouterr()
    return status, captured.out.splitlines(), captured.err.splitlines()


@pytest.mark.django_db
def test_summary_line_and_jsonl_report_describe_every_item(tmp_path: Path, capsys) -> None:
    """Each item gets a report line (article id, or quarantine id); stderr ends with the summary line."""
    stories = tmp_path / "stories.jsonl"
    stories.write_bytes(
        drafts_jsonl([generated_draft(1), generated_draft(2)]) + BAD_LINE + drafts_jsonl([generated_draft(3)])
    )
    status, out, err = run_ingest(capsys, str(stories), "--format", "draft", "--report", "jsonl")
    assert status == 0
    assert err[-1] == "3 new, 0 revised, 0 unchanged, 1 quarantined"
    rows = [json.loads(line) for line in out]
    assert [row["status"] for row in rows] == ["new", "new", "quarantined", "new"]
    assert {row["path"] for row in rows} == {str(stories)}
    assert [row["key"] for row in rows if row["status"] == "new"] == [generated_draft(n).key for n in (1, 2, 3)]
    stored_ids = {row["id"] for row in rows if row["status"] == "new"}
    assert stored_ids == set(Article.objects.values_list("id", flat=True))
    quarantine = Quarantine.objects.get()
    assert rows[2]["id"] == quarantine.pk
    assert rows[2]["key"] is None
    assert bytes(quarantine.raw) == stories.read_bytes()
    assert any(f"quarantined as {quarantine.pk}" in line for line in err)


@pytest.mark.django_db
def test_second_run_is_unchanged_and_an_edited_story_is_revised(tmp_path: Path, capsys) -> None:
    """Re-running changes nothing; an edited story is counted as revised."""
    stories = write_drafts(tmp_path / "s.jsonl", [generated_draft(n) for n in range(5)])
    assert run_ingest(capsys, str(stories), "--format", "draft")[2][-1] == (
        "5 new, 0 revised, 0 unchanged, 0 quarantined"
    )
    assert run_ingest(capsys, str(stories), "--format", "draft")[2][-1] == (
        "0 new, 0 revised, 5 unchanged, 0 quarantined"
    )
    write_drafts(stories, [generated_draft(n, extra=" Revised." if n == 2 else "") for n in range(5)])
    status, out, err = run_ingest(capsys, str(stories), "--format", "draft")
    assert (status, out, err[-1]) == (0, [], "0 new, 1 revised, 4 unchanged, 0 quarantined")
    assert Revision.objects.count() == 6


@pytest.mark.django_db
def test_exit_status_is_one_only_when_everything_failed(tmp_path: Path, capsys) -> None:
    """Only-bad input exits 1; bad input next to good input exits 0; a missing file alone exits 1."""
    junk = tmp_path / "junk.jsonl"
    junk.write_bytes(b"not json at all\nnor this\n")
    good = write_drafts(tmp_path / "good.jsonl", [generated_draft(1)])
    status, _, err = run_ingest(capsys, str(junk), "--format", "draft")
    assert (status, err[-1]) == (1, "0 new, 0 revised, 0 unchanged, 1 quarantined")
    status, _, err = run_ingest(capsys, str(junk), str(good), "--format", "draft")
    assert (status, err[-1]) == (0, "1 new, 0 revised, 0 unchanged, 1 quarantined")
    status, _, err = run_ingest(capsys, str(tmp_path / "missing.jsonl"))
    assert (status, err[-1]) == (1, "0 new, 0 revised, 0 unchanged, 0 quarantined, 1 unreadable")
    assert any("missing.jsonl: cannot read" in line for line in err)
    status, _, err = run_ingest(capsys, str(good), "--format", "draft")
    assert (status, err[-1]) == (0, "0 new, 0 revised, 1 unchanged, 0 quarantined")


@pytest.mark.django_db
def test_directory_is_ingested_file_by_file_in_sorted_order(tmp_path: Path, capsys) -> None:
    """A directory means the files below it, sorted, hidden files left out."""
    (tmp_path / "b").mkdir()
    write_drafts(tmp_path / "b" / "2.jsonl", [generated_draft(2)])
    write_drafts(tmp_path / "a.jsonl", [generated_draft(1)])
    write_drafts(tmp_path / "c.jsonl", [generated_draft(3)])
    (tmp_path / ".hidden.jsonl").write_bytes(b"ignored")
    status, out, _ = run_ingest(capsys, str(tmp_path), "--format", "draft", "--report", "jsonl")
    assert status == 0
    paths = [Path(json.loads(line)["path"]).relative_to(tmp_path).as_posix() for line in out]
    assert paths == ["a.jsonl", "b/2.jsonl", "c.jsonl"]
    assert not Quarantine.objects.exists()


@pytest.mark.django_db
def test_skipped_items_are_counted_not_quarantined(tmp_path: Path, capsys, monkeypatch) -> None:
    """An item with nothing to publish is reported as skipped and adds no quarantine row."""
    from tickerwire.articles.actions import ingest as ingest_actions
    from tickerwire.ingest import SkippedStory

    monkeypatch.setattr(
        ingest_actions, "parse_bytes", lambda data, fmt, **_: [generated_draft(1), SkippedStory("media only")]
    )
    source = tmp_path / "feed.json"
    source.write_bytes(b"{}")
    status, out, err = run_ingest(capsys, str(source), "--format", "draft", "--report", "jsonl")
    assert status == 0
    assert err[-1] == "1 new, 0 revised, 0 unchanged, 0 quarantined, 1 skipped"
    assert json.loads(out[1]) == {
        "path": str(source),
        "key": None,
        "status": "skipped",
        "id": None,
        "reason": "media only",
    }
    assert not Quarantine.objects.exists()


# --- subprocesses: the real command, killed and raced -------------------------------------------


def subprocess_database_url(tmp_path: Path) -> str:
    """Return a DATABASE_URL a subprocess shares with this test: PostgreSQL's test database, or a file."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        auth = quote(s["USER"] or "") + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
        return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{quote(s['NAME'])}"
    return f"sqlite:///{tmp_path / 'shared.sqlite3'}"


def query(database_url: str, sql: str) -> list[tuple]:
    """Run one read query against the database the subprocesses write to."""
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=10) as db:
            return db.execute(sql).fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def tickerwire(
    database_url: str, tmp_path: Path, *args: str, enrich: bool = False, **popen: object
) -> subprocess.Popen:
    # The store path alone by default: enrichment at ingest (tests/articles/test_enrich_store.py) would make
    # these thousands of stories take minutes. With ``enrich``, tagging and clusters but no embedding model.
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TICKERWIRE_HOME": str(tmp_path / "home"),
        "TICKERWIRE_ENRICH": "1" if enrich else "0",
        "TICKERWIRE_EMBEDDINGS": "none",
    }
    return subprocess.Popen(  # type: ignore[call-overload]
        [sys.executable, "-m", "tickerwire", *args], cwd=REPO_ROOT, env=env, **popen
    )


def start_ingest(database_url: str, tmp_path: Path, stories: Path, stderr: object) -> subprocess.Popen:
    """Start ``tickerwire ingest`` of a draft file in a subprocess writing to ``database_url``."""
    return tickerwire(database_url, tmp_path, "ingest", str(stories), "--format", "draft", "--source", TEST_SOURCE,
                      stdout=subprocess.DEVNULL, stderr=stderr)


def article_count(database_url: str) -> int:
    """Return how many articles the test's source has in the subprocesses' database."""
    sql = (
        "SELECT COUNT(*) FROM articles_article a JOIN articles_source s ON s.id = a.source_id"
        f" WHERE s.name = '{TEST_SOURCE}'"
    )
    try:
        return int(query(database_url, sql)[0][0])
    except sqlite3.OperationalError:  # the first run has not created the tables yet
        return 0


def assert_each_story_stored_once(database_url: str, keys: set[str]) -> None:
    """Every key is one article with one revision, and nothing was quarantined.

    Scoped to the source the test ingests as: committed tests share the database with earlier tests.
    """
    source = f"(SELECT id FROM articles_source WHERE name = '{TEST_SOURCE}')"
    rows = query(database_url, f"SELECT key, revision_count FROM articles_article WHERE source_id = {source}")
    assert len(rows) == len(keys)
    assert {key for key, _ in rows} == keys
    assert {count for _, count in rows} == {1}
    revisions = query(
        database_url,
        "SELECT COUNT(*), MAX(r.number) FROM articles_revision r JOIN articles_article a ON a.id = r.article_id"
        f" WHERE a.source_id = {source}",
    )
    assert tuple(revisions[0]) == (len(keys), 1)
    quarantined = f"SELECT COUNT(*) FROM articles_quarantine WHERE source_name = '{TEST_SOURCE}'"
    assert query(database_url, quarantined)[0][0] == 0


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_sigkill_mid_run_then_rerun_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    """Killing ingest mid-run and running it again stores every story exactly once, revision 1 each."""
    drafts = [generated_draft(n) for n in range(2500)]
    stories = write_drafts(tmp_path / "stories.jsonl", drafts)
    database_url = subprocess_database_url(tmp_path)
    with (tmp_path / "first.err").open("wb") as log:
        first = start_ingest(database_url, tmp_path, stories, log)
        deadline = time.monotonic() + 120
        while first.poll() is None and article_count(database_url) < 400 and time.monotonic() < deadline:
            time.sleep(0.02)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    stored_at_kill = article_count(database_url)
    assert first.returncode == -signal.SIGKILL, (tmp_path / "first.err").read_text()
    assert 0 < stored_at_kill < len(drafts)

    second = start_ingest(database_url, tmp_path, stories, subprocess.PIPE)
    _, err = second.communicate(timeout=300)
    assert second.returncode == 0, err.decode()
    summary = err.decode().splitlines()[-1]
    new, _revised, unchanged = (int(part.split()[0]) for part in summary.split(", ")[:3])
    assert summary.endswith(", 0 quarantined") and ", 0 revised, " in summary
    assert unchanged >= stored_at_kill and new + unchanged == len(drafts)
    assert_each_story_stored_once(database_url, {d.key for d in drafts})


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_three_processes_ingesting_the_same_stories_at_once_store_each_once(tmp_path: Path) -> None:
    """Concurrent ingest processes of one input race on every key and still store each story once."""
    drafts = [generated_draft(n) for n in range(300)]
    stories = write_drafts(tmp_path / "stories.jsonl", drafts)
    database_url = subprocess_database_url(tmp_path)
    migrate = tickerwire(database_url, tmp_path, "quarantine", "list", stdout=subprocess.DEVNULL)
    assert migrate.wait(timeout=120) == 0
    runs = [start_ingest(database_url, tmp_path, stories, subprocess.PIPE) for _ in range(3)]
    summaries = []
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err.decode()
        summaries.append(err.decode().splitlines()[-1])
    assert sum(int(summary.split()[0]) for summary in summaries) == len(drafts), summaries
    assert_each_story_stored_once(database_url, {d.key for d in drafts})


# Six invented stories that share no wording, so each is its own cluster.
STORY_LEADS = (
    "Harbour cranes at Port Alder stood idle for a third day as talks on the dock contract stalled.",
    "Copper smelter owner Tessaline Metals cut its annual output forecast after a furnace fire in Lowmoor.",
    "The central bank of Zenith held its benchmark rate at 4.5% and signalled patience on inflation.",
    "Orbis Widgets agreed to buy hinge maker Quillfeather Mills for 1.2 billion crowns in cash.",
    "Wheat futures jumped to a seven-month high on drought worries across the northern plains.",
    "Regulators fined payments start-up Kestrelfin for lax checks on overseas money transfers.",
)


def near_duplicate_drafts(versions: int) -> list[list[ArticleDraft]]:
    """Return each invented story sent ``versions`` times by different wires (other keys, near-same text).

    The versions of one story differ in their last words only, as rewrites of one wire story do.
    """
    out = []
    for group, lead in enumerate(STORY_LEADS):
        base = generated_draft(group)
        words = lead.split()
        out.append([
            replace(base, headline=" ".join(words[:8]), uri=f"https://wire-{version}.invalid/story/{group}",
                    body=[Block("paragraph", lead), Block("paragraph", " ".join(reversed(words))),
                          Block("paragraph", f"{words[0]} {words[1]} said more would follow, version {version}.")])
            for version in range(versions)
        ])
    return out


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_processes_ingesting_near_duplicates_at_once_make_one_cluster_each(tmp_path: Path) -> None:
    """Versions of one story ingested by two workers at once end in one cluster, never one per worker."""
    stories = near_duplicate_drafts(versions=8)
    halves = [[d for group in stories for d in group[worker::2]] for worker in range(2)]
    files = [write_drafts(tmp_path / f"worker{n}.jsonl", half) for n, half in enumerate(halves)]
    database_url = subprocess_database_url(tmp_path)
    migrate = tickerwire(database_url, tmp_path, "quarantine", "list", stdout=subprocess.DEVNULL)
    assert migrate.wait(timeout=120) == 0
    runs = [
        tickerwire(database_url, tmp_path, "ingest", str(path), "--format", "draft", "--source", TEST_SOURCE,
                   enrich=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for path in files
    ]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err.decode()
    source = f"(SELECT id FROM articles_source WHERE name = '{TEST_SOURCE}')"
    rows = dict(query(database_url, f"SELECT key, cluster_key FROM articles_article WHERE source_id = {source}"))
    clusters = [{rows[d.key] for d in group} for group in stories]
    assert all(len(found) == 1 and "" not in found for found in clusters), clusters
    assert len(set().union(*clusters)) == len(stories)


@pytest.mark.django_db
def test_a_far_future_time_is_read_as_unreadable_by_the_cli(tmp_path: Path, capsys, caplog) -> None:
    """A ``versioncreated`` of ``9999-12-31T23:59:59-23:59`` is stored dated at its receipt, with no traceback."""
    story = tmp_path / "far.json"
    story.write_text(json.dumps({
        "uri": "urn:test:far-cli", "type": "text", "versioncreated": "9999-12-31T23:59:59-23:59",
        "headline": "Orbis Widgets lifts its outlook on strong demand",
        "body_text": "Orbis Widgets (MSX: ORBW) raised its outlook on Tuesday after strong demand for its widgets. "
                     "The company said orders grew through the quarter.",
    }))
    status, _out, err = run_ingest(capsys, str(story), "--format", "ninjs", "--source", "Far Wire")
    assert (status, err[-1]) == (0, "1 new, 0 revised, 0 unchanged, 0 quarantined")
    article = Article.objects.get(uri="urn:test:far-cli")
    assert (article.published_basis, article.published_text) == ("received", "9999-12-31T23:59:59-23:59")
    assert not Quarantine.objects.exists()
    assert not [record for record in caplog.records if record.exc_info]


@pytest.mark.django_db
def test_another_sources_story_is_refused_by_the_cli(tmp_path: Path, capsys) -> None:
    """``--source Beta`` cannot revise Alpha's story by its uri: refused, said so, exit 1; revisions name the CLI."""
    owned = replace(generated_draft(1), uri="urn:test:alpha-1")
    (tmp_path / "alpha.jsonl").write_bytes(drafts_jsonl([owned]))
    (tmp_path / "beta.jsonl").write_bytes(drafts_jsonl([replace(owned, headline="Rewritten by Beta")]))
    assert run_ingest(capsys, str(tmp_path / "alpha.jsonl"), "--format", "draft", "--source", "Alpha")[0] == 0
    status, out, err = run_ingest(capsys, str(tmp_path / "beta.jsonl"), "--format", "draft", "--source", "Beta",
                                  "--report", "jsonl")
    assert status == 1
    assert err[-1] == "0 new, 0 revised, 0 unchanged, 0 quarantined, 1 refused"
    assert "item 1: refused: the story 'uri:urn:test:alpha-1' belongs to another source" in "\n".join(err)
    assert json.loads(out[0])["status"] == "refused"
    article = Article.objects.get()
    assert (article.headline, article.source.name, article.revision_count) == (owned.headline, "Alpha", 1)
    assert article.revisions.get().made_by.startswith("cli:")
