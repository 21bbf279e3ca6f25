"""Name what a key figure measures with a clean noun phrase ("quarterly revenue"), or give up.

A light part-of-speech approach with no tagger: closed-class word lists (determiners, prepositions,
conjunctions, pronouns, auxiliaries, reporting and other common verbs) and a few shapes of financial
copy around a number:

- *rise in*: "an 11% rise in the benchmark index" -> "benchmark index";
- *modified noun*: "a 49% stake", "Kestova's $600 million bid" -> "stake", "bid";
- *of*: "an operating profit of $312 million" -> "operating profit";
- *subject of a change or level verb*: "quarterly revenue rose 12%", "the rate held steady at 4.1%",
  including the antecedent of "which" ("the index, which rose 2.1%") -> "index";
- *object of a verb*: "kept its benchmark rate at 4.25%" -> "benchmark rate";
- *comparison*: "China's economy around nine times larger" -> "China's economy";
- *counted noun*: "12.5 million new shares" -> "new shares".

The phrase is read from the words beside the number, and a phrase that is not clean (it starts or ends
with a closed-class word, holds a verb or pronoun, is too long, or only names a unit) gives ``None``:
the caller then drops the figure rather than show a garbled label.
"""

from __future__ import annotations

import re

MAX_LABEL_WORDS = 8
MAX_AFTER_WORDS = 4

DETERMINERS = frozenset("the a an its their his her our your this these those each every another".split())
# Prepositions that may sit inside a noun phrase ("shares in Orbweave", "earnings per share").
NP_PREPOSITIONS = frozenset("of in at on from for to per through before with between".split())
CONJUNCTIONS = frozenset(
    "but or nor while whereas although though because as if when whether after since until unless so yet "
    "than then however meanwhile whilst".split())
# "that" is read as the relative pronoun: "that period" is no metric.
PRONOUNS = frozenset("it they he she we i you them us him me itself themselves one ones who whom whose which "
                     "that what where there here".split())
MODALS = frozenset("will would can could may might must shall should".split())
AUXILIARIES = MODALS | frozenset("is are was were be been being am has have had do does did 's".split())
# Prepositions that end a noun phrase read backwards ("against forecasts of 4.6%").
OTHER_PREPOSITIONS = frozenset("against versus vs despite amid among above below under over into onto toward towards "
                               "via without within beyond near behind during past like unlike ahead by due thanks "
                               "owing".split())
# Nouns of set phrases that are no part of a metric ("for example").
SET_PHRASE_NOUNS = frozenset("example instance".split())
# Heads of phrases of time: "by the end of October stood at 92.9%" names no metric.
TIME_HEADS = frozenset("start beginning middle end close".split())
# Verbs common in financial copy that never sit inside the metric's noun phrase (past tense in -ed is
# caught by shape, see :func:`_is_verb`).
VERBS = frozenset(
    "said says say told tells noted announced agreed expects expect sees see saw estimates predicts projects plans "
    "plan wants want needs made make makes sold sells sell bought buys buy paid pays pay spent spends spend kept "
    "keeps keep holds hold took takes take gave gives give got gets get put puts set sets led leads won went "
    "came come comes become becomes became found finds showed shows show means mean began begins brought brings "
    "thinks thought believes reckons hopes hope warns warned according including excluding seen sent built "
    "given taken shown grown known lent done leapt sank shrank swelled swung grew risen fallen struck sprang shot "
    "raising considering forecasting expecting seeking planning making taking buying cutting boosting reducing "
    "hitting reaching putting pushing leaving giving keeping bringing posting reporting predicting estimating "
    "projecting targeting aiming seeing showing having getting being becoming accessing using continue "
    "continues".split())
# Verbs that change their object by an amount: "raised rates by 25 basis points" (but not "undervalued the
# yuan by 40%", where the amount is no level of the yuan).
CHANGE_VERBS = frozenset(
    "raise raises raised raising lift lifts lifted lifting increase increases increased increasing reduce reduces "
    "reduced reducing lower lowers lowered lowering boost boosts boosted boosting trim trims trimmed trimming cut "
    "cuts cutting slash slashes slashed slashing hike hikes hiked hiking".split())
# -ly words that are nouns or adjectives, not adverbs ("average weekly earnings").
NOT_ADVERBS_IN_LY = frozenset("supply family assembly monopoly rally ally anomaly belly jelly hourly daily nightly "
                              "weekly fortnightly monthly quarterly yearly early elderly costly friendly".split())
ADVERBS = frozenset("not now also only still just already currently even further again nearly almost roughly last "
                    "about around some approximately barely slightly sharply steadily marginally".split())
TIME_WORDS = frozenset("today yesterday tomorrow tonight earlier later ago monday tuesday wednesday thursday friday "
                       "saturday sunday".split())
# Participles in -ed that are adjectives in financial noun phrases ("adjusted earnings").
ADJECTIVE_PARTICIPLES = frozenset(
    "adjusted unadjusted diluted combined listed unlisted registered consolidated weighted estimated proposed planned "
    "fixed secured unsecured owned based related limited advanced detailed skilled unemployed".split())
NOUNS_IN_ED = frozenset("speed seed feed greed breed hundred bed shed red need".split())
# Words that name a unit or money, never the thing measured ("620 million marks"); currency names that
# are also the subject of market copy ("the dollar fell") are not here.
UNIT_NOUNS = frozenset("marks dollars euros pounds cents pence crowns kronor pesos units percent points square feet "
                       "metres meters kilometres kilometers miles hectares acres".split())
# Currency names: after a number they name its unit ("2.2 billion Valmoran mark plant" is about a plant).
CURRENCY_NOUNS = UNIT_NOUNS | frozenset(
    "mark dollar euro pound yen yuan renminbi franc francs rupee rupees rouble roubles ruble rubles peso won rand "
    "krona krone kroner rupiah baht ringgit zloty lira lire shekel shekels dinar dinars dirham dirhams riyal riyals "
    "naira forint koruna".split())
# Heads that name the value, not what it measures ("the psychologically important level of five million").
VALUE_HEADS = frozenset(
    "level levels barrier threshold milestone figure figures high highs low lows peak record".split())
# Whole labels that name nothing measured ("in the shape of £11 billion", "to the tune of", "in excess of").
VAGUE_LABELS = frozenset("company group firm figure number amount sum total level range worth start end close finish "
                          "day year month week quarter shape tune region order excess move".split())
# Verbs and adjectives that put a level or a change on their subject: "was", "stood at", "held steady at".
LEVEL_VERBS = frozenset(
    "was were is are be been stood stands stand stay stays stayed remained remains remain held holds hold came "
    "comes reached reach reaches hit hits totalled totaled totals total amounted amounts averaged averages average "
    "settled settles settle closed closes close ended ends end finished finishes opened opens traded trades "
    "trading widened widens narrowed narrows improved improves eased eases firmed firms weakened weakens "
    "strengthened strengthens softened softens steadied edged edges extended extends accounted accounts account "
    "represented represents represent equalled equals topped tops exceeded exceeds peaked peaks range ranges "
    "ranged slowed slows accelerated quickened ease widen narrow improve weaken strengthen soften slow made make "
    "makes".split())
# Level verbs that put a figure on their subject only with a particle: "accounts for", "came in at",
# "made up", "held steady at" (but "holds about 45% of the market" is a share held, not a level).
PARTICLE_VERBS: dict[str, frozenset[str] | None] = {
    **dict.fromkeys("account accounts accounted".split(), frozenset({"for"})),
    **dict.fromkeys("came comes".split(), frozenset({"in"})),
    **dict.fromkeys("made make makes".split(), frozenset({"up"})),
    **dict.fromkeys("hold holds held stand stands stood".split(), None),
}
NOUNS_AMONG_VERBS = frozenset("total totals average averages range ranges close trading end ends account accounts "
                              "hold stand hit hits peak peaks tops equals opens trades".split())
# Words between such a verb and the number: "was up", "held steady at", "ended the day 1.7% higher".
AFTER_VERB = frozenset(
    "by to at near around above below in for out up down steady flat unchanged little changed slightly sharply "
    "marginally higher lower further losses gains last back the day session week".split())
# Words before such a verb that belong to it: "is expected to rise", "more than doubled".
BEFORE_VERB = AUXILIARIES | ADVERBS | frozenset(
    "to expected forecast projected predicted estimated likely set seen due poised more than".split())
# Nouns that are also verbs: after an auxiliary ("had forecast growth") they are the verb.
NOUN_OR_VERB = frozenset("forecast forecasts cut cuts raise rise rises fall falls drop drops increase increases "
                         "estimate estimates target targets report reports offer offers bid bids plan plans "
                         "expect outlook guide".split())
CHANGE_NOUNS = {
    **dict.fromkeys("rise rises increase increases gain gains jump jumps climb surge rebound growth".split(), "rise"),
    **dict.fromkeys("fall falls drop drops decline declines decrease decreases slump slide dip cut cuts "
                    "loss losses contraction".split(), "fall"),
}
# Change nouns that say only which way something went: never a label on their own ("a 4% rise").
BARE_CHANGE = frozenset(CHANGE_NOUNS) - {"growth", "loss", "losses", "contraction"}
# Words that are numbers: no label starts with one ("four to five times more expensive").
NUMBER_NAMES = frozenset("one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty "
                         "fifty hundred thousand million billion half dozen".split())
# -ing words that end a clause, not a noun phrase ("get the spam sites running at 95% capacity").
VERBS_IN_ING = frozenset("running going coming doing working trying looking standing growing rising falling "
                         "climbing sliding".split())
COMPARATIVES = frozenset("larger bigger greater higher more smaller lower less fewer".split())

_TOKEN = re.compile(r"[A-Za-z](?:\.[A-Za-z])+\.?|[\w$€£¥₹][\w'’.&-]*\w(?:['’](?!\w))?|\w|[^\s\w]")
# Per-unit words after a price ("$2,640 a tonne and zinc ..."): not part of any noun phrase.
_PER_UNIT = (r"(?:(?:an?|per)\s+(?:tonne|ton|barrel|ounce|share|bushel|pound|kilo|kilogram|day|year|month|week|unit)"
             r"|each|apiece)\b")
# Ticker marks "( ORBW )", "(HLVM.MS)", "$SLMF", and per-unit words right after a number.
_ASIDE = re.compile(rf"\s*\([^()]*\)|\s*\$[A-Z]{{1,5}}\b|(?<=[\d%])\s+{_PER_UNIT}|^\s*{_PER_UNIT}", re.IGNORECASE)
_LEAD_IN = re.compile(
    r"\b(?:an?|the)\s+(?:(?:new|record|all-time|multi-year|\w+-year)\s+)*"
    r"(?:record|high|low|peak|range|average|total|maximum|minimum)(?:\s+of)?\s*$", re.IGNORECASE)


def _tokens(text: str, clause_start: int) -> tuple[list[str], int]:
    """Return the tokens of ``text`` (ticker marks blanked) and the index of the first at ``clause_start``."""
    blanked = _ASIDE.sub(lambda m: " " * len(m.group(0)), text)
    matches = list(_TOKEN.finditer(blanked))
    floor = next((k for k, m in enumerate(matches) if m.start() >= clause_start), len(matches))
    return [m.group(0) for m in matches], floor


def _low(token: str) -> str:
    """Return a token as the word lists hold it (lower case, straight apostrophe)."""
    return token.lower().replace("’", "'")


def _is_word(token: str) -> bool:
    """Return whether ``token`` is a word or number rather than punctuation."""
    return token[0].isalnum() or token[0] in "$€£¥₹"


def _is_verb(token: str, direction_words: frozenset[str]) -> bool:
    """Return whether ``token`` is a verb by list or by shape (a lower-case, unhyphenated -ed word)."""
    low = _low(token)
    if low in VERBS or low in AUXILIARIES or low in LEVEL_VERBS - NOUNS_AMONG_VERBS:
        return True
    if low in direction_words:
        return True
    return (low.endswith("ed") and len(low) > 4 and "-" not in low and token[0].islower()
            and low not in ADJECTIVE_PARTICIPLES and low not in NOUNS_IN_ED)


def _stops(token: str) -> bool:
    """Return whether ``token`` ends a noun phrase: punctuation or a closed-class word ("US" is a name)."""
    low = _low(token)
    if not _is_word(token):
        return True
    if token.isupper() and len(token) > 1:
        return False
    return (low in CONJUNCTIONS or low in PRONOUNS or low in TIME_WORDS or low in ADVERBS
            or low in OTHER_PREPOSITIONS or low in SET_PHRASE_NOUNS or low in {"not", "no"} or _is_adverb(token))


def _is_adverb(token: str) -> bool:
    """Return whether ``token`` is an adverb by shape ("users regularly accessing")."""
    return token.islower() and token.endswith("ly") and len(token) > 4 and token not in NOT_ADVERBS_IN_LY


class LabelReader:
    """Read noun phrases around a number; ``direction_words`` are the rise and fall verbs of the caller."""

    def __init__(self, direction_words: frozenset[str]) -> None:
        self.direction_words = direction_words

    # ---- the phrase before a position -----------------------------------------------------------------

    def phrase_before(self, tokens: list[str], end: int, floor: int, *, subject: bool = True) -> tuple[int, list[str]]:
        """Return where the noun phrase ending at ``tokens[end - 1]`` starts, and its words.

        Walks back (not past ``floor``) over nouns, adjectives, names, possessives and inner prepositions
        ("shares in the company"). In a ``subject`` a list after "including" or "such as" is left out
        ("imports of vehicles including cars, tractors and trucks slumped" -> "imports of vehicles"); before
        "of" or a verb's "to" the nearest noun is the one ("penalties including a fine of up to £1,000").
        """
        words: list[str] = []
        k = end
        while k > floor:
            token, low = tokens[k - 1], _low(tokens[k - 1])
            opener = _list_opener(tokens, k, floor) if subject and (words or token == ",") else None
            if opener is not None:
                words, k = [], opener
                continue
            if _stops(token) or not self._inside_phrase(tokens, k - 1, words):
                break
            words.insert(0, token)
            k -= 1
            if low in DETERMINERS and not (k > floor and _low(tokens[k - 1]) in NP_PREPOSITIONS):
                break  # "the fall in trade": the phrase starts at its determiner
        while words and (_low(words[0]) in NP_PREPOSITIONS or _low(words[0]) in {"and", "&"}):
            if _low(words.pop(0)) == "to":
                return k + 1, []  # "try to avoid top-up fees of": an infinitive, not a noun phrase
            k += 1
        return k, words

    def _inside_phrase(self, tokens: list[str], at: int, words: list[str]) -> bool:
        """Return whether ``tokens[at]`` belongs to the noun phrase whose later words are ``words``."""
        low = _low(tokens[at])
        before = _low(tokens[at - 1]) if at > 0 else ""
        if low in self.direction_words:
            # "fell" is a verb; "the fall in trade" and a head noun ("pretax loss of") are nouns.
            return (not words and low in CHANGE_NOUNS) or bool(words) and _low(words[0]) in {"in", "of", "at", "on"}
        if low in CHANGE_NOUNS:
            return True  # never a verb: "economic growth rate target"
        if _is_verb(tokens[at], self.direction_words):
            return False
        if low in {"and", "&"}:  # "fertiliser and seed sales", not "... a tonne and zinc"
            return bool(words) and at > 0 and not _stops(tokens[at - 1]) and before not in DETERMINERS
        if before in MODALS or (before in AUXILIARIES and low.endswith("ing")):
            return False  # "could supply power", "is forecasting growth": the verb
        if before == "to" and at > 1 and (_is_verb(tokens[at - 2], self.direction_words)
                                          or _low(tokens[at - 2]) in BEFORE_VERB):
            return False  # "predicted to continue with ...": the verb
        return not (low in NOUN_OR_VERB and (before in AUXILIARIES or before in PRONOUNS or before in ADVERBS
                                             or before == "to"))

    # ---- the phrase after a position ------------------------------------------------------------------

    def phrase_after(self, tokens: list[str], start: int, *, allow_of: bool) -> list[str]:
        """Return the noun phrase starting at ``tokens[start]`` (a leading determiner skipped)."""
        k = start
        if k < len(tokens) and _low(tokens[k]) in DETERMINERS:
            k += 1
        words: list[str] = []
        while k < len(tokens) and len(words) < MAX_AFTER_WORDS:
            token, low = tokens[k], _low(tokens[k])
            if low == "of" and allow_of and words and "of" not in map(_low, words):
                words.append(token)
                k += 1
                if k < len(tokens) and _low(tokens[k]) in DETERMINERS:
                    k += 1
                continue
            if words and low in CHANGE_NOUNS:
                return []  # "the £4bn tax cuts": headed by a change noun, so no metric
            if (_stops(token) or low in NP_PREPOSITIONS or low in DETERMINERS or low in {"and", "&"}
                    or _is_verb(token, self.direction_words)):
                break
            words.append(token)
            k += 1
        while words and _low(words[-1]) == "of":
            words.pop()
        currency = [i for i, word in enumerate(words) if _low(word).rstrip("'") in CURRENCY_NOUNS]
        return words[currency[-1] + 1 :] if currency else words

    # ---- the shapes ---------------------------------------------------------------------------------

    def label(self, prefix: str, clause_start: int, after: str, *, unit: str | None) -> tuple[str | None, str | None]:
        """Return (label, direction read from a change noun) for a number after ``prefix``.

        ``prefix`` is the sentence up to the number and ``after`` the text up to the next figure, with
        periods blanked out; the phrase is looked for from ``clause_start`` on (the end of the previous
        figure), and only the antecedent of "which" may lie before it.
        """
        tokens, floor = _tokens(prefix, clause_start)
        after_tokens, _ = _tokens(after, 0)
        last = _low(tokens[-1]) if len(tokens) > floor else ""
        modified = last in DETERMINERS or last.endswith(("'s", "s'"))
        if modified and after_tokens:
            change = CHANGE_NOUNS.get(_low(after_tokens[0]))
            if change and len(after_tokens) > 1 and _low(after_tokens[1]) == "in":
                return _clean(self.phrase_after(after_tokens, 2, allow_of=True)), change
            if not (_low(after_tokens[0]) in DETERMINERS or _stops(after_tokens[0])):
                return _clean(self.phrase_after(after_tokens, 0, allow_of=False)), None
        if unit is None and after_tokens and not _stops(after_tokens[0]):
            counted = _clean(self.phrase_after(after_tokens, 0, allow_of=False))
            if counted:
                return counted, None  # "12.5 million new shares", "supply power to around 1.8 million homes"
        lead_in = _LEAD_IN.search(prefix, clause_start)
        if lead_in:
            tokens, floor = _tokens(prefix[: lead_in.start()], clause_start)
        if len(tokens) > floor and _low(tokens[-1]) == "of":
            return _clean(self.phrase_before(tokens, len(tokens) - 1, floor, subject=False)[1]), None
        return self._predicate_label(tokens, floor, unit, after_tokens), None

    def _predicate_label(self, tokens: list[str], floor: int, unit: str | None,
                         after_tokens: list[str]) -> str | None:
        """Return the subject of a change or level verb before the number, or the object of a verb."""
        i = len(tokens)
        skipped: list[str] = []
        while i > floor and (_low(tokens[i - 1]) in AFTER_VERB or (
                _low(tokens[i - 1]) == "from" and i - 1 > floor and _low(tokens[i - 2]).startswith("range"))):
            skipped.append(_low(tokens[i - 1]))
            i -= 1
        low = _low(tokens[i - 1]) if i > floor else ""
        particles = PARTICLE_VERBS.get(low, frozenset())
        if low in PARTICLE_VERBS and not (skipped and (particles is None or skipped[-1] in particles)):
            return None
        if low in LEVEL_VERBS or low in self.direction_words:
            j = i - 1
            while j > floor and _low(tokens[j - 1]) in BEFORE_VERB:
                j -= 1
            return self._subject(tokens, j, floor)
        if low and skipped and skipped[-1] in {"to", "at", "by"} and not _stops(tokens[i - 1]):
            start, words = self.phrase_before(tokens, i, floor, subject=False)  # "kept its benchmark rate at 4.25%"
            verb = _low(tokens[start - 1]) if start > floor else ""
            if skipped[-1] == "by":
                ok = verb in CHANGE_VERBS or verb in self.direction_words
            else:
                ok = bool(verb) and (_is_verb(tokens[start - 1], self.direction_words)
                                     or (start - 1 > floor and _low(tokens[start - 2]) in MODALS))
            return _clean(words) if words and ok else None
        if low and skipped and skipped[-1] in {"up", "down"} and not _stops(tokens[i - 1]):
            start, words = self.phrase_before(tokens, i, floor)  # "..., with bitcoin up 0.6%"
            opener = _low(tokens[start - 1]) if start > floor else ","
            return _clean(words) if opener in {",", "with", "and"} else None
        if unit == "times" and after_tokens and _low(after_tokens[0]) in COMPARATIVES and not skipped:
            return _clean(self.phrase_before(tokens, len(tokens), floor)[1])  # "China's economy nine times larger"
        return None

    def _subject(self, tokens: list[str], end: int, floor: int) -> str | None:
        """Return the subject ending at ``tokens[end - 1]``, or the antecedent of a relative clause."""
        start, words = self.phrase_before(tokens, end, floor)
        if start > 0 and _low(tokens[start - 1]) in {"which", "who", "that"}:
            return self._antecedent(tokens, start - 1)
        if words:
            return _clean(words)
        if start > 0 and tokens[start - 1] == ",":
            return self._antecedent_of_aside(tokens, start - 1)
        return None

    def _antecedent(self, tokens: list[str], relative: int) -> str | None:
        """Return the noun phrase before "which" at ``tokens[relative]`` (a comma between them allowed)."""
        end = relative - 1 if relative > 0 and tokens[relative - 1] == "," else relative
        return _clean(self.phrase_before(tokens, end, 0)[1])

    def _antecedent_of_aside(self, tokens: list[str], comma: int) -> str | None:
        """Return the subject before an aside closed by ``tokens[comma]``.

        The aside is a relative clause, a participle or an apposition: "Core inflation, which excludes
        energy, food and tobacco, slowed", "Services inflation, watched closely by the bank, eased",
        "Exports to China, its largest market, fell".
        """
        for opener in range(comma - 1, 0, -1):
            if tokens[opener - 1] != ",":
                continue
            low = _low(tokens[opener])
            if (low in {"which", "who"} or low in DETERMINERS
                    or (_is_verb(tokens[opener], self.direction_words) and low.endswith("ed"))):
                return _clean(self.phrase_before(tokens, opener - 1, 0)[1])
            if low not in {"and", "or"} and _stops(tokens[opener]):
                return None
        return None


def _list_opener(tokens: list[str], k: int, floor: int) -> int | None:
    """Return where "including"/"such as" opens the list that ends at or runs through ``tokens[k - 1]``.

    The list may hold names, nouns, commas and "and"; any other word means there is no list.
    """
    while k > floor:
        low = _low(tokens[k - 1])
        opener = k - 1 if low == "including" else k - 2 if low == "as" and _low(tokens[k - 2]) == "such" else None
        if opener is not None:
            # the list follows a noun ("vehicles including cars"); "Including fees, revenue rose" has none
            return opener if opener > floor and not _stops(tokens[opener - 1]) else None
        if tokens[k - 1] != "," and low not in {"and", "or"} and _stops(tokens[k - 1]):
            return None
        k -= 1
    return None


def _clean(words: list[str]) -> str | None:
    """Return the words as a label when they make a clean noun phrase, else ``None``."""
    while words and _low(words[0]) in DETERMINERS:
        words = words[1:]
    if not words or len(words) > MAX_LABEL_WORDS:
        return None
    first, last = _low(words[0]), _low(words[-1])
    if (first in NP_PREPOSITIONS or first in {"and", "&"} or re.fullmatch(r"[\d.,]+", first) or first in NUMBER_NAMES
            or _stops(words[0])):
        return None
    if (last in NP_PREPOSITIONS or last in DETERMINERS or last in {"and", "&", "than", "more", "less"}
            or last in BARE_CHANGE or last in UNIT_NOUNS or _stops(words[-1])):
        return None
    if last.endswith(("'s", "s'")):
        return None  # "Nimbusfold's 1.5%": the noun is left out
    if last in ADJECTIVE_PARTICIPLES or last in VERBS_IN_ING or _is_verb(words[-1], frozenset()):
        return None  # "budgets were limited to 1%": no noun at all
    if last[0].isdigit() and not (len(words) > 1 and words[-2][0].isupper()):
        return None  # "FTSE 250" is a name; "shares 250" is not
    label = " ".join(words)
    if first in TIME_HEADS and len(words) > 1 and _low(words[1]) == "of":
        return None
    if label.lower() in VAGUE_LABELS or last in VALUE_HEADS or label.count("(") != label.count(")"):
        return None
    if len(words) == 1 and len(label) <= 2 and not label.isupper():
        return None  # "km/h" leaves an "h"
    return label
