"""Measure the "not language" detector: false rejects on real news, catch rate on generated garbage.

    PYTHONPATH=$PWD .venv/bin/python bench/garbage_eval.py [--data ../shared/data] [--seed 7]

Real stories go through the parser they would meet in production (Reuters-21578 as wire copy, AG News
and BBC as wire copy of headline and text, the IPTC ninjs examples through the ninjs parser, headline-only
items as flashes), and the detector sees the draft's text as it does at ingest
(:func:`tickerwire.ingest.draft_language_problem`). Each corpus is split by id: the *tune* half is the
one the thresholds in :class:`tickerwire.ingest.language.Thresholds` were chosen on; the *report* half
and Reuters' ``unused`` part were not looked at while tuning. Garbage is generated here with a fixed seed:
random characters, random letter strings, keyboard mash, base64, hex dumps, random dictionary words and
one sentence repeated, each at several lengths (short ones headline-sized).
"""

from __future__ import annotations

import argparse
import base64
import csv
import json
import random
import string
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from tickerwire.core.draft import ArticleDraft
from tickerwire.ingest import draft_language_problem, parse_bytes
from tickerwire.ingest.errors import ParseError
from tickerwire.ingest.language import dictionary_words
from tickerwire.ingest.wire import parse_wire_text

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data"


def _jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _wire_draft(headline: str, text: str) -> ArticleDraft | None:
    try:
        return parse_wire_text(f"{headline.strip()}\n\n{text.strip()}\n")
    except ParseError:
        return None


def reuters(data: Path, name: str) -> Iterator[tuple[int, ArticleDraft]]:
    """Yield (id, draft) for the Reuters stories with a body, parsed from their wire layout."""
    from lab.reuters21578 import case_from_record

    for record in _jsonl(data / "reuters21578" / f"{name}.jsonl"):
        if record.get("text_type") == "BRIEF":
            continue
        case = case_from_record(record)
        if case is None:
            continue
        try:
            draft = parse_wire_text(case.wire)
        except ParseError:
            continue
        yield int(record["id"]), draft


def reuters_briefs(data: Path) -> Iterator[tuple[int, ArticleDraft]]:
    """Yield the title-only Reuters stories (``BRIEF``, both files) as flashes: headline and no body."""
    for name in ("train", "unused"):
        for record in _jsonl(data / "reuters21578" / f"{name}.jsonl"):
            if record.get("text_type") == "BRIEF" and (record.get("title") or "").strip():
                yield int(record["id"]), ArticleDraft(headline=" ".join(record["title"].split()), kind="flash")


def agnews(data: Path) -> Iterator[tuple[int, ArticleDraft]]:
    for record in _jsonl(data / "agnews" / "test_shared.jsonl"):
        text = record["text"].replace("\\", " ")
        draft = _wire_draft(record["title"], text)
        if draft is not None:
            yield int(record["id"]), draft


def bbc(data: Path) -> Iterator[tuple[int, ArticleDraft]]:
    for record in _jsonl(data / "bbcnews" / "bbc_shared.jsonl"):
        draft = _wire_draft(record["title"], record["text"])
        if draft is not None:
            yield int(str(record["id"]).rsplit("/", 1)[-1]), draft


def ticker_headlines(data: Path) -> Iterator[tuple[int, ArticleDraft]]:
    """Yield the financial headlines of the ticker-news sample as flashes (headline only)."""
    path = data / "ticker-news" / "analyst_ratings_processed_sample.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle)):
            title = (row.get("title") or "").strip()
            if title:
                yield number, ArticleDraft(headline=title, kind="flash")


def ninjs_examples(data: Path) -> Iterator[tuple[int, ArticleDraft]]:
    """Yield the text items of the IPTC ninjs examples (English and not), through the ninjs parser."""
    number = 0
    for path in sorted((data / "ninjs" / "examples").rglob("*.json")):
        try:
            results = parse_bytes(path.read_bytes(), "ninjs", check_language=False)
        except ParseError:
            continue
        for result in results:
            if isinstance(result, ArticleDraft):
                number += 1
                yield number, result


# --- garbage -------------------------------------------------------------------------------------------


def random_chars(rng: random.Random, size: int) -> str:
    alphabet = string.ascii_letters + string.digits + string.punctuation + " " * 12 + "\n"
    return "".join(rng.choices(alphabet, k=size))


def random_letter_words(rng: random.Random, size: int) -> str:
    out: list[str] = []
    length = 0
    while length < size:
        word = "".join(rng.choices(string.ascii_lowercase, k=rng.randint(1, 10)))
        if rng.random() < 0.08:
            word = word.capitalize()
        sep = "\n\n" if rng.random() < 0.03 else (". " if rng.random() < 0.07 else " ")
        out.append(word + sep)
        length += len(word) + len(sep)
    return "".join(out)[:size]


def keyboard_mash(rng: random.Random, size: int) -> str:
    rows = ("qwertyuiop", "asdfghjkl;", "zxcvbnm,./", "asdf", "jkl;")
    out: list[str] = []
    length = 0
    while length < size:
        row = rng.choice(rows)
        start = rng.randrange(len(row))
        run = "".join(row[(start + rng.randint(0, 3)) % len(row)] * rng.randint(1, 4) for _ in range(rng.randint(2, 6)))
        sep = rng.choice((" ", " ", " ", "\n", "  "))
        out.append(run + sep)
        length += len(run) + len(sep)
    return "".join(out)[:size]


def base64_blob(rng: random.Random, size: int) -> str:
    raw = bytes(rng.getrandbits(8) for _ in range(size * 3 // 4 + 3))
    return base64.encodebytes(raw).decode("ascii")[:size]


def hex_dump(rng: random.Random, size: int) -> str:
    lines = []
    for offset in range(0, size, 48):
        lines.append(f"{offset:08x}  " + " ".join(f"{rng.getrandbits(8):02x}" for _ in range(16)))
    return "\n".join(lines)[:size]


def random_dictionary_words(rng: random.Random, size: int) -> str:
    words = sorted(dictionary_words())
    out: list[str] = []
    length = 0
    while length < size:
        word = rng.choice(words)
        sep = "\n\n" if rng.random() < 0.03 else (". " if rng.random() < 0.06 else " ")
        out.append(word + sep)
        length += len(word) + len(sep)
    return "".join(out)[:size]


def repeated_sentence(rng: random.Random, size: int) -> str:
    sentence = rng.choice(("The company said profit rose in the quarter. ", "Shares of the bank fell on Monday. "))
    return (sentence * (size // len(sentence) + 1))[:size]


GENERATORS: dict[str, Callable[[random.Random, int], str]] = {
    "random characters": random_chars,
    "random letter strings": random_letter_words,
    "keyboard mash": keyboard_mash,
    "base64": base64_blob,
    "hex dump": hex_dump,
    "random dictionary words": random_dictionary_words,
    "one sentence repeated": repeated_sentence,
}
SIZES = (60, 300, 2_000, 20_000, 200_000)


def garbage_drafts(rng: random.Random, per_size: int) -> Iterator[tuple[str, int, ArticleDraft | None]]:
    """Yield (kind, size, draft) for generated garbage read as wire copy (``None``: the parser refused it)."""
    for kind, make in GENERATORS.items():
        for size in SIZES:
            for _ in range(per_size if size < 100_000 else 2):
                text = make(rng, size)
                headline, _, body = text.partition("\n")
                headline = headline[:120] or "x"
                if size <= 60:
                    yield kind, size, ArticleDraft(headline=" ".join(text.split())[:120] or "x", kind="flash")
                else:
                    yield kind, size, _wire_draft(headline, body or text)


def halves(number: int) -> str:
    """Return the part a story is in: even ids tuned the thresholds, odd ids are reported untouched."""
    return "tune" if number % 2 == 0 else "report"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--per-size", type=int, default=40)
    parser.add_argument("--show", type=int, default=3, help="print this many rejected real stories per corpus")
    args = parser.parse_args(argv)
    if not (args.data / "reuters21578").is_dir():
        print(f"no corpora under {args.data}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    corpora: list[tuple[str, Callable[[], Iterator[tuple[int, ArticleDraft]]], Callable[[int], str]]] = [
        ("Reuters-21578 train", lambda: reuters(args.data, "train"), halves),
        ("Reuters-21578 unused", lambda: reuters(args.data, "unused"), lambda i: "report"),
        ("Reuters BRIEF titles (flashes)", lambda: reuters_briefs(args.data), halves),
        ("AG News shared", lambda: agnews(args.data), halves),
        ("BBC shared", lambda: bbc(args.data), halves),
        ("ticker-news headlines (flashes)", lambda: ticker_headlines(args.data), halves),
        ("IPTC ninjs examples", lambda: ninjs_examples(args.data), lambda i: "report"),
    ]
    print(f"{'corpus':34} {'part':7} {'stories':>8} {'rejected':>9} {'false-reject':>13}")
    totals: Counter[str] = Counter()
    for name, read, part_of in corpora:
        counts: Counter[tuple[str, str]] = Counter()
        shown: list[str] = []
        for number, draft in read():
            part = part_of(number)
            counts[(part, "n")] += 1
            reason = draft_language_problem(draft)
            if reason is not None:
                counts[(part, "bad")] += 1
                if len(shown) < args.show:
                    shown.append(f"    {part} #{number}: {reason} :: {draft.headline[:70]!r}")
        for part in ("tune", "report"):
            n, bad = counts[(part, "n")], counts[(part, "bad")]
            if n:
                totals[part + "_n"] += n
                totals[part + "_bad"] += bad
                print(f"{name:34} {part:7} {n:8d} {bad:9d} {bad / n:13.4%}")
        for line in shown:
            print(line)
    for part in ("tune", "report"):
        n, bad = totals[part + "_n"], totals[part + "_bad"]
        print(f"{'all real stories':34} {part:7} {n:8d} {bad:9d} {bad / n:13.4%}")

    print()
    print(f"{'garbage':26} " + " ".join(f"{size:>8}" for size in SIZES) + f" {'all':>8}")
    rng = random.Random(args.seed)
    caught: Counter[tuple[str, int]] = Counter()
    made: Counter[tuple[str, int]] = Counter()
    for kind, size, generated in garbage_drafts(rng, args.per_size):
        made[(kind, size)] += 1
        # The wire parser refusing it (no headline line) catches it as well as the detector does.
        if generated is None or draft_language_problem(generated) is not None:
            caught[(kind, size)] += 1
    all_made = all_caught = 0
    for kind in GENERATORS:
        row = [caught[(kind, size)] / made[(kind, size)] for size in SIZES]
        kind_made = sum(made[(kind, size)] for size in SIZES)
        kind_caught = sum(caught[(kind, size)] for size in SIZES)
        all_made += kind_made
        all_caught += kind_caught
        print(f"{kind:26} " + " ".join(f"{rate:8.0%}" for rate in row) + f" {kind_caught / kind_made:8.1%}")
    big = [(k, s) for k in GENERATORS for s in SIZES if s >= 2_000]
    big_rate = sum(caught[key] for key in big) / sum(made[key] for key in big)
    print(f"catch rate: {all_caught / all_made:.1%} of {all_made} generated inputs; "
          f"{big_rate:.1%} of those of 2,000 characters or more")
    print(f"elapsed {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
