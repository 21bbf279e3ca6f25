"""The "not language" detector: real prose, tables and headlines pass; generated garbage is refused."""

from __future__ import annotations

import base64
import random
import string
import zlib

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


def _reference_score(text: str) -> tuple[int, int, int, float, float, float, float, float, float, int]:
    """Score a text the plain way, token by token and character by character, as the detector was written
    first; :func:`score_text` counts each distinct token and character once and must agree exactly."""
    from tickerwire.ingest import language

    text = language.sample_text(text)
    dictionary = dictionary_words()
    tokens = language._TOKEN.findall(text)
    words = figures = function = ascii_words = ascii_letters = 0
    known = 0.0
    for token in tokens:
        folded = token.casefold().replace("\u2019", "'")
        if any(ch.isdigit() for ch in folded):
            if language._FIGURE.match(folded):
                figures += 1
                continue
            words += 1
        else:
            words += 1
            known += language._word_weight(token, folded, dictionary)
            function += folded in language.FUNCTION_WORDS
        if folded.isascii():
            ascii_words += 1
            ascii_letters += len(folded)
    visible = [ch for ch in text if not ch.isspace()]
    letters = sum(1 for ch in visible if ch.isalpha())
    symbols = sum(1 for ch in visible if language._is_stray(ch))
    encoded = text.encode("utf-8", errors="replace")
    compressed = len(zlib.compress(encoded, 6)) / len(encoded) if encoded else 1.0
    return (
        len(tokens), words, figures,
        known / words if words else 0.0,
        function / words if words else 0.0,
        letters / len(visible) if visible else 0.0,
        ascii_letters / ascii_words if ascii_words else 0.0,
        compressed,
        symbols / len(visible) if visible else 0.0,
        len(text),
    )


def _awkward_texts() -> list[str]:
    """Texts that reach every branch of the fast counting: apostrophes in every position, underscores,
    ASCII controls and separators (some are white space), non-ASCII digits, letters, marks and spaces."""
    rng = random.Random(11)
    ascii_all = [chr(code) for code in range(128)]
    wide = [chr(code) for code in range(0x20, 0x3000) if not 0xD800 <= code < 0xE000]
    texts = [PROSE, TABLE, *FLASHES, "", " \n\t", "'", "a'b'c ''d'' 'e f' g''h", "x_y __z__ 9_9", "\x1c\x1dA\x1fB\x00"]
    texts += ["don\u2019t r\u00e9sum\u00e9 \u00b2 \u00bd \u0663 caf\u00e9's \u2028 \u00a0 \u00e9\u0301 \ud800?"]
    for size in (5, 60, 700, 4000):
        texts.append("".join(rng.choices("ab Z9_'' \n\x1c\x00\x7f.^~", k=size)))
        texts.append("".join(rng.choices(ascii_all, k=size)))
        texts.append("".join(rng.choices(wide, k=size)))
        mixed = "ab1\u00b2\u00bd\u2019'\u00c9\u00df\u0130Xy\u0663"  # digits that are not decimal, dotted I
        texts.append(" ".join("".join(rng.choices(mixed, k=4)) for _ in range(size // 5)))
        texts.append(_random_letters(rng, size) + " " + _word_salad(rng, size))
    return texts


@pytest.mark.parametrize("text", _awkward_texts())
def test_fast_scoring_agrees_with_the_plain_count(text: str) -> None:
    """Counting distinct tokens and characters gives exactly the plain count's signals, on any text."""
    score = score_text(text)
    fast = (
        score.tokens, score.words, score.figures, score.word_share, score.function_share, score.letter_share,
        score.mean_word_length, score.compressed_share, score.symbol_share, score.chars,
    )
    assert fast == _reference_score(text)


def test_compression_is_measured_only_where_the_judge_reads_it() -> None:
    """Below ``compress_from`` characters the compression signal is left at 1.0; the verdict is the same."""
    short = PROSE * 2
    assert len(short) < DEFAULT_THRESHOLDS.compress_min_chars
    assert score_text(short, compress_from=DEFAULT_THRESHOLDS.compress_min_chars).compressed_share == 1.0
    assert score_text(short).compressed_share < 1.0
    assert not_language_reason(PROSE * 40) is not None  # long and repeated: still measured and refused
