"""Extract key figures from a story: "imports slumped 46% to $5.8 billion in January-July 2025".

Rule-based and fast: a number pattern (currency, hedge, value, scale word, unit), a small lexicon of
direction words (rose/fell, up/down, surge/slump, ...), period expressions, and the clause before the
verb as the metric phrase. Only quantities with a unit or a scale word count as figures: bare counts,
years and dates do not. A change and the level it reached ("fell 46% to $5.8 billion") make one figure
whose ``value`` is the level and whose ``change`` is the change as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tickerwire.core.draft import ArticleDraft
from tickerwire.core.enrichment import Figure

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
LEADING_CONNECTORS = re.compile(
    r"^(?:and|but|while|whereas|with|as|although|though|when|after|since|so|yet|however|meanwhile|that|which|"
    r"in which|where|led by|while the|the)\s+", re.IGNORECASE)
LIST_INTRODUCERS = re.compile(r"\b(?:including|such as|like|from|of)\b", re.IGNORECASE)
TRAILING_AUXILIARIES = re.compile(r"\s+(?:was|were|is|are|has been|have been|had been|has|have|had|came in|stood)$",
                                  re.IGNORECASE)
LEVEL_LEAD_IN = re.compile(r"\s*\bto(?:\s+an?\s+(?:record|all-time high|high|low|new high|new low)(?:\s+of)?)?\s*$",
                           re.IGNORECASE)
VERB_OR_RELATIVE = re.compile(r".*\b(?:\w+ed|that|which|who)\s+", re.IGNORECASE)
DETERMINERS = ("the", "a", "an", "its", "their", "this")
PERIOD_REACH = 45
MAX_METRIC_WORDS = 16


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
        found.append(_Quantity(m.start(), m.end(), m.group(0).strip(), value * scale, unit))
    return found


def _metric(sentence: str, start: int, end: int) -> str:
    """Return the subject phrase in ``sentence[start:end]``: the clause before the figure's verb."""
    segment = PERIOD.sub(" ", sentence[start:end])
    if LEVEL_LEAD_IN.search(segment):
        # "... that pushed bilateral trade to a record $245 billion": the object of the verb is the metric.
        segment = LEVEL_LEAD_IN.sub("", segment)
        segment = VERB_OR_RELATIVE.sub("", segment)
    parts = [p.strip(" ,;:-\"'“”") for p in re.split(r"[,;:]\s+", segment)]
    parts = [p for p in parts if p]
    if not parts:
        return ""
    chosen = parts[-1]
    index = len(parts) - 1
    while index > 0 and LIST_INTRODUCERS.search(parts[index - 1]) and len(chosen.split()) <= 4:
        index -= 1
        chosen = parts[index] + ", " + chosen
    previous = None
    while previous != chosen:
        previous = chosen
        chosen = LEADING_CONNECTORS.sub("", chosen).strip()
    chosen = TRAILING_AUXILIARIES.sub("", chosen)
    words = chosen.split()
    return " ".join(words[-MAX_METRIC_WORDS:])


def _direction_before(text: str) -> tuple[str | None, int | None]:
    """Return the last direction word in ``text`` and where it starts."""
    last = None
    for m in _DIRECTION_WORD.finditer(text):
        last = m
    if last is None:
        return None, None
    return DIRECTION[last.group(1).lower()], last.start()


def figure_candidates(sentence: str) -> list[Figure]:
    """Return every quantity of one sentence as a figure, in the order written (before any is dropped)."""
    quantities = _quantities(sentence)
    figures: list[Figure] = []
    clause_start = 0
    skip: set[int] = set()
    for i, q in enumerate(quantities):
        if i in skip:
            continue
        change: str | None = None
        level = q
        between_next = sentence[q.end : quantities[i + 1].start] if i + 1 < len(quantities) else None
        if (
            between_next is not None
            and q.unit in {"%", "pp", "times"}
            and re.fullmatch(r"\s+to\s+(?:a\s+(?:record|high|low)\s+(?:of\s+)?)?", between_next, re.IGNORECASE)
        ):
            change, level = q.text, quantities[i + 1]
            skip.add(i + 1)
        gap = sentence[clause_start : q.start]
        direction, at = _direction_before(gap[-60:])
        after = sentence[level.end : level.end + 25]
        if direction is None:
            m = re.match(r"\s*(higher|lower|up|down|rise|fall|increase|decrease|drop|jump|decline|gain)\b", after,
                         re.IGNORECASE)
            if m:
                direction = DIRECTION.get(m.group(1).lower())
        verb_at = (len(gap) - min(len(gap), 60) + at) if at is not None else None
        if verb_at is not None and (
            gap[:verb_at].lower().split()[-1:] in ([d] for d in DETERMINERS)
            or re.match(r"\w+\s+(?:in|of)\b", gap[verb_at:])
        ):
            verb_at = None  # "the headline fall in trade was 8.1%": the direction word is inside the metric
        if direction is not None and change is None and level.unit in {"%", "pp", "bp", "times"}:
            change = level.text
        metric_end = clause_start + verb_at if verb_at is not None else q.start
        metric = _metric(sentence, clause_start, metric_end)
        if not metric or re.fullmatch(r"(?:by|of|from|a|to|at|was|is|were)?", metric, re.IGNORECASE):
            metric = _metric(sentence, 0, metric_end) if clause_start else metric
        next_start = quantities[i + 2].start if change and i + 2 < len(quantities) else (
            quantities[i + 1].start if not change and i + 1 < len(quantities) else len(sentence))
        periods = [m.group(0) for m in PERIOD.finditer(sentence, level.end, min(next_start, level.end + PERIOD_REACH))]
        if not periods:
            periods = [m.group(0) for m in PERIOD.finditer(sentence, clause_start, q.start)][-1:]
        figures.append(Figure(
            value=level.value, unit=level.unit, text=level.text, metric=metric, sentence=sentence,
            direction=direction, change=change, period=", ".join(periods) or None,  # type: ignore[arg-type]
        ))
        clause_start = level.end
    return figures


def sentence_figures(sentence: str) -> list[Figure]:
    """Return the figures of one sentence that are shown, in the order written."""
    return figure_candidates(sentence)


def extract_figures(draft: ArticleDraft) -> list[Figure]:
    """Return the key figures of a story's body, sentence by sentence."""
    figures: list[Figure] = []
    for paragraph in draft.paragraphs():
        for sentence in split_sentences(" ".join(paragraph.split())):
            figures.extend(sentence_figures(sentence))
    return figures
