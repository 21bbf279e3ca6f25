"""Pre-publication rules, applied to every new or edited comment in one fixed order, each result recorded.

1. ``new_user``: a reader's first ``TICKERWIRE_COMMENTS_PREMODERATE_FIRST`` comments are held for review;
2. ``banned_words``: a banned word rejects;
3. ``suspect_words``: a suspect word holds;
4. ``links``: a link (``http(s)://``, ``www.``) holds;
5. ``repeat``: the same text posted by the same reader within ``TICKERWIRE_COMMENTS_REPEAT_HOURS`` rejects;
6. ``finance_spam``: a pump-and-dump phrase ("to the moon", "guaranteed returns", ...) rejects, and more
   than ``TICKERWIRE_COMMENTS_MAX_CASHTAGS`` distinct cashtags (``$ORBW``) hold.

Every rule runs (so the record is complete); the outcome is the strictest: reject, else hold, else publish.
Staff comments skip only ``new_user``. Words match whole words, case-folded; the lists are settings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.conf import settings

PASS, HOLD, REJECT = "pass", "hold", "reject"
_STRENGTH = {PASS: 0, HOLD: 1, REJECT: 2}
RULE_ORDER = ("new_user", "banned_words", "suspect_words", "links", "repeat", "finance_spam")

_LINK = re.compile(r"(?i)\b(?:https?://|www\.)\S")
_CASHTAG = re.compile(r"(?<![\w$])\$([A-Za-z]{1,6}(?:\.[A-Za-z]{1,2})?)\b")


@dataclass(frozen=True)
class Context:
    """What the rules know besides the text."""

    published_before: int  # the author's comments published so far
    is_staff: bool
    is_repeat: bool  # same text by the same author recently (checked by the caller against the database)


@dataclass(frozen=True)
class Result:
    rule: str
    outcome: str
    detail: str = ""


def normalised(text: str) -> str:
    """Return text case-folded with compatibility forms folded (full-width letters, ligatures)."""
    return unicodedata.normalize("NFKC", text).casefold()


def _found_words(text: str, words: list[str]) -> list[str]:
    folded = normalised(text)
    return [word for word in words if word and re.search(rf"(?<!\w){re.escape(normalised(word))}(?!\w)", folded)]


def new_user(text: str, context: Context) -> Result:
    first = int(getattr(settings, "TICKERWIRE_COMMENTS_PREMODERATE_FIRST", 1))
    if not context.is_staff and context.published_before < first:
        return Result("new_user", HOLD, f"new reader: {context.published_before} of {first} comments published")
    return Result("new_user", PASS)


def banned_words(text: str, context: Context) -> Result:
    found = _found_words(text, list(getattr(settings, "TICKERWIRE_COMMENTS_BANNED_WORDS", [])))
    return Result("banned_words", REJECT, "banned word: " + ", ".join(found)) if found else Result("banned_words", PASS)


def suspect_words(text: str, context: Context) -> Result:
    found = _found_words(text, list(getattr(settings, "TICKERWIRE_COMMENTS_SUSPECT_WORDS", [])))
    return Result("suspect_words", HOLD, "suspect word: " + ", ".join(found)) if found else Result("suspect_words",
                                                                                                   PASS)


def links(text: str, context: Context) -> Result:
    count = len(_LINK.findall(normalised(text)))
    return Result("links", HOLD, f"{count} link{'s' if count != 1 else ''}") if count else Result("links", PASS)


def repeat(text: str, context: Context) -> Result:
    return Result("repeat", REJECT, "the same text was posted recently") if context.is_repeat else Result("repeat",
                                                                                                         PASS)


def finance_spam(text: str, context: Context) -> Result:
    phrases = _found_words(text, list(getattr(settings, "TICKERWIRE_COMMENTS_SPAM_PHRASES", [])))
    if phrases:
        return Result("finance_spam", REJECT, "pump-and-dump phrase: " + ", ".join(phrases))
    tags = {tag.upper() for tag in _CASHTAG.findall(unicodedata.normalize("NFKC", text))}
    most = int(getattr(settings, "TICKERWIRE_COMMENTS_MAX_CASHTAGS", 3))
    if len(tags) > most:
        return Result("finance_spam", HOLD, f"cashtag flood: {len(tags)} cashtags (at most {most})")
    return Result("finance_spam", PASS)


RULES: dict[str, Callable[[str, Context], Result]] = {
    "new_user": new_user, "banned_words": banned_words, "suspect_words": suspect_words,
    "links": links, "repeat": repeat, "finance_spam": finance_spam,
}


def check(text: str, context: Context) -> tuple[str, list[dict[str, str]]]:
    """Apply every rule in :data:`RULE_ORDER`; return the outcome and the record of each result."""
    results = [RULES[name](text, context) for name in RULE_ORDER]
    outcome = max((result.outcome for result in results), key=_STRENGTH.__getitem__)
    return outcome, [asdict(result) for result in results]
