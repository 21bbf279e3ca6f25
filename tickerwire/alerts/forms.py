"""Forms of the follow pages: what a reader may send, checked before any action runs."""

from __future__ import annotations

from django import forms

from tickerwire.alerts.models import Follow
from tickerwire.alerts.schedule import zone_choices


class FollowTargetForm(forms.Form):
    """What to follow: a ticker symbol, a section slug, or a search (text and filters)."""

    kind = forms.ChoiceField(choices=Follow.Kind.choices)
    target = forms.CharField(required=False, max_length=80)
    q = forms.CharField(required=False, max_length=300)
    section = forms.CharField(required=False, max_length=80)
    ticker = forms.CharField(required=False, max_length=20)
    next = forms.CharField(required=False, max_length=1000)


class FollowSettingsForm(forms.Form):
    """How to hear of a follow's stories."""

    channel = forms.ChoiceField(choices=Follow.Channel.choices, initial=Follow.Channel.EMAIL)
    include_updates = forms.BooleanField(required=False, label="Also when an alerted story is updated")
    webhook_url = forms.URLField(required=False, max_length=500, assume_scheme="https",
                                 label="Webhook address (HTTPS)")


class AlertSettingsForm(forms.Form):
    """The reader's zone and the local hour of their daily digest."""

    time_zone = forms.ChoiceField(choices=[])
    digest_hour = forms.TypedChoiceField(coerce=int, choices=[(h, f"{h:02d}:00") for h in range(24)])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["time_zone"].choices = [(z, z) for z in zone_choices()]  # type: ignore[attr-defined]
