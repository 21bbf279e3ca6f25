"""Comment text is plain text: escaped, URLs auto-linked (http/https only, rel="nofollow ugc noopener"), then
cleaned by nh3; no payload of :mod:`tests.comments.xss_payloads` comes out as markup or a script link."""

from __future__ import annotations

import html
from html.parser import HTMLParser

import pytest

from tests.comments.xss_payloads import PAYLOADS
from tickerwire.comments.text import REL, clean_text, render


class Elements(HTMLParser):
    """Collect every element with its attributes, and the text, of rendered comment HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(markup: str) -> Elements:
    parser = Elements()
    parser.feed(markup)
    parser.close()
    return parser


def assert_inert(markup: str) -> None:
    """Only <p>, <br> and <a href rel> with an http(s) address; no handler, no style, no other scheme."""
    for tag, attrs in parsed(markup).elements:
        assert tag in {"p", "br", "a"}, (tag, markup)
        if tag == "a":
            assert set(attrs) == {"href", "rel"}, (attrs, markup)
            assert attrs["rel"] == REL
            assert (attrs["href"] or "").lower().startswith(("http://", "https://")), (attrs, markup)
        else:
            assert attrs == {}, (tag, attrs, markup)


def test_there_are_at_least_fifty_payloads() -> None:
    assert len(PAYLOADS) >= 50
    assert len(set(PAYLOADS)) == len(PAYLOADS)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_renders_as_markup(payload: str) -> None:
    markup = str(render(payload))
    assert_inert(markup)
    if "<" in payload:
        assert payload not in markup
    # What the reader typed is what the reader sees (as text), apart from line-break handling.
    shown = "".join(parsed(markup).text)
    assert " ".join(shown.split()) == " ".join(clean_text(payload).split())


def test_line_breaks_paragraphs_and_links() -> None:
    markup = str(render("First line\nsecond line\n\n\nNew paragraph: see https://example.test/a?b=1&c=2."))
    assert markup == (
        '<p>First line<br>second line</p><p>New paragraph: see '
        f'<a href="https://example.test/a?b=1&amp;c=2" rel="{REL}">https://example.test/a?b=1&amp;c=2</a>.</p>'
    )
    linked = str(render("www.example.test"))
    assert linked == f'<p><a href="http://www.example.test" rel="{REL}">www.example.test</a></p>'


def test_entities_stay_text() -> None:
    assert html.unescape(str(render("AT&T &amp; 5 < 6"))) == "<p>AT&T &amp; 5 < 6</p>"
    assert "&amp;amp;" in str(render("&amp;"))


def test_control_characters_and_windows_newlines() -> None:
    assert clean_text("  a\r\nb\x00c\x07 ") == "a\nbc"
