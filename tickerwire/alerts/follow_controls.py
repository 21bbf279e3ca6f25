"""The follow control beside a ticker's, section's or search's heading (registered as a site page action).

Anonymous readers, whose pages are shared by the page cache, get a plain link to sign in that returns to
the follow form: no cookie, no CSRF token. A signed-in reader's page (never shared: it carries their session
cookie) names the uncached fragment address the browser fetches for the button in its current state (a
form posting with CSRF); without scripts the link to the follow form stays.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString


def follow_params(kind: str, target: dict[str, str]) -> dict[str, str] | None:
    """Return the query of the follow form for a page (None when there is nothing to follow)."""
    if kind == "ticker" and target.get("symbol"):
        return {"kind": "ticker", "target": target["symbol"]}
    if kind == "section" and target.get("slug"):
        return {"kind": "section", "target": target["slug"]}
    if kind == "search" and target.get("q", "").strip():
        return {"kind": "search", "q": target["q"], "section": target.get("section", ""),
                "ticker": target.get("ticker", "")}
    return None


def follow_label(kind: str, target: dict[str, str]) -> str:
    if kind == "ticker":
        return f"Follow {target['symbol']}"
    if kind == "section":
        return f"Follow {target.get('name') or target['slug']}"
    return "Save this search and follow it"


def follow_control(kind: str, request: HttpRequest, target: object) -> SafeString | str:
    """Return the follow control of a ticker, section or search page (its ``alerts.follow`` panel)."""
    assert isinstance(target, dict)
    params = follow_params(kind, target)
    if params is None:
        return ""
    form_url = f"{reverse('alerts:follow-new')}?{urlencode(params)}"
    label = follow_label(kind, target)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        login = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': form_url})}"
        return format_html('<p class="follow-action"><a class="follow-link" href="{}" rel="nofollow">{}</a></p>',
                           login, label)
    fragment = f"{reverse('alerts:follow-button')}?{urlencode({**params, 'next': request.get_full_path()})}"
    return format_html(
        '<p class="follow-action" data-follow-fragment="{}"><a class="follow-link" href="{}">{}</a></p>'
        '<script src="{}" defer></script>',
        fragment, form_url, label, static("alerts/follow.js"),
    )


def my_news_link(request: HttpRequest, user: object) -> SafeString:
    """Return the signed-in header's link to the reader's own news page (the ``alerts.my_news`` panel)."""
    return format_html(' · <a href="{}">My news</a>', reverse("alerts:my-news"))
