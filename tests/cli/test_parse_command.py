"""``tickerwire parse`` on a mix of good and garbage files: one clear line per failure, no traceback, the
good files still printed, and a non-zero exit only when nothing parsed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tickerwire.cli import main

GARBAGE: dict[str, bytes] = {
    "empty.txt": b"",
    "blank.txt": b"  \n\t\n",
    "image.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
    "archive.gz": b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xcbH\xcd\xc9\xc9\x07\x00",
    "broken.json": b'{"headline": "Orbis", "body": [',
    "weather.json": b'{"weather": "sunny", "wind": 3}',
    "invoice.xml": b'<?xml version="1.0"?><invoice><total>3</total></invoice>',
    "empty-feed.xml": (FIXTURES / "rss_empty.xml").read_bytes(),
    "bad-utf16.txt": b"\xff\xfe\x00\xd8",
}
GOOD = ["html_orbis.html", "rss_atom.xml", "ninjs_v1_text.json"]


@pytest.fixture
def garbage_files(tmp_path: Path) -> list[Path]:
    paths = []
    for name, data in GARBAGE.items():
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def assert_one_line_per_failure(stderr: str, failed: list[Path]) -> None:
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    for path in failed:
        mine = [line for line in lines if line.startswith(f"{path}: ")]
        assert len(mine) == 1, (path, lines)
        reason = mine[0][len(f"{path}: ") :]
        assert reason.strip() and "internal parser error" not in reason


def test_in_process_garbage_and_good_files(garbage_files: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    """Good files print their stories (in order) despite garbage files, each garbage file gets one error line."""
    good = [FIXTURES / name for name in GOOD]
    status = main(["parse", *map(str, [garbage_files[0], good[0], *garbage_files[1:], *good[1:]])])
    out, err = capsys.readouterr()
    assert status == 0
    stories = [json.loads(line) for line in out.splitlines()]
    assert [story["format"] for story in stories] == ["html", "rss", "rss", "ninjs"]
    assert stories[0]["headline"] == "Orbis Widgets lifts outlook as orders rise"
    assert_one_line_per_failure(err, garbage_files)
    assert f"{garbage_files[0]}: input is empty" in err
    assert "binary" in err and "not valid JSON" in err and "feed has no entries" in err


def test_in_process_only_garbage_exits_non_zero(garbage_files: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    """When nothing parses the exit status is 1 and stdout stays empty."""
    assert main(["parse", *map(str, garbage_files)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert_one_line_per_failure(err, garbage_files)


def test_missing_file_and_item_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A missing file is a read error; bad items of a good file are named once each and the rest print."""
    missing = tmp_path / "nowhere.json"
    feed = FIXTURES / "rss_markets.xml"
    assert main(["parse", str(missing), str(feed)]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 2
    assert f"{missing}: cannot read:" in err
    assert f"{feed}: entry 3 (urn:sample:markets:photo-77): media only, with no title or text (skipped)" in err
    assert f"{feed}: entry 4 (urn:sample:markets:1003): no title" in err
    assert "item 3" not in err  # the parser's own label, not a second one


def test_forced_format_mismatch_is_an_error_not_a_crash(capsys: pytest.CaptureFixture[str]) -> None:
    """--format names the parser; a file of another format gets that parser's reason."""
    path = FIXTURES / "html_orbis.html"
    assert main(["parse", "--format", "ninjs", str(path)]) == 1
    _out, err = capsys.readouterr()
    assert err.startswith(f"{path}: ") and "not valid JSON" in err and "Traceback" not in err


def test_subprocess_reports_garbage_without_traceback(garbage_files: list[Path]) -> None:
    """The installed `tickerwire` script behaves the same: no traceback, good stories out, exit 0."""
    executable = Path(sys.executable).with_name("tickerwire")
    if not executable.exists():
        pytest.skip(f"{executable} is not installed (pip install -e .)")
    good = FIXTURES / "ninjs_v3_camel.json"
    stdin_story = (FIXTURES / "rss_rdf.xml").read_bytes()
    run = subprocess.run(
        [str(executable), "parse", *map(str, garbage_files), str(good), "-"],
        input=stdin_story,
        capture_output=True,
        timeout=120,
        check=False,
    )
    stderr = run.stderr.decode("utf-8")
    assert run.returncode == 0, stderr
    headlines = [json.loads(line)["headline"] for line in run.stdout.decode("utf-8").splitlines()]
    assert headlines == ["Lumen Grid wins offshore lease", "Pinecone Stores opens 12 outlets"]
    assert_one_line_per_failure(stderr, garbage_files)
    only_garbage = subprocess.run(
        [str(executable), "parse", *map(str, garbage_files)], capture_output=True, timeout=120, check=False
    )
    assert only_garbage.returncode == 1
    assert "Traceback" not in only_garbage.stderr.decode("utf-8")


def test_own_output_round_trips_through_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`tickerwire parse` of its own output prints the same bytes again."""
    assert main(["parse", *(str(FIXTURES / name) for name in GOOD)]) == 0
    first, _ = capsys.readouterr()
    printed = tmp_path / "drafts.jsonl"
    printed.write_text(first, encoding="utf-8")
    assert main(["parse", str(printed)]) == 0
    second, err = capsys.readouterr()
    assert second == first and err == ""
