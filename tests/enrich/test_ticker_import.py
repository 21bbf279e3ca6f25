"""`tickerwire tickers import` and do_import_tickers: bulk create/update of the Ticker table."""

from __future__ import annotations

from pathlib import Path

import pytest

from tickerwire.articles.actions.tickers import ImportSummary, do_import_tickers
from tickerwire.articles.models import Ticker
from tickerwire.enrich.ticker_directory import DirectoryEntry

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
OFFICIAL = [str(FIXTURES / n) for n in ("ticker_nasdaqlisted.txt", "ticker_otherlisted.txt",
                                        "ticker_sec_exchange.json", "ticker_sp500.csv")]

pytestmark = pytest.mark.django_db


def test_import_counts_created_updated_unchanged() -> None:
    """A first import creates, a repeat changes nothing, a renamed company is updated."""
    entries = [DirectoryEntry("QRLX", "NASDAQ", "Quarrel Labs Corporation", cik="111"),
               DirectoryEntry("BRMG", "NYSE", "Brightmoor Retail Group, Inc.")]
    assert do_import_tickers(entries) == ImportSummary(created=2)
    assert do_import_tickers(entries) == ImportSummary(unchanged=2)
    renamed = [DirectoryEntry("QRLX", "NASDAQ", "Quarrel Laboratories Corporation", cik="111"), entries[1]]
    assert do_import_tickers(renamed) == ImportSummary(updated=1, unchanged=1)
    assert Ticker.objects.get(symbol="QRLX").name == "Quarrel Laboratories Corporation"


def test_import_refuses_an_entry_without_a_name_and_writes_nothing() -> None:
    """A bad entry raises before anything is written."""
    with pytest.raises(ValueError, match="without a symbol or a name"):
        do_import_tickers([DirectoryEntry("QRLX", "NASDAQ", "Quarrel Labs"), DirectoryEntry("BAD", "NYSE", "")])
    assert not Ticker.objects.exists()


def test_command_imports_official_files_and_lists(capsys: pytest.CaptureFixture[str]) -> None:
    """`tickers import FILE...` sniffs each file's format; `tickers list --search` finds the rows."""
    from tickerwire.cli import main

    assert main(["tickers", "import", *OFFICIAL]) == 0
    assert capsys.readouterr().out.strip() == "7 created, 0 updated, 0 unchanged"
    assert Ticker.objects.get(symbol="BRMG", exchange="NYSE").cik == "222"
    assert main(["tickers", "list", "--search", "quarrel"]) == 0
    assert capsys.readouterr().out.splitlines() == ["QETF\tNASDAQ\tQuarrel Sector Fund ETF",
                                                   "QRLX\tNASDAQ\tQuarrel Labs Corporation",
                                                   "QRLXW\tNASDAQ\tQuarrel Labs Corporation"]


def test_command_refuses_an_unknown_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown file is reported on stderr with exit status 1 and nothing is imported."""
    from tickerwire.cli import main

    junk = tmp_path / "junk.txt"
    junk.write_text("not a directory\n")
    assert main(["tickers", "import", OFFICIAL[0], str(junk)]) == 1
    assert "junk.txt: not a known symbol-directory format" in capsys.readouterr().err
    assert not Ticker.objects.exists()
