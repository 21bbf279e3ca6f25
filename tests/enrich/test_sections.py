"""Section classification with the shipped model, on stories written for these tests."""

from __future__ import annotations

import json

import numpy as np

from tests.conftest import FIXTURES
from tickerwire.core.draft import ArticleDraft, Block, SourceRef
from tickerwire.core.sections import SECTION_NAMES
from tickerwire.enrich.section_keywords import keyword_hits
from tickerwire.enrich.section_model import load_heads, save_heads
from tickerwire.enrich.section_training import fit_multiclass_head
from tickerwire.enrich.sections import MODEL_PATH, classify_sections, section_scores


def draft(headline: str, text: str, section: str | None = None) -> ArticleDraft:
    return ArticleDraft(headline=headline, body=[Block("paragraph", text)], source=SourceRef("test", section))


def test_learned_sections():
    """Forex, Commodities and Technology stories land in those sections."""
    forex = draft("Dollar slides against yen as traders bet on intervention",
                  "The dollar fell to 141 yen and the euro firmed against sterling in currency markets.")
    assert classify_sections(forex)[1] == "Forex"
    crude = draft("Crude oil prices rise after OPEC output cut",
                  "Brent crude futures rose $2 a barrel after producers agreed to cut oil output.")
    assert "Commodities" in [s.name for s in classify_sections(crude)[0]]
    tech = draft("Chipmaker Zentronic unveils faster AI processor",
                 "The new chip doubles performance for data centres running software for machine learning.")
    assert "Technology" in [s.name for s in classify_sections(tech)[0]]


def test_source_section_wins_primary_and_is_listed():
    """The source's own section, when it names one of ours (aliases too), is the primary and always listed."""
    story = draft("Bitcoin climbs as crypto funds draw inflows", "Bitcoin rose 5% and ether gained.", "Markets")
    sections, primary = classify_sections(story)
    assert primary == "Market"
    assert "Market" in [s.name for s in sections]
    assert "Cryptocurrency" in [s.name for s in sections]


def test_unknown_source_section_is_ignored():
    """A source section that is not ours does not become the primary."""
    story = draft("Bitcoin climbs as crypto funds draw inflows", "Bitcoin rose 5% and ether gained.", "Lifestyle")
    assert classify_sections(story)[1] == "Cryptocurrency"


def test_scores_cover_all_sections_and_are_ranked():
    """Every section gets a score in [0, 1]; the listed sections are sorted best first."""
    story = draft("Retailer Pennywise opens 50 new stores", "Shoppers flocked to the discount grocer's outlets.")
    scores = section_scores(story)
    assert set(scores) == set(SECTION_NAMES)
    assert all(0.0 <= v <= 1.0 for v in scores.values())
    listed, _ = classify_sections(story)
    assert [s.score for s in listed] == sorted((s.score for s in listed), reverse=True)
    assert "Retail" in [s.name for s in listed]


def test_keyword_phrases_prefer_the_longest():
    """'stock market' counts once for Stocks Market, not also as 'market' for Market."""
    hits = keyword_hits("The stock market rallied.")
    assert hits["Stocks Market"] == 1 and hits["Market"] == 1  # 'rallied' is the Market hit


def test_fixture_keyword_sections_are_mostly_found():
    """On the invented labelled set, each keyword section is listed for at least 9 of its 12 stories."""
    rows = [json.loads(line) for line in (FIXTURES / "sections_labelled.jsonl").read_text().splitlines()]
    for section in ("Cryptocurrency", "Environment", "Personal Finance", "Retail", "Stocks Market", "Market"):
        mine = [r for r in rows if r["section"] == section]
        found = sum(section in [s.name for s in classify_sections(draft(r["headline"], r["text"]))[0]] for r in mine)
        assert found >= 9, (section, found, len(mine))


def test_model_file_holds_no_words(tmp_path):
    """The shipped model is numbers and label names only, and a saved head reloads to the same scores."""
    with np.load(MODEL_PATH, allow_pickle=False) as data:
        for key in data.files:
            if data[key].dtype.kind == "U":
                assert set(data[key].ravel().tolist()) <= set(SECTION_NAMES) | {"reuters", "news", "multilabel",
                                                                                 "multiclass"}, key
    texts = ["rates rise inflation", "goals match team", "chip software phone", "rates bank inflation",
             "team wins cup", "software update phone"]
    head = fit_multiclass_head("news", texts, ["Economy", "World", "Technology"] * 2)
    save_heads(tmp_path / "m.npz", [head])
    again = load_heads(tmp_path / "m.npz")[0]
    from tickerwire.enrich.section_model import make_hasher
    counts = make_hasher().transform(["new phone software"])
    assert np.allclose(head.predict_proba(counts), again.predict_proba(counts))
    assert again.labels[int(np.argmax(again.predict_proba(counts)))] == "Technology"
