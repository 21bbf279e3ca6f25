"""Reuters-21578 stories from ``../shared/data`` as drafts with their topic labels, for benches and acceptance.

Read at run time only; nothing of the corpus is stored in the project.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tickerwire.core.draft import ArticleDraft, Block, Dateline, SourceRef

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
REUTERS_TRAIN = SHARED_DATA / "reuters21578" / "train.jsonl"

_PARAGRAPH_BREAK = re.compile(r"\n\s{3,}")
_SIGN_OFF = re.compile(r"\s*\bReuter\s*$", re.IGNORECASE)
_DATELINE = re.compile(r"^\s*(?P<place>[^,]+),\s*(?P<date>\w+\s+\d+)\s*-?\s*$")
_TICKER = re.compile(r"<([A-Z][A-Z.]{0,6})>")


@dataclass
class ReutersStory:
    """One corpus story: its numeric id, draft, topic codes, 1987 date and title tickers."""

    id: int
    draft: ArticleDraft
    topics: frozenset[str]
    published: datetime | None
    tickers: frozenset[str] = field(default_factory=frozenset)


def _published(raw: str) -> datetime | None:
    match = re.match(r"\s*(\d{1,2}-[A-Z]{3}-\d{4} \d{2}:\d{2}:\d{2})", raw or "")
    if not match:
        return None
    return datetime.strptime(match.group(1), "%d-%b-%Y %H:%M:%S")  # noqa: DTZ007 - corpus times carry no zone


def story_from_record(record: dict) -> ReutersStory:
    """Return the draft of one corpus record: title as headline, indented paragraphs as body blocks."""
    body = _SIGN_OFF.sub("", (record.get("body") or "").strip())
    paragraphs = [" ".join(chunk.split()) for chunk in _PARAGRAPH_BREAK.split(body)]
    title = " ".join((record.get("title") or "").split())
    dateline_match = _DATELINE.match(record.get("dateline") or "")
    published = _published(record.get("date") or "")
    draft = ArticleDraft(
        headline=title,
        source=SourceRef(site="Reuters"),
        published=published.isoformat() if published else None,
        dateline=(
            Dateline(place=dateline_match["place"].strip(), date=dateline_match["date"], agency="Reuters")
            if dateline_match
            else None
        ),
        body=[Block(type="paragraph", text=p) for p in paragraphs if p],
        uri=f"reuters21578:{record['id']}",
    )
    return ReutersStory(
        id=int(record["id"]),
        draft=draft,
        topics=frozenset(record.get("topics") or ()),
        published=published,
        tickers=frozenset(_TICKER.findall(record.get("title") or "")),
    )


def load_train(limit: int | None = None, path: Path = REUTERS_TRAIN) -> list[ReutersStory]:
    """Return the train split's stories in corpus order (the first ``limit`` when given)."""
    stories: list[ReutersStory] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if limit is not None and len(stories) >= limit:
                break
            stories.append(story_from_record(json.loads(line)))
    return stories
