"""Read a rendered page as a reader would: its visible text, and parts of it in order."""

from __future__ import annotations

from html.parser import HTMLParser

HIDDEN = ("script", "style", "title")


class _VisibleText(HTMLParser):
    """Collect a page's text, leaving out script, style and title bodies."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in HIDDEN

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in HIDDEN

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """Return the page's visible text with runs of white space folded to one space."""
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def assert_in_order(text: str, parts: list[str]) -> None:
    """Assert each part occurs in ``text`` after the previous one."""
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found >= 0, f"{part!r} missing after: {text[max(0, position - 80):position + 160]!r}"
        position = found + len(part)
