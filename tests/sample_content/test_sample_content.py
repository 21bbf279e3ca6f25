"""The fictional sample content: it parses as written, covers the menu, and loads once through the demo."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

import pytest

from tickerwire.core.draft import ArticleDraft
from tickerwire.core.sections import SECTION_NAMES
from tickerwire.enrich.ticker_directory import BUNDLED_PATH, read_bundled, read_sample_tickers
from tickerwire.ingest import parse_bytes
from tickerwire.sample_content import STORIES_PATH, TICKERS_PATH, SampleFile, sample_files

SOURCE = json.loads(STORIES_PATH.read_text(encoding="utf-8"))
STORIES = {story["id"]: story for story in SOURCE["stories"]}
FILES = sample_files()
ORIGINALS = [sample for sample in FILES if sample.revision_of is None]


def parsed(sample: SampleFile) -> ArticleDraft:
    results = parse_bytes(sample.path.read_bytes(), "auto")
    assert len(results) == 1, f"{sample.path.name}: {results}"
    draft = results[0]
    assert isinstance(draft, ArticleDraft), f"{sample.path.name}: {draft}"
    return draft


def squash(text: str) -> str:
    return " ".join(text.split())


def source_body(story: dict[str, Any]) -> list[str]:
    return [squash(text.removeprefix("## ")) for text in story["body"]]


def test_generated_files_match_stories_json() -> None:
    """Every story file and the manifest are exactly what build.py makes from stories.json."""
    from tickerwire.sample_content.build import out_of_date

    stale = out_of_date()
    assert stale == [], "regenerate them with: python -m tickerwire.sample_content.build"


def test_enough_original_stories_with_distinct_2026_times() -> None:
    """At least 36 distinct stories, each with its own time in 2026, so pages and charts have a spread."""
    assert len(ORIGINALS) >= 36
    times = [sample.published for sample in FILES]
    assert len(set(times)) == len(times)
    assert all(time.startswith("2026-") for time in times)
    assert {sample.format for sample in ORIGINALS} == {"wire", "page"}


@pytest.mark.parametrize("sample", FILES, ids=[sample.path.name for sample in FILES])
def test_every_file_parses_back_to_its_story(sample: SampleFile) -> None:
    """Each file is sniffed as its format and parses to the headline, dateline, byline and body it was written with."""
    story = STORIES[sample.story_id]
    draft = parsed(sample)
    assert draft.format == sample.format
    assert draft.headline == sample.headline
    assert draft.dateline is not None
    assert (draft.dateline.place, draft.dateline.date, draft.dateline.agency) == (
        story["dateline"]["place"],
        story["dateline"]["date"],
        story["dateline"]["agency"],
    )
    assert draft.byline == story["byline"]
    assert [squash(item) for item in draft.summary] == [squash(item) for item in story["summary"]]
    assert draft.body, "no body"
    assert squash(" ".join(block.text for block in draft.body)) == squash(" ".join(source_body(story)))
    subheads = [squash(text[3:]) for text in story["body"] if text.startswith("## ")]
    assert [squash(block.text) for block in draft.body if block.type == "subhead"] == subheads
    if sample.format == "page":
        assert draft.source.site == SOURCE["site"]
        assert draft.source.section == sample.section
        assert draft.published == sample.published
        assert [link.headline for link in draft.related] == [
            STORIES[other]["headline"] for other in story.get("related", [])
        ]


def test_every_section_has_at_least_two_stories() -> None:
    """All 14 sections of the menu are covered by two or more stories (pages name theirs in the breadcrumb)."""
    by_section: dict[str, set[str]] = defaultdict(set)
    for sample in ORIGINALS:
        by_section[sample.section].add(sample.story_id)
    assert set(by_section) == set(SECTION_NAMES)
    assert {name: len(ids) for name, ids in by_section.items() if len(ids) < 2} == {}


def test_revision_chain_is_one_story_with_three_versions() -> None:
    """The original, its UPDATE 1- and its CORRECTED- version share a key and differ in content."""
    chain = [sample for sample in FILES if sample.story_id == "orbweave-q3" or sample.revision_of == "orbweave-q3"]
    drafts = [parsed(sample) for sample in chain]
    assert [draft.revision_marker for draft in drafts] == [None, "UPDATE 1", "CORRECTED-UPDATE 1"]
    assert len({draft.key for draft in drafts}) == 1
    assert len({draft.content_hash() for draft in drafts}) == 3


def test_tickers_are_marked_in_every_style_and_shared_between_stories() -> None:
    """The copy marks tickers as ( SYM ), SYM.MS, MSX: SYM and $SYM, and each company appears in two stories."""
    text = "\n".join(sample.path.read_text(encoding="utf-8") for sample in ORIGINALS)
    symbols = {entry.symbol for entry in read_sample_tickers(TICKERS_PATH)}
    for style in (r"\( ({s}) \)", r"\(({s})\.MS\)", r"\(MSX: ({s})\)", r"\$({s})\b"):
        assert set(re.findall(style.format(s="|".join(symbols)), text)), style
    stories_per_symbol = {symbol: sum(symbol in sample.tickers for sample in ORIGINALS) for symbol in symbols}
    assert {symbol: n for symbol, n in stories_per_symbol.items() if n < 2} == {}


@pytest.mark.parametrize("sample", ORIGINALS, ids=[sample.path.name for sample in ORIGINALS])
def test_tagger_finds_the_companies_each_story_names(sample: SampleFile) -> None:
    """Ticker tagging finds exactly the sample companies a story marks or names, and no real listing."""
    from tickerwire.enrich.tickers import tag_draft

    tags = tag_draft(parsed(sample))
    assert sorted(tag.symbol for tag in tags) == sorted(sample.tickers)
    assert {tag.exchange for tag in tags} <= {"MSX"}


def test_sample_tickers_are_fictional() -> None:
    """No sample symbol is a real listing in the bundled directory of US symbols."""
    if not BUNDLED_PATH.exists():
        pytest.skip("no bundled ticker directory to check against")
    real = {entry.symbol for entry in read_bundled()}
    sample = {entry.symbol for entry in read_sample_tickers(TICKERS_PATH)}
    assert len(sample) >= 10
    assert sample & real == set()


@pytest.mark.django_db
def test_demo_loads_every_story_once(capsys: pytest.CaptureFixture[str]) -> None:
    """`tickerwire demo --no-serve` loads every sample story and ticker; running it again changes nothing."""
    from tickerwire.articles.models import Article, Quarantine, Revision, Ticker
    from tickerwire.cli import main

    assert main(["demo", "--no-serve"]) == 0
    first = capsys.readouterr().out
    revisions = len(FILES) - len(ORIGINALS)
    assert f"{len(FILES)} files: {len(ORIGINALS)} new, {revisions} revised, 0 unchanged" in first
    assert Article.objects.count() == len(ORIGINALS)
    assert Revision.objects.count() == len(FILES)
    assert Quarantine.objects.count() == 0
    assert Ticker.objects.filter(is_sample=True).count() == len(read_sample_tickers(TICKERS_PATH))
    chain = Article.objects.get(headline=STORIES["orbweave-q3"]["headline"])
    assert chain.revision_count == 3
    assert "26 weeks" in json.dumps(chain.body)


@pytest.mark.django_db
def test_demo_run_twice_changes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    """A second `tickerwire demo --no-serve` finds every story unchanged and writes no revision."""
    from tickerwire.articles.models import Article, Revision
    from tickerwire.cli import main

    assert main(["demo", "--no-serve"]) == 0
    capsys.readouterr()
    assert main(["demo", "--no-serve"]) == 0
    second = capsys.readouterr().out
    assert f"{len(FILES)} files: 0 new, 0 revised, {len(FILES)} unchanged" in second
    assert Article.objects.count() == len(ORIGINALS)
    assert Revision.objects.count() == len(FILES)
