"""Extract key figures from a story: "imports slumped 46% to $5.8 billion in January-July 2025".

Rule-based and fast: a number pattern (currency, hedge, value, scale word, unit), a small lexicon of
direction words (rose/fell, up/down, surge/slump, ...), period expressions, and a noun phrase read by
:mod:`tickerwire.enrich.figure_labels` as the metric. Only quantities with a unit or a scale word count
as figures: bare counts, years and dates do not. A change and the level it reached ("fell 46% to $5.8
billion", "was $410 million, up 7%") make one figure whose ``value`` is the level and whose ``change`` is
the change as written; the two ends of a range make one figure whose ``value`` is the low end; a baseline
("to 1.07 billion from 690 million") is no figure of its own. A figure whose metric is not a clean noun
phrase is not shown (:func:`sentence_figures`); :func:`figure_candidates` keeps it with an empty metric.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tickerwire.core.draft import ArticleDraft
from tickerwire.core.enrichment import Figure
from tickerwire.enrich.figure_labels import LabelReader

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "hundred": 100, "half": 0.5, "a third": 1 / 3, "a quarter": 0.25,
}
SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mln": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9, "bln": 1e9,
    "bn": 1e9, "b": 1e9, "trillion": 1e12, "tln": 1e12, "tn": 1e12,
}
CURRENCY_SIGNS = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "c$": "CAD", "a$": "AUD"}
CURRENCY_CODES = ("USD", "EUR", "GBP", "JPY", "CNY", "CHF", "CAD", "AUD", "RUB", "INR", "HKD", "SEK", "NOK")
CURRENCY_WORDS = {"dollars": "USD", "euros": "EUR", "pounds": "GBP", "yen": "JPY", "yuan": "CNY", "roubles": "RUB",
                  "rubles": "RUB", "rupees": "INR", "francs": "CHF"}
UNIT_WORDS = {
    "%": "%", "percent": "%", "per cent": "%", "percentage points": "pp", "percentage point": "pp",
    "basis points": "bp", "basis point": "bp", "bps": "bp", "times": "times", "fold": "times", "-fold": "times",
    "tonnes": "tonnes", "tons": "tonnes", "barrels": "barrels", "barrels per day": "bpd", "bpd": "bpd",
    "ounces": "ounces", "points": "points", "cubic metres": "m3", "cubic meters": "m3", "megawatts": "MW",
    "gigawatts": "GW", "mw": "MW", "gw": "GW", "jobs": "jobs", "shares": "shares", "people": "people",
}
HEDGES = r"(?:almost|nearly|about|around|roughly|some|approximately|more than|less than|over|under|just over|" \
         r"just under|up to|at least|as much as|as many as)"

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_WORDNUM = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
_SCALE = "|".join(sorted(SCALES, key=len, reverse=True))
_UNIT = "|".join(sorted((re.escape(u) for u in UNIT_WORDS), key=len, reverse=True))
_SIGN = "|".join(sorted((re.escape(s) for s in CURRENCY_SIGNS), key=len, reverse=True))
_CODE = "|".join(CURRENCY_CODES)
_CURWORD = "|".join(CURRENCY_WORDS)

QUANTITY = re.compile(
    rf"(?P<hedge>{HEDGES}\s+)?"
    rf"(?:(?P<sign>{_SIGN})\s?|(?P<code>{_CODE})\s?)?"
    rf"(?P<number>{_NUM}|\b(?:{_WORDNUM})\b)"
    rf"(?:\s?(?P<scale>(?:{_SCALE}))\b)?"
    rf"(?:\s?(?P<unit>{_UNIT})(?![\w])|\s(?P<code_after>{_CODE})\b|\s(?P<curword>{_CURWORD})\b)?",
    re.IGNORECASE,
)

RISE_WORDS = (
    "rose rise rises rising risen up increase increased increases increasing grew grow grows growing grown gain "
    "gained gains climbed climb climbs jumped jump jumps soared soar soars surged surge surges advanced rallied "
    "higher boosted expanded added accelerated doubled tripled rebounded spiked"
).split()
FALL_WORDS = (
    "fell fall falls falling fallen down decrease decreased decreases declined decline declines declining "
    "dropped drop drops dropping slumped slump slumps slid slide slides plunged plunge plunges tumbled tumble "
    "lost lower shrank shrink shrinks contracted contraction sank eased dipped dip slipped slowed cut cuts "
    "halved lost losses"
).split()
DIRECTION = {**{w: "rise" for w in RISE_WORDS}, **{w: "fall" for w in FALL_WORDS}}
LABELS = LabelReader(frozenset(DIRECTION))
_DIRECTION_WORD = re.compile(r"\b(" + "|".join(sorted(DIRECTION, key=len, reverse=True)) + r")\b", re.IGNORECASE)

MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
         r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
YEAR = r"(?:19|20)\d{2}"
PERIOD = re.compile(
    "|".join([
        rf"\b(?:from|between)\s+{MONTH}(?:\s+{YEAR})?\s+(?:to|and|through|until)\s+{MONTH}(?:\s+{YEAR})?",
        rf"\b{MONTH}\s*[-–]\s*{MONTH}(?:\s+{YEAR})?",
        rf"\b(?:in|during|over|for|within)\s+the\s+(?:(?:first|second|third|fourth|last|past|next|previous|"
        rf"same|\w+)\s+)?(?:\w+\s+)?(?:years?|months?|quarters?|weeks?|half|days?)"
        rf"(?:\s+(?:to|ended|ending|of|through)\s+(?:{MONTH}\s+)?{YEAR})?",
        rf"\b(?:in|during|for|by|since)\s+(?:fiscal\s+|mid-)?(?:{MONTH}\s+)?{YEAR}",
        rf"\bin\s+{MONTH}\b",
        r"\b(?:year|month|quarter|week)[- ](?:on|over)[- ](?:year|month|quarter|week)\b",
        r"\b(?:y/y|yoy|q/q)\b",
        r"\b(?:last|this|next)\s+(?:year|month|quarter|week)\b",
        r"\bin\s+(?:that|the|this)\s+period\b",
        r"\bin\s+Q[1-4](?:\s+{YEAR})?".replace("{YEAR}", YEAR),
    ]),
    re.IGNORECASE,
)

SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’]?\s+(?=[\"“‘A-Z0-9])")
ABBREVIATIONS = re.compile(r"\b(?:U\.S|U\.K|Mr|Mrs|Ms|Dr|St|Inc|Corp|Co|Ltd|No|Jan|Feb|Aug|Sept?|Oct|Nov|Dec)\.$")
CHANGE_UNITS = {"%", "pp", "bp", "times", "points"}
# "fell 12% to $3.4 billion", "closed 6.3% higher at $48.20": a change and the level it reached.
CHANGE_TO_LEVEL = re.compile(r"\s+(?:(?:higher|lower)\s+)?(?:to|at)\s+(?:an?\s+(?:record|high|low)\s+(?:of\s+)?)?",
                             re.IGNORECASE)
# "was 410 million euros, up 7%": the change of the level just written.
TRAILING_CHANGE = re.compile(r"\s*,\s*(up|down)\s+", re.IGNORECASE)
RANGE_JOIN = re.compile(r"\s*(?:-|–|to)\s*|\s+and\s+", re.IGNORECASE)
# "up from 3.6%", "compared with $2.3 billion": the level before, not a figure of its own.
BASELINE = re.compile(r"\b(?:from(?:\s+the)?|after|compared\s+(?:with|to)|compares\s+with|versus|vs\.?|against)\s*$",
                      re.IGNORECASE)
# "225,000 to 235,000 tonnes", "between 1.5 and 2 billion": a bare number opening a range.
BARE_RANGE_START = re.compile(r"(?:\bbetween\s+)?(?<![\w.,])(?P<low>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)"
                              r"\s*(?P<join>-|–|to|and)\s*$", re.IGNORECASE)
RANGE_FROM = re.compile(r"\brang(?:e|es|ed)\s+from\s*$", re.IGNORECASE)
BETWEEN_BEFORE = re.compile(r"\bbetween\s*$", re.IGNORECASE)  # "between $4 billion and $4.5 billion"
PERIOD_REACH = 45


def split_sentences(text: str) -> list[str]:
    """Return the sentences of a paragraph (full stops after common abbreviations do not split)."""
    parts: list[str] = []
    start = 0
    for match in SENTENCE_END.finditer(text):
        candidate = text[start : match.start()].rstrip()
        if ABBREVIATIONS.search(candidate):
            continue
        parts.append(text[start : match.end()].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        parts.append(tail)
    return parts


@dataclass
class _Quantity:
    start: int
    end: int
    text: str
    value: float
    unit: str | None
    scale: float = 1.0


def _quantities(sentence: str) -> list[_Quantity]:
    found = []
    for m in QUANTITY.finditer(sentence):
        number = m.group("number")
        unit: str | None = None
        if m.group("sign"):
            unit = CURRENCY_SIGNS[m.group("sign").lower()]
        elif m.group("code") or m.group("code_after"):
            unit = (m.group("code") or m.group("code_after")).upper()
        elif m.group("curword"):
            unit = CURRENCY_WORDS[m.group("curword").lower()]
        elif m.group("unit"):
            unit = UNIT_WORDS[m.group("unit").lower()]
        scale = SCALES.get((m.group("scale") or "").lower(), 1.0)
        if unit is None and scale == 1.0:
            continue  # a bare count, a year or a date: not a figure
        bare_letter_scale = (m.group("scale") or "").lower() in {"m", "b", "k"}
        if bare_letter_scale and not (m.group("sign") or m.group("code")):
            continue  # "5 m" without a currency is more likely metres than millions
        digits = number.replace(",", "")
        value = float(digits) if digits[0].isdigit() else float(NUMBER_WORDS[number.lower()])
        found.append(_Quantity(m.start(), m.end(), m.group(0).strip(), value * scale, unit, scale))
    return found


def _direction_before(text: str) -> str | None:
    """Return the direction of the last rise or fall word in ``text``."""
    words = _DIRECTION_WORD.findall(text)
    return DIRECTION[words[-1].lower()] if words else None


@dataclass
class _Group:
    """One figure's quantities: a level, or a change and its level, or a range (``start``..``end``)."""

    start: int
    end: int
    text: str
    value: float
    unit: str | None
    change: str | None = None
    change_direction: str | None = None
    baseline: bool = False


_PERIOD_OR_POSSESSIVE = re.compile(rf"(?:{PERIOD.pattern})(?:['’]s\b)?", re.IGNORECASE)


_CLAUSE_OPENER = re.compile(r"\s*(?:the|a|an|its|their|it|they|we|he|she|this|these)\b", re.IGNORECASE)


def _blank_periods(sentence: str) -> str:
    """Return the sentence with its period expressions blanked (same length, so offsets hold).

    A possessive goes with its period: "cut next year's drilling budget" reads "cut drilling budget". A
    period before a new noun phrase ends a fronted phrase: "by the end of next year the numbers rose"
    reads "by the end of; the numbers rose", so "end of the numbers" is never read as one phrase.
    """
    def blank(m: re.Match[str]) -> str:
        opens_clause = _CLAUSE_OPENER.match(sentence, m.end())
        return " " * (len(m.group(0)) - 1) + (";" if opens_clause else " ")

    return _PERIOD_OR_POSSESSIVE.sub(blank, sentence)


def _low_end(low: _Quantity, high: _Quantity) -> float:
    """Return the value of a range's low end: "$1.3 to $1.5bn" shares the high end's scale."""
    return low.value * high.scale if low.scale == 1.0 and high.scale > 1.0 else low.value


def _is_range(sentence: str, low: _Quantity, high: _Quantity) -> bool:
    """Return whether ``low`` and ``high`` are the ends of one range ("$4 billion to $4.5 billion")."""
    join = sentence[low.end : high.start]
    if not RANGE_JOIN.fullmatch(join):
        return False
    lead = sentence[: low.start]
    if "and" in join.lower():
        return bool(BETWEEN_BEFORE.search(lead))
    if low.unit not in (None, high.unit) or (low.unit == "points" and "to" in join.lower()):
        return False  # "rose 120 points to 8,412 points" is a change and its level
    if high.value > 2 * _low_end(low, high):
        return False  # a range is narrow: "rise by $19bn to $419.3bn" is a change and its level
    return not BASELINE.search(lead) or bool(RANGE_FROM.search(lead))


def _bare_range_start(sentence: str, q: _Quantity, floor: int) -> tuple[int, float] | None:
    """Return where a bare number opening a range that ends at ``q`` starts, and its value, if there is one.

    "225,000 to 235,000 tonnes" and "between 1.5 and 2 billion" (the scale of ``q`` applies to both ends).
    """
    m = BARE_RANGE_START.search(sentence, floor, q.start)
    if m is None or (m.group("join").lower() == "and" and not m.group(0).lower().startswith("between")):
        return None
    low = m.group("low")
    if re.fullmatch(r"(?:19|20)\d\d", low) or (BASELINE.search(sentence, 0, m.start())
                                               and not RANGE_FROM.search(sentence, 0, m.start())):
        return None  # "in 2024 to $3 billion"; "from 5 to 7 million" is a change
    return m.start(), float(low.replace(",", "")) * q.scale


def _groups(text: str, sentence: str, quantities: list[_Quantity]) -> list[_Group]:
    """Join the quantities of ``text`` into figures: ranges, changes with their level, baselines.

    The joins are read in ``sentence``, the text with period expressions blanked ("rose 6% in the third
    quarter to 148,000 barrels").
    """
    groups: list[_Group] = []
    i = 0
    while i < len(quantities):
        q = quantities[i]
        following = quantities[i + 1] if i + 1 < len(quantities) else None
        lead = sentence[: q.start]
        bare = _bare_range_start(sentence, q, groups[-1].end if groups else 0)
        if bare is not None:
            groups.append(_Group(bare[0], q.end, text[bare[0] : q.end], bare[1], q.unit))
            i += 1
            continue
        if following is not None and _is_range(sentence, q, following):
            between = BETWEEN_BEFORE.search(lead)
            start = between.start() if between else q.start
            groups.append(_Group(start, following.end, text[start : following.end], _low_end(q, following),
                                 q.unit or following.unit))
            i += 2
            continue
        if BASELINE.search(lead) and not RANGE_FROM.search(lead):
            groups.append(_Group(q.start, q.end, q.text, q.value, q.unit, baseline=True))
            i += 1
            continue
        # "rose by $19bn to $419.3bn": an amount in the level's own unit is a change too
        by_amount = following is not None and q.unit is not None and q.unit == following.unit and bool(
            re.search(r"\bby\s*$", lead, re.IGNORECASE))
        if (following is not None and (q.unit in CHANGE_UNITS or by_amount)
                and CHANGE_TO_LEVEL.fullmatch(sentence[q.end : following.start])):
            groups.append(_Group(q.start, following.end, following.text, following.value, following.unit,
                                 change=q.text))
            i += 2
            continue
        trailing = TRAILING_CHANGE.fullmatch(sentence[groups[-1].end : q.start]) if groups else None
        if trailing and q.unit in CHANGE_UNITS and groups[-1].change is None and not groups[-1].baseline:
            groups[-1].change = q.text
            groups[-1].change_direction = DIRECTION[trailing.group(1).lower()]
            groups[-1].end = q.end
            i += 1
            continue
        groups.append(_Group(q.start, q.end, q.text, q.value, q.unit))
        i += 1
    return groups


def figure_candidates(sentence: str) -> list[Figure]:
    """Return every figure of one sentence in the order written, those with no clean label with ``metric=""``."""
    blanked = _blank_periods(sentence)
    groups = _groups(sentence, blanked, _quantities(sentence))
    figures: list[Figure] = []
    clause_start = 0
    for i, group in enumerate(groups):
        next_start = groups[i + 1].start if i + 1 < len(groups) else len(sentence)
        metric, noun_direction = (None, None) if group.baseline else LABELS.label(
            blanked[: group.start], clause_start, blanked[group.end : next_start], unit=group.unit)
        gap = sentence[clause_start : group.start]
        direction = _direction_before(gap[-60:])
        if direction is None:
            m = re.match(r"\s*(higher|lower|up|down|rise|fall|increase|decrease|drop|jump|decline|gain)\b",
                         sentence[group.end : group.end + 25], re.IGNORECASE)
            direction = DIRECTION.get(m.group(1).lower()) if m else None
        direction = direction or noun_direction or group.change_direction
        change = group.change
        if direction is not None and change is None and group.unit in {"%", "pp", "bp", "times"}:
            change = group.text
        periods = [m.group(0) for m in PERIOD.finditer(sentence, group.end, min(next_start, group.end + PERIOD_REACH))]
        if not periods:
            periods = [m.group(0) for m in PERIOD.finditer(sentence, clause_start, group.start)][-1:]
        figures.append(Figure(
            value=group.value, unit=group.unit, text=group.text, metric=metric or "", sentence=sentence,
            direction=direction, change=change, period=", ".join(periods) or None,  # type: ignore[arg-type]
        ))
        clause_start = group.end
    return figures


def sentence_figures(sentence: str) -> list[Figure]:
    """Return the figures of one sentence that name what they measure, in the order written.

    A figure whose label is not a clean noun phrase is dropped: a garbled label ("690 million from")
    misleads more than a missing figure.
    """
    return [figure for figure in figure_candidates(sentence) if figure.metric]


def extract_figures(draft: ArticleDraft) -> list[Figure]:
    """Return the key figures of a story's body, sentence by sentence."""
    figures: list[Figure] = []
    for paragraph in draft.paragraphs():
        for sentence in split_sentences(" ".join(paragraph.split())):
            figures.extend(sentence_figures(sentence))
    return figures
