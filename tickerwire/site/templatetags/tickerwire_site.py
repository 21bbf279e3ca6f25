"""Template tags of the reader site: the section menu, times readers can localise, JSON-LD, paging links."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.template import loader
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from tickerwire.core.sections import SECTION_NAMES
from tickerwire.enrich.ticker_marks import tighten_marks
from tickerwire.site.hooks import render_slot
from tickerwire.site.queries import site_title

register = template.Library()

# Characters that could end a <script> element or start an HTML comment inside JSON.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def site_name() -> str:
    """Return the site's name from settings."""
    return site_title()


@register.filter
def tight_marks(text: str) -> str:
    """Show the source's padded ticker marks tight: ``( QLFB )`` as ``(QLFB)`` (plain text in, plain text out)."""
    return tighten_marks(str(text))


# Rendered once per process for each (current section, URL prefix, URL conf): the list is fixed.
_MENUS: dict[tuple[str, str, object], SafeString] = {}
_FIXED_URLS: dict[tuple[str, str, object], str] = {}


@receiver(setting_changed)
def _forget_rendered(**_kwargs: object) -> None:
    """Drop the menus and URLs rendered once (tests change the URL conf and templates)."""
    _MENUS.clear()
    _FIXED_URLS.clear()


@register.simple_tag
def section_menu(current: str = "") -> SafeString:
    """Render the 14-section menu (from the fixed list, so even an error page needs no database).

    The list is fixed in code, so each variant is rendered once per process (its 14 URL reversals were a
    tenth of an uncached page's rendering).
    """
    key = (str(current or ""), get_script_prefix(), get_urlconf())
    menu = _MENUS.get(key)
    if menu is None:
        context = {"items": [(name, slugify(name)) for name in SECTION_NAMES], "current": key[0]}
        menu = _MENUS[key] = mark_safe(loader.render_to_string("site/includes/section_menu.html", context))  # noqa: S308
    return menu


@register.simple_tag
def fixed_url(name: str) -> str:
    """Return ``{% url name %}`` for a route without arguments, reversed once per process and URL prefix."""
    key = (name, get_script_prefix(), get_urlconf())
    found = _FIXED_URLS.get(key)
    if found is None:
        found = _FIXED_URLS[key] = reverse(name)
    return found


def readable_datetime(moment: datetime) -> str:
    """Return a UTC time as the seed page writes it: ``Aug 28, 2025 3:38 AM UTC``."""
    hour = moment.hour % 12 or 12
    meridiem = "AM" if moment.hour < 12 else "PM"
    return f"{moment:%b} {moment.day}, {moment.year} {hour}:{moment:%M} {meridiem} UTC"


@register.simple_tag
def time_tag(moment: datetime | date | None, style: str = "datetime") -> SafeString:
    """Return a ``<time>`` element in UTC that site.js re-formats in the reader's locale and zone.

    ``style="date"`` shows only the calendar date (no zone shift), as related-story dates are given.
    """
    if moment is None:
        return mark_safe("")
    if isinstance(moment, datetime):
        if timezone.is_naive(moment):
            moment = moment.date() if style == "date" else timezone.make_aware(moment, UTC)
        else:
            moment = moment.astimezone(UTC)
    if isinstance(moment, datetime) and style != "date":
        stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        return format_html('<time datetime="{}" data-local="datetime">{}</time>', stamp, readable_datetime(moment))
    day = moment.date() if isinstance(moment, datetime) else moment
    return format_html(
        '<time datetime="{}" data-local="date">{} {}, {}</time>', day.isoformat(), f"{day:%b}", day.day, day.year
    )


@register.filter
def ld_json(data: Any) -> SafeString:
    """Return data as JSON safe to place inside ``<script type="application/ld+json">``."""
    return mark_safe(json.dumps(data, ensure_ascii=False, default=str).translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308


@register.simple_tag(takes_context=True)
def page_query(context: dict[str, Any], number: int) -> str:
    """Return the current query string with ``page`` set to ``number`` (filters kept)."""
    request: HttpRequest = context["request"]
    params = [(k, v) for k, values in request.GET.lists() if k != "page" for v in values]
    params.append(("page", str(number)))
    return "?" + urlencode(params)


@register.simple_tag(takes_context=True)
def slot_panels(context: dict[str, Any], slot: str, obj: object = None, **target: Any) -> SafeString:
    """Render every panel apps registered for ``slot`` (:mod:`tickerwire.site.hooks`) about ``obj``, or,
    on ticker, section and search pages, about what the page shows (``{% slot_panels "ticker" symbol=... %}``)."""
    if obj is None:
        obj = {key: str(value or "") for key, value in target.items()}
    return render_slot(slot, context.get("request"), obj)
