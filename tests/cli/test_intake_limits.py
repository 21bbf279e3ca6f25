"""Size caps and the not-language check at every entry point: parse, ingest (files, folders, stdin), retry.

The caps are set small in each test (environment for ``parse``, settings for the store), so no large file
is ever written.
"""

from __future__ import annotations

import io
import json
import random
import string
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from tickerwire.articles.actions.ingest import do_retry_quarantine
from tickerwire.articles.models import Article, Quarantine
from tickerwire.cli import main

STORY = (
    b"Orbis Widgets orders rise at the northern plant\n\n"
    b"Orbis Widgets said on Tuesday that orders at its northern plant rose for a third month in a row, "
    b"and that it expects sales for the year to be at the top of its earlier forecast.\n"
)


def gibberish(size: int, seed: int = 11) -> bytes:
    rng = random.Random(seed)
    words = ("".join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 9))) for _ in range(size))
    return ("Qzvok wuplar tesh\n\n" + " ".join(words))[:size].encode()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, list[str]]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err.splitlines()


def test_parse_refuses_a_file_over_the_story_cap_naming_the_setting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TICKERWIRE_MAX_STORY_BYTES", "1000")
    big, small = tmp_path / "big.txt", tmp_path / "small.txt"
    big.write_bytes(STORY + b"\n" + b"More text follows in this paragraph. " * 60)
    small.write_bytes(STORY)
    status, out, err = run(capsys, "parse", str(big), str(small))
    assert status == 0 and len(out.splitlines()) == 1
    assert len(err) == 1 and err[0].startswith(f"{big}: too large:")
    assert "limit of 1,000 bytes" in err[0] and "TICKERWIRE_MAX_STORY_BYTES" in err[0]


def test_parse_refuses_input_over_the_input_cap_without_reading_it_all(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TICKERWIRE_MAX_INPUT_BYTES", "500")
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(b'{"headline": "x", "body": []}\n' * 100)
    status, _out, err = run(capsys, "parse", "--format", "draft", str(feed))
    assert status == 1 and "TICKERWIRE_MAX_INPUT_BYTES" in err[0] and "3,000 bytes" in err[0]


def test_parse_refuses_gibberish_and_too_many_paragraphs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    noise = tmp_path / "noise.txt"
    noise.write_bytes(gibberish(4000))
    status, _out, err = run(capsys, "parse", str(noise))
    assert status == 1 and err[0].startswith(f"{noise}: ") and "not language:" in err[0]
    assert "dictionary words (need" in err[0]
    monkeypatch.setenv("TICKERWIRE_MAX_STORY_PARAGRAPHS", "2")
    many = tmp_path / "many.txt"
    many.write_bytes(STORY + b"\nA second paragraph of the story.\n\nA third paragraph of the story.\n")
    status, _out, err = run(capsys, "parse", str(many))
    assert status == 1 and "3 paragraphs" in err[0] and "TICKERWIRE_MAX_STORY_PARAGRAPHS" in err[0]


def test_bad_limit_setting_is_one_line(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TICKERWIRE_MAX_STORY_BYTES", "two megs")
    status, _out, err = run(capsys, "parse", "-")
    assert status == 1
    assert err == ["TICKERWIRE_MAX_STORY_BYTES must be a whole number of bytes or paragraphs, not 'two megs'"]


@pytest.mark.django_db
@override_settings(TICKERWIRE_MAX_STORY_BYTES=1000, TICKERWIRE_MAX_INPUT_BYTES=3000)
def test_ingest_folder_quarantines_oversized_files_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """In a folder, an over-cap file is quarantined (a prefix when over every cap) and the rest is stored."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_good.txt").write_bytes(STORY)
    (folder / "b_big.txt").write_bytes(STORY + b"\n" + b"More text follows in this paragraph. " * 40)
    (folder / "c_huge.txt").write_bytes(STORY + b"\n" + b"More text follows in this paragraph. " * 200)
    status, _out, err = run(capsys, "ingest", str(folder), "--report", "jsonl")
    assert status == 0 and err[-1] == "1 new, 0 revised, 0 unchanged, 2 quarantined"
    big = Quarantine.objects.get(path=str(folder / "b_big.txt"))
    huge = Quarantine.objects.get(path=str(folder / "c_huge.txt"))
    assert "TICKERWIRE_MAX_STORY_BYTES" in big.reason and "TICKERWIRE_MAX_INPUT_BYTES" in huge.reason
    for row, path in ((big, folder / "b_big.txt"), (huge, folder / "c_huge.txt")):
        whole = path.read_bytes()
        assert bytes(row.raw) == whole[:1000] and row.size == len(whole)
        assert f"kept the first 1,000 of {len(whole):,} bytes" in row.reason
    assert Article.objects.count() == 1


@pytest.mark.django_db
@override_settings(TICKERWIRE_MAX_STORY_BYTES=1000)
def test_ingest_stdin_over_the_cap_and_retry_of_a_prefix_is_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = STORY + b"\n" + b"More text follows in this paragraph. " * 40
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    status, _out, err = run(capsys, "ingest", "-")
    assert status == 1 and "quarantined as" in err[0] and "too large" in err[0]
    row = Quarantine.objects.get()
    (result,) = do_retry_quarantine(row.pk)
    assert isinstance(result, Quarantine) and "cannot be retried" in result.reason and result.attempts == 2


@pytest.mark.django_db
def test_quarantine_retry_applies_the_cap_to_what_was_kept_whole(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An input kept whole under a larger cap is refused on retry once the cap is lowered."""
    path = tmp_path / "story.txt"
    path.write_bytes(gibberish(3000))
    run(capsys, "ingest", str(path))
    row = Quarantine.objects.get()
    assert row.reason.startswith("not language:") and bytes(row.raw) == path.read_bytes()
    with override_settings(TICKERWIRE_MAX_STORY_BYTES=1000):
        (result,) = do_retry_quarantine(row.pk)
    assert isinstance(result, Quarantine) and "too large" in result.reason


@pytest.mark.django_db
def test_ingest_stores_a_flash_once_per_day(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A headline-only wire item is stored as a flash; sending it again changes nothing."""
    path = tmp_path / "flash.txt"
    path.write_bytes(b"Northbank Maintains Orbis Widgets at Buy\n")
    status, out, _err = run(capsys, "ingest", str(path), "--source", "Desk", "--report", "jsonl")
    assert status == 0 and json.loads(out)["status"] == "new"
    status, out, _err = run(capsys, "ingest", str(path), "--source", "Desk", "--report", "jsonl")
    assert json.loads(out)["status"] == "unchanged"
    article = Article.objects.get()
    assert article.kind == "flash" and article.body == [] and article.key.startswith("f:")
