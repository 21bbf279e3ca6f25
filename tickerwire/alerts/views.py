"""Reader pages of alerts: "My news", the follows and their settings, the follow button, unsubscribe.

Every page here is about one reader, so none is cached (``never_cache``; the page cache stores only pages a
view marks cacheable, and it never sees a signed-in reader's request). Thin views: validate, call an action.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tickerwire.alerts import actions
from tickerwire.alerts.forms import AlertSettingsForm, FollowSettingsForm, FollowTargetForm
from tickerwire.alerts.models import Follow
from tickerwire.alerts.my_news import my_news_stories
from tickerwire.alerts.tokens import read_unsubscribe_token
from tickerwire.site import queries

PAGE_SIZE = 20


def _safe_next(request: HttpRequest, wanted: str) -> str:
    """Return ``wanted`` if it is an address on this site, else the follows page."""
    if wanted and url_has_allowed_host_and_scheme(wanted, {request.get_host()}, require_https=request.is_secure()):
        return wanted
    return reverse("alerts:follows")


def _target_of(form: FollowTargetForm) -> tuple[str, str | actions.SavedSearch]:
    data = form.cleaned_data
    if data["kind"] == Follow.Kind.SEARCH:
        return data["kind"], actions.normalised_search(data["q"], data["section"], data["ticker"])
    return data["kind"], data["target"]


def _existing(user: object, kind: str, value: str | actions.SavedSearch) -> Follow | None:
    target = value.digest() if isinstance(value, actions.SavedSearch) else (
        value.strip().lstrip("$").upper() if kind == Follow.Kind.TICKER else value.strip().lower())
    return Follow.objects.filter(user=user, kind=kind, target=target).first()


@never_cache
@login_required
@require_safe
def my_news(request: HttpRequest) -> HttpResponse:
    """Show the stories of everything the reader follows, newest first, each once."""
    follows = list(Follow.objects.filter(user=request.user))
    stories = Paginator(my_news_stories(follows), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "alerts/my_news.html", {
        "follows": follows, "stories": stories, "teasers": queries.teasers(stories),
    })


@never_cache
@login_required
@require_safe
def follows(request: HttpRequest) -> HttpResponse:
    """List the reader's follows with their alert settings, and the digest settings."""
    profile = actions.profile_of(request.user)
    rows = [(follow, FollowSettingsForm(initial={
        "channel": follow.channel, "include_updates": follow.include_updates, "webhook_url": follow.webhook_url,
    }, prefix=f"f{follow.pk}")) for follow in Follow.objects.filter(user=request.user)]
    settings_form = AlertSettingsForm(initial={"time_zone": profile.time_zone, "digest_hour": profile.digest_hour})
    return render(request, "alerts/follows.html", {"rows": rows, "settings_form": settings_form,
                                                   "profile": profile})


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def follow_new(request: HttpRequest) -> HttpResponse:
    """GET: confirm following what the query names; POST: follow it and go back where the reader was."""
    form = FollowTargetForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest("Say what to follow: kind=ticker|section|search with its target.")
    try:
        kind, value = _target_of(form)
        if request.method == "POST":
            settings_form = FollowSettingsForm(request.POST)
            channel = str(settings_form.data.get("channel") or "email")
            actions.do_follow(request.user, kind, value, channel=channel,
                              include_updates=bool(settings_form.data.get("include_updates")),
                              webhook_url=settings_form.data.get("webhook_url", ""))
            return HttpResponseRedirect(_safe_next(request, form.cleaned_data["next"]))
    except actions.FollowError as exc:
        return render(request, "alerts/follow_new.html", {"error": str(exc), "form": form}, status=400)
    label = value.label() if isinstance(value, actions.SavedSearch) else value.upper() if kind == "ticker" else value
    return render(request, "alerts/follow_new.html", {
        "form": form, "label": label, "existing": _existing(request.user, kind, value),
        "settings_form": FollowSettingsForm(), "hidden": form.cleaned_data,
    })


@never_cache
@login_required
@require_POST
def follow_remove(request: HttpRequest) -> HttpResponse:
    """Stop following what the form names (the follow button's second state)."""
    form = FollowTargetForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Say what to stop following.")
    try:
        actions.do_unfollow_target(request.user, *_target_of(form))
    except actions.FollowError as exc:
        return HttpResponseBadRequest(str(exc))
    return HttpResponseRedirect(_safe_next(request, form.cleaned_data["next"]))


@never_cache
@require_safe
def follow_button(request: HttpRequest) -> HttpResponse:
    """Return the follow button fragment in the reader's current state (204 for anonymous readers)."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    form = FollowTargetForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest("Say what the button is for.")
    try:
        kind, value = _target_of(form)
    except actions.FollowError as exc:
        return HttpResponseBadRequest(str(exc))
    data = form.cleaned_data
    return render(request, "alerts/follow_button.html", {
        "existing": _existing(request.user, kind, value), "hidden": data,
        "label": value.label() if isinstance(value, actions.SavedSearch) else data["target"],
    })


@never_cache
@login_required
@require_POST
def follow_update(request: HttpRequest, follow_id: int) -> HttpResponse:
    """Change one follow's alert channel, updates opt-in and webhook address, or remove it."""
    if request.POST.get("remove"):
        actions.do_unfollow(request.user, follow_id)
        return HttpResponseRedirect(reverse("alerts:follows"))
    form = FollowSettingsForm(request.POST, prefix=f"f{follow_id}")
    if not form.is_valid():
        return HttpResponseBadRequest("; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
    try:
        actions.do_update_follow(request.user, follow_id, channel=form.cleaned_data["channel"],
                                 include_updates=form.cleaned_data["include_updates"],
                                 webhook_url=form.cleaned_data["webhook_url"] or "")
    except Follow.DoesNotExist:
        return HttpResponse("No such follow.", status=404)
    except actions.FollowError as exc:
        return HttpResponseBadRequest(str(exc))
    return HttpResponseRedirect(reverse("alerts:follows"))


@never_cache
@login_required
@require_POST
def alert_settings(request: HttpRequest) -> HttpResponse:
    """Set the reader's time zone and digest hour."""
    form = AlertSettingsForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
    actions.do_set_alert_settings(request.user, time_zone=form.cleaned_data["time_zone"],
                                  digest_hour=form.cleaned_data["digest_hour"])
    return HttpResponseRedirect(reverse("alerts:follows"))


@never_cache
@csrf_exempt  # the signed token is the credential; mail clients POST it without a session (RFC 8058)
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: one button to confirm; POST (the button, or a mail client's one-click): unsubscribe, no login."""
    wanted = read_unsubscribe_token(token)
    if wanted is None:
        return render(request, "alerts/unsubscribe.html", {"invalid": True}, status=400)
    follow = Follow.objects.filter(pk=wanted.follow_id, user_id=wanted.user_id).first() if wanted.follow_id else None
    if request.method == "POST":
        changed = actions.do_unsubscribe(wanted.user_id, wanted.follow_id)
        return render(request, "alerts/unsubscribe.html", {"done": True, "changed": changed, "follow": follow,
                                                           "digest": wanted.follow_id is None})
    return render(request, "alerts/unsubscribe.html", {"follow": follow, "digest": wanted.follow_id is None})
