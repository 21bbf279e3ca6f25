"""The search page: validate the form, ask :mod:`tickerwire.search`, render highlighted results."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from tickerwire import search as search_api
from tickerwire.core.dates import in_story_range, story_range_text
from tickerwire.core.sections import SECTION_NAMES
from tickerwire.search import QueryTooComplex, SearchQuery, SearchResults, SearchTimedOut
from tickerwire.site import queries

RESULTS_PER_PAGE = 20
MAX_PAGE = 50


def story_day(day: date) -> None:
    """Refuse a day no story can have (``9999-12-31`` leaves no next day to end the range at)."""
    if not in_story_range(day):
        raise ValidationError(f"The date is out of range: {story_range_text()}.", code="out_of_range")


class SearchForm(forms.Form):
    """The search box and its filters, all optional; dates are whole UTC days."""

    q = forms.CharField(required=False, max_length=300, label="Search for")
    section = forms.ChoiceField(
        required=False, label="Section", choices=[("", "All sections")] + [(slugify(n), n) for n in SECTION_NAMES]
    )
    ticker = forms.RegexField(
        required=False, max_length=20, regex=r"^\$?[A-Za-z0-9][A-Za-z0-9.\-]*$", label="Ticker",
        error_messages={"invalid": "A ticker is letters and digits, such as XOM or BRK.B."},
    )
    since = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}),
                            validators=[story_day])
    until = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}),
                            validators=[story_day])
    sort = forms.ChoiceField(
        required=False, label="Sort by", choices=[("relevance", "Relevance"), ("newest", "Newest first")],
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if isinstance(since, date) and isinstance(until, date) and since > until:
            self.add_error("until", "The end date is before the start date.")
        return data

    def to_query(self) -> SearchQuery:
        """Return the backend-neutral query of a valid form."""
        data = self.cleaned_data
        page = data.get("page") or 1
        since, until = data.get("since"), data.get("until")
        return SearchQuery(
            text=data.get("q") or "",
            section_slug=data.get("section") or None,
            symbol=(data.get("ticker") or "").lstrip("$").upper() or None,
            since=datetime.combine(since, time.min, tzinfo=UTC) if since else None,
            until=datetime.combine(until + timedelta(days=1), time.min, tzinfo=UTC) if until else None,
            offset=(page - 1) * RESULTS_PER_PAGE,
            limit=RESULTS_PER_PAGE,
            sort=data.get("sort") or "relevance",
        )


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Show the search form and, when asked, one page of results led by a named ticker's card."""
    form = SearchForm(request.GET or None)
    results: SearchResults | None = None
    hits: list[dict[str, object]] = []
    page = 1
    status = 200
    search_error = ""
    if form.is_bound and form.is_valid() and (form.cleaned_data.get("q") or "").strip():
        query = form.to_query()
        page = query.offset // RESULTS_PER_PAGE + 1
        try:
            results = search_api.search(query)
        except QueryTooComplex as exc:
            form.add_error("q", f"This search is too complex: {exc.message}. Try fewer words.")
        except SearchTimedOut:
            status, search_error = 503, "This search took too long to answer. Try fewer words, or try again later."
        else:
            prefetch_related_objects([hit.article for hit in results.hits], "ticker_links")  # one query, not one a hit
            for hit in results.hits:
                hits.append({
                    "teaser": queries.make_teaser(hit.article),
                    # The search package escapes the excerpt and adds only <mark> elements.
                    "snippet": mark_safe(hit.snippet_html),  # noqa: S308
                })
    if form.is_bound and not form.is_valid():
        status = 400
    return render(request, "site/search.html", {
        "search_error": search_error,
        "form": form,
        "results": results,
        "hits": hits,
        "page_number": page,
        "query_text": form.data.get("q", "") if form.is_bound else "",
        "ticker_card": results.ticker if results is not None else None,
    }, status=status)
