"""The polled sources in the Django admin (``/desk/``): add, edit, pause, resume and remove, as the CLI does.

Every change goes through :mod:`tickerwire.sources.actions`, checked as ``tickerwire sources add`` checks it
(http(s) only, the SSRF guard, the format, section and time zone, a polite interval): a refused source is a
form error with the reason, never a half-saved row. Pausing and resuming are the actions' own (resuming
resets the failure count and polls at once), whether from the change form's checkbox or the list.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from tickerwire.sources.actions import (
    SourceError,
    check_source_settings,
    do_add_source,
    do_pause_source,
    do_remove_source,
    do_resume_source,
    do_update_source,
    parse_interval,
)
from tickerwire.sources.models import PolledSource


class PolledSourceForm(forms.ModelForm):
    """A source's settings; ``every`` is written as the CLI takes it (``90s``, ``5m``, ``2h``, ``1d``)."""

    url = forms.URLField(max_length=1000, assume_scheme="https", help_text="The feed's or site's http(s) address.")
    every = forms.CharField(initial="5m", help_text="How often to poll: 90s, 5m, 2h or 1d (at least 30s).")
    name = forms.CharField(required=False, help_text="The source's name on stories (default: the URL).")

    class Meta:
        model = PolledSource
        fields = ("url", "format", "section", "fetch_articles", "time_zone", "paused")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["every"] = f"{self.instance.interval_seconds}s"
            self.fields["name"].disabled = True
            self.initial["name"] = self.instance.source.name

    def clean_every(self) -> int:
        try:
            return parse_interval(self.cleaned_data["every"])
        except SourceError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "url" in data and "format" in data:
            try:
                check_source_settings(data["url"], fmt=data["format"], fetch_articles=data.get("fetch_articles", False),
                                      section=data.get("section", ""), time_zone=data.get("time_zone", "UTC"))
            except SourceError as exc:
                raise forms.ValidationError(str(exc)) from None
        return data


@admin.register(PolledSource)
class PolledSourceAdmin(admin.ModelAdmin):
    form = PolledSourceForm
    list_display = ("id", "source", "url", "format", "interval_seconds", "paused", "failures", "last_poll_at",
                    "items_new", "last_error")
    list_filter = ("format", "paused")
    search_fields = ("url", "source__name")
    readonly_fields = ("source", "etag", "last_modified", "last_poll_at", "last_success_at", "last_status",
                       "last_error", "last_error_at", "items_seen", "items_new", "items_seen_total",
                       "items_new_total", "failures", "paused_reason", "next_poll_at", "created_at")
    actions = ("pause", "resume")
    fieldsets = (
        (None, {"fields": ("name", "url", "format", "every", "section", "fetch_articles", "time_zone", "paused")}),
        ("Health", {"fields": readonly_fields}),
    )

    def get_fieldsets(self, request: HttpRequest, obj: PolledSource | None = None) -> Any:
        return self.fieldsets if obj is not None else self.fieldsets[:1]  # no health before the first poll

    def save_model(self, request: HttpRequest, obj: PolledSource, form: forms.ModelForm, change: bool) -> None:
        """Write through the actions, as the CLI does (the form checked the settings the same way)."""
        data = form.cleaned_data
        if not change:
            added = do_add_source(data["url"], fmt=data["format"], interval_seconds=data["every"],
                                  name=data.get("name") or "", section=data.get("section") or "",
                                  fetch_articles=data.get("fetch_articles", False), time_zone=data["time_zone"])
            if data.get("paused"):
                do_pause_source(added, reason=f"paused in the admin by {request.user}")
            obj.pk, obj.source = added.pk, added.source
            return
        was_paused = PolledSource.objects.values_list("paused", flat=True).get(pk=obj.pk)
        obj.interval_seconds, obj.paused = data["every"], was_paused  # pausing goes through its action below
        do_update_source(obj)
        if data.get("paused") and not was_paused:
            do_pause_source(obj, reason=f"paused in the admin by {request.user}")
        elif was_paused and not data.get("paused"):
            do_resume_source(obj)

    def delete_model(self, request: HttpRequest, obj: PolledSource) -> None:
        do_remove_source(obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[PolledSource]) -> None:
        for polled in queryset:
            do_remove_source(polled)

    @admin.action(description="Pause the selected sources", permissions=["change"])
    def pause(self, request: HttpRequest, queryset: QuerySet[PolledSource]) -> None:
        for polled in queryset:
            do_pause_source(polled, reason=f"paused in the admin by {request.user}")
        self.message_user(request, f"paused {queryset.count()} sources", messages.SUCCESS)

    @admin.action(description="Resume the selected sources (poll now, failures reset)", permissions=["change"])
    def resume(self, request: HttpRequest, queryset: QuerySet[PolledSource]) -> None:
        for polled in queryset:
            do_resume_source(polled)
        self.message_user(request, f"resumed {queryset.count()} sources", messages.SUCCESS)
