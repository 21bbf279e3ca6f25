"""Read the labelled corpora in ``../shared/data`` as (text, sections) pairs for training and evaluation.

The corpora are read at run time from a directory given by the caller; nothing of them is kept in the
package. Reuters-21578 topic codes map to our sections as the issue lists them (the code groups come from
the corpus's ``categories/cat-descriptions_120396.txt``); topics outside the groups (e.g. ``ship``) map to
nothing, and such a story is a negative example for all four sections.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from tickerwire.core.draft import ArticleDraft, Block

CURRENCY_TOPICS = (
    "money-fx dlr austdlr hk singdlr nzdlr can stg dmk yen sfr ffr bfr dfl lit dkr nkr skr mexpeso cruzado "
    "austral saudriyal rand rupiah ringgit escudo peseta drachma"
).split()
ECONOMY_TOPICS = (
    "trade gnp cpi wpi interest money-supply bop jobs ipi reserves housing income retail lei instal-debt cpu "
    "inventories"
).split()
BUSINESS_TOPICS = ["acq", "earn"]
COMMODITY_TOPICS = (
    "crude nat-gas gas heat fuel jet naphtha propane pet-chem "
    "alum copper gold iron-steel lead nickel palladium platinum silver strategic-metal tin zinc "
    "barley corn grain oat rice rye sorghum wheat "
    "cocoa coffee sugar tea orange cotton rubber wool silk lumber plywood potato red-bean tapioca "
    "castor-meal castor-oil castorseed citruspulp coconut coconut-oil copra-cake corn-oil cornglutenfeed "
    "cotton-meal cotton-oil cottonseed fishmeal flaxseed groundnut groundnut-meal groundnut-oil lin-meal "
    "lin-oil linseed lupin meal-feed oilseed palm-meal palm-oil palmkernel rape-meal rape-oil rapeseed "
    "soy-meal soy-oil soybean sun-meal sun-oil sunseed tung tung-oil veg-oil "
    "livestock carcass f-cattle l-cattle hog pork-belly"
).split()

REUTERS_SECTIONS = ("Forex", "Commodities", "Economy", "Business")
NEWS_SECTIONS = ("World", "Technology", "Politics", "Business")

TOPIC_SECTION: dict[str, str] = {
    **{t: "Forex" for t in CURRENCY_TOPICS},
    **{t: "Economy" for t in ECONOMY_TOPICS},
    **{t: "Business" for t in BUSINESS_TOPICS},
    **{t: "Commodities" for t in COMMODITY_TOPICS},
}
AGNEWS_SECTION = {"World": "World", "Business": "Business", "Sci/Tech": "Technology"}
BBC_SECTION = {"business": "Business", "politics": "Politics", "tech": "Technology"}


@dataclass(frozen=True)
class LabelledText:
    """One story's text (title, blank line, body) and the sections it belongs to."""

    doc_id: str
    text: str
    sections: tuple[str, ...]


def as_draft(row: LabelledText) -> ArticleDraft:
    """Return a row as a draft (title as headline, blank-line or line-separated paragraphs as the body)."""
    title, _, body = row.text.partition("\n\n")
    paragraphs = [" ".join(p.split()) for p in body.split("\n")]
    return ArticleDraft(headline=title.strip(), body=[Block("paragraph", p) for p in paragraphs if p])


def reuters_sections(topics: list[str]) -> tuple[str, ...]:
    """Return the sections a Reuters story's topic codes map to, in ``REUTERS_SECTIONS`` order."""
    found = {TOPIC_SECTION[t] for t in topics if t in TOPIC_SECTION}
    return tuple(s for s in REUTERS_SECTIONS if s in found)


def read_reuters(path: Path) -> list[LabelledText]:
    """Return every story of the Reuters-21578 ``train.jsonl`` (title-only BRIEF stories included)."""
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            text = (doc["title"] or "").strip() + "\n\n" + (doc["body"] or "").strip()
            rows.append(LabelledText(f"reuters:{doc['id']}", text, reuters_sections(doc["topics"])))
    return rows


def read_agnews(path: Path) -> list[LabelledText]:
    """Return AG News rows (World, Business, Sci/Tech -> Technology)."""
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            text = doc["title"] + "\n\n" + doc["text"]
            rows.append(LabelledText(f"agnews:{doc['id']}", text, (AGNEWS_SECTION[doc["label"]],)))
    return rows


def read_bbc(path: Path) -> list[LabelledText]:
    """Return BBC rows with repeated bodies dropped (the corpus repeats stories; keep the first)."""
    rows = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            if doc["text"] in seen:
                continue
            seen.add(doc["text"])
            text = doc["title"] + "\n\n" + doc["text"]
            rows.append(LabelledText(f"bbc:{doc['id']}", text, (BBC_SECTION[doc["label"]],)))
    return rows


def read_news(data_dir: Path) -> list[LabelledText]:
    """Return AG News + de-duplicated BBC, the World/Technology/Politics/Business corpus."""
    return read_agnews(data_dir / "agnews" / "test_shared.jsonl") + read_bbc(data_dir / "bbcnews" / "bbc_shared.jsonl")
