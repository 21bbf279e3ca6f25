"""Parsing the official symbol directories and the bundled compact directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from tickerwire.enrich.ticker_directory import (
    BUNDLED_PATH,
    DirectoryFormatError,
    merge_directories,
    parse_directory,
    read_bundled,
    sniff_format,
    write_bundled,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("ticker_nasdaqlisted.txt", "nasdaqlisted"), ("ticker_otherlisted.txt", "otherlisted"),
     ("ticker_sec_exchange.json", "sec"), ("ticker_sp500.csv", "sp500")],
)
def test_each_official_format_is_sniffed(name: str, fmt: str) -> None:
    """The format of each official file is recognised from its content."""
    assert sniff_format(fixture(name)) == fmt


def test_unknown_file_is_refused_with_a_clear_error() -> None:
    """A file in no directory format raises DirectoryFormatError naming the expected formats."""
    with pytest.raises(DirectoryFormatError, match="nasdaqlisted"):
        parse_directory(b"hello world\n")


def test_damaged_row_names_its_line() -> None:
    """A row with the wrong number of fields is reported with its line number."""
    data = fixture("ticker_nasdaqlisted.txt").replace(b"QRLX|Quarrel Labs Corporation - Common Stock|Q|", b"QRLX|")
    with pytest.raises(DirectoryFormatError, match="line 2"):
        parse_directory(data)


def test_nasdaq_listing_drops_test_issues_and_the_trailer_and_sorts_kinds() -> None:
    """Test issues and the File Creation Time line are dropped; stock, warrant and ETF are told apart."""
    entries = {e.symbol: e for e in parse_directory(fixture("ticker_nasdaqlisted.txt"))}
    assert set(entries) == {"QRLX", "QRLXW", "QETF"}
    assert entries["QRLX"].name == "Quarrel Labs Corporation"
    assert (entries["QRLX"].kind, entries["QRLXW"].kind, entries["QETF"].kind) == ("stock", "warrant", "etf")
    assert entries["QRLX"].exchange == "NASDAQ"


def test_other_listed_keeps_classes_and_preferreds() -> None:
    """Class shares keep the dotted symbol; preferreds are marked; IEX test symbols are dropped."""
    entries = {e.symbol: e for e in parse_directory(fixture("ticker_otherlisted.txt"))}
    assert set(entries) == {"BRMG", "BRMG.B", "HRVS$A"}
    assert entries["BRMG"].name == "Brightmoor Retail Group, Inc."
    assert entries["HRVS$A"].kind == "preferred"
    assert entries["HRVS$A"].exchange == "NYSE American"


def test_sec_file_normalises_class_symbols_and_state_suffixes() -> None:
    """SEC's BRMG-B becomes BRMG.B, "/DE/" is dropped, and the order gives the rank."""
    entries = {e.symbol: e for e in parse_directory(fixture("ticker_sec_exchange.json"))}
    assert entries["BRMG.B"].name == "Brightmoor Retail Group, Inc."
    assert entries["QRLX"].rank == 1 and entries["PLNXF"].exchange == "OTC"


def test_merge_prefers_exchange_listings_and_collects_aliases() -> None:
    """NASDAQ Trader decides names and kinds; SEC adds CIK, rank, OTC names; S&P adds membership."""
    nasdaq = parse_directory(fixture("ticker_nasdaqlisted.txt")) + parse_directory(fixture("ticker_otherlisted.txt"))
    merged = {e.symbol: e for e in merge_directories(nasdaq, parse_directory(fixture("ticker_sec_exchange.json")),
                                                     parse_directory(fixture("ticker_sp500.csv")))}
    assert merged["QRLX"].cik == "111" and "Quarrel Labs Corp" in merged["QRLX"].aliases
    assert merged["BRMG"].sp500 and "Brightmoor Retail" in merged["BRMG"].aliases
    assert merged["PLNXF"].name == "Pellonix Holdings SA"


def test_bundled_file_round_trips(tmp_path: Path) -> None:
    """Writing and reading the bundled form gives the same entries, and the bytes are deterministic."""
    entries = merge_directories(parse_directory(fixture("ticker_otherlisted.txt")),
                                parse_directory(fixture("ticker_sec_exchange.json")))
    write_bundled(entries, tmp_path / "a.tsv.gz")
    write_bundled(entries, tmp_path / "b.tsv.gz")
    assert (tmp_path / "a.tsv.gz").read_bytes() == (tmp_path / "b.tsv.gz").read_bytes()
    assert parse_directory((tmp_path / "a.tsv.gz").read_bytes()) == entries


def test_shipped_directory_is_small_and_complete() -> None:
    """The shipped directory is a few hundred kB and holds the large US listings, without test issues."""
    assert BUNDLED_PATH.stat().st_size < 3_000_000
    entries = {e.symbol: e for e in read_bundled()}
    assert len(entries) > 10_000
    assert {"AAPL", "META", "BRK.B", "XOM"} <= set(entries)
    assert "ZVZZT" not in entries
