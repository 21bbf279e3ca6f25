"""Forms of reader accounts: the display name asked at sign-up, and the profile settings."""

from __future__ import annotations

from typing import Any

from django import forms

from tickerwire.accounts.actions import DISPLAY_NAME_MAX, clean_display_name


class SignupExtra(forms.Form):
    """What allauth's sign-up form asks besides email and password (ACCOUNT_SIGNUP_FORM_CLASS)."""

    display_name = forms.CharField(max_length=DISPLAY_NAME_MAX, label="Display name",
                                   help_text="Shown with your comments.")

    def clean_display_name(self) -> str:
        try:
            return clean_display_name(self.cleaned_data["display_name"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def signup(self, request: Any, user: Any) -> None:
        """allauth calls this after saving the user; the adapter already stored the profile."""


class SettingsForm(forms.Form):
    display_name = forms.CharField(max_length=DISPLAY_NAME_MAX, label="Display name")
    notify_replies = forms.BooleanField(required=False, label="Email me when someone replies to my comment")
    notify_featured = forms.BooleanField(required=False, label="Email me when my comment is featured")
    notify_rejected = forms.BooleanField(required=False, label="Email me when my comment is rejected")

    def clean_display_name(self) -> str:
        try:
            return clean_display_name(self.cleaned_data["display_name"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
