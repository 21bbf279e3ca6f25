"""Wire notices that take a story down: "WITHDRAWN-", "KILL-", "... - WITHDRAWN" as agencies write them.

A withdraw or kill notice is a story of its own that names another: by the same URI (a feed or ninjs item
re-sent under the original's guid), or by the original's headline after the notice prefix, or in its body
("The story headlined "..." is withdrawn"). :func:`withdraw_notice` reads a parsed draft and says whether it
is such a notice and which headlines it names; the store finds the story by its identity rules and takes it
down (:mod:`tickerwire.articles.actions.notices`). Plain Python: no Django.

Only the forms wires write in capitals count (a prefix ``WITHDRAWN-``, a trailing ``- WITHDRAWN``), or a
bracketed ``(withdrawn)``: a headline such as "Orbis bid withdrawn" is news, not a notice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from tickerwire.core.draft import ArticleDraft

NoticeKind = Literal["withdraw", "kill"]

_WORD = r"(?P<word>WITHDRAWN|WITHDRAWAL|WITHDRAW|KILL|KILLED|STORY\s+KILLED|STORY\s+WITHDRAWN)"
# "WITHDRAWN-Orbis ...", "MANDATORY KILL - Orbis ...", "KILL: Orbis ..." (capitals only).
_PREFIX = re.compile(rf"^\s*(?:MANDATORY\s+|ADVISORY\s*[-:]\s*)?{_WORD}\s*[-:/]\s*(?P<rest>\S.*)$")
# "Orbis ... - WITHDRAWN", "Orbis ... (WITHDRAWN)", "Orbis ... [withdrawn]".
_BRACKETED = _WORD.replace("?P<word>", "?P<bword>")
_SUFFIX = re.compile(rf"^(?P<rest>.*\S)\s*(?:[-\u2013\u2014]\s*{_WORD}|[(\[]\s*{_BRACKETED}\s*[)\]])\s*$")
_BRACKET_LOWER = re.compile(r"^(?P<rest>.*\S)\s*[(\[]\s*(?P<bword>withdrawn|killed)\s*[)\]]\s*$", re.IGNORECASE)
# "The story headlined "Orbis ..." is withdrawn", "Please kill the item headlined 'Orbis ...'".
_HEADLINED = re.compile(
    r"\bheadlined\s+[\"\u201c'\u2018](?P<named>[^\"\u201d\u2019]{3,300})[\"\u201d'\u2019]", re.IGNORECASE
)


@dataclass(frozen=True)
class WithdrawNotice:
    """A notice to take a story down, and the headlines it names the story by (best first)."""

    kind: NoticeKind
    named_headlines: tuple[str, ...]


def _kind(word: str) -> NoticeKind:
    return "kill" if "KILL" in word.upper() else "withdraw"


def withdraw_notice(draft: ArticleDraft) -> WithdrawNotice | None:
    """Return the withdraw/kill notice a draft is, or None for an ordinary story."""
    headline = " ".join(draft.headline.split())
    match = _PREFIX.match(headline) or _SUFFIX.match(headline) or _BRACKET_LOWER.match(headline)
    if match is None:
        return None
    word = match.groupdict().get("word") or match.groupdict().get("bword") or ""
    names = [match.group("rest").strip()]
    for paragraph in [*draft.summary, *draft.paragraphs()]:
        names += [found.group("named").strip() for found in _HEADLINED.finditer(paragraph)]
    unique = tuple(dict.fromkeys(name for name in names if name))
    return WithdrawNotice(kind=_kind(word), named_headlines=unique)
