"""Find the places in analyst-action and company-report headlines where a company's name must stand.

"Deutsche Bank Maintains Agilent Technologies at Buy", "Target Upgraded by Jefferies", "Apple Shares Fall
After Earnings", "Gap Price Target Raised to $30", "Citi Initiates Coverage On Ball With Buy Rating": the
wording around the name is so set that whatever fills the slot is a company, even when each of its words
is an ordinary word. A headline is in Title Case, so capitals there are no evidence; the slot is.

No directory here: this module only says where the slots are; the tagger decides whether a company name
fills one (all of it, give or take a legal suffix), which is what keeps "The Gap Between Rich And Poor"
or "Visa Rules For Students" untagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A word that may be part of a company name in a headline: capitalised, a digit, or a connector.
_NAME_WORD = r"(?:[A-Z0-9][\w'’.&+-]*|[a-z]{1,2}[A-Z][\w'’.&+-]*|of|and|&|de|the|du|la|y)"
_RATING = (
    r"(?:Strong |Conviction |Speculative |Long-[Tt]erm |Market |Sector |Peer |Mkt\.? )?"
    r"(?:Buy|Sell|Hold|Neutral|Outperform|Underperform|Overweight|Underweight|Equal[- ]?[Ww]eight|"
    r"Perform|Weight|In[- ]Line|Accumulate|Reduce|Add|Positive|Negative|Top Pick)"
)
_ANALYST_VERB = (
    r"(?:Maintains|Maintained|Reiterates|Reiterated|Upgrades|Upgraded|Downgrades|Downgraded|Initiates|"
    r"Initiated|Assumes|Assumed|Resumes|Resumed|Reinstates|Reinstated|Starts|Started|Reaffirms|Reaffirmed)"
)
_TARGET = r"(?:Price Target|PT|Target|Price Objective|PO|Estimates|Rating|Outlook|Targets)"
_MONEY = r"\$[\d.,]+"
# What follows an analyst verb before the covered company: "Maintains Buy on", "Initiates Coverage On",
# "Raises Price Target to $345 on", "Turns Bearish On".
_OBJECT_LEAD = re.compile(
    rf"\b(?i:{_ANALYST_VERB})(?: (?i:coverage))?(?: (?i:on|of))?"
    rf"(?: {_RATING}(?: (?i:rating))?(?:,? {_MONEY} (?:PT|Price Target))? (?i:on))? "
    rf"|\b(?:Raises|Lowers|Cuts|Boosts|Trims|Lifts|Increases|Reduces|Sets|Raised|Lowered|Cut|Boosted) {_TARGET}"
    rf"(?: (?i:from|to) {_MONEY}(?: (?i:to) {_MONEY})?)? (?i:on|for) "
    r"|\b(?:Turns |Is |Remains |Stays |Gets |Goes )?(?:Bullish|Bearish|Cautious) (?i:on) "
    r"|\bOptions? (?:Activity|Alert|Trade|Traders) (?:In|On|For) "
    # A headline that opens with its source and "On": "UPDATE: Morgan Stanley On Apple Notes 'strong demand'".
    r"|(?:^|(?<=: ))(?:[A-Z][\w&'’.-]* ){1,4}On (?=[A-Z])",
    re.MULTILINE,
)
# Words that end a covered company's name: "Maintains Arctic Cat at Outperform", "Upgrades ABB To Buy".
_OBJECT_END = re.compile(
    r" (?i:at|to|with|from|as|on|after|amid|following|ahead|citing|over|in|into|and|but|vs|for|says|notes)\b"
    r"|[,;:(]| - | -- |$"
)
_PASSIVE = (
    r"(?:Upgraded|Downgraded|Initiated|Reiterated|Maintained|Assumed|Resumed|Reinstated)"
    r"(?= (?i:at|by|to|from|on|in|as|with|after|amid|following)\b|,|;|:|$| -)"
)
_MOVES = (
    r"(?:Higher|Lower|Up|Down|Fall|Falls|Rise|Rises|Jump|Jumps|Gain|Gains|Drop|Drops|Slide|Slides|Surge|Surges|"
    r"Spike|Spikes|Climb|Climbs|Tumble|Tumbles|Plunge|Plunges|Rally|Rallies|Sink|Sinks|Soar|Soars|Slip|Slips|"
    r"Dip|Dips|Halted|Resume|Hit|Hits|Moving|Trading|Spiking|Falling|Rising|Sliding|Jumping|Surging|Sinking|"
    r"Volatile|Active)"
)
_PERIOD = r"(?:Q[1-4]|[1-4]Q|FY\d{0,4}|H[12]|Fiscal|Quarterly|Qtr\.?|Annual|Semi-Annual|Special)"
_REPORT_VERB = r"(?:Reports|Posts|Sees|Guides|Raises|Lowers|Cuts|Reaffirms|Affirms|Narrows|Boosts|Declares|Issues)"
_REPORT_OBJECT = rf"(?:{_PERIOD}|Adj\.?|EPS|Earnings|Revenue|Sales|Results|Guidance|Outlook|Dividend)"
# What follows a headline's subject when the subject is a company (the slot is the name just before).
_SUBJECT_TAIL = re.compile(
    rf" (?:{_PASSIVE}"
    rf"|(?:Price Target|PT|Target Price|Price Objective) (?:Raised|Lowered|Cut|Boosted|Increased|Trimmed|Lifted|"
    rf"Reduced|Set|Maintained)"
    rf"|(?:Shares|Stock) (?:Are |Is )?(?:Trading |Moving |Seen )?{_MOVES}\b"
    rf"|{_PERIOD}\b(?!-)"
    rf"|{_REPORT_VERB} {_REPORT_OBJECT}\b"
    rf"|(?:Adj\.? )?EPS\b"
    rf"|(?:Earnings|Revenue|Sales) (?:Beat|Beats|Miss|Misses|Top|Tops|Preview|Recap|Call)\b)"
)
# Verbs only a company does, after a headline's first name: "Apple Reopens Stores", "Target To Acquire".
# Verbs that ordinary words do too ("Gap Grows", "Visa Gets Tougher", "Gap Opens Up") are left out.
_ACTION_TAIL = re.compile(
    r" (?:Reopens|Reopening|Launches|Unveils|Acquires|Sues|Hires|Names|Appoints|Files For|Signs|Partners With|"
    r"Teams Up|Invests|Delays|Recalls|Settles|Debuts|Introduces|Ships|Completes|Receives|Announces|Agrees|"
    r"To (?:Acquire|Buy|Sell|Reopen|Make|Build|Launch|Hire|Invest|Ship|Join|Replace|Report|Present|Offer|"
    r"Spin Off|Merge|List|Release|Unveil|Announce|Develop|Lay Off|Resume|Suspend|Buy Back|Repurchase|Redeem|"
    r"Issue|Sue|Settle))\b"
)
# Words a headline puts before its subject: "Hearing Aaron's Downgraded At Sidoti".
LEAD_WORDS = frozenset({"hearing", "earlier", "breaking", "exclusive", "update", "update:", "why", "how"})
_NAME_START = re.compile(r"[A-Z0-9]|[a-z]{1,2}[A-Z]")
_NAME_RUN_END = re.compile(rf"(?:{_NAME_WORD} )*{_NAME_WORD}$")
_LEGAL_TAIL = re.compile(
    r"(?:(?:'s)?,?\s+(?:Inc\b\.?|Incorporated\b|Corp\b\.?|Corporation\b|Co\b\.?|Company\b|Ltd\b\.?|Limited\b|"
    r"plc\b|PLC\b|LLC\b|L\.P\.|LP\b|N\.V\.|NV\b|S\.A\.|SA\b|AG\b|SE\b|Holdings?\b|Group\b|Class [A-Z]\b|ADRs?\b|"
    r"ADS\b|American Depositary Shares\b|Common Stock\b|Common Shares\b|Ordinary Shares\b|Shares\b|"
    r"-\s+Common Stock\b))*(?:'s|’s)?\s*$"
)


@dataclass(frozen=True)
class Slot:
    """Where a company name must stand.

    ``anchored`` says which end is fixed: "start" for an object ("Maintains <Apple> at Buy"), where the
    name starts the slot; "end" for a subject ("<Hearing Aaron's> Downgraded"), where the name ends it.
    ``strong`` is False for a company-action verb ("Apple Reopens Stores"): it vouches only for a name that
    opens the headline, with no lead word such as "Hearing" before it.
    """

    start: int
    end: int
    anchored: str
    strong: bool = True


def company_slots(text: str) -> list[Slot]:
    """Return the slots of ``text`` that analyst-action and company-report wording reserves for a name."""
    slots: list[Slot] = []
    for lead in _OBJECT_LEAD.finditer(text):
        start = lead.end()
        if not _NAME_START.match(text, start):
            continue
        end_match = _OBJECT_END.search(text, start + 1)
        end = end_match.start() if end_match else len(text)
        if end > start:
            slots.append(Slot(start, end, "start"))
    for pattern, strong in ((_SUBJECT_TAIL, True), (_ACTION_TAIL, False)):
        for tail in pattern.finditer(text):
            run = _NAME_RUN_END.search(text, max(0, tail.start() - 120), tail.start())
            if run is None:
                continue
            opening = not re.search(r"\w", _line_before(text, run.start()))
            if strong or opening:
                slots.append(Slot(run.start(), tail.start(), "end", strong))
    return slots


def _line_before(text: str, position: int) -> str:
    """Return the text between the start of a headline (or the last ':', ';', ' - ') and ``position``."""
    head = text[:position]
    cut = max(head.rfind(mark) for mark in ("\n", ": ", "; ", " - ", ". "))
    return head[cut + 1:] if cut >= 0 else head


def fills(text: str, slot: Slot, start: int, end: int) -> bool:
    """Return whether the name at ``[start, end)`` fills ``slot``: all of it, bar a legal suffix."""
    if start < slot.start or end > slot.end:
        return False
    if slot.anchored == "start":
        return start == slot.start and _LEGAL_TAIL.match(text, end, slot.end) is not None
    inside = text[slot.start:start].split()
    if start > slot.start and text[start - 1] != " ":
        return False
    if inside and (not slot.strong or any(w.lower() not in LEAD_WORDS for w in inside)):
        return False  # "Good Harvest Q2": the name must be the subject, not the end of a longer phrase
    return _LEGAL_TAIL.match(text, end, slot.end) is not None
