"""Reuters-21578 stories from ``../shared/data`` as drafts with their topic labels, for benches and acceptance.

Read at run time only; nothing of the corpus is stored in the project.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from lab.reuters21578 import SITE, case_from_record
from tickerwire.core.draft import ArticleDraft, SourceRef

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
REUTERS_TRAIN = SHARED_DATA / "reuters21578" / "train.jsonl"

_TICKER = re.compile(r"<([A-Z][A-Z.]{0,6})>")
_CORPUS_DATE = re.compile(r"\s*(\d{1,2}-[A-Z]{3}-\d{4} \d{2}:\d{2})")


@dataclass
class ReutersStory:
    """One corpus story: its numeric id, draft, topic codes, 1987 date and title tickers."""

    id: int
    draft: ArticleDraft
    topics: frozenset[str]
    published: datetime | None
    tickers: frozenset[str] = field(default_factory=frozenset)


def _brief_published(record: dict) -> str | None:
    match = _CORPUS_DATE.match(record.get("date") or "")
    if not match:
        return None
    moment = datetime.strptime(match.group(1), "%d-%b-%Y %H:%M")  # noqa: DTZ007 - the corpus gives no zone
    return moment.isoformat()


def story_from_record(record: dict) -> ReutersStory:
    """Return one corpus record as a story: the ingest converter's draft, or the bare title of a BRIEF."""
    case = case_from_record(record)
    if case is not None:
        draft = case.draft()
    else:
        title = " ".join((record.get("title") or "").split())
        draft = ArticleDraft(headline=title, source=SourceRef(site=SITE), published=_brief_published(record))
    published = datetime.fromisoformat(draft.published) if draft.published else None
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
