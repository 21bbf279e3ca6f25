"""Invented stories about fictional companies, generated as drafts for store and CLI tests."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from tickerwire.core.draft import ArticleDraft, Block, Dateline, SourceRef

COMPANIES = ("Orbis Widgets", "Quillfeather Mills", "Bramblecote Energy", "Tessaline Bank", "Vortana Shipping")
PLACES = ("ZENITH CITY", "PORT ALDER", "NEW CASTOR", "LINDMARK")
VERBS = ("lifts outlook", "cuts jobs", "beats forecasts", "opens plant", "wins contract")


def generated_draft(number: int, *, uri: str | None = None, extra: str = "") -> ArticleDraft:
    """Return invented story ``number``: a distinct headline, dateline and lead, so a distinct key."""
    company = COMPANIES[number % len(COMPANIES)]
    verb = VERBS[(number // len(COMPANIES)) % len(VERBS)]
    return ArticleDraft(
        headline=f"{company} {verb} in quarter {number}",
        source=SourceRef(site="Tickerwire Sample Wire", section="Business"),
        published=f"2026-03-{number % 28 + 1:02d}T{number % 24:02d}:15:00",
        byline=["Ada Sample"],
        dateline=Dateline(place=PLACES[number % len(PLACES)], date="Mar 3", agency="Tickerwire Sample Wire"),
        body=[
            Block("paragraph", f"{company} said on Tuesday that story number {number} is an invented example."),
            Block("subhead", "ORDERS"),
            Block("paragraph", f"Orders rose {number % 90 + 1}% in the period, the company said.{extra}"),
        ],
        uri=uri,
        format="draft",
    )


def drafts_jsonl(drafts: Iterable[ArticleDraft]) -> bytes:
    """Return drafts as the ``draft`` format's JSON Lines."""
    return "".join(json.dumps(d.to_json(), ensure_ascii=False) + "\n" for d in drafts).encode("utf-8")


def write_drafts(path: Path, drafts: Iterable[ArticleDraft]) -> Path:
    """Write drafts as JSON Lines to ``path`` and return it."""
    path.write_bytes(drafts_jsonl(drafts))
    return path
