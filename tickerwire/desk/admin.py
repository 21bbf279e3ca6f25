"""The editors' desk: the Django admin, mounted at ``/desk/``, customised for the newsroom's work.

The story list filters by source, section, ticker and status; a story's page shows every revision with what
changed, and takes corrections (headline, summary bullets, key figures, tickers removed or added, sections)
and status changes (hold, publish, embargo until a time, withdraw). Nothing here saves a model: every change
goes through :mod:`tickerwire.desk.actions`, which checks the editor's permission and writes the audit log.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import construct_change_message
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from tickerwire.articles.actions.sources import do_set_arrive_held
from tickerwire.articles.models import Article, ArticleTicker, Pin, Quarantine, Revision, Section, Source, WireNotice
from tickerwire.desk import actions
from tickerwire.desk.models import AuditEntry
from tickerwire.site.revision_diff import diff_drafts

admin.site.site_header = "Tickerwire desk"
admin.site.site_title = "Tickerwire desk"
admin.site.index_title = "Stories, notices and the audit log"


class TickerFilter(admin.SimpleListFilter):
    """Stories tagged with one ticker (the most tagged symbols are offered)."""

    title = "ticker"
    parameter_name = "ticker"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        from django.db.models import Count

        top = (ArticleTicker.objects.values("symbol").annotate(n=Count("id")).order_by("-n", "symbol")[:30])
        return [(row["symbol"], row["symbol"]) for row in top]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Article]) -> QuerySet[Article]:
        value = self.value()
        return queryset.filter(ticker_links__symbol=value.upper()) if value else queryset


class SectionFilter(admin.SimpleListFilter):
    """Stories filed under a section (primary or not)."""

    title = "section"
    parameter_name = "section"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(section.slug, section.name) for section in Section.objects.all()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Article]) -> QuerySet[Article]:
        value = self.value()
        return queryset.filter(section_links__section__slug=value).distinct() if value else queryset


class RevisionInline(admin.TabularInline):
    """Every version of the story, with what changed from the one before."""

    model = Revision
    extra = 0
    can_delete = False
    fields = ("number", "revision_marker", "created_at", "changes")
    readonly_fields = fields
    ordering = ("number",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="what changed")
    def changes(self, revision: Revision) -> SafeString | str:
        if revision.number is None:  # a form posted back without the revisions' ids (it shows them read-only)
            return "-"
        before = Revision.objects.filter(article_id=revision.article_id, number=revision.number - 1).first()
        if before is None:
            return "first version"
        found = diff_drafts(before.draft, revision.draft)
        if not found:
            return "no change a reader sees"
        return format_html_join("", "<div><b>{}</b>: {}</div>", ((change.part, change.html) for change in found))


class StoryForm(forms.ModelForm):
    """The desk's story form: corrections and a status, applied through the desk's actions."""

    remove_tickers = forms.CharField(required=False, help_text="Symbols to remove, separated by spaces or commas.")
    add_tickers = forms.CharField(required=False, help_text="Symbols to add, separated by spaces or commas.")
    set_sections = forms.ModelMultipleChoiceField(
        queryset=Section.objects.all(), required=False, help_text="File the story under exactly these sections."
    )
    lead_section = forms.ModelChoiceField(queryset=Section.objects.all(), required=False)
    summary_bullets = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One bullet a line; empty: no summary. Later source revisions keep your bullets.",
    )
    key_figures = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One figure a line as TEXT | METRIC, e.g. '$1.2 billion | quarterly revenue'; "
                  "delete a line to drop a figure. Re-enrichment and revisions keep your figures.",
    )
    pin_on = forms.ChoiceField(required=False, help_text="Pin the story to lead the home page or a section page.")
    pin_until = forms.DateTimeField(required=False, help_text="UTC, e.g. 2026-03-04 18:00; empty: until unpinned.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sections = [(section.slug, section.name) for section in Section.objects.all()]
        self.fields["pin_on"].choices = [("", "-"), ("home", "Home page"), *sections]
        if self.instance.pk:
            self.initial["summary_bullets"] = "\n".join(self.instance.summary or [])
            self.initial["key_figures"] = figure_lines(self.instance.figures or [])

    class Meta:
        model = Article
        fields = ("headline", "status", "embargo_until")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        status, until = data.get("status"), data.get("embargo_until")
        if status == Article.Status.EMBARGOED and until is None:
            self.add_error("embargo_until", "An embargoed story needs the time it may be published.")
        if status != Article.Status.EMBARGOED:
            data["embargo_until"] = None
        bullets = (data.get("summary_bullets") or "").splitlines()
        if any(len(" ".join(b.split())) > actions.MAX_BULLET_CHARS for b in bullets):
            self.add_error("summary_bullets", f"A bullet is at most {actions.MAX_BULLET_CHARS} characters.")
        try:
            actions.clean_figures(figures_from_lines(data.get("key_figures") or "", self.instance.figures or []))
        except ValueError as exc:
            self.add_error("key_figures", str(exc))
        return data


def figure_lines(figures: list[dict[str, Any]]) -> str:
    """Return key figures as the form shows them: ``TEXT | METRIC`` a line."""
    return "\n".join(
        f"{figure.get('text', '')} | {figure['metric']}" if figure.get("metric") else str(figure.get("text", ""))
        for figure in figures if isinstance(figure, dict)
    )


def figures_from_lines(text: str, current: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Read the form's figure lines; a line whose text is a current figure's keeps that figure's other parts."""
    known = {str(figure.get("text")): figure for figure in current if isinstance(figure, dict)}
    figures = []
    for line in text.splitlines():
        figure_text, _, metric = (part.strip() for part in line.partition("|"))
        if not figure_text and not metric:
            continue
        figure = {**known.get(figure_text, {}), "text": figure_text}
        if metric:
            figure["metric"] = metric
        else:
            figure.pop("metric", None)
        figures.append(figure)
    return figures


def _symbols(text: str) -> list[str]:
    return [part for part in text.replace(",", " ").split() if part]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """The story list and story page of the desk."""

    form = StoryForm
    list_display = ("headline", "source", "status", "embargo_until", "primary_section", "published_at",
                    "revision_count")
    list_filter = ("status", "source", SectionFilter, TickerFilter)
    search_fields = ("headline",)
    date_hierarchy = "published_at"
    list_select_related = ("source", "primary_section")
    inlines = [RevisionInline]
    actions = ["hold_stories", "publish_stories", "withdraw_stories"]
    readonly_fields = ("key", "source", "published_at", "updated_at", "corrected_at", "tickers", "sections_now",
                       "pins_now")
    fieldsets = (
        (None, {"fields": ("headline", "key", "source", "published_at", "updated_at", "corrected_at")}),
        ("Summary and key figures", {"fields": ("summary_bullets", "key_figures")}),
        ("Status", {"fields": ("status", "embargo_until")}),
        ("Tickers and sections", {"fields": ("tickers", "remove_tickers", "add_tickers", "sections_now",
                                             "set_sections", "lead_section")}),
        ("Front page", {"fields": ("pins_now", "pin_on", "pin_until")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        return super().get_queryset(request).defer("embedding", "enrichment", "body")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # stories arrive by ingest

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a story is withdrawn, never deleted

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and actions.may_edit(request.user)

    @admin.display(description="tickers now")
    def tickers(self, article: Article) -> str:
        return " ".join(sorted(article.ticker_links.values_list("symbol", flat=True))) or "-"

    @admin.display(description="sections now")
    def sections_now(self, article: Article) -> str:
        return ", ".join(sorted(article.section_links.values_list("section__name", flat=True))) or "-"

    @admin.display(description="pinned now")
    def pins_now(self, article: Article) -> str:
        shown = []
        for pin in article.pins.select_related("section"):
            until = f" until {pin.expires_at:%Y-%m-%d %H:%M} UTC" if pin.expires_at else ""
            shown.append(f"{pin.section.name if pin.section else 'home'}{until}")
        return ", ".join(shown) or "-"

    def save_model(self, request: HttpRequest, obj: Article, form: forms.ModelForm, change: bool) -> None:
        """Apply the form through the desk's actions (never ``obj.save()``): each is checked and audited."""
        data, user = form.cleaned_data, request.user
        if "headline" in form.changed_data:
            actions.do_edit_headline(obj.pk, data["headline"], user=user)
        if "summary_bullets" in form.changed_data:
            actions.do_edit_summary(obj.pk, (data.get("summary_bullets") or "").splitlines(), user=user)
        if "key_figures" in form.changed_data:
            current = Article.objects.values_list("figures", flat=True).get(pk=obj.pk)
            actions.do_edit_figures(obj.pk, figures_from_lines(data.get("key_figures") or "", current), user=user)
        if data.get("remove_tickers") or data.get("add_tickers"):
            actions.do_correct_tickers(obj.pk, remove=_symbols(data.get("remove_tickers") or ""),
                                       add=_symbols(data.get("add_tickers") or ""), user=user)
        chosen = list(data.get("set_sections") or [])
        if chosen:
            lead = data.get("lead_section")
            actions.do_set_sections(obj.pk, [s.name for s in chosen], primary=lead.name if lead else None, user=user)
        if data.get("pin_on"):
            where = None if data["pin_on"] == "home" else data["pin_on"]
            actions.do_pin(obj.pk, where, until=data.get("pin_until"), user=user)
        if {"status", "embargo_until"} & set(form.changed_data):
            actions.do_change_status(obj.pk, data["status"], embargo_until=data.get("embargo_until"), user=user)

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool) -> None:
        """Save nothing more: revisions are read-only, sections were set through the actions."""

    def construct_change_message(self, request: HttpRequest, form: forms.ModelForm, formsets: Any,
                                 add: bool = False) -> list[dict[str, Any]]:
        """Describe the form's changes only (the read-only revisions were not saved)."""
        return construct_change_message(form, [], add)

    def _bulk(self, request: HttpRequest, queryset: QuerySet[Article], status: str) -> None:
        if not actions.may_edit(request.user):
            raise PermissionDenied
        for article_id in queryset.values_list("id", flat=True):
            actions.do_change_status(article_id, status, user=request.user)
        self.message_user(request, f"{queryset.count()} stories set to {status}", messages.SUCCESS)

    @admin.action(description="Hold the selected stories", permissions=["change"])
    def hold_stories(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._bulk(request, queryset, Article.Status.HELD)

    @admin.action(description="Publish the selected stories", permissions=["change"])
    def publish_stories(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._bulk(request, queryset, Article.Status.PUBLISHED)

    @admin.action(description="Withdraw the selected stories (410 Gone)", permissions=["change"])
    def withdraw_stories(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._bulk(request, queryset, Article.Status.WITHDRAWN)


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record kept by the system: readable on the desk, never changed there."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Source)
class SourceAdmin(ReadOnlyAdmin):
    """The sources; whether a source's new stories arrive held is set through the store's action."""

    list_display = ("name", "kind", "arrive_held", "created_at")
    list_filter = ("arrive_held", "kind")
    search_fields = ("name",)
    actions = ["hold_new_stories", "publish_new_stories"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and actions.may_edit(request.user) and request.user.has_perm("articles.view_source")

    @admin.action(description="New stories from these sources arrive held", permissions=["change"])
    def hold_new_stories(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        for name in queryset.values_list("name", flat=True):
            do_set_arrive_held(name, True)

    @admin.action(description="New stories from these sources are published at once", permissions=["change"])
    def publish_new_stories(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        for name in queryset.values_list("name", flat=True):
            do_set_arrive_held(name, False)


@admin.register(Pin)
class PinAdmin(ReadOnlyAdmin):
    """The pinned stories; unpinning goes through the desk's action."""

    list_display = ("article", "section", "position", "pinned_at", "expires_at")
    list_filter = ("section",)
    actions = ["unpin"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and actions.may_edit(request.user) and request.user.has_perm("articles.view_pin")

    @admin.action(description="Unpin the selected stories", permissions=["change"])
    def unpin(self, request: HttpRequest, queryset: QuerySet[Pin]) -> None:
        for pin in queryset.select_related("section"):
            actions.do_unpin(pin.article_id, pin.section.slug if pin.section else None, user=request.user)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "username", "action", "article_ref", "old_value", "new_value")
    list_filter = ("action", "username")


@admin.register(WireNotice)
class WireNoticeAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "kind", "headline", "action", "matched_by", "article")
    list_filter = ("kind", "action")


@admin.register(Quarantine)
class QuarantineAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "source_name", "path", "reason", "attempts", "status")
    list_filter = ("status", "source_name", "format")
    search_fields = ("reason", "path")
    exclude = ("raw",)
