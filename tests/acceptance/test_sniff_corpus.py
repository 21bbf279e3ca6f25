"""Format sniffing on real wire copy: Reuters-21578 stories, as wire text and as seed-style pages, are told
apart. A sample runs here; the whole corpus was checked by hand (see the H2 report)."""

from __future__ import annotations

import itertools
import json

from lab.reuters21578 import case_from_record
from tests.acceptance.conftest import require_shared, require_shared_data
from tickerwire.ingest.sniff import sniff_format

TRAIN = require_shared_data("reuters21578", "train.jsonl")
SEEDS = require_shared("seeds")
SAMPLE = 2000


def test_reuters_wire_and_page_layouts_sniff_apart() -> None:
    """Every sampled story sniffs as ``wire`` in wire layout and ``page`` in page layout."""
    misses: list[tuple[int, str, str]] = []
    checked = 0
    with TRAIN.open(encoding="utf-8") as lines:
        for line in itertools.islice(lines, SAMPLE):
            case = case_from_record(json.loads(line))
            if case is None:
                continue
            checked += 1
            for expected, text in (("wire", case.wire), ("page", case.page())):
                got = sniff_format(text.encode("utf-8"))
                if got != expected:
                    misses.append((case.id, expected, got))
    assert checked > SAMPLE // 2
    assert misses == []


def test_seed_page_sniffs_as_page() -> None:
    """The page the project started from is a ``page``."""
    for path in SEEDS.glob("*.txt"):
        assert sniff_format(path.read_bytes()) == "page", path
