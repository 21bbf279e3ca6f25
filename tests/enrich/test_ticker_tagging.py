"""Ticker tagging: explicit marks, names, short forms, ambiguous words, offsets, and the hand-written sentence set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tickerwire.core.draft import ArticleDraft, Block, RelatedLink
from tickerwire.enrich.ticker_directory import DirectoryEntry
from tickerwire.enrich.tickers import TickerDirectory, default_directory, tag_draft, tag_related, tag_text

SENTENCES = Path(__file__).resolve().parents[1] / "fixtures" / "ticker_sentences.jsonl"

# A small fictional directory: tests of single rules do not depend on the bundled data.
FICTIONAL = [
    DirectoryEntry("BRMG", "NYSE", "Brightmoor Retail Group, Inc.", rank=10),
    DirectoryEntry("QRLX", "NASDAQ", "Quarrel Labs Corporation", rank=20),
    DirectoryEntry("HRVS", "NYSE", "Harvest Inc.", rank=30),  # an ordinary word as a name
    DirectoryEntry("TNDR", "NASDAQ", "Tinder Foods Holdings Ltd", rank=40),
    DirectoryEntry("WYVN", "NYSE", "Wyvern Skyworks Co.", rank=50),
    DirectoryEntry("WYVN.W", "NYSE", "Wyvern Skyworks Co.", kind="warrant"),
]
WORDS = {"harvest", "tinder", "foods", "retail", "group", "labs", "motors", "the", "and", "of"}


@pytest.fixture(scope="module")
def fictional() -> TickerDirectory:
    return TickerDirectory.from_entries(FICTIONAL, WORDS)


def symbols(text: str, directory: TickerDirectory | None = None) -> set[str]:
    return {tag.symbol for tag in tag_text(text, directory)}


def load_sentences() -> list[dict[str, object]]:
    return [json.loads(line) for line in SENTENCES.read_text(encoding="utf-8").splitlines()]


def test_sentence_set_precision_and_recall() -> None:
    """Over the hand-written sentences, micro precision is at least 0.97 and recall at least 0.93."""
    tp = fp = fn = 0
    for record in load_sentences():
        expected = set(record["expected"])  # type: ignore[arg-type]
        got = symbols(str(record["text"]))
        tp, fp, fn = tp + len(got & expected), fp + len(got - expected), fn + len(expected - got)
    assert tp / (tp + fp) >= 0.97
    assert tp / (tp + fn) >= 0.93


def test_sentence_set_covers_every_rule() -> None:
    """The sentence set has 300+ sentences and every category, including ones that must tag nothing."""
    records = load_sentences()
    categories = {str(r["category"]) for r in records}
    assert len(records) >= 300
    assert {"mark", "ric", "prefix", "cashtag", "angle", "list", "suffix", "full", "possessive", "short_intro",
            "ambiguous_company", "ambiguous_plain", "commonword", "unknown"} <= categories
    assert sum(1 for r in records if not r["expected"]) >= 60


@pytest.mark.parametrize(
    "text",
    [
        "Brightmoor Retail ( BRMG ) opened stores.",
        "Brightmoor Retail (BRMG.N) opened stores.",
        "Brightmoor Retail (NYSE: BRMG) opened stores.",
        "Brightmoor Retail (NYSE:BRMG) opened stores.",
        "Traders bought $BRMG calls.",
        "Brightmoor Retail Group <BRMG.N> opened stores.",
        "USX Corp <BRMG> said.",
        "Retailers fell (BRMG, QRLX)",
    ],
)
def test_every_mark_style_tags_the_symbol_with_full_confidence(fictional: TickerDirectory, text: str) -> None:
    """Spaced, RIC, exchange-prefixed, cashtag, 1987 angle and list marks all tag a known symbol at 1.0."""
    tags = {tag.symbol: tag for tag in tag_text(text, fictional)}
    assert tags["BRMG"].confidence == 1.0


def test_a_cashtag_mention_spans_its_dollar_sign(fictional: TickerDirectory) -> None:
    """The reader sees "$BRMG" as the ticker, so the mention (and the link built on it) covers the "$"."""
    text = "Traders bought $BRMG calls."
    (tag,) = tag_text(text, fictional)
    assert [text[start:end] for start, end in tag.mentions] == ["$BRMG"]


def test_unknown_explicit_mark_is_kept_with_lower_confidence(fictional: TickerDirectory) -> None:
    """An explicit mark of a symbol missing from the directory is kept, below any known-symbol tag."""
    tags = {tag.symbol: tag for tag in tag_text("Samsonite International ( SMSOF ) plans a listing.", fictional)}
    assert tags["SMSOF"].confidence == 0.5
    assert tags["SMSOF"].exchange is None and tags["SMSOF"].name is None


def test_foreign_ric_keeps_its_exchange(fictional: TickerDirectory) -> None:
    """A RIC on a foreign exchange keeps the full code and names the exchange."""
    (tag,) = tag_text("Toyota Motor Corp (7203.T) raised output.", fictional)
    assert (tag.symbol, tag.exchange) == ("7203.T", "Tokyo")


@pytest.mark.parametrize(
    "text",
    [
        "The Food and Drug Administration (FDA) approved it.",
        "Gross domestic product (GDP) grew.",
        "(Reuters) - Stocks rose.",
        "It cost $5 billion.",
        "IT spending and ALL of them ARE here NOW.",
    ],
)
def test_acronyms_money_and_capitalised_words_are_not_marks(text: str) -> None:
    """Acronym definitions, agency credits, money and capitalised common words tag nothing."""
    assert symbols(text) == set()


def test_full_name_and_legal_suffix(fictional: TickerDirectory) -> None:
    """A full name tags at 0.9; with a legal suffix at 0.95; the mention covers the name."""
    text = "Quarrel Labs said sales rose. Brightmoor Retail Group, Inc. cut prices."
    tags = {tag.symbol: tag for tag in tag_text(text, fictional)}
    assert tags["QRLX"].confidence == 0.9
    assert tags["BRMG"].confidence == 0.95
    start, end = tags["QRLX"].mentions[0]
    assert text[start:end] == "Quarrel Labs"


def test_possessive_name_is_tagged(fictional: TickerDirectory) -> None:
    """ "Quarrel Labs's" and "Quarrel's" both name the company."""
    assert symbols("Quarrel Labs's new office opened.", fictional) == {"QRLX"}
    assert symbols("Quarrel's revenue beat estimates.", fictional) == {"QRLX"}


def test_short_form_counts_only_when_the_article_introduces_it(fictional: TickerDirectory) -> None:
    """ "Wyvern" alone is only the first word of a name: tagged only when the text also names "Wyvern Skyworks"."""
    assert symbols("Wyvern Skyworks recalled drones. Wyvern said the fix is simple.", fictional) == {"WYVN"}
    tags = tag_text("Wyvern Skyworks recalled drones. Wyvern said the fix is simple.", fictional)
    assert len(tags[0].mentions) == 2
    assert symbols("A wyvern is a dragon. Wyvern said nothing.", fictional) == set()


def test_ordinary_word_name_needs_context(fictional: TickerDirectory) -> None:
    """ "Harvest" is tagged with a suffix, a mark or a finance cue, never on its own or in lower case."""
    assert symbols("The harvest was poor this year.", fictional) == set()
    assert symbols("Harvest festivals are held in October.", fictional) == set()
    assert symbols("Harvest Inc. hired a new chef.", fictional) == {"HRVS"}
    assert symbols("Shares of Harvest fell 3%.", fictional) == {"HRVS"}
    assert symbols("Harvest said profit doubled.", fictional) == {"HRVS"}
    assert symbols("Harvest's quarterly revenue rose.", fictional) == {"HRVS"}
    assert symbols("Harvest ( HRVS ) fell.", fictional) == {"HRVS"}


def test_confidence_ranks_the_evidence(fictional: TickerDirectory) -> None:
    """Explicit mark > legal name > full name > short form > ordinary word with a cue."""
    text = ("Tinder Foods Holdings Ltd ( TNDR ) rose. Brightmoor Retail Group Inc fell. Quarrel Labs gained. "
            "Harvest said sales rose.")
    confidence = {tag.symbol: tag.confidence for tag in tag_text(text, fictional)}
    assert confidence["TNDR"] > confidence["BRMG"] > confidence["QRLX"] > confidence["HRVS"]


def test_name_is_tagged_with_the_listing_the_text_marks(fictional: TickerDirectory) -> None:
    """A name followed by the mark of another listing of the same issuer counts for that listing."""
    directory = TickerDirectory.from_entries(
        [DirectoryEntry("SMSEY", "OTC", "Samsonite International SA", cik="9", rank=5),
         DirectoryEntry("SMSOF", "OTC", "Samsonite International SA", cik="9", rank=9)], WORDS)
    assert symbols("Samsonite International ( SMSOF ) rose.", directory) == {"SMSOF"}
    assert symbols("Samsonite International rose.", directory) == {"SMSEY"}


def test_warrants_are_never_tagged_by_name(fictional: TickerDirectory) -> None:
    """Names map to the issuer's stock, not to its warrants."""
    assert symbols("Wyvern Skyworks Co. raised prices.", fictional) == {"WYVN"}


def test_draft_mentions_are_body_offsets_and_headline_evidence_counts(fictional: TickerDirectory) -> None:
    """tag_draft reads headline, summary and body; mentions index draft.body_text()."""
    draft = ArticleDraft(
        headline="Wyvern Skyworks recalls 10,000 drones",
        summary=["Quarrel Labs supplies the faulty part"],
        body=[Block("paragraph", "The drone maker said on Monday the fix was simple."),
              Block("paragraph", "Wyvern said owners would be told by mail.")],
    )
    tags = {tag.symbol: tag for tag in tag_draft(draft, fictional)}
    assert set(tags) == {"WYVN", "QRLX"}
    body = draft.body_text()
    assert [body[s:e] for s, e in tags["WYVN"].mentions] == ["Wyvern"]
    assert tags["QRLX"].mentions == []


def test_related_snippets_are_tagged_by_index(fictional: TickerDirectory) -> None:
    """tag_related returns the symbols each related teaser's snippet names, keyed by teaser index."""
    draft = ArticleDraft(headline="h", related=[
        RelatedLink(headline="a", snippet="Oil prices slipped on Friday."),
        RelatedLink(headline="b", snippet="Quarrel Labs ( QRLX ) and Zentor ( ZNTR ) rose."),
    ])
    assert tag_related(draft, fictional) == {1: ["QRLX", "ZNTR"]}


def test_bundled_directory_tags_real_companies_and_skips_places() -> None:
    """The default directory knows real listings and keeps places, agencies and words untagged."""
    directory = default_directory()
    assert directory.lookup("AAPL") is not None
    assert symbols("Meta Platforms ( META ) and Apple Inc. said.") == {"META", "AAPL"}
    text = ("Putin's visit to Alaska. The Power of Siberia-2 pipeline. Russian carmaker Avtovaz and truckmaker "
            "Kamaz blamed imports, Reuters reported. Western partners cut ties. The Nasdaq rose.")
    assert symbols(text) == set()


def test_ordering_is_strongest_first() -> None:
    """Tags come strongest first, then by first mention."""
    tags = tag_text("Apple said sales rose. Microsoft ( MSFT ) fell.")
    assert [t.symbol for t in tags] == ["MSFT", "AAPL"]
