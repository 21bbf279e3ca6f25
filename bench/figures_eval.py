"""Key-figure labels on our labelled sentences: precision of shown figures, recall and the count dropped.

Usage: ``python bench/figures_eval.py [--errors] [--bbc PATH] [--sample N]``. Prints, for the dev set (60
sentences, the one rules were tuned on) and the test set (100 sentences, written and frozen before any
rule was chosen), each measured separately: label precision (shown figures whose label reads correctly /
shown figures), recall (required figures shown with a correct label / required figures) and how many
candidate figures were dropped for want of a clean label. "Reads correctly" is defined mechanically in
:mod:`lab.figure_eval`. ``--errors`` lists the dev set's mistakes; the test set's are never printed.

With the BBC corpus (``../shared/data/bbcnews/bbc_shared.jsonl`` by default, read at run time, never
committed) it also prints, per half (tune/report, fixed by a hash of the story id), how many candidate
figures real copy has and how many are shown; there is no gold label there, so ``--sample N`` prints N
random shown figures of the *tune* half to judge by eye (the report half is never listed).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import random  # noqa: E402

from lab.figure_eval import DEV_SET, TEST_SET, corpus_figures, read_labelled, score  # noqa: E402

BBC = REPO.parent / "shared" / "data" / "bbcnews" / "bbc_shared.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list the dev set's mistakes")
    parser.add_argument("--bbc", type=Path, default=BBC, help="BBC corpus (JSON Lines); skipped when absent")
    parser.add_argument("--sample", type=int, default=0, help="print N random shown figures of the BBC tune half")
    args = parser.parse_args()
    for name, path in (("dev", DEV_SET), ("test", TEST_SET)):
        rows = read_labelled(path)
        result = score(rows)
        print(f"{name:4} {len(rows):3} sentences  shown {result.shown:3}  precision {result.precision:.3f} "
              f"({result.correct}/{result.shown})  recall {result.recall:.3f} ({result.found}/{result.required})  "
              f"dropped {result.dropped}")
        if args.errors and name == "dev":
            for error in result.errors:
                print("   ", error)
    if not args.bbc.exists():
        return
    for part in ("tune", "report"):
        stories, candidates, shown = corpus_figures(args.bbc, part)
        print(f"bbc {part:6} {stories:3} stories  candidates {candidates}  shown {len(shown)} "
              f"({len(shown) / max(candidates, 1):.1%})")
        if part == "tune" and args.sample:
            for figure in random.Random(0).sample(shown, min(args.sample, len(shown))):
                print(f"    {figure.text!r:26} {figure.metric!r:45} {figure.sentence[:100]}")


if __name__ == "__main__":
    main()
