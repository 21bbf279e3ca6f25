"""Decode input bytes to text once, the same way for every format, and refuse what is not text."""

from __future__ import annotations

import codecs

from tickerwire.ingest.errors import ParseError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Control bytes that never occur in text; a few of them in the first kilobytes mean a binary file.
_BINARY_BYTES = frozenset(range(0, 9)) | frozenset(range(14, 32)) - {27}


def decode_text(data: bytes, *, fallback: str | None = "latin-1") -> str:
    """Return the text of input bytes: a byte-order mark wins, then UTF-8, then ``fallback``.

    Raise ``ParseError`` for empty input, for binary data, and for bytes that are not UTF-8 when
    ``fallback`` is ``None`` (JSON must be UTF-8).
    """
    if not data or data.isspace():  # what data.strip() would tell, without copying the input
        raise ParseError("input is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise ParseError(
                    f"input starts with a {encoding} byte-order mark but is not {encoding}: {exc.reason}"
                ) from None
            return _refuse_binary_text(text)
    if looks_binary(data):
        raise ParseError("input is binary data, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if fallback is None:
            raise ParseError(f"input is not UTF-8 text (byte {exc.start}: {exc.reason})") from None
        return data.decode(fallback, errors="replace")


def looks_binary(data: bytes) -> bool:
    """Return whether bytes look like binary data: NUL bytes or many control bytes near the start."""
    head = data[:4096]
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte in _BINARY_BYTES)
    return controls > max(2, len(head) // 100)


def _refuse_binary_text(text: str) -> str:
    if not text.strip():
        raise ParseError("input is empty")
    head = text[:4096]
    if "\x00" in head or sum(1 for ch in head if ord(ch) in _BINARY_BYTES) > max(2, len(head) // 100):
        raise ParseError("input is binary data, not text")
    return text
