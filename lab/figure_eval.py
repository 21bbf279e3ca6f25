"""Score key-figure labels against our labelled sentences (``tests/fixtures/figure_sentences*.jsonl``).

Each line is one invented sentence with the figures a reader should see: the figure ``text`` and the
``labels`` accepted for it; an ``optional`` figure (a change written beside its level, a borderline
object) is judged when shown but not missed when absent. Mechanical rules, so a figure is never judged
by eye:

- a shown figure *is* an expected figure when their keys match: the key is the first number written in
  the text ("$4.2 billion" -> "4.2", "around nine times" -> "nine"), thousands commas dropped;
- its label *reads correctly* when the shown ``metric``, normalised (lower case, curly quotes straight,
  runs of spaces as one, surrounding punctuation and one leading "the", "a" or "an" removed), equals one
  of the figure's accepted labels normalised the same way;
- a shown figure with no expected figure of its key (a baseline, the far end of a range, a figure the
  sentence does not name) counts as shown and wrong.

Precision is shown figures that read correctly / shown figures; recall is required figures shown and
reading correctly / required figures; dropped is what :func:`figure_candidates` found and
:func:`sentence_figures` did not show. ``figure_sentences.jsonl`` (100) is the test set, written and
frozen before any rule was chosen; ``figure_sentences_dev.jsonl`` (60) is the one tuned on.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tickerwire.core.enrichment import Figure
from tickerwire.enrich.figures import NUMBER_WORDS, figure_candidates, sentence_figures, split_sentences

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
TEST_SET = FIXTURES / "figure_sentences.jsonl"
DEV_SET = FIXTURES / "figure_sentences_dev.jsonl"

_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")
_WORDS = re.compile(r"\b(" + "|".join(sorted(map(re.escape, NUMBER_WORDS), key=len, reverse=True)) + r")\b",
                    re.IGNORECASE)
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+")


@dataclass(frozen=True)
class Expected:
    text: str
    labels: tuple[str, ...]
    optional: bool = False


@dataclass(frozen=True)
class LabelledSentence:
    id: str
    kind: str
    sentence: str
    figures: tuple[Expected, ...]


@dataclass
class Score:
    """Counts over a set of sentences, and what went wrong (for the dev set only)."""

    shown: int = 0
    correct: int = 0
    required: int = 0
    found: int = 0
    dropped: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.shown if self.shown else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.required if self.required else 1.0


def read_labelled(path: Path) -> list[LabelledSentence]:
    """Return the labelled sentences of one JSON Lines file."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        figures = tuple(Expected(f["text"], tuple(f["labels"]), bool(f.get("optional"))) for f in row["figures"])
        rows.append(LabelledSentence(row["id"], row["kind"], row["sentence"], figures))
    return rows


def figure_key(text: str) -> str:
    """Return the first number written in a figure's text: what pairs a shown figure with an expected one."""
    digits = _DIGITS.search(text)
    if digits:
        return digits.group(0).replace(",", "")
    word = _WORDS.search(text)
    return word.group(1).lower() if word else text.strip().lower()


def normalise_label(label: str) -> str:
    """Return a label as compared: lower case, straight quotes, single spaces, no edge punctuation or article."""
    text = " ".join(label.replace("\u2019", "'").replace("\u2018", "'").lower().split())
    text = text.strip(" ,.;:!?\"'()")
    return _LEADING_ARTICLE.sub("", text)


def score(rows: list[LabelledSentence],
          extract: Callable[[str], list[Figure]] = sentence_figures,
          candidates: Callable[[str], list[Figure]] = figure_candidates) -> Score:
    """Return the counts of ``extract`` over ``rows`` (``candidates`` gives what it chose from)."""
    total = Score()
    for row in rows:
        shown = extract(row.sentence)
        total.dropped += len(candidates(row.sentence)) - len(shown)
        open_figures = list(row.figures)
        total.required += sum(not e.optional for e in row.figures)
        for figure in shown:
            total.shown += 1
            match = next((e for e in open_figures if figure_key(e.text) == figure_key(figure.text)), None)
            if match is None:
                total.errors.append(f"{row.id} not a figure: {figure.text!r} {figure.metric!r}")
                continue
            open_figures.remove(match)
            if normalise_label(figure.metric) in {normalise_label(label) for label in match.labels}:
                total.correct += 1
                total.found += not match.optional
            else:
                want = match.labels[0]
                total.errors.append(f"{row.id} wrong label: {figure.text!r} {figure.metric!r} (want {want!r})")
        for missed in open_figures:
            if not missed.optional:
                total.errors.append(f"{row.id} missed: {missed.text!r} {missed.labels[0]!r}")
    return total


def bbc_part(story_id: str) -> str:
    """Return "tune" or "report" for a BBC story: fixed by the parity of the SHA-1 of its id."""
    return "tune" if int(hashlib.sha1(story_id.encode()).hexdigest(), 16) % 2 == 0 else "report"


def corpus_figures(path: Path, part: str) -> tuple[int, int, list[Figure]]:
    """Return (stories, candidate figures, shown figures) of one part of the BBC JSON Lines corpus."""
    stories = candidates = 0
    shown: list[Figure] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if bbc_part(row["id"]) != part:
            continue
        stories += 1
        for paragraph in row["text"].split("\n"):
            for sentence in split_sentences(" ".join(paragraph.split())):
                candidates += len(figure_candidates(sentence))
                shown.extend(sentence_figures(sentence))
    return stories, candidates, shown
