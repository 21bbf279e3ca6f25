"""The one hook other apps register into, so the site shows their parts without importing them.

- panels: HTML blocks a page shows in a named slot, each rendered by ``render(request, obj)``:
  ``"article"`` (under a story: the comment area; ``obj`` is the article), ``"profile"`` (a reader's page;
  ``obj`` is the reader), and ``"ticker"``, ``"section"``, ``"search"`` (beside the heading of those pages:
  follow buttons; ``obj`` is a dict of what the page shows, e.g. ``{"symbol": ..., "name": ...}``), and
  ``"account"`` (links in the signed-in reader's header, e.g. "My news"; ``obj`` is the user; never on a
  cached page, as the header only shows it to signed-in readers).
  The anonymous pages are cached and shared, so a panel must not depend on who is asking when the reader
  is anonymous, nor set cookies or emit a CSRF token; per-reader state is fetched by the browser from the
  app's own, uncached address.
- comment counts: one function returning the visible comment count of each article id asked for, used by
  the article page and the teasers of list pages (0 for all while none is registered).

Registrations happen in ``tickerwire/config/wiring.py``; registering a name again replaces it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

PanelRenderer = Callable[[HttpRequest, object], SafeString | str]
CountFunction = Callable[[list[int]], dict[int, int]]
SLOTS = frozenset({"account", "article", "profile", "ticker", "section", "search"})


@dataclass(frozen=True)
class _Panel:
    name: str
    slot: str
    order: int
    render: PanelRenderer


_panels: list[_Panel] = []
_counter: list[CountFunction] = []


def register_panel(name: str, slot: str, render: PanelRenderer, order: int = 100) -> None:
    """Show ``render(request, obj)`` in ``slot`` (one of :data:`SLOTS`), lower ``order`` first."""
    if slot not in SLOTS:
        raise ValueError(f"panel slots are {', '.join(sorted(SLOTS))}, not {slot!r}")
    _panels[:] = [panel for panel in _panels if panel.name != name]
    _panels.append(_Panel(name, slot, order, render))
    _panels.sort(key=lambda panel: (panel.order, panel.name))


def unregister_panel(name: str) -> None:
    """Remove a panel (tests)."""
    _panels[:] = [panel for panel in _panels if panel.name != name]


def render_slot(slot: str, request: HttpRequest, obj: object) -> SafeString:
    """Return what every panel of ``slot`` renders about ``obj``, joined in order (plain strings escaped)."""
    if slot not in SLOTS:
        raise ValueError(f"panel slots are {', '.join(sorted(SLOTS))}, not {slot!r}")
    parts = (panel.render(request, obj) for panel in _panels if panel.slot == slot)
    return mark_safe("".join(str(conditional_escape(part)) for part in parts if part))  # noqa: S308 - escaped above


def register_comment_counter(count: CountFunction) -> None:
    """Make ``count(article_ids) -> {id: n}`` the source of comment counts (replacing any other)."""
    _counter[:] = [count]


def comment_counts(article_ids: Iterable[int]) -> dict[int, int]:
    """Return the visible comment count of each article id (missing ids: 0); one query at most."""
    ids = sorted({int(pk) for pk in article_ids})
    if not ids or not _counter:
        return {}
    return _counter[0](ids)
