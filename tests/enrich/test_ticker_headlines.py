"""Analyst-action and company-report headlines: company slots, abbreviations, symbol runs, and the word traps.

Every headline here is written by us; the fictional directory's ordinary-word names ("Harvest", "Lantern
Auto Parts") stand for real ones such as Apple, Target or Advance Auto Parts, and the bundled directory is
used where a real ordinary-word company makes the trap real.
"""

from __future__ import annotations

import pytest

from tests.enrich.test_ticker_tagging import symbols
from tickerwire.enrich.ticker_directory import DirectoryEntry
from tickerwire.enrich.ticker_headlines import company_slots, fills
from tickerwire.enrich.tickers import TickerDirectory, tag_text

FICTIONAL = [
    DirectoryEntry("HRVS", "NYSE", "Harvest Inc.", rank=30),  # the whole name is an ordinary word
    DirectoryEntry("LNTA", "NYSE", "Lantern Auto Parts, Inc.", rank=40),  # every word is ordinary
    DirectoryEntry("ORRN", "NASDAQ", "Orrin Pharmaceuticals Inc.", rank=50),
    DirectoryEntry("VLVN", "NASDAQ", "Velvane Biotechnologies, Inc.", rank=60),
    DirectoryEntry("KSTR", "NYSE", "Kestrel Marine Engines Corp.", rank=70),
    DirectoryEntry("FRCS", "NASDAQ", "Forecast Therapeutics, Inc.", rank=80),  # short form is an ordinary word
    DirectoryEntry("BRMG", "NYSE", "Brightmoor Retail Group, Inc.", rank=10),
    DirectoryEntry("QRLX", "NASDAQ", "Quarrel Labs Corporation", rank=20),
    DirectoryEntry("TNDR", "NASDAQ", "Tinder Foods Holdings Ltd", rank=90),
    DirectoryEntry("WYVN", "NYSE", "Wyvern Skyworks Co.", rank=100),
]
WORDS = {"harvest", "lantern", "auto", "parts", "forecast", "tinder", "foods", "retail", "group", "labs",
         "the", "and", "of", "festival", "season"}


@pytest.fixture(scope="module")
def fictional() -> TickerDirectory:
    return TickerDirectory.from_entries(FICTIONAL, WORDS)


@pytest.mark.parametrize(
    "text",
    [
        "Ridgeway Securities Maintains Harvest at Buy, Raises Price Target to $64",
        "Ridgeway Securities Maintains Buy on Harvest, Lowers Price Target to $58",
        "Ridgeway Securities Reiterates Outperform On Harvest, Raises Target To $70",
        "Ridgeway Securities Upgrades Harvest To Overweight",
        "Ridgeway Securities Downgrades Harvest Inc. to Neutral",
        "Ridgeway Securities Initiates Coverage On Harvest With Equal-Weight Rating, Announces $40 Price Target",
        "Ridgeway Securities Raises Price Target On Harvest From $50 To $55",
        "Ridgeway Turns Bearish On Harvest Ahead Of Quarter",
        "Harvest Upgraded By Ridgeway Securities",
        "Harvest Downgraded At Ridgeway, Firm Says Margins Peaked",
        "Harvest Price Target Raised To $71 At Ridgeway",
        "Harvest Shares Fall After Weak Guidance",
        "Harvest Shares Are Trading Higher After Earnings Beat",
        "Harvest Q2 EPS $0.41 Beats $0.38 Estimate",
        "Harvest Reports Q3 Results, Sees FY Sales Above Consensus",
        "Harvest To Acquire Grainline For $1.2B",
        "Harvest Reopens Stores In Ohio",
        "Hearing Harvest Downgraded From Buy To Neutral At Ridgeway",
        "UPDATE: Ridgeway On Harvest Notes 'demand is holding up well into the season'",
        "Trader Sees Unusual Options Activity In Harvest",
    ],
)
def test_an_ordinary_word_company_in_an_analyst_or_report_slot_is_tagged(
        fictional: TickerDirectory, text: str) -> None:
    """Whatever fills the company's place in set headline wording is the company, even an ordinary word."""
    assert symbols(text, fictional) == {"HRVS"}


@pytest.mark.parametrize(
    "text",
    [
        "Harvest Festival Draws Record Crowds",
        "Harvest Season Begins Early In Iowa",
        "Harvest Festival Shares Fall Out Of Favour",  # the slot is "Harvest Festival": the name fills part of it
        "Good Harvest Q2 Lifts Farm Incomes",  # a word before the name that is not part of the slot's name
        "Harvest Gets Underway In Iowa",  # a verb that ordinary words do too
        "Analysts Expect A Bumper Harvest",
        "The Harvest Was Poor This Year",
    ],
)
def test_an_ordinary_word_outside_a_slot_stays_untagged(fictional: TickerDirectory, text: str) -> None:
    """In a Title Case headline capitals are no evidence: without the slot wording the word is a word."""
    assert symbols(text, fictional) == set()


def test_a_company_slot_is_filled_only_by_the_whole_name(fictional: TickerDirectory) -> None:
    """The name must fill its slot, give or take a legal suffix or a share description."""
    text = "Ridgeway Upgrades Harvest Moon Farms To Buy"
    (slot,) = [s for s in company_slots(text) if s.anchored == "start"]
    assert text[slot.start:slot.end] == "Harvest Moon Farms"
    name_start = text.index("Harvest")
    assert not fills(text, slot, name_start, name_start + len("Harvest"))
    assert symbols("Harvest Moon Farms Upgraded By Ridgeway", fictional) == set()
    text = "Ridgeway Upgrades Harvest Inc. - Common Stock to Buy"
    (slot,) = [s for s in company_slots(text) if s.anchored == "start"]
    assert fills(text, slot, slot.start, slot.start + len("Harvest"))


def test_the_broker_slot_is_not_a_company_slot(fictional: TickerDirectory) -> None:
    """ "Harvest Upgrades Quarrel Labs": an active analyst verb's subject is a broker: no company slot."""
    assert symbols("Harvest Upgrades Quarrel Labs To Buy", fictional) == {"QRLX"}


def test_a_word_that_is_only_part_of_a_name_does_not_fill_a_slot(fictional: TickerDirectory) -> None:
    """ "Forecast" is Forecast Therapeutics' short form and an ordinary word: "Forecast Raised" is not the company."""
    assert symbols("Forecast Raised For Steel Demand", fictional) == set()
    assert symbols("Ridgeway Securities Upgrades Forecast To Buy", fictional) == set()
    assert symbols("Ridgeway Securities Upgrades Forecast Therapeutics To Buy", fictional) == {"FRCS"}


def test_first_two_words_of_a_longer_name_fill_a_slot_only(fictional: TickerDirectory) -> None:
    """ "Lantern Auto" names Lantern Auto Parts in a slot; standing alone it is two ordinary words."""
    assert symbols("Lantern Auto Downgraded At Ridgeway", fictional) == {"LNTA"}
    assert symbols("Ridgeway Maintains Lantern Auto at Buy", fictional) == {"LNTA"}
    assert symbols("Lantern Auto Parts Posts Record Sales", fictional) == {"LNTA"}
    assert symbols("Old Lantern Auto Show Opens In Detroit", fictional) == set()
    assert symbols("Kestrel Marine rallied on Tuesday.", fictional) == set()
    assert symbols("Kestrel Marine Upgraded To Buy At Ridgeway", fictional) == {"KSTR"}


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Orrin Pharma Receives FDA Approval For Sleep Drug", "Orrin Pharma"),
        ("Ridgeway Initiates Velvane Biotech At Overweight", "Velvane Biotech"),
        ("Velvane Bio Downgraded At Ridgeway", "Velvane Bio"),
    ],
)
def test_headline_abbreviations_of_a_name(fictional: TickerDirectory, text: str, written: str) -> None:
    """ "Pharma", "Biotech", "Bio" stand for the name's own word; the mention covers the abbreviated name."""
    (tag,) = tag_text(text, fictional)
    assert [text[s:e] for s, e in tag.mentions] == [written]


def test_title_case_lists_join_with_and(fictional: TickerDirectory) -> None:
    """ "Harvest And Quarrel Labs": a Title Case "And" joins a list; a partner named in full vouches for it."""
    assert symbols("Harvest And Quarrel Labs Lead Busy Week Ahead", fictional) == {"HRVS", "QRLX"}
    assert symbols("Bulls And Bears Of The Week: Harvest, Quarrel Labs And More", fictional) == {"HRVS", "QRLX"}


def test_a_quoted_lower_case_tail_does_not_hide_the_headline_case(fictional: TickerDirectory) -> None:
    """A note quoted after the headline is not its case: "On Harvest" is still a slot, "On" no part of a name."""
    text = ("UPDATE: Ridgeway Reiterates Buy On Harvest, Raises Target To $70 Notes 'our view of the stock is "
            "unchanged after the quarter and margins should hold'")
    assert symbols(text, fictional) == {"HRVS"}


def test_a_possessive_before_price_is_the_company(fictional: TickerDirectory) -> None:
    """ "Harvest's Price" is the company's share price; "Harvest prices" are crop prices."""
    assert symbols("A Look Into Harvest's Price Over Earnings", fictional) == {"HRVS"}
    assert symbols("Harvest prices rose at the farmers market.", fictional) == set()


def test_an_unbracketed_run_of_symbols_is_a_list_of_tickers(fictional: TickerDirectory) -> None:
    """ "Top movers- BRMG, QRLX, TNDR and WYVN": four or more symbols, most known, are marks."""
    text = "Top movers on Friday- BRMG, QRLX, TNDR and WYVN"
    assert symbols(text, fictional) == {"BRMG", "QRLX", "TNDR", "WYVN"}
    assert symbols("Insiders Trading XQQA, BRMG, ZZYQ, QRLX", fictional) == {"BRMG", "QRLX"}
    assert symbols("Insiders Trading XQQA, BRMG, ZZYQ, ZZYR", fictional) == set()  # mostly unknown


def test_a_long_parenthesised_list_is_still_a_list(fictional: TickerDirectory) -> None:
    """Benzinga's gainers lists run past a dozen symbols."""
    unknown = ", ".join(f"ZQ{chr(65 + i)}" for i in range(10))
    text = f"Top Gainers (BRMG, QRLX, TNDR, WYVN, HRVS, ORRN, VLVN, KSTR, LNTA, FRCS, {unknown})"
    assert symbols(text, fictional) >= {"BRMG", "QRLX", "FRCS"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Goldman Sachs Maintains Target at Overweight, Raises Price Target to $180", {"GS", "TGT"}),
        ("Gap Upgraded By Jefferies", {"GAP", "JEF"}),
        ("Visa Price Target Raised To $300", {"V"}),
        ("Apple Shares Fall After China Data", {"AAPL"}),
        ("Morgan Stanley Initiates Coverage On Block With Overweight Rating", {"MS", "XYZ"}),
        ("Oracle Shares Are Trading Higher After Earnings", {"ORCL"}),
        ("Deutsche Bank Maintains Agilent Technologies at Buy", {"DB", "A"}),
        ("Advance Auto Downgraded At Wells Fargo", {"AAP", "WFC"}),
        ("Barclays Turns Bearish On Apple", {"BCS", "AAPL"}),
    ],
)
def test_real_ordinary_word_companies_in_slots(text: str, expected: set[str]) -> None:
    """With the bundled directory: Target, Gap, Visa, Apple, Block, Oracle fill their slots."""
    assert symbols(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The Gap Between Rich And Poor Widens Again",
        "Visa Rules For Students Tightened Again",
        "Visa Gets Tougher For Students",
        "Gap Grows Between Bulls And Bears",
        "Snap Elections Called For October",
        "Snap Makes A Comeback In Fashion",
        "Target Audiences For The Film Are Teenagers",
        "Target Gets Closer For Inflation",
        "Block Parties Return To Brooklyn",
        "Outlook Raised For Steel Demand",
        "Gold Shares Fall As Dollar Strengthens",
        "Bank Shares Fall After Stress Test",
        "Retail Sales Beat Expectations In May",
        "Apple Orchards Had A Poor Harvest",
        "Apple Prices Rise At Farmers Markets",
        "Shell Shock On Wall Street",
        "Rating Downgraded To Junk",
        "Airline Stocks Upgraded By Analysts",
        "Growers Hold Most CA, TX, FL and NY Farmland",
        "Spotlight On Visa Rules For Students",
        "Focus On Target Audiences",
        "Hold On Target Practice",
    ],
)
def test_common_word_traps_in_title_case_headlines(text: str) -> None:
    """Ordinary words that are also company names or symbols stay untagged outside a slot."""
    assert symbols(text) == set()
