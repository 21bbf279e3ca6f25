"""Section classification on fixed TRAIN / CALIBRATE / REPORT parts, beside a TF-IDF + LR baseline.

Usage: ``python bench/sections_eval.py [--data ../shared/data] [--cache var/embedding_cache] [--report]``.

The parts are fixed by a hash of the story id (:mod:`lab.section_splits`): Reuters-21578 train split
7,120 / 1,673 / 810, AG News + de-duplicated BBC 1,070 / 342 / 692. Our heads and the baseline train on
TRAIN only; our thresholds (and second-section score) are chosen on CALIBRATE only. Prints

1. the calibration chosen (thresholds per learned section, the second-section score, words only and with
   the MiniLM embedding; embeddings are cached under ``--cache``);
2. macro-F1 and per-section F1 on CALIBRATE, labelled *tuned* (ours is optimistic there: its thresholds
   were chosen on those rows), for ours as the site lists sections (words only, and with the embedding)
   and for the baseline (one model per corpus: Reuters one-vs-rest at 0.5, news argmax);
3. with ``--report`` only, the same on REPORT: rows neither system saw. Look at it once, after every rule
   is chosen; never pick a rule by its REPORT errors;
4. the invented labelled fixture (tests/fixtures/sections_labelled.jsonl) for the keyword sections, with
   the shipped model: recall (listed among the sections) and how often it is the primary section.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from lab.section_corpora import read_news, read_reuters  # noqa: E402
from lab.section_eval import Figure, cached_vectors, fit_and_calibrate, held_out_figures  # noqa: E402
from lab.section_splits import NEWS_PARTS, REUTERS_PARTS, split  # noqa: E402
from tickerwire.core.draft import ArticleDraft, Block  # noqa: E402
from tickerwire.enrich.embeddings import get_backend  # noqa: E402
from tickerwire.enrich.sections import classify_sections  # noqa: E402

FIXTURE = REPO / "tests" / "fixtures" / "sections_labelled.jsonl"


def show(figures: list[Figure], part: str, title: str) -> None:
    """Print the figures of one part, per corpus: each system's macro-F1, then per-section F1."""
    for corpus in dict.fromkeys(f.corpus for f in figures):
        mine = [f for f in figures if f.corpus == corpus and f.part == part]
        print(f"{corpus}, {title} ({mine[0].rows} stories)")
        for figure in mine:
            sections = "  ".join(f"{label} {f1:.4f}" for label, f1 in zip(figure.labels, figure.per_label, strict=True))
            print(f"  {figure.system:<22} macro-F1 {figure.macro:.4f}   {sections}")


def fixture_figures() -> None:
    """Print recall and primary rate per section on the invented fixture."""
    rows = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]
    print(f"invented fixture ({len(rows)} stories written for this project; keywords by the same author)")
    started = time.perf_counter()
    by_section: dict[str, list[tuple[bool, bool]]] = {}
    for row in rows:
        draft = ArticleDraft(headline=row["headline"], body=[Block("paragraph", row["text"])])
        listed, primary = classify_sections(draft)
        by_section.setdefault(row["section"], []).append((row["section"] in [s.name for s in listed],
                                                          primary == row["section"]))
    rate = len(rows) / (time.perf_counter() - started)
    for section, results in sorted(by_section.items()):
        listed_count = sum(r[0] for r in results)
        primary_count = sum(r[1] for r in results)
        print(f"    {section:<17} listed {listed_count}/{len(results)}  primary {primary_count}/{len(results)}")
    print(f"  classify_sections: {rate:.0f} short stories/s")


def main(argv: list[str] | None = None) -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--cache", type=Path, default=REPO / "var" / "embedding_cache")
    parser.add_argument("--report", action="store_true", help="also print the REPORT figures (once, at the end)")
    args = parser.parse_args(argv)
    backend = get_backend()
    if backend is None:
        raise SystemExit("embeddings are turned off (TICKERWIRE_EMBEDDINGS=none); the embedding head needs them")
    reuters = split(read_reuters(args.data / "reuters21578" / "train.jsonl"), REUTERS_PARTS)
    news = split(read_news(args.data), NEWS_PARTS)
    for name, corpus in (("Reuters", reuters), ("AG News + BBC", news)):
        print(f"{name}: TRAIN {len(corpus.train)}  CALIBRATE {len(corpus.calibrate)}  REPORT {len(corpus.report)}")
    vectors = cached_vectors(backend, args.cache)
    started = time.perf_counter()
    model = fit_and_calibrate(reuters, news, vectors, backend.model_name)
    print(f"fitted on TRAIN and calibrated on CALIBRATE in {time.perf_counter() - started:.0f}s")
    for title, calibration in (("words only", model.calibration), ("with embedding", model.embedding_calibration)):
        thresholds = "  ".join(f"{label} {value:.2f}" for label, value in sorted(calibration.thresholds.items()))
        print(f"  thresholds, {title}: {thresholds}; second section at {calibration.second_score:.2f}")
    parts = ("calibrate", "report") if args.report else ("calibrate",)
    figures = held_out_figures(model, reuters, news, vectors, parts)
    show(figures, "calibrate", "CALIBRATE (tuned: ours chose its thresholds here)")
    if args.report:
        show(figures, "report", "REPORT (held out from everything)")
    fixture_figures()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
