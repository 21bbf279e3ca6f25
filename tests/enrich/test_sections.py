"""Section classification with the shipped model, on stories written for these tests."""

from __future__ import annotations

import json

import numpy as np

from lab.section_corpora import LabelledText
from lab.section_splits import REUTERS_PARTS, part_of, split
from lab.section_training import fit_embedding_head, fit_multiclass_head
from tests.conftest import FIXTURES
from tickerwire.core.draft import ArticleDraft, Block, SourceRef
from tickerwire.core.sections import SECTION_NAMES
from tickerwire.enrich.embeddings import embedding_text, get_backend
from tickerwire.enrich.section_keywords import keyword_hits
from tickerwire.enrich.section_model import (
    Calibration,
    load_calibration,
    load_embedding_heads,
    load_heads,
    make_hasher,
    save_embedding_heads,
    save_heads,
)
from tickerwire.enrich.sections import (
    EMBEDDING_MODEL_PATH,
    MODEL_PATH,
    classify_sections,
    embedding_model,
    listed_learned,
    loaded_model,
    section_scores,
)


def calibration(thresholds: dict[str, float] | None = None, second: float = 0.5) -> Calibration:
    return Calibration(np.zeros(9, dtype=np.float32), 0.0, thresholds or {"World": 0.5}, second)


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
    scores, _ = section_scores(story)
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
    """The shipped models are numbers, label names and the embedding model's name only, and a saved head
    reloads to the same scores."""
    allowed = set(SECTION_NAMES) | {"reuters", "news", "business", "multilabel", "multiclass",
                                    "all-MiniLM-L6-v2-onnx-int8"}
    for path in (MODEL_PATH, EMBEDDING_MODEL_PATH):
        assert path.stat().st_size < 2_000_000
        with np.load(path, allow_pickle=False) as data:
            for key in data.files:
                if data[key].dtype.kind == "U":
                    assert set(data[key].ravel().tolist()) <= allowed, (path, key)
    texts = ["rates rise inflation", "goals match team", "chip software phone", "rates bank inflation",
             "team wins cup", "software update phone"]
    head = fit_multiclass_head("news", texts, ["Economy", "World", "Technology"] * 2)
    save_heads(tmp_path / "m.npz", [head], calibration({"World": 0.3}, 0.8))
    again = load_heads(tmp_path / "m.npz")[0]
    stored = load_calibration(tmp_path / "m.npz")
    assert np.isclose(stored.thresholds["World"], 0.3) and np.isclose(stored.second_score, 0.8)
    counts = make_hasher().transform(["new phone software"])
    assert np.allclose(head.predict_proba(counts), again.predict_proba(counts))
    assert again.labels[int(np.argmax(again.predict_proba(counts)))] == "Technology"


def test_embedding_head_round_trip_and_stacking(tmp_path):
    """A saved embedding head reloads to the same probabilities, and its stacker learns to follow the
    embedding when the words carry no label information."""
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(3, 8))
    vectors = np.vstack([centres[i % 3] + 0.1 * rng.normal(size=8) for i in range(60)]).astype(np.float32)
    labels = [("Economy", "World", "Technology")[i % 3] for i in range(60)]
    texts = [f"daily report {i % 7}" for i in range(60)]  # unrelated to the labels
    head = fit_embedding_head("news", texts, vectors, labels, "test-model")
    save_embedding_heads(tmp_path / "e.npz", [head], calibration())
    again = load_embedding_heads(tmp_path / "e.npz")[0]
    assert np.allclose(head.predict_proba(vectors[:5]), again.predict_proba(vectors[:5]))
    words = fit_multiclass_head("news", texts, labels).predict_proba(make_hasher().transform(["daily report 3"]))
    stacked = again.combine(words, centres[1])
    assert np.allclose(stacked, head.combine(words, centres[1]))
    assert np.isclose(stacked.sum(), 1.0)
    assert again.labels[int(np.argmax(stacked))] == "World"
    assert stacked.max() > words.max()


def test_embedding_sharpens_news_sections_and_is_optional():
    """With the real MiniLM embedding, party-politics, technology and world stories get those sections, and
    without an embedding nothing changes. (The words alone called the politics story World before Politics
    had its own calibrated threshold; they now call it Politics too.)"""
    backend = get_backend(None)
    politics = draft("Party leaders clash over tax plans before the general election",
                     "The chancellor said the opposition would raise taxes, while the shadow minister accused the "
                     "government of breaking its manifesto promises to voters.")
    tech = draft("Zentronic releases new smartphone software",
                 "The update brings faster web browsing, a redesigned app store and better battery life to the "
                 "company's handsets and tablets.")
    world = draft("Rebels seize border town as peace talks stall",
                  "Fighting spread to the north of the country and the United Nations called for a ceasefire as "
                  "thousands of refugees fled.")
    vectors = backend.embed([embedding_text(politics), embedding_text(tech), embedding_text(world)])
    assert classify_sections(politics, vectors[0])[1] == "Politics"
    assert classify_sections(tech, vectors[1])[1] == "Technology"
    assert classify_sections(world, vectors[2])[1] == "World"
    assert classify_sections(politics, None) == classify_sections(politics)
    assert embedding_model() == backend.model_name


def test_currency_story_naming_a_bank_is_not_business():
    """A Forex story that names banks lands in Forex, not Business; a takeover story lands in Business."""
    forex = draft("Dollar falls against the yen as central bank signals rate cut",
                  "The dollar fell to 139 yen in Tokyo. Dealers at Harbourline Bank and Meridian Trust said the "
                  "Bank of Japan was expected to intervene to stem the yen's rise in currency markets.")
    for vector in (None, get_backend(None).embed([embedding_text(forex)])[0]):
        names = [s.name for s in classify_sections(forex, vector)[0]]
        assert names[0] == "Forex" and "Business" not in names, names
    takeover = draft("Quillstone agrees to buy Ravelin Foods for $2.1 billion",
                     "Quillstone Inc said it would acquire Ravelin Foods in a cash and stock deal that values the "
                     "snack maker at $2.1 billion; Ravelin shareholders get $34 a share.")
    assert "Business" in [s.name for s in classify_sections(takeover)[0]]


def test_second_learned_section_needs_the_second_score():
    """The best learned section is listed at 0.5; another only at the second score."""
    scores = {"Forex": 0.9, "Economy": 0.7, "Business": 0.55, "World": 0.2}
    assert listed_learned(scores, 0.65) == ["Forex", "Economy"]
    assert listed_learned(scores, 0.5) == ["Forex", "Economy", "Business"]
    assert listed_learned(scores, 1.0) == ["Forex"]
    assert listed_learned({"Forex": 0.4, "World": 0.3}, 0.5) == []


def test_rescaling_puts_each_threshold_at_one_half():
    """A section's calibrated threshold maps to 0.5, and the order of probabilities is kept."""
    rescaled = calibration({"World": 0.3}).rescale("World", np.array([0.1, 0.3, 0.6]))
    assert np.isclose(rescaled[1], 0.5) and rescaled[0] < 0.5 < rescaled[2]
    thresholds = loaded_model().calibration.thresholds
    assert set(thresholds) == {"Forex", "Commodities", "Economy", "Business", "World", "Technology", "Politics"}
    assert all(0.0 < t < 1.0 for t in thresholds.values())


def test_split_parts_are_stable_and_disjoint():
    """A story's part depends on its id only, and the three parts share no story."""
    rows = [LabelledText(f"reuters:{i}", "text", ()) for i in range(1200)]
    parts = split(rows, REUTERS_PARTS)
    ids = [{r.doc_id for r in part} for part in (parts.train, parts.calibrate, parts.report)]
    assert sum(map(len, ids)) == 1200 and not (ids[0] & ids[1] or ids[0] & ids[2] or ids[1] & ids[2])
    assert 50 < len(ids[2]) < 150 and 150 < len(ids[1]) < 250  # 1 and 2 buckets of 12
    assert all(part_of(r.doc_id, REUTERS_PARTS) == "report" for r in parts.report)
    assert split(rows[::-1], REUTERS_PARTS).report == parts.report[::-1]
