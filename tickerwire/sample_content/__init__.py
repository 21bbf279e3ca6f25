"""Fictional sample content for ``tickerwire demo``: invented companies on the invented Mossgate Stock Exchange.

``stories.json`` is the source the stories are written in; ``build.py`` lays each one out as plain wire
copy or as a seed-style page (the ``wire`` and ``page`` input formats) and writes ``manifest.json``, which
maps every generated file to the section it was written for. ``tickers.csv`` lists the fictional companies.
No Django here: the demo command and the tests read these files through the helpers below.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

SAMPLE_DIR = Path(__file__).resolve().parent
STORIES_PATH = SAMPLE_DIR / "stories.json"
MANIFEST_PATH = SAMPLE_DIR / "manifest.json"
TICKERS_PATH = SAMPLE_DIR / "tickers.csv"


@dataclass(frozen=True)
class SampleFile:
    """One generated story file and what it was written to be."""

    path: Path
    story_id: str
    format: str
    section: str
    published: str
    headline: str
    revision_of: str | None
    tickers: tuple[str, ...]


def sample_files() -> list[SampleFile]:
    """Return the generated story files in ingest order (oldest first, so revisions follow originals)."""
    manifest = json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))
    return [
        SampleFile(
            path=SAMPLE_DIR / name,
            story_id=entry["id"],
            format=entry["format"],
            section=entry["section"],
            published=entry["published"],
            headline=entry["headline"],
            revision_of=entry.get("revision_of"),
            tickers=tuple(entry["tickers"]),
        )
        for name, entry in manifest["files"].items()
    ]
