"""Text-level pieces shared by the plain-text parsers: datelines, bylines, credits, and paragraph reflow.

Nothing here knows about a whole document's layout; the ``wire``/``page``/``html`` parsers call these on
the lines and paragraphs they have found. :func:`reflow_lines` rebuilds paragraphs from hard-wrapped lines
when nothing (indentation, blank lines) marks where one paragraph ends and the next begins.
"""

from __future__ import annotations

import re

from tickerwire.core.draft import Block, Dateline

_MONTH = r"(?i:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?)"
# "Aug 28", "March 2", "2 March", "Aug. 28, 2025".
_DATE = rf"(?:{_MONTH}\s+\d{{1,2}}(?:\s*,\s*\d{{4}})?|\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?)"
# An all-capitals place ("SINGAPORE", "RIO DE JANEIRO", "ST. LOUIS"), required when no date follows it.
_CAPS_WORD = r"[A-Z][A-Z.'\u2019&/-]*"
_CAPS_PLACE = rf"{_CAPS_WORD}(?:[ \t]+{_CAPS_WORD}){{0,4}}(?:[ \t]*,[ \t]*[A-Z][\w.]*(?:[ \t]+[A-Z][\w.]*){{0,2}})?"
# A place word: capitalised ("MOSCOW", "Toronto", "N.J.", "O'HARE") or a small linking word ("RIO DE JANEIRO").
_PLACE_WORD = r"(?:[A-Z][\w.'\u2019&/-]*|de|del|da|do|dos|la|le|les|of|am|upon|on|sur|es|el)"
_PLACE_PART = rf"{_PLACE_WORD}(?:[ \t]+{_PLACE_WORD}){{0,5}}"
_PLACE = rf"{_PLACE_PART}(?:[ \t]*,[ \t]*{_PLACE_PART}){{0,2}}"
# A place as mistyped: capitalised words, whatever characters follow the capital ("ME}LBOURNE").
_LOOSE_WORD = r"[A-Z][^\s,]*"
_LOOSE_WORDS = rf"{_LOOSE_WORD}(?:[ \t]+{_LOOSE_WORD}){{0,2}}"
_LOOSE_PLACE = rf"{_LOOSE_WORDS}(?:[ \t]*,[ \t]*(?:the[ \t]+)?{_LOOSE_WORDS})?"
_AGENCY = r"\((?P<agency>[A-Z][\w.&' /-]{0,40}?)\)"
_DASH = r"(?:-{1,2}|\u2013|\u2014)"

# Tried in order; each needs a date or an agency so that ordinary sentences are never taken for datelines.
_DATELINE_PATTERNS = [
    re.compile(rf"^\s*(?P<place>{_PLACE})[ \t]*[,\s]\s*(?P<date>{_DATE})\s*(?:{_AGENCY}\s*)?{_DASH}[ \t]*"),
    re.compile(rf"^\s*(?P<place>{_CAPS_PLACE})\s*{_AGENCY}\s*{_DASH}[ \t]*"),
    re.compile(rf"^\s*(?P<date>{_DATE})\s*{_AGENCY}\s*{_DASH}[ \t]*"),
    re.compile(rf"^\s*{_AGENCY}\s*{_DASH}[ \t]*"),
    # Last, a place as mistyped ("ME}LBOURNE", "ARNHEM, the Netherlands"), but then a comma, a day of a
    # month and a dash.
    re.compile(rf"^\s*(?P<place>{_LOOSE_PLACE})[ \t]*,[ \t]*(?P<date>{_MONTH}[ \t]+\d{{1,2}})[ \t]*{_DASH}[ \t]+"),
]

_BYLINE_START = re.compile(r"^\s*by\s+(?=\S)", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&)\s*", re.IGNORECASE)
# "Jane Doe in London" -> "Jane Doe"; "Jane Doe, Reuters" is split off by the comma and dropped below.
_NAME_PLACE = re.compile(r"\s+in\s+[A-Z][\w .'-]*$")
_NOT_A_NAME = re.compile(r"^(?:reuters|ap|afp|bloomberg|staff|additional reporting)$", re.IGNORECASE)

_CREDITS = re.compile(
    r"^\(\s*(?:(?:additional\s+)?reporting|writing|editing|compiled|reported|by|edited)\b[^()]*(?:\([^()]*\)[^()]*)*\)$",
    re.IGNORECASE,
)
# A sign-off run onto the last line after a gap of spaces: "... 55.8 (33.7).        REUTER".
_TRAILING_SIGN_OFF = re.compile(r"\s{2,}(?:Reuter|REUTER)$")
_SIGN_OFF = re.compile(r"^\s*(?:reuter|reuters|-+\s*reuters\s*-+|\(end\)|end|ap|afp)\s*$", re.IGNORECASE)


def normalise_space(text: str) -> str:
    """Return text with every run of whitespace (tabs, newlines, non-breaking spaces) as one space."""
    return " ".join(text.split())


def split_dateline(paragraph: str) -> tuple[Dateline | None, str]:
    """Split a leading wire dateline off a paragraph; return ``(dateline, rest)``.

    Recognises ``MOSCOW, Aug 28 (Reuters) - ``, ``NEW YORK, Feb 26 - ``, ``TAMPA, Fla., March 19 -``,
    ``SINGAPORE (Reuters) -Oil``, ``March 21 (Reuters) - `` and ``(Reuters) -``. When there is none the
    paragraph comes back unchanged with ``None``.
    """
    for pattern in _DATELINE_PATTERNS:
        match = pattern.match(paragraph)
        if match is None:
            continue
        groups = match.groupdict()
        place = _clean_place(groups.get("place"))
        date = normalise_space(groups["date"]) if groups.get("date") else None
        agency = normalise_space(groups["agency"]) if groups.get("agency") else None
        return Dateline(place=place, date=date, agency=agency), paragraph[match.end() :].lstrip()
    return None, paragraph


def _clean_place(place: str | None) -> str | None:
    """Return the place as written, with its spacing normalised and no trailing comma."""
    if not place:
        return None
    place = normalise_space(place)
    place = re.sub(r"\s+,", ",", place).rstrip(", ")
    return place or None


def is_byline(line: str) -> bool:
    """Return whether a line is a byline ("By Jane Doe and John Roe"), not a sentence starting with "By"."""
    if not _BYLINE_START.match(line):
        return False
    rest = _BYLINE_START.sub("", line).strip()
    names = parse_byline(line)
    if not names or len(rest) > 200 or rest.endswith((".", "?", "!", ":")) and not rest.endswith(" Jr."):
        return False
    return all(_looks_like_name(name) for name in names)


def _looks_like_name(name: str) -> bool:
    """Return whether every word of a name is capitalised or a name particle (de, van, bin...)."""
    words = name.split()
    if not 1 <= len(words) <= 6:
        return False
    particles = {"de", "da", "van", "von", "der", "den", "bin", "al", "el", "la", "le", "di", "du", "dos", "y"}
    return all(w[0].isupper() or w.lower() in particles or w[0] in "'\u2019" for w in words)


def parse_byline(text: str) -> list[str]:
    """Return the names of a byline: "By A, B and C" -> ["A", "B", "C"]; drop "in Moscow" and agency tags."""
    text = normalise_space(_BYLINE_START.sub("", normalise_space(text)))
    names: list[str] = []
    for part in _NAME_SPLIT.split(text):
        part = _NAME_PLACE.sub("", part.strip(" .;:"))
        if part and not _NOT_A_NAME.match(part) and part not in names:
            names.append(part)
    return names


def is_credits(paragraph: str) -> bool:
    """Return whether a paragraph is the closing credit line, "(Reporting by ...; Editing by ...)"."""
    return bool(_CREDITS.match(normalise_space(paragraph)))


def is_sign_off(line: str) -> bool:
    """Return whether a line is a wire sign-off such as ``Reuter`` or ``REUTER`` that ends the copy."""
    return bool(_SIGN_OFF.match(line))


# --- Paragraph reflow ---------------------------------------------------------------------------------

DEFAULT_WRAP_WIDTH = 65  # Wire copy's usual width; assumed when a text's own lines do not show theirs.
MIN_WRAP_WIDTH = 45  # Narrower "widths" come from tables and short lines, never from wrapping prose.
UNSUPPORTED_WIDTH_ALLOWANCE = 6  # Added to the longest line when too few lines are full to show the width.
PARAGRAPH_INDENT = 4  # Wire copy indents a paragraph's first line, so it wraps that much earlier.
OVERLONG_LINE_COST = 1  # What a line longer than a candidate width costs it (a short line costs 1).
SHORT_SENTENCE_END_COST = 0.0  # What a short line ending a sentence costs it: a paragraph's end explains it.
MAX_WIDENING = 10  # How far past the longest line a wrap width is looked for, in columns.
OPENING_SLACK = 1  # A line longer than a paragraph's first line can be, by more than this, opens none.
MAX_RUN_IN = 6  # How far a first line may run over the width: a "(Reuters) " the source lacked, less its indent.
# How far short of the width a line not ending a sentence must fall to end a paragraph, in columns: the
# source's own wrapping leaves lines that much ragged. This and the other counts here were chosen on the
# TUNE half of bench/paragraphs.py.
RAGGED_SHORTFALL = 10
FIGURES_LINE_WORDS = 3  # A line of this many words or fewer is a row, a heading or a paragraph's end.
NAME_SHORTFALL = 14  # The same after a capitalised word, which the next line's capital may continue.

_SENTENCE_END = re.compile(r"[.!?][\'\"\u2019\u201d)\]]*$")
# "U.S.", "S.G.", "Martin T.", "Inc." end a line without ending the sentence.
_ABBREVIATION_END = re.compile(
    r"(?:\b[A-Z]\.)+$|\b(?:Inc|Corp|Co|Ltd|Bhd|Cie|Jr|Sr|Dr|Mr|Mrs|Ms|St|No|Nos|Ave|Rep|Sen|Gov|Gen|Lt|Col|Dept|vs)\.$"
)
# A company name closing a sentence: after it a capitalised word opens the next one.
_COMPANY_END = re.compile(r"\b(?:Inc|Corp|Co|Ltd|Bhd|Cie)\.[\'\"\u2019\u201d)]*$")
_PARAGRAPH_START = re.compile(r"^[\'\"\u2018\u201c(\[<]*[A-Z0-9$\u00a3\u20ac]")
# A line ending in a word that needs more words, or a comma, dash or ampersand: "... Lewis-Westco and".
_CONTINUES = re.compile(
    r"(?:[,&]|\s--?|\b(?i:a|an|the|and|or|but|nor|of|in|on|at|to|for|from|with|by|as|into|onto|than|that|which|"
    r"who|whose|its|their|his|her|our|is|are|was|were|be|been|will|would|shall|should|can|could|may|might|"
    r"must|has|have|had|not|per|via|vs|about|against|between|among|over|under|after|before|during|since|"
    r"until|upon|within|without|through|across|including|plus|if|whether|while|where|because|although|"
    r"though|such|this|these|those))$"
)
# A capitalised last word ("... McLean Industries Inc's United"), which a name on the next line may continue.
_NAME_END = re.compile(r"(?:^|\s)[(<\"\'\u2018\u201c]*[A-Z][\w\'\u2019&-]*[>)]*$")
# A line ending in a word or figure, which a number ("28. Final ...") or a dash on the next line continues.
_RUNS_ON = re.compile(r"[\w%)]$")
# A dash opening an aside that runs on from the line before: "-- the equivalent of ...".
_DASH_ASIDE = re.compile(r"^[-\u2013\u2014]{1,2}\s+[a-z]")
_OPENING_QUOTE = re.compile(r"^[\"\u201c]")
_WORD_START = re.compile(r"^[(\"\'\u2018\u201c]*[A-Z][a-z]")
_CAPITAL_WORD = re.compile(r"^[\"\'\u2018\u201c]*[A-Z][A-Za-z]")
# Initials closing a line ("U.S.", "N.C.", "S and P."), and words that open a sentence but hardly continue
# a name after initials.
_INITIALS_END = re.compile(r"(?:\b[A-Z]\.)+[\'\"\u2019\u201d)]*$")
_SENTENCE_OPENER = re.compile(
    r"^[\"\u201c(]*(?:The|A|An|It|Its|He|She|They|We|I|In|On|At|But|This|That|These|Those|There|His|Her|"
    r"Their|Our|Analysts|Officials|Under|After|Before|Earlier|Meanwhile|However|Also|Some|Most|If|When|As)\b"
)
_VERSUS = re.compile(r"\bvs\.?\s")
_LIST_ITEM = re.compile(r"^(?:[-*\u2022\u2013\u2014]{1,2}|\d{1,2}[.)])\s+\S")
# Column layouts: runs of three spaces, dot leaders (not an ellipsis running on), or two spaces not
# following punctuation.
_TABLE_ROW = re.compile(r"\S {3,}\S|\.{4,}\s*[-\d($]|\s\.{4,}|(?<![.:;,!?\"\')]) {2}\S")
_SUBHEAD = re.compile(r"^[\'\"\u2018\u201c]?[A-Z0-9][A-Z0-9 ,&/'\u2019\"\u201d$%-]*[A-Z0-9'\u2019\"\u201d?!]$")


def is_subhead(line: str) -> bool:
    """Return whether a line is a subhead: two or more words in capitals, no closing full stop."""
    line = line.strip()
    # The cheap tests first: most lines are prose, too long or not in capitals, and need no word count.
    if len(line) > 70 or not _SUBHEAD.match(line):
        return False
    words = [w for w in re.split(r"\s+", line) if any(ch.isalpha() for ch in w)]
    return 2 <= len(words) <= 10


def is_table_row(line: str) -> bool:
    """Return whether a line is laid out in columns (aligned spaces or dot leaders), not wrapped prose."""
    return bool(_TABLE_ROW.search(line.strip()))


def ends_sentence(line: str) -> bool:
    """Return whether a line ends a sentence (a full stop not after an abbreviation, "?" or "!")."""
    line = line.rstrip()
    return bool(_SENTENCE_END.search(line)) and not _ABBREVIATION_END.search(line.rstrip("'\"\u2019\u201d)]"))


def starts_paragraph(line: str) -> bool:
    """Return whether a line can open a paragraph: a capital, a digit, a currency sign or an opening quote."""
    return bool(_PARAGRAPH_START.match(line.lstrip())) or bool(_LIST_ITEM.match(line.lstrip()))


def estimate_wrap_width(lines: list[str], indent: int = PARAGRAPH_INDENT) -> int:
    """Return the column width the lines were wrapped at: the one that explains them best.

    Greedy wrapping at a width leaves every line within it, and a line the next word would have fitted
    on ends its paragraph; the next line opens a paragraph and so wraps ``indent`` columns earlier. Each
    candidate width costs one for every such short line that does not end a sentence (prose paragraphs
    end at sentence ends; a short line ending one costs :data:`SHORT_SENTENCE_END_COST`) and
    :data:`OVERLONG_LINE_COST` for every line longer than it; the cheapest wins, the narrowest on a tie.
    The candidates run from the longest line up to :data:`MAX_WIDENING` columns past it: a source may
    wrap wider than its longest line, which shows in its first lines, all shorter than that width less
    the indent. Only the first line may run over, and by at most :data:`MAX_RUN_IN` columns (a page
    runs the dateline into it that the source wrapped without). A width at which fewer than two lines
    are full is no wrap width (a short story, a table of short rows): the longest line plus
    :data:`UNSUPPORTED_WIDTH_ALLOWANCE` is taken, at least :data:`DEFAULT_WRAP_WIDTH`.
    """
    lengths = [len(line.strip()) for line in lines]
    if not lengths:
        return DEFAULT_WRAP_WIDTH
    next_words = [len(line.split()[0]) for line in lines[1:]]
    sentence_ends = [ends_sentence(line) for line in lines]
    fallback = max(max(lengths) + UNSUPPORTED_WIDTH_ALLOWANCE, DEFAULT_WRAP_WIDTH)
    floor = max(MIN_WRAP_WIDTH, max(lengths[1:], default=0), lengths[0] - MAX_RUN_IN)
    best: tuple[float, int] | None = None
    candidates = {length for length in lengths if length >= floor} | set(range(floor, floor + MAX_WIDENING + 1))
    for width in sorted(candidates):
        cost, full = _wrap_cost(lengths, next_words, sentence_ends, width, indent)
        if full >= 2 and (best is None or cost < best[0]):
            best = (cost, width)
    return fallback if best is None else best[1]


def _wrap_cost(
    lengths: list[int], next_words: list[int], sentence_ends: list[bool], width: int, indent: int
) -> tuple[float, int]:
    """Return how badly greedy wrapping at ``width`` explains the line lengths, and how many lines are full."""
    cost, full, opens = 0.0, 0, True
    for length, word, sentence_end in zip(lengths, next_words, sentence_ends, strict=False):
        capacity = width - indent if opens else width
        if length > capacity:
            cost += OVERLONG_LINE_COST
            opens = False
        elif length + 1 + word > capacity:
            full += 1
            opens = False
        else:
            cost += SHORT_SENTENCE_END_COST if sentence_end else 1
            opens = True
    return cost, full


def is_paragraph_break(
    before: str, after: str, capacity: int, quoting: bool = False, opening_capacity: int | None = None
) -> bool:
    """Return whether a paragraph ends between two consecutive hard-wrapped lines.

    ``capacity`` is the width ``before`` could fill, ``opening_capacity`` the width a paragraph's first
    line could fill (it wraps earlier), ``quoting`` whether the paragraph so far leaves a quotation open.
    Columns and subheads stand alone. A line ending in a conjunction, article, preposition, comma or dash
    goes on ("... Lewis-Westco and" / "Co, a privately-held ..."). A list marker opens an item, and
    otherwise a paragraph opens with a capital, a digit or a quote (in lower case only after a sentence
    end the next word would have fitted after, or between rows of results). A line ending a sentence
    (:func:`closes_sentence`) ends its
    paragraph when the next word would have fitted on it; a full one does too, unless the next line is
    too long to have opened a paragraph or a quotation is still open. A results row ends at the next
    row. Any other line ends a paragraph only when the next word would have fitted and the line falls
    clearly short of the width, since a source's own wrapping leaves lines ragged by up to
    :data:`RAGGED_SHORTFALL` columns; by more still after a capitalised word, which a name on the next
    line may continue.
    """
    before, after = before.strip(), after.strip()
    if not before or not after:
        return True
    if is_table_row(before) or is_table_row(after) or is_subhead(before) or is_subhead(after):
        return True
    if _CONTINUES.search(before):
        return False
    room = capacity - len(before) - 1 - len(after.split()[0])
    if _LIST_ITEM.match(after) and not _DASH_ASIDE.match(after):
        # "- Orbis ..." opens an item, unless it runs on from a line the marker would not fit on.
        return room >= 1 or not _RUNS_ON.search(before) or bool(_LIST_ITEM.match(before))
    if not starts_paragraph(after):
        # A paragraph almost never opens in lower case: only after a sentence end on a line left short (copy
        # typed all in lower case), or between rows of results ("net 65 mln vs 57 mln" / "year") far short.
        if room >= 1 and (ends_sentence(before) or _COMPANY_END.search(before)):
            return True
        return room > capacity // 4 and bool(_VERSUS.search(before) or _VERSUS.search(after))
    sentence_end = closes_sentence(before, after)
    if sentence_end and room >= 1:
        return True
    if sentence_end:
        # A full line: the paragraph goes on inside a quotation, or where the next line is too long to
        # have opened a paragraph.
        opens = opening_capacity is None or len(after) <= opening_capacity + OPENING_SLACK
        return opens and (not quoting or bool(_OPENING_QUOTE.match(after)))
    if is_figures_line(before) and _WORD_START.match(after):
        return True
    if room < 1:
        return False
    if is_figures_line(after):
        return True
    short = capacity - len(before)
    return short >= (NAME_SHORTFALL if _NAME_END.search(before) else RAGGED_SHORTFALL)


def closes_sentence(before: str, after: str) -> bool:
    """Return whether a line ends a sentence, knowing the next line opens with a capital.

    Besides a plain sentence end: a company name ("... Drexel Burnham Lambert Inc." then "Junk bond
    traders ..." or "AMR said ..."), and initials ("... its trade surplus with the U.S." then "The
    subcommittee ...") before a word that opens sentences, not names.
    """
    if ends_sentence(before):
        return True
    if _COMPANY_END.search(before) and _CAPITAL_WORD.match(after):
        return True
    return bool(_INITIALS_END.search(before) and _SENTENCE_OPENER.match(after))


def is_figures_line(line: str) -> bool:
    """Return whether a line is a row of a results summary ("Net 1.1 mln vs 829,000", "Pay April 15").

    Such rows are paragraphs of their own however full they are, unlike lines of prose.
    """
    words = line.split()
    return len(words) <= FIGURES_LINE_WORDS or bool(_VERSUS.search(line))


def in_quotation(text: str) -> bool:
    """Return whether a text leaves a quotation open: an odd number of straight double quotes, or more
    opening curly quotes than closing ones."""
    return text.count('"') % 2 == 1 or text.count("\u201c") > text.count("\u201d")


def naive_paragraph_break(before: str, after: str) -> bool:
    """Return the baseline rule, "a sentence end, then a capital", for comparison in benchmarks."""
    return bool(_SENTENCE_END.search(before.rstrip())) and bool(re.match(r"^[\'\"(]*[A-Z0-9]", after.lstrip()))


def reflow_lines(lines: list[str], indent: int = PARAGRAPH_INDENT, width: int | None = None) -> list[str]:
    """Return the paragraphs rebuilt from hard-wrapped lines, one line per list item, no markers.

    The width is estimated from the lines unless given. Lines are joined with one space.
    """
    lines = [normalise_space(line) for line in lines if line.strip()]
    if not lines:
        return []
    wrap = width or estimate_wrap_width(lines, indent)
    paragraphs: list[list[str]] = [[lines[0]]]
    for before, after in zip(lines, lines[1:], strict=False):
        capacity = wrap - indent if len(paragraphs[-1]) == 1 else wrap
        quoting = in_quotation(" ".join(paragraphs[-1]))
        if is_paragraph_break(before, after, capacity, quoting, opening_capacity=wrap - indent):
            paragraphs.append([after])
        else:
            paragraphs[-1].append(after)
    return [" ".join(chunk) for chunk in paragraphs]


def strip_sign_off(lines: list[str]) -> list[str]:
    """Return the lines without trailing blanks and sign-offs, also one run onto the last line."""
    lines = list(lines)
    while lines and (not lines[-1].strip() or is_sign_off(lines[-1])):
        lines.pop()
    if lines:
        lines[-1] = _TRAILING_SIGN_OFF.sub("", lines[-1].rstrip()) or lines[-1]
    return lines


def finish_body(paragraphs: list[str]) -> tuple[Dateline | None, list[Block], str | None]:
    """Turn a story's paragraphs into ``(dateline, blocks, credits)``.

    The dateline comes off the first paragraph, capitalised paragraphs become subheads, the closing
    "(Reporting by ...)" line becomes the credits and sign-offs (``Reuter``) are dropped.
    """
    paragraphs = [normalise_space(text) for text in paragraphs if text.strip()]
    while paragraphs and is_sign_off(paragraphs[-1]):
        paragraphs.pop()
    credits = None
    if paragraphs and is_credits(paragraphs[-1]):
        credits = paragraphs.pop()
    dateline = None
    if paragraphs:
        dateline, rest = split_dateline(paragraphs[0])
        if dateline is not None and not rest:
            paragraphs.pop(0)
        elif dateline is not None:
            paragraphs[0] = rest
    blocks = [Block("subhead" if is_subhead(text) else "paragraph", text) for text in paragraphs]
    return dateline, blocks, credits
