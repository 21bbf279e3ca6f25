"""Reader account pages beyond allauth's: the public profile and the reader's own settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from tickerwire.accounts.actions import profile_of, update_settings
from tickerwire.accounts.forms import SettingsForm
from tickerwire.accounts.roles import role_of


@require_safe
def profile(request: HttpRequest, user_id: int) -> HttpResponse:
    """Show a reader's display name, role and comments (the panels apps register for ``profile``)."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise Http404("no such reader")
    reader = profile_of(user)
    response = render(request, "accounts/profile.html", {
        "reader": reader, "role": role_of(user), "is_self": request.user.is_authenticated and request.user == user,
    })
    response["Cache-Control"] = "private, no-cache"
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: HttpRequest) -> HttpResponse:
    """Change the display name and which emails the reader gets."""
    reader = profile_of(request.user)
    if request.method == "POST":
        form = SettingsForm(request.POST)
        if form.is_valid():
            update_settings(request.user, **form.cleaned_data)
            messages.success(request, "Your settings are saved.")
            return redirect("accounts:settings")
    else:
        form = SettingsForm(initial={
            "display_name": reader.display_name, "notify_replies": reader.notify_replies,
            "notify_featured": reader.notify_featured, "notify_rejected": reader.notify_rejected,
        })
    return render(request, "accounts/settings.html", {"form": form, "reader": reader})
