"""Key-figure labels on our labelled sentences: precision of shown figures, recall and the count dropped.

Usage: ``python bench/figures_eval.py [--errors]``. Prints, for the dev set (60 sentences, the one rules
were tuned on) and the test set (100 sentences, written and frozen before any rule was chosen), each
measured separately: label precision (shown figures whose label reads correctly / shown figures), recall
(required figures shown with a correct label / required figures) and how many candidate figures were
dropped for want of a clean label. "Reads correctly" is defined mechanically in :mod:`lab.figure_eval`.
``--errors`` lists the dev set's mistakes; the test set's are never printed (it is not tuned on).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from lab.figure_eval import DEV_SET, TEST_SET, read_labelled, score  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list the dev set's mistakes")
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


if __name__ == "__main__":
    main()
