"""``tickerwire quarantine list|show|retry``: see what failed, see its bytes, try it again."""

from __future__ import annotations

import json

import pytest

from tests.articles.story_factory import drafts_jsonl, generated_draft
from tickerwire.articles.actions.quarantine import do_quarantine
from tickerwire.articles.models import Article, Quarantine
from tickerwire.cli import main

pytestmark = pytest.mark.django_db


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["quarantine", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_list_shows_one_line_per_input_with_reason_attempts_and_status(capsys) -> None:
    """The list has a header and id, time, path (with item), reason, attempts and status per input."""
    first = do_quarantine(b"junk", "not a story", path="in/a.txt", source_name="w", fmt="wire", item_index=None)
    do_quarantine(b"junk", "still not a story", path="in/a.txt", source_name="w", fmt="wire", item_index=None)
    second = do_quarantine(b"x\ny", "line 2: bad", path="in/b.jsonl", source_name="w", fmt="draft", item_index=1)
    status, out, _ = run(capsys, "list")
    lines = out.splitlines()
    assert status == 0
    assert lines[0] == "id\ttime\tpath\treason\tattempts\tstatus"
    rows = {int(line.split("\t")[0]): line.split("\t") for line in lines[1:]}
    assert rows[first.pk][2:] == ["in/a.txt", "still not a story", "2", "pending"]
    assert rows[second.pk][2:] == ["in/b.jsonl (item 2)", "line 2: bad", "1", "pending"]
    status, out, _ = run(capsys, "list", "--status", "resolved")
    assert out.splitlines()[1:] == []


def test_show_prints_details_and_the_first_bytes(capsys) -> None:
    """Show prints the reason, sha256, size and the beginning of the raw input."""
    raw = b"BAD WIRE COPY\n" + b"x" * 2000
    row = do_quarantine(raw, "no body", path="wire/1.txt", source_name="w", fmt="wire", item_index=None)
    status, out, _ = run(capsys, "show", str(row.pk))
    assert status == 0
    assert "reason:   no body" in out
    assert f"sha256:   {row.sha256}" in out
    assert "size:     2014 bytes" in out
    assert "--- raw input (first 600 of 2014) ---\nBAD WIRE COPY\nxxx" in out


def test_retry_stores_what_now_parses_and_resolves(capsys) -> None:
    """Retry prints one JSON line per stored story and marks the input resolved."""
    row = do_quarantine(drafts_jsonl([generated_draft(1)]), "old parser failed", path="p", source_name="w",
                        fmt="draft", item_index=None)
    status, out, err = run(capsys, "retry", str(row.pk))
    assert status == 0
    [line] = out.splitlines()
    assert json.loads(line) == {"key": generated_draft(1).key, "status": "new", "id": Article.objects.get().pk,
                                "revision": 1}
    assert err.strip() == f"quarantine {row.pk}: resolved after 1 attempt(s)"
    assert Quarantine.objects.get().status == "resolved"


def test_retry_that_fails_again_exits_one(capsys) -> None:
    """A retry that still fails prints the new reason and attempt count and exits 1."""
    row = do_quarantine(b"\x00\x01\x02", "old reason", path="p", source_name="w", fmt="draft", item_index=None)
    status, out, err = run(capsys, "retry", str(row.pk))
    assert status == 1
    result = json.loads(out)
    assert (result["status"], result["id"], result["attempts"]) == ("quarantined", row.pk, 2)
    assert result["reason"] != "old reason"
    assert "pending after 2 attempt(s)" in err


@pytest.mark.parametrize("action", ["show", "retry"])
def test_unknown_id_is_a_clear_error(capsys, action: str) -> None:
    """An id that is not in the quarantine gets one clear line and exit status 1."""
    status, out, err = run(capsys, action, "424242")
    assert (status, out) == (1, "")
    assert err.strip() == "no quarantined input has id 424242 (see `tickerwire quarantine list`)"
