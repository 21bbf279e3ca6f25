"""Hooks other apps register into, so the site shows their parts without importing them.

- article panels: HTML blocks shown under a story (the comment area), each rendered by a function of the
  request and the article; the anonymous article page is cached and shared, so a panel must not depend on
  who is asking or set cookies (personal state is loaded as a fragment of its own);
- comment counts: one function returning the visible comment count of each article id asked for, used by
  the article page and the teasers of list pages (0 for all while none is registered).

Registrations happen in ``tickerwire/config/wiring.py``; registering a name again replaces it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.safestring import SafeString

PanelRenderer = Callable[[HttpRequest, object], SafeString | str]
CountFunction = Callable[[list[int]], dict[int, int]]


@dataclass(frozen=True)
class _Panel:
    name: str
    slot: str
    order: int
    render: PanelRenderer


_panels: list[_Panel] = []
_counter: list[CountFunction] = []


def register_panel(name: str, slot: str, render: PanelRenderer, order: int = 100) -> None:
    """Show ``render(request, obj)`` in ``slot`` (``"article"``, ``"profile"``), lower ``order`` first."""
    _panels[:] = [panel for panel in _panels if panel.name != name]
    _panels.append(_Panel(name, slot, order, render))
    _panels.sort(key=lambda panel: (panel.order, panel.name))


def panels(slot: str) -> list[PanelRenderer]:
    """Return the renderers registered for ``slot``, in order."""
    return [panel.render for panel in _panels if panel.slot == slot]


def register_comment_counter(count: CountFunction) -> None:
    """Make ``count(article_ids) -> {id: n}`` the source of comment counts (replacing any other)."""
    _counter[:] = [count]


def comment_counts(article_ids: Iterable[int]) -> dict[int, int]:
    """Return the visible comment count of each article id (missing ids: 0); one query at most."""
    ids = sorted({int(pk) for pk in article_ids})
    if not ids or not _counter:
        return {}
    return _counter[0](ids)
