"""The plain-text parsers (wire copy and copied pages) on unusable and arbitrary input."""

from __future__ import annotations

from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tickerwire.core.draft import ArticleDraft
from tickerwire.ingest import page, wire
from tickerwire.ingest.errors import ParseError

PARSERS = [pytest.param(wire, id="wire"), pytest.param(page, id="page")]


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\n ", "empty"),
        (b"\x00\x01\x02\x03binary\x00" * 10, "binary"),
        (b"word " * 100, "headline"),
    ],
)
def test_unusable_input_raises_one_line_reason(parser: ModuleType, data: bytes, reason: str) -> None:
    """Empty, binary and headline-less input raise ParseError with a one-line reason."""
    with pytest.raises(ParseError) as caught:
        parser.parse(data)
    assert reason in caught.value.reason and "\n" not in caught.value.reason


@pytest.mark.parametrize("parser", PARSERS)
@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=600) | st.text(max_size=600).map(lambda s: s.encode("utf-8")))
def test_never_raises_anything_but_parse_error(parser: ModuleType, data: bytes) -> None:
    """Whatever the bytes, a parser returns stories or raises ParseError, nothing else."""
    try:
        results = parser.parse(data)
    except ParseError:
        return
    assert results and all(isinstance(r, ArticleDraft | ParseError) for r in results)
