"""The pre-publication rules: each one, their fixed order, the record, and the strictest outcome winning."""

from __future__ import annotations

import pytest

from tickerwire.comments import rules
from tickerwire.comments.rules import HOLD, PASS, REJECT, RULE_ORDER, Context, check

PLAIN = Context(published_before=5, is_staff=False, is_repeat=False)


def outcome(text: str, context: Context = PLAIN) -> tuple[str, dict[str, str]]:
    result, record = check(text, context)
    return result, {r["rule"]: r["outcome"] for r in record}


def test_every_rule_runs_in_the_fixed_order_and_is_recorded() -> None:
    result, record = check("A fair point about margins.", PLAIN)
    assert result == PASS
    assert [r["rule"] for r in record] == list(RULE_ORDER) == [
        "new_user", "banned_words", "suspect_words", "links", "repeat", "finance_spam"]
    assert all(r["outcome"] == PASS for r in record)


def test_new_readers_first_comments_are_held(settings: object) -> None:
    settings.TICKERWIRE_COMMENTS_PREMODERATE_FIRST = 2  # type: ignore[attr-defined]
    for before, expected in ((0, HOLD), (1, HOLD), (2, PASS)):
        assert outcome("Hello", Context(before, False, False))[0] == expected
    assert outcome("Hello", Context(0, True, False))[0] == PASS  # staff are not pre-moderated


@pytest.mark.parametrize(("text", "rule", "expected"), [
    ("you scumbag", "banned_words", REJECT),
    ("YOU SCUMBAG!", "banned_words", REJECT),
    ("ｓｃｕｍｂａｇ", "banned_words", REJECT),  # full-width letters fold
    ("scumbags are a word we do not match whole", "banned_words", PASS),
    ("this looks like a scam", "suspect_words", HOLD),
    ("scampi for lunch", "suspect_words", PASS),
    ("see https://example.test/x", "links", HOLD),
    ("see www.example.test", "links", HOLD),
    ("this stock is going to the moon", "finance_spam", REJECT),
    ("Guaranteed Returns of 40% a month", "finance_spam", REJECT),
    ("$ORBW $QFM $BRMB $ACME are all buys", "finance_spam", HOLD),
    ("$ORBW and $QFM both fell", "finance_spam", PASS),
    ("it cost $5 and $10", "finance_spam", PASS),  # amounts are not cashtags
])
def test_each_rule(text: str, rule: str, expected: str) -> None:
    assert outcome(text)[1][rule] == expected


def test_a_repeat_is_rejected() -> None:
    assert outcome("same again", Context(5, False, True))[1]["repeat"] == REJECT


def test_the_strictest_outcome_wins_and_all_results_are_kept() -> None:
    result, record = check("scam! to the moon https://x.test", Context(0, False, False))
    assert result == REJECT
    outcomes = {r["rule"]: r["outcome"] for r in record}
    assert outcomes == {"new_user": HOLD, "banned_words": PASS, "suspect_words": HOLD, "links": HOLD,
                        "repeat": PASS, "finance_spam": REJECT}
    assert any("to the moon" in r["detail"] for r in record)


def test_the_lists_are_settings(settings: object) -> None:
    settings.TICKERWIRE_COMMENTS_SPAM_PHRASES = ["lambo soon"]  # type: ignore[attr-defined]
    assert rules.finance_spam("wen lambo soon", PLAIN).outcome == REJECT
    assert rules.finance_spam("to the moon", PLAIN).outcome == PASS
