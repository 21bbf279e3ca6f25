"""The "not language" detector: real prose, tables and headlines pass; generated garbage is refused."""

from __future__ import annotations

import base64
import random
import string

import pytest

from tickerwire.ingest.language import DEFAULT_THRESHOLDS, dictionary_words, is_english, not_language_reason, score_text

PROSE = (
    "Orbis Widgets said on Tuesday that orders at its northern plant rose for a third month, as buyers "
    "in the region stocked up before the new tariffs take effect. The company, which makes parts for "
    "farm machinery, expects sales for the year to be at the top of its earlier forecast. Its shares "
    "were up 4.2 percent in early trading, and analysts said the figures showed that demand had held up "
    "better than many investors had feared at the start of the year."
)
TABLE = (
    "Orbis Widgets Inc <ORBW> 3rd qtr net\n"
    "Shr 1.12 dlrs vs 98 cts\nNet 14.6 mln vs 12.9 mln\nRevs 210.4 mln vs 188.7 mln\n"
    "Nine mths\nShr 3.05 dlrs vs 2.71 dlrs\nNet 39.8 mln vs 35.2 mln\nRevs 612.0 mln vs 559.3 mln\n"
)
FLASHES = (
    "Northbank Maintains Orbis Widgets at Buy",
    "Quillfeather Mills Shares Fall After Q3 Miss",
    "ORBIS WIDGETS 3RD QTR SHR 1.12 DLRS VS 98 CTS",
)


def _random_letters(rng: random.Random, size: int) -> str:
    words = ("".join(rng.choices(string.ascii_lowercase, k=rng.randint(1, 10))) for _ in range(size))
    return " ".join(words)[:size]


def _word_salad(rng: random.Random, size: int) -> str:
    words = sorted(dictionary_words())
    return " ".join(rng.choice(words) for _ in range(size // 4))[:size]


@pytest.mark.parametrize("text", [PROSE, TABLE, *FLASHES], ids=["prose", "table", "flash1", "flash2", "flash3"])
def test_real_news_shapes_pass(text: str) -> None:
    """Prose, a table of figures and short financial headlines all read as language."""
    assert not_language_reason(text) is None


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda rng: _random_letters(rng, 5000), "dictionary words"),
        (lambda rng: "".join(rng.choices(string.printable, k=5000)), "not language"),
        (lambda rng: base64.encodebytes(rng.randbytes(4000)).decode(), "average"),
        (lambda rng: _word_salad(rng, 5000), "function words"),
        (lambda rng: "asdf jkl; " * 600, "not language"),
        (lambda rng: PROSE * 40, "compresses"),
    ],
    ids=["random-letters", "random-chars", "base64", "word-salad", "mash", "repeated"],
)
def test_generated_garbage_is_refused_with_a_reason(make, reason: str) -> None:  # type: ignore[no-untyped-def]
    """Each kind of garbage gets a one-line "not language: ..." reason naming the signal that failed."""
    text = make(random.Random(3))
    found = not_language_reason(text)
    assert found is not None and found.startswith("not language:") and reason in found, found


def test_reason_names_the_share_and_the_bar() -> None:
    """The dictionary reason says how many words were found and what is needed."""
    reason = not_language_reason(_random_letters(random.Random(5), 3000))
    assert reason is not None
    assert f"(need \u2265 {DEFAULT_THRESHOLDS.min_word_share:.0%})" in reason
    assert "% dictionary words" in reason


def test_other_languages_skip_the_dictionary_but_not_the_character_signals() -> None:
    """A German story is not judged by an English dictionary; base64 tagged German still is refused."""
    german = (
        "Die Orbis Widgets AG hat am Dienstag mitgeteilt, dass die Auftr\u00e4ge in ihrem Werk im Norden "
        "zum dritten Mal in Folge gestiegen sind. Die Aktie legte im fr\u00fchen Handel um vier Prozent zu. "
    ) * 3
    assert not_language_reason(german, english=False) is None
    assert not_language_reason(german) is not None  # the English bar would have refused it
    blob = base64.encodebytes(random.Random(1).randbytes(3000)).decode()
    assert not_language_reason(blob, english=False) is not None
    assert is_english(None) and is_english("en-GB") and not is_english("de")


def test_long_text_is_sampled_so_scoring_stays_fast() -> None:
    """A multi-megabyte text is scored on a bounded sample."""
    score = score_text(PROSE * 20_000)
    assert score.chars <= 130_000
