"""Tell text that is language from text that is not (random bytes, keyboard mash, base64, word salad).

A story is published only when its text reads as language. The signals, each cheap and Django-free:

* the share of word tokens that are dictionary words (the English word list the ticker tagger ships,
  ``tickerwire/enrich/data/ambiguous_words.txt.gz``: SCOWL words with a wordfreq Zipf frequency of at
  least 3, plus place and people names, and our own list of function words below);
* the share of function words ("the", "of", "and"): prose is about two fifths function words, a list of
  dictionary words drawn at random has almost none;
* character-level signals: the share of letters among the non-space characters, the mean word length
  (base64 and hex make one long "word" per line) and how well the text compresses (one phrase repeated
  for megabytes compresses to almost nothing).

Tables of figures (Reuters' "Shr 12 cts vs 10 cts" earnings stories) are mostly numbers, so the
function-word and letter signals are relaxed when figures make up much of the text. Short texts (a flash is
a headline only) are judged on the dictionary share alone, with a lower bar, because one name or ticker
is a large part of a headline. The dictionary is English: for a story that says it is in another language
only the character-level signals apply.

The thresholds were set on half of Reuters-21578 train, AG News and BBC (``bench/garbage_eval.py``
reports them on the other half and on Reuters' unused part).
"""

from __future__ import annotations

import gzip
import re
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

WORDS_PATH = Path(__file__).resolve().parents[1] / "enrich" / "data" / "ambiguous_words.txt.gz"

# Written for this project: English function words and very common short forms, so that the function-word
# share does not depend on what the ticker tagger's list happens to keep.
FUNCTION_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not now of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they this those
    through to too under until up upon very was we were what when where which while who whom whose why
    will with would you your yours yourself yourselves said says say per vs via since ago among amid
    against within without across toward towards behind beyond despite unless whether either neither
    yet however already still even ever mr mrs ms dr st us uk eu un co inc""".split()
)

_TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# Figures: "12", "1.25", "3rd", "1980s", "5pct", "10m", "Q3", "FY2024", "G7".
_FIGURE = re.compile(r"^(?:\d[\d.,]*(?:st|nd|rd|th|s|pct|mln|bln|m|bn|k|pm|am)?|(?:q|h|g|fy|cy)\d{1,4})$")
# ASCII marks that prose and tables hardly use, and random characters use as often as any other.
_STRAY_ASCII = frozenset("^_`{|}~\\")
_SAMPLE_CHARS = 120_000
_SAMPLE_WINDOWS = 12


@dataclass(frozen=True)
class Thresholds:
    """Where text stops reading as language; the bench tunes these on one half of the corpora."""

    min_word_share: float = 0.40
    min_short_word_share: float = 0.20
    short_tokens: int = 20
    min_function_share: float = 0.06
    function_min_words: int = 30
    min_letter_share: float = 0.50
    max_symbol_share: float = 0.05
    min_table_word_share: float = 0.15
    max_mean_word_length: float = 12.0
    min_compressed_share: float = 0.08
    table_figure_share: float = 0.20
    compress_min_chars: int = 2000


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class LanguageScore:
    """The signals of one text; ``words`` counts alphabetic tokens, ``figures`` numeric ones."""

    tokens: int
    words: int
    figures: int
    word_share: float
    function_share: float
    letter_share: float
    mean_word_length: float
    compressed_share: float
    symbol_share: float
    chars: int

    @property
    def figure_share(self) -> float:
        return self.figures / self.tokens if self.tokens else 0.0


@lru_cache(maxsize=1)
def dictionary_words() -> frozenset[str]:
    """Return the lower-case English words the detector counts as dictionary words."""
    # One word a line, as the ticker tagger reads the same file (line by line through gzip took ~0.3 s).
    words = gzip.decompress(WORDS_PATH.read_bytes()).decode("utf-8").split()
    return frozenset(words).union(FUNCTION_WORDS)


def sample_text(text: str, limit: int = _SAMPLE_CHARS) -> str:
    """Return the text, or evenly spaced windows of it when it is long, so scoring stays fast on any size."""
    if len(text) <= limit:
        return text
    width = limit // _SAMPLE_WINDOWS
    step = (len(text) - width) / (_SAMPLE_WINDOWS - 1)
    return "\n".join(text[int(i * step) : int(i * step) + width] for i in range(_SAMPLE_WINDOWS))


def score_text(text: str, *, compress_from: int = 0) -> LanguageScore:
    """Return the language signals of a text (a sample of it when it is long).

    The compression signal is measured only on texts of at least ``compress_from`` characters (shorter
    ones get 1.0, "does not compress"): :func:`judge` reads it only from ``compress_min_chars`` on, and
    zlib is a large part of the cost of a short story.

    Each distinct token and non-ASCII character is judged once (:func:`_token_row`, :func:`_char_signals`,
    both remembered) and ASCII characters are counted by class with ``bytes.translate``: the same sums as
    character by character and token by token (the dictionary weights are counted in halves, so exactly),
    for a fraction of the work.
    """
    text = sample_text(text)
    ascii_text = text.isascii()
    tokens = _ascii_tokens(text) if ascii_text else _TOKEN.findall(text)
    figures, words, known_halves, function, ascii_words, ascii_letters = _token_sums(tokens)
    known = known_halves / 2
    visible, letters, symbols = _char_counts(text, ascii_text)
    compressed = 1.0
    if len(text) >= compress_from:
        encoded = text.encode("utf-8", errors="replace")
        compressed = len(zlib.compress(encoded, 6)) / len(encoded) if encoded else 1.0
    return LanguageScore(
        tokens=len(tokens),
        words=words,
        figures=figures,
        word_share=known / words if words else 0.0,
        function_share=function / words if words else 0.0,
        letter_share=letters / visible if visible else 0.0,
        mean_word_length=ascii_letters / ascii_words if ascii_words else 0.0,
        compressed_share=compressed,
        symbol_share=symbols / visible if visible else 0.0,
        chars=len(text),
    )


def _ascii_tokens(text: str) -> list[str]:
    """Return what ``_TOKEN.findall`` does for ASCII text, several times faster.

    In ASCII the word characters are letters, digits and "_"; every other byte but the apostrophe becomes
    a space and the text is split. An apostrophe joins two runs only between letters or digits, so the few
    chunks that hold one are split there and their runs rejoined where nothing was between them.
    """
    chunks = text.encode("ascii").translate(_ASCII_TOKEN_BYTES).decode("ascii").split()
    if "'" not in text:
        return chunks
    tokens: list[str] = []
    for chunk in chunks:
        if "'" not in chunk:
            tokens.append(chunk)
            continue
        run: list[str] = []
        for part in chunk.split("'"):
            if part:
                run.append(part)
            elif run:  # "''", or a leading or trailing "'": the token ends here
                tokens.append("'".join(run))
                run = []
        if run:
            tokens.append("'".join(run))
    return tokens


# What each token seen lately adds to the sums (see _token_row); cleared when it grows past the bound.
_TOKEN_ROWS: dict[str, tuple[int, int, int, int, int, int]] = {}
_TOKEN_ROWS_MAX = 1 << 16
_FIGURE_ROW = (1, 0, 0, 0, 0, 0)


def _token_sums(tokens: list[str]) -> tuple[int, int, int, int, int, int]:
    """Return (figures, words, dictionary weight in halves, function words, ASCII words, their letters).

    Each distinct token is judged once (and remembered); the sums are taken column by column in C.
    """
    if not tokens:
        return 0, 0, 0, 0, 0, 0
    rows = _TOKEN_ROWS
    unseen = set(tokens).difference(rows)
    if unseen:
        if len(rows) + len(unseen) > _TOKEN_ROWS_MAX:
            rows.clear()
            unseen = set(tokens)
        for token in unseen:
            rows[token] = _token_row(token)
    columns = zip(*map(rows.__getitem__, tokens), strict=True)
    figures, words, halves, function, ascii_words, ascii_letters = map(sum, columns)
    return figures, words, halves, function, ascii_words, ascii_letters


def _token_row(token: str) -> tuple[int, int, int, int, int, int]:
    """Return what one token adds to (figures, words, weight in halves, function words, ASCII words, letters).

    A figure counts only as a figure. A token with a digit that is not a figure ("aGVsbG8xMjM") is a word of
    weight 0. The dictionary weight (1, 0.5 or 0) is kept in halves so that its sum is an exact integer.
    """
    folded = token.casefold().replace("\u2019", "'")
    is_ascii = folded.isascii()
    if not folded.isalpha() and any(ch.isdigit() for ch in folded):
        if _FIGURE.match(folded):
            return _FIGURE_ROW
        return 0, 1, 0, 0, int(is_ascii), len(folded) if is_ascii else 0
    halves = int(2 * _word_weight(token, folded, dictionary_words()))
    return 0, 1, halves, int(folded in FUNCTION_WORDS), int(is_ascii), len(folded) if is_ascii else 0


def _char_counts(text: str, ascii_text: bool) -> tuple[int, int, int]:
    """Return how many characters of the text are visible (not white space), letters and stray symbols."""
    # In UTF-8 every ASCII character is its own byte and no other character has a byte below 0x80.
    data = text.encode("utf-8", errors="surrogatepass")
    size = len(data)
    letters = size - len(data.translate(None, _ASCII_LETTER_BYTES))
    symbols = size - len(data.translate(None, _ASCII_STRAY_BYTES))
    visible = len(text) - (size - len(data.translate(None, _ASCII_SPACE_BYTES)))  # less the ASCII white space
    if ascii_text:
        return visible, letters, symbols
    for ch, count in Counter(_NON_ASCII.findall(text)).items():
        is_visible, is_letter, is_stray = _char_signals(ch)
        if not is_visible:
            visible -= count
        letters += is_letter * count
        symbols += is_stray * count
    return visible, letters, symbols


@lru_cache(maxsize=1 << 12)
def _char_signals(ch: str) -> tuple[bool, bool, bool]:
    """Return (is visible, i.e. not white space; is a letter; is a stray symbol) of one character."""
    if ch.isspace():
        return False, False, False
    return True, ch.isalpha(), _is_stray(ch)


def _is_stray(ch: str) -> bool:
    """Return whether a character is a stray symbol: a rare ASCII mark, a control or a non-currency symbol."""
    if ch.isascii():
        return ch in _STRAY_ASCII or not ch.isprintable()
    category = unicodedata.category(ch)
    return category[0] == "C" or category in ("Sm", "Sk", "So")


_ASCII = [chr(code) for code in range(128)]
_ASCII_SPACE_BYTES = bytes(ord(ch) for ch in _ASCII if ch.isspace())
_ASCII_LETTER_BYTES = bytes(ord(ch) for ch in _ASCII if ch.isalpha())
_ASCII_STRAY_BYTES = bytes(ord(ch) for ch in _ASCII if not ch.isspace() and _is_stray(ch))
# Letters, digits and the apostrophe stay; every other ASCII byte becomes a space.
_ASCII_TOKEN_BYTES = bytes(
    code if (_ASCII[code].isalnum() or _ASCII[code] == "'") else ord(" ") for code in range(128)
) + bytes(range(128, 256))


def _word_weight(token: str, folded: str, dictionary: frozenset[str]) -> float:
    """Return 1 for a dictionary word, 0.5 for a name-like word ("Agilent", "ABB"), else 0.

    Words of one or two letters count only when they are function words: random characters split into
    many short tokens, and the dictionary holds most two-letter abbreviations.
    """
    if folded in FUNCTION_WORDS:
        return 1.0
    if len(folded) >= 3 and (folded in dictionary or folded.removesuffix("'s") in dictionary):
        return 1.0
    if len(token) >= 2 and token[0].isupper() and (token[1:].islower() or token.isupper()) and token.isalpha():
        return 0.5
    return 0.0


def not_language_reason(
    text: str, *, english: bool = True, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> str | None:
    """Return why a text is not language ("not language: 12% dictionary words (need >= 40%)"), or ``None``.

    ``english=False`` (a story in another language) skips the dictionary and function-word signals.
    """
    return judge(score_text(text, compress_from=thresholds.compress_min_chars), english=english, thresholds=thresholds)


def judge(score: LanguageScore, *, english: bool = True, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> str | None:
    """Return why scored text is not language, or ``None``; the bench calls this to tune thresholds."""
    t = thresholds
    if score.tokens == 0:
        return "not language: no words at all"
    table = score.figure_share >= t.table_figure_share
    if score.symbol_share > t.max_symbol_share:
        share, bar = score.symbol_share, t.max_symbol_share
        return f"not language: {share:.0%} of the characters are stray symbols (need \u2264 {bar:.0%})"
    if score.letter_share < t.min_letter_share and not table:
        share, bar = score.letter_share, t.min_letter_share
        return f"not language: {share:.0%} of the characters are letters (need \u2265 {bar:.0%})"
    if score.mean_word_length > t.max_mean_word_length:
        return (
            f"not language: words average {score.mean_word_length:.1f} letters "
            f"(need \u2264 {t.max_mean_word_length:.0f}; base64 or encoded data?)"
        )
    if score.chars >= t.compress_min_chars and score.compressed_share < t.min_compressed_share:
        share = score.compressed_share
        return f"not language: the text compresses to {share:.1%} of its size (the same text repeated?)"
    if not english or score.words == 0:
        return None
    short = score.words < t.short_tokens
    need = t.min_short_word_share if short else t.min_table_word_share if table else t.min_word_share
    if score.word_share < need:
        return f"not language: {score.word_share:.0%} dictionary words (need \u2265 {need:.0%})"
    if score.words >= t.function_min_words and not table and score.function_share < t.min_function_share:
        return (
            f"not language: {score.function_share:.0%} function words such as 'the' and 'of' "
            f"(need \u2265 {t.min_function_share:.0%}; a list of random words?)"
        )
    return None


def is_english(language: str | None) -> bool:
    """Return whether a story's language tag is English or unset (the dictionary applies)."""
    return not language or language.strip().lower().replace("_", "-").split("-")[0] in ("en", "eng", "")
