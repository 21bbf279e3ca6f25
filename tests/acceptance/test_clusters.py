"""Story clusters on a Reuters-21578 sample: edited versions join their story; same-topic stories do not.

The full run is ``bench/cluster_eval.py`` (all 9,603 train stories, 1,000 edited); this checks a sample.
"""

from __future__ import annotations

import sys

from tests.acceptance.conftest import REPO_ROOT, require_shared_data

require_shared_data("reuters21578", "train.jsonl")
sys.path.insert(0, str(REPO_ROOT / "bench"))  # the bench scripts import their corpus loader by plain name

from cluster_eval import evaluate  # noqa: E402
from reuters_stories import load_train  # noqa: E402


def test_edited_copies_join_and_different_stories_do_not() -> None:
    """On 300 edited stories of the first 3,000: recall >= 0.95, false joins <= 2%, end to end >= 0.95."""
    figures = evaluate(load_train(3000), sample_size=300, threshold=0.3)
    assert figures["recall"] >= 0.95
    assert figures["recall[all-together]"] >= 0.9
    assert figures["false_join_rate"] <= 0.02
    assert figures["precision"] >= 0.97
    assert figures["e2e_joined_own_cluster"] >= 0.95
    assert figures["e2e_joined_other_cluster"] <= 0.01
