"""Measure paragraph rebuilding on seed-style pages of Reuters-21578 training stories, TUNE and REPORT apart.

A seed-style page gives the story body hard-wrapped with a blank line after every line, so where a
paragraph ends has to be inferred (``tickerwire.ingest.textblocks.reflow_lines``, called by the page
parser). Each training story with a body is laid out as such a page (``lab.reuters21578``) in two ways:

* ``source``: every body line as the source broke it; the first line is the dateline and the body's first
  line, as the corpus has them on one line ("SALVADOR, Feb 26 - Showers continued throughout the week in");
* ``rewrap``: the paragraphs re-wrapped by ``layout.render_page`` at a width drawn per story from 56-76
  columns (a stable hash of the id), first lines four columns narrower, the dateline with "(Reuters)";
* ``agency`` (a check of robustness, not one of the two layouts asked for): the source's lines, but the
  dateline printed as on the seed page, "SALVADOR, Feb 26 (Reuters) - Showers ...", without re-wrapping,
  so the first line runs about ten columns past the others.

Truth: the corpus's own paragraphs. In the raw text a paragraph starts at a line indented by spaces
(usually four; table rows are indented too, so each row is a paragraph) or after a blank line; its lines
are joined with one space, every run of whitespace is one space, and the ``Reuter`` sign-off is dropped
(``lab.reuters21578._paragraphs``). The dateline is not part of the first paragraph.

Paragraph F1 (exact paragraph match): a story's parsed body blocks (paragraphs and subheads, whitespace
normalised) and its true paragraphs are two sequences of strings; the correct ones are those in a longest
common subsequence of the two, i.e. paragraphs whose text is exactly a true paragraph, in order. Pooled
over the stories, precision = correct / parsed, recall = correct / true, F1 their harmonic mean. A
paragraph split in two costs one true paragraph and two parsed ones; two merged cost two and one.

Besides all stories, the figures are given for the prose stories, the ones laid out like the seed's:
two or more true paragraphs, each ending a sentence (``.``, ``!`` or ``?``, maybe before a closing quote
or bracket), and no source line set in columns (three spaces inside it). Results tables ("Shr 75 cts vs
52 cts") and price lists fall outside it.

The naive baseline splits the same body lines wherever one ends a sentence and the next starts with a
capital or a digit (``textblocks.naive_paragraph_break``), then drops the dateline. Stories are split
into TUNE and REPORT halves by the SHA-256 of "paragraphs:<id>"; rules are chosen on TUNE only, and
``--errors`` shows mistakes on TUNE only. Run: ``python bench/paragraphs.py [--every N] [--errors N]``.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.reuters_parse import TRAIN, load_cases, naive_paragraphs, page_body_lines  # noqa: E402
from lab.reuters21578 import ReutersCase  # noqa: E402
from lab.scoring import precision_recall_f1  # noqa: E402
from tickerwire.core.draft import ArticleDraft  # noqa: E402
from tickerwire.ingest import page  # noqa: E402
from tickerwire.ingest.errors import ParseError  # noqa: E402
from tickerwire.ingest.textblocks import normalise_space  # noqa: E402

MIN_WIDTH, MAX_WIDTH = 56, 76
HALVES = ("TUNE", "REPORT")


def _digest(label: str, story_id: int) -> int:
    return int.from_bytes(hashlib.sha256(f"{label}:{story_id}".encode()).digest()[:8], "big")


def half(story_id: int) -> str:
    """Return the fixed half a story belongs to, "TUNE" or "REPORT", from a hash of its id."""
    return HALVES[_digest("paragraphs", story_id) % 2]


def rewrap_width(story_id: int) -> int:
    """Return the story's re-wrap width, drawn from 56-76 columns by a hash of its id."""
    return MIN_WIDTH + _digest("width", story_id) % (MAX_WIDTH - MIN_WIDTH + 1)


@dataclass(frozen=True)
class Layout:
    """One way of laying stories out as pages: the page text, and the body lines the baseline reads."""

    name: str
    page: Callable[[ReutersCase], str]
    body_lines: Callable[[ReutersCase], list[str]]


LAYOUTS = (
    Layout("source", lambda case: case.source_page(), lambda case: list(case.source_lines)),
    Layout(
        "rewrap",
        lambda case: case.page(rewrap_width(case.id)),
        lambda case: page_body_lines(case, rewrap_width(case.id)),
    ),
    Layout("agency", lambda case: case.page_of_lines(case.agency_lines()), lambda case: case.agency_lines()),
)
_PROSE_END = re.compile(r"[.!?][\"')\]]*$")
_COLUMNS = re.compile(r"\S {3,}\S")


def is_prose(case: ReutersCase) -> bool:
    """Return whether a story is prose laid out like the seed's (see the module docstring)."""
    return (
        len(case.paragraphs) >= 2
        and all(_PROSE_END.search(text) for text in case.paragraphs)
        and not any(_COLUMNS.search(line) for line in case.source_lines)
    )


def matched(got: list[str], want: list[str]) -> int:
    """Return how many paragraphs of ``got`` are exactly paragraphs of ``want``, in order (an LCS)."""
    previous = [0] * (len(want) + 1)
    for text in got:
        current = [0]
        for j, target in enumerate(want):
            current.append(previous[j] + 1 if text == target else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


@dataclass
class Score:
    """Pooled exact-paragraph counts over stories."""

    stories: int = 0
    errors: int = 0
    correct: int = 0
    parsed: int = 0
    true: int = 0
    mistakes: list[tuple[int, list[str], list[str]]] = field(default_factory=list, repr=False)

    def add(self, story_id: int, got: list[str], want: list[str], keep: int = 0) -> None:
        got = [normalise_space(text) for text in got if text.strip()]
        hits = matched(got, want)
        self.stories += 1
        self.correct += hits
        self.parsed += len(got)
        self.true += len(want)
        if hits < max(len(got), len(want)) and len(self.mistakes) < keep:
            self.mistakes.append((story_id, got, want))

    def prf(self) -> tuple[float, float, float]:
        """Return (precision, recall, F1)."""
        return precision_recall_f1(self.correct, self.parsed, self.true)

    def line(self, name: str) -> str:
        precision, recall, f1 = self.prf()
        return (
            f"{name:<27} stories {self.stories:>5}  parse errors {self.errors:>3}  paragraphs true {self.true:>6}"
            f" parsed {self.parsed:>6} correct {self.correct:>6}  P {precision:.4f} R {recall:.4f} F1 {f1:.4f}"
        )


def parsed_paragraphs(text: str) -> list[str] | None:
    """Return the body block texts the page parser finds on a page, or ``None`` when it fails."""
    try:
        draft = page.parse(text.encode("utf-8"))[0]
    except ParseError:
        return None
    if not isinstance(draft, ArticleDraft):
        return None
    return [block.text for block in draft.body]


def score(cases: list[ReutersCase], layout: Layout, keep: int = 0) -> tuple[Score, Score]:
    """Return the scores of our parser and of the naive baseline on the cases laid out as ``layout``."""
    ours, naive = Score(), Score()
    for case in cases:
        got = parsed_paragraphs(layout.page(case))
        if got is None:
            ours.errors += 1
            got = []
        ours.add(case.id, got, case.paragraphs, keep)
        naive.add(case.id, naive_paragraphs(layout.body_lines(case)), case.paragraphs)
    return ours, naive


def show_mistakes(score: Score) -> None:
    """Print where our paragraphs differ from the truth (for TUNE stories only)."""
    for story_id, got, want in score.mistakes:
        print(f"--- story {story_id}")
        got_set, want_set = set(got), set(want)
        for text in got:
            if text not in want_set:
                print(f"  got : {text}")
        for text in want:
            if text not in got_set:
                print(f"  want: {text}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--every", type=int, default=1, help="only every N-th training story (a sample)")
    parser.add_argument("--errors", type=int, default=0, help="show up to N TUNE stories we get wrong")
    parser.add_argument("--layout", choices=[layout.name for layout in LAYOUTS], help="only this layout")
    args = parser.parse_args(argv)
    if not TRAIN.exists():
        print(f"{TRAIN} is absent; nothing to measure", file=sys.stderr)
        return 2
    started = time.perf_counter()
    cases = load_cases(every=args.every)
    split = {name: [case for case in cases if half(case.id) == name] for name in HALVES}
    print(f"Reuters-21578 train.jsonl, every {args.every}: {len(cases)} stories with a body", end="")
    print(f" (TUNE {len(split['TUNE'])}, REPORT {len(split['REPORT'])})")
    prose = {name: [case for case in split[name] if is_prose(case)] for name in HALVES}
    print(f"prose stories: TUNE {len(prose['TUNE'])}, REPORT {len(prose['REPORT'])}")
    for layout in LAYOUTS:
        if args.layout and layout.name != args.layout:
            continue
        for subset, stories in (("all", split), ("prose", prose)):
            for name in HALVES:
                keep = args.errors if name == "TUNE" and subset == "all" else 0
                ours, naive = score(stories[name], layout, keep)
                print(ours.line(f"{layout.name} {subset} {name} ours"))
                print(naive.line(f"{layout.name} {subset} {name} naive"))
                show_mistakes(ours)
    print(f"({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
