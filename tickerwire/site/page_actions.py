"""A hook for apps to add small controls beside a ticker's, section's or search's heading (follow buttons).

The site imports no app built on it. An app registers a renderer here (through ``tickerwire.config.wiring``),
and the pages call ``{% page_actions "ticker" symbol=... %}``, which joins what every renderer returns.
A renderer must keep a page anonymous readers share cacheable: no cookie, no CSRF token, nothing about the
reader; per-reader state is fetched by the browser from the app's own, uncached address.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

# (request, kind of page: "ticker" | "section" | "search", what the page shows) -> safe HTML or "".
PageAction = Callable[[HttpRequest, str, dict[str, str]], SafeString | str]
KINDS = frozenset({"ticker", "section", "search"})

_actions: dict[str, PageAction] = {}


def register_page_action(name: str, render: PageAction) -> None:
    """Add (or, under the same name, replace) a renderer of page actions."""
    _actions[name] = render


def unregister_page_action(name: str) -> None:
    """Remove a renderer (tests)."""
    _actions.pop(name, None)


def render_page_actions(request: HttpRequest, kind: str, target: dict[str, str]) -> SafeString:
    """Return every registered renderer's HTML for this page, in the order they registered."""
    if kind not in KINDS:
        raise ValueError(f"page actions are for {', '.join(sorted(KINDS))} pages, not {kind!r}")
    parts = [render(request, kind, target) for render in _actions.values()]
    return format_html_join("", "{}", ((part,) for part in parts if part))
