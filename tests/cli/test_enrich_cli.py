"""``tickerwire enrich``: the parse JSON Lines with an ``enrichment`` key, no database, embedding on request;
``tickerwire related``: the stored related keys of articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.articles.story_factory import write_drafts
from tickerwire.cli import main
from tickerwire.core.draft import ArticleDraft, Block, SourceRef


def story(headline: str, text: str) -> ArticleDraft:
    return ArticleDraft(
        headline=headline,
        source=SourceRef(site="Tickerwire Sample Wire"),
        published="2026-04-01T08:00:00",
        body=[Block("paragraph", text)],
        format="draft",
    )


@pytest.fixture
def stories_file(tmp_path: Path) -> Path:
    return write_drafts(
        tmp_path / "stories.jsonl",
        [
            story("Apple supplier Lumora raises outlook", "Lumora said demand from Apple Inc (NASDAQ: AAPL) rose 12%."),
            story("Harbour council approves ferry route", "The council approved a new ferry route on Monday."),
        ],
    )


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict], str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, [json.loads(line) for line in captured.out.splitlines()], captured.err


def test_enrich_prints_parse_output_with_enrichment_and_no_vector(stories_file: Path, capsys) -> None:
    """Each story's parse JSON gains an enrichment with tickers; the vector is left out by default."""
    status, lines, _err = run(capsys, "enrich", str(stories_file))
    assert status == 0 and len(lines) == 2
    first = lines[0]
    assert first["headline"] == "Apple supplier Lumora raises outlook" and first["key"].startswith("h:")
    enrichment = first["enrichment"]
    assert set(enrichment) >= {"tickers", "sections", "primary_section", "figures", "sentiment", "embedding"}
    assert [t["symbol"] for t in enrichment["tickers"]] == ["AAPL"]
    assert enrichment["embedding"] is None and enrichment["embedding_model"] is None
    assert lines[1]["enrichment"]["tickers"] == []


def test_with_embedding_adds_the_unit_vector(stories_file: Path, capsys) -> None:
    """--with-embedding adds the 384-number vector and the model's name."""
    status, lines, _err = run(capsys, "enrich", "--with-embedding", str(stories_file))
    assert status == 0
    vector = lines[0]["enrichment"]["embedding"]
    assert len(vector) == 384 and abs(sum(x * x for x in vector) - 1.0) < 1e-3
    assert lines[0]["enrichment"]["embedding_model"] == "all-MiniLM-L6-v2-onnx-int8"


def test_unreadable_input_fails_with_a_message(tmp_path: Path, capsys) -> None:
    """A missing file is reported on stderr and, with nothing parsed, the status is 1."""
    status, lines, err = run(capsys, "enrich", str(tmp_path / "missing.jsonl"))
    assert status == 1 and lines == []
    assert "missing.jsonl: cannot read" in err


@pytest.mark.django_db
def test_related_prints_stored_keys_and_reports_unknown_ones(stories_file: Path, capsys, monkeypatch) -> None:
    """``related`` prints one line per known key, best first, and names unknown keys on stderr."""
    monkeypatch.setattr("tickerwire.cli.migrate_quietly", lambda: None)
    from tickerwire.articles.actions.enrich import do_embed_and_relate
    from tickerwire.articles.actions.ingest import do_ingest_draft

    drafts = [
        story("Lumora raises outlook on tablet chips", "Lumora said tablet chip orders rose 12% in March."),
        story("Lumora tablet chip orders climb", "Orders for Lumora's tablet chips climbed again, it said."),
        story("Harbour council approves ferry route", "The council approved a new ferry route on Monday."),
    ]
    ids = [do_ingest_draft(d, source_name="sample-wire").article_id for d in drafts]
    for article_id in ids:
        do_embed_and_relate(article_id, k=2)
    status, lines, err = run(capsys, "related", drafts[0].key, "h:unknown", "--k", "1")
    assert status == 0
    assert lines == [{"key": drafts[0].key, "related": [drafts[1].key]}]
    assert "h:unknown: no such article" in err
    status, lines, err = run(capsys, "related", "h:unknown")
    assert status == 1 and lines == []
