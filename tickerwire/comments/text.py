"""Comment text to HTML: escaped first, then URLs linked by Django's ``urlize``, then cleaned by ``nh3``.

Readers write plain text. The HTML shown is built in three steps, none a hand-written sanitiser:

1. ``django.utils.html.escape`` makes every ``<``, ``>``, ``&``, quote into an entity, so no markup survives;
2. ``urlize`` (Django's, on the already-escaped text: ``autoescape=False`` so it does not escape twice) links
   ``http(s)://`` and ``www.`` addresses;
3. ``nh3.clean`` (ammonia) keeps only ``<a href rel>`` and ``<br>``, with ``http``/``https`` links only,
   and sets ``rel="nofollow ugc noopener"`` on every link, so even a urlize bug cannot let anything through.

Line breaks become ``<br>``; runs of blank lines become paragraphs.
"""

from __future__ import annotations

import re

import nh3
from django.utils.html import escape
from django.utils.html import urlize as django_urlize
from django.utils.safestring import SafeString, mark_safe

REL = "nofollow ugc noopener"
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
URL_TRIM = 60


def clean_text(text: str) -> str:
    """Return comment text as stored: newlines normalised, control characters dropped, outer space trimmed."""
    return _CONTROL.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n")).strip()


def render(text: str) -> SafeString:
    """Return the HTML of a comment's plain text (see the module docstring)."""
    paragraphs = []
    for block in _PARAGRAPH_BREAK.split(clean_text(text)):
        linked = django_urlize(escape(block), trim_url_limit=URL_TRIM, nofollow=False, autoescape=False)
        paragraphs.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    cleaned = nh3.clean(
        "".join(paragraphs),
        tags={"a", "br", "p"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        link_rel=REL,
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 - escaped, then cleaned by nh3 to <p>, <br> and <a href rel>
