"""The polled sources in the Django admin (used when ``django.contrib.admin`` is installed)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from tickerwire.sources.actions import (
    do_add_source,
    do_pause_source,
    do_remove_source,
    do_resume_source,
    do_update_source,
)
from tickerwire.sources.models import PolledSource


@admin.register(PolledSource)
class PolledSourceAdmin(admin.ModelAdmin):
    list_display = ("id", "source", "url", "format", "interval_seconds", "paused", "failures", "last_poll_at",
                    "items_new", "last_error")
    list_filter = ("format", "paused")
    search_fields = ("url", "source__name")
    readonly_fields = ("etag", "last_modified", "last_poll_at", "last_success_at", "last_status", "last_error",
                       "last_error_at", "items_seen", "items_new", "items_seen_total", "items_new_total",
                       "failures", "paused_reason", "fetched_links", "created_at")
    actions = ("pause", "resume")
    fields = ("source", "url", "format", "interval_seconds", "section", "fetch_articles", "time_zone", "paused",
              *readonly_fields)

    def get_readonly_fields(self, request: HttpRequest, obj: PolledSource | None = None) -> tuple[str, ...]:
        """The source it stores under is chosen when it is added (from the URL), never edited."""
        return ("source", *self.readonly_fields)

    def save_model(self, request: HttpRequest, obj: PolledSource, form: object, change: bool) -> None:
        """Write through the actions, as every other caller does."""
        if not change:
            added = do_add_source(obj.url, fmt=obj.format, interval_seconds=obj.interval_seconds,
                                  section=obj.section, fetch_articles=obj.fetch_articles, time_zone=obj.time_zone)
            obj.pk, obj.source = added.pk, added.source
            return
        do_update_source(obj)

    def delete_model(self, request: HttpRequest, obj: PolledSource) -> None:
        do_remove_source(obj)

    @admin.action(description="Pause the selected sources")
    def pause(self, request: HttpRequest, queryset: QuerySet[PolledSource]) -> None:
        for polled in queryset:
            do_pause_source(polled, reason=f"paused in the admin by {request.user}")

    @admin.action(description="Resume the selected sources")
    def resume(self, request: HttpRequest, queryset: QuerySet[PolledSource]) -> None:
        for polled in queryset:
            do_resume_source(polled)
