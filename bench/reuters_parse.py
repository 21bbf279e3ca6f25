"""Measure the wire and page parsers on every Reuters-21578 training story that has a body.

Each story is laid out as wire copy (title, "PLACE, Mon DD (Reuters) -" dateline, the corpus's own
wrapping and indentation) and as seed-style pages (the corpus's own line breaks, and re-wrapped at several
widths), parsed back, and compared with what the corpus markup says (see ``lab.reuters21578``):

* headline and dateline (place and date) recovered;
* paragraph-boundary precision, recall and F1 against the corpus's indentation, pooled over all stories
  (a boundary is the word position where a paragraph starts; where the parsed text differs from the
  corpus's, positions are mapped through a word alignment); subheads count as paragraphs;
* body text exact: the paragraphs joined with spaces, every run of whitespace one space, are equal.

The naive baseline splits the same page lines wherever a line ends a sentence and the next starts with a
capital. Run: ``python bench/reuters_parse.py [--limit N] [--widths 60,65,70,80]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from lab.reuters21578 import ReutersCase, case_from_record  # noqa: E402
from lab.scoring import precision_recall_f1  # noqa: E402
from tickerwire.core.draft import ArticleDraft  # noqa: E402
from tickerwire.ingest import page, wire  # noqa: E402
from tickerwire.ingest.errors import ParseError  # noqa: E402
from tickerwire.ingest.layout import body_blocks_with_dateline, wrap_text  # noqa: E402
from tickerwire.ingest.textblocks import naive_paragraph_break, normalise_space, split_dateline  # noqa: E402

TRAIN = REPO.parent / "shared" / "data" / "reuters21578" / "train.jsonl"


def load_cases(path: Path = TRAIN, limit: int | None = None, every: int = 1) -> list[ReutersCase]:
    """Return the cases of the corpus stories that have a body (every ``every``-th, up to ``limit``)."""
    cases: list[ReutersCase] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if number % every:
                continue
            case = case_from_record(json.loads(line))
            if case is not None:
                cases.append(case)
            if limit is not None and len(cases) >= limit:
                break
    return cases


def boundaries(paragraphs: list[str]) -> set[int]:
    """Return the word positions where the second and later paragraphs start."""
    starts: set[int] = set()
    words = 0
    for text in paragraphs[:-1]:
        words += len(text.split())
        starts.add(words)
    return starts


def _map_positions(positions: set[int], got: list[str], want: list[str]) -> set[int]:
    """Return word positions in ``got`` moved to the same words in ``want`` (dropped where text differs).

    Without this a story whose text differs by one word would count every later boundary as wrong.
    """
    mapping: dict[int, int] = {}
    for block in SequenceMatcher(None, got, want, autojunk=False).get_matching_blocks():
        for offset in range(block.size):
            mapping[block.a + offset] = block.b + offset
    return {mapping[p] for p in positions if p in mapping}


@dataclass
class Tally:
    """Counts for one layout over many stories."""

    stories: int = 0
    errors: int = 0
    headline: int = 0
    dateline: int = 0
    body_exact: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add_boundaries(self, got: list[str], expected: list[str]) -> None:
        found, wanted = boundaries(got), boundaries(expected)
        got_words, want_words = " ".join(got).split(), " ".join(expected).split()
        if got_words != want_words:
            found = _map_positions(found, got_words, want_words)
        self.tp += len(found & wanted)
        self.fp += len(found - wanted)
        self.fn += len(wanted - found)

    def add_story(self, case: ReutersCase, draft: ArticleDraft) -> None:
        self.stories += 1
        self.headline += draft.headline == case.headline or (
            draft.revision_marker is not None and case.headline.endswith(draft.headline)
        )
        got_dateline = None if draft.dateline is None else (draft.dateline.place, draft.dateline.date)
        want_dateline = None if case.dateline is None else (case.dateline.place, case.dateline.date)
        self.dateline += got_dateline == want_dateline
        got = [block.text for block in draft.body]
        self.body_exact += normalise_space(" ".join(got)) == normalise_space(" ".join(case.paragraphs))
        self.add_boundaries(got, case.paragraphs)

    def f1(self) -> tuple[float, float, float]:
        return precision_recall_f1(self.tp, self.tp + self.fp, self.tp + self.fn)

    def line(self, name: str) -> str:
        precision, recall, f1 = self.f1()
        n = max(1, self.stories)
        head = f"{name:<22} stories {self.stories:>5}  errors {self.errors:>3}"
        if self.headline or self.dateline or self.body_exact:
            head += (
                f"  headline {self.headline / n:7.2%}  dateline {self.dateline / n:7.2%}"
                f"  body exact {self.body_exact / n:7.2%}"
            )
        return head + f"  boundary P {precision:.4f} R {recall:.4f} F1 {f1:.4f}"


def page_body_lines(case: ReutersCase, width: int | None) -> list[str]:
    """Return the body lines a page of the case shows, as the naive baseline reads them."""
    if width is None:
        return list(case.page_lines)
    return [
        line for block in body_blocks_with_dateline(case.draft()) for line in wrap_text(block.text, width, width - 4)
    ]


def naive_paragraphs(lines: list[str]) -> list[str]:
    """Split lines at every "sentence end, then capital" and drop the dateline, as the baseline does."""
    paragraphs: list[list[str]] = []
    for index, line in enumerate(lines):
        if index == 0 or naive_paragraph_break(lines[index - 1], line):
            paragraphs.append([])
        paragraphs[-1].append(line)
    texts = [normalise_space(" ".join(chunk)) for chunk in paragraphs]
    if texts:
        texts[0] = split_dateline(texts[0])[1]
    return [text for text in texts if text]


def run_layout(
    cases: list[ReutersCase], render: Callable[[ReutersCase], str], parse: Callable[[bytes], list[object]]
) -> Tally:
    """Parse every case's layout and tally it against the corpus."""
    tally = Tally()
    for case in cases:
        try:
            results = parse(render(case).encode("utf-8"))
        except ParseError:
            tally.stories += 1
            tally.errors += 1
            continue
        draft = results[0]
        if not isinstance(draft, ArticleDraft):
            tally.stories += 1
            tally.errors += 1
            continue
        tally.add_story(case, draft)
    return tally


def layouts(widths: list[int]) -> Iterator[tuple[str, Callable[[ReutersCase], str], int | None]]:
    yield "page, corpus wrap", lambda case: case.page(), None
    for width in widths:
        yield f"page, width {width}", lambda case, w=width: case.page(w), width


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N stories with a body")
    parser.add_argument("--widths", default="60,65,70,80", help="page wrap widths to test besides the corpus's")
    args = parser.parse_args(argv)
    if not TRAIN.exists():
        print(f"{TRAIN} is absent; nothing to measure", file=sys.stderr)
        return 2
    started = time.perf_counter()
    cases = load_cases(limit=args.limit)
    widths = [int(w) for w in args.widths.split(",") if w.strip()]
    print(f"Reuters-21578 train.jsonl: {len(cases)} stories with a body")
    print(run_layout(cases, lambda case: case.wire, wire.parse).line("wire"))
    for name, render, width in layouts(widths):
        print(run_layout(cases, render, page.parse).line(name))
        naive = Tally()
        for case in cases:
            naive.add_boundaries(naive_paragraphs(page_body_lines(case, width)), case.paragraphs)
        print(naive.line("  naive baseline"))
    print(f"({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
