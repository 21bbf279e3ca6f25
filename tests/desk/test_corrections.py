"""Editors' corrections win and last: through re-enrichment and the source's revisions, each one audited."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings

from tickerwire.articles.actions.enrich import do_reenrich
from tickerwire.articles.actions.ingest import clear_reference_caches, do_ingest_draft
from tickerwire.articles.actions.tickers import do_import_tickers
from tickerwire.articles.models import Article, ArticleSection, ArticleTicker
from tickerwire.articles.story_clusters import forget_windows
from tickerwire.core.draft import ArticleDraft, Block, SourceRef
from tickerwire.desk.actions import (
    do_correct_tickers,
    do_edit_figures,
    do_edit_headline,
    do_edit_summary,
    do_set_sections,
    do_withdraw,
)
from tickerwire.desk.models import AuditEntry
from tickerwire.desk.roles import COMMUNITY_MANAGER, EDITOR, ensure_roles
from tickerwire.enrich.ticker_directory import DirectoryEntry

pytestmark = pytest.mark.django_db
NO_EMBEDDINGS = {"default": {"BACKEND": "none"}}


@pytest.fixture(autouse=True)
def fresh_caches():
    forget_windows()
    clear_reference_caches()
    yield
    forget_windows()
    clear_reference_caches()


def chip_story(extra: str = "", summary: tuple[str, ...] = ()) -> ArticleDraft:
    """Return an invented story that names two companies by their ticker marks."""
    return ArticleDraft(
        headline="Lumora Semiconductor wins tablet chip order",
        summary=list(summary),
        source=SourceRef(site="Tickerwire Sample Wire", section="Business"),
        published="2026-03-03T10:00:00",
        body=[
            Block("paragraph", "Lumora Semiconductor said on Tuesday it had won an order to supply display chips "
                  "to Apple Inc (NASDAQ: AAPL) for a new line of tablets, lifting its shares 8%."),
            Block("paragraph", "Rival Microsoft Corp (NASDAQ: MSFT) buys chips from the same plant, the company "
                  "said." + extra),
        ],
        uri="urn:test:lumora-order",
        format="draft",
    )


def store(draft: ArticleDraft) -> Article:
    with override_settings(EMBEDDINGS=NO_EMBEDDINGS):
        outcome = do_ingest_draft(draft, source_name="sample-wire")
    return Article.objects.get(pk=outcome.article_id)


def symbols(article: Article) -> set[str]:
    return set(ArticleTicker.objects.filter(article=article).values_list("symbol", flat=True))


@pytest.fixture
def editor() -> User:
    ensure_roles()
    user = User.objects.create_user("ed", password="pw")
    user.groups.add(Group.objects.get(name=EDITOR))
    return User.objects.get(pk=user.pk)  # fresh permission cache


@pytest.fixture
def stored() -> Article:
    do_import_tickers([DirectoryEntry(symbol="AAPL", exchange="NASDAQ", name="Apple Inc."),
                       DirectoryEntry(symbol="MSFT", exchange="NASDAQ", name="Microsoft Corp")])
    article = store(chip_story())
    assert symbols(article) == {"AAPL", "MSFT"}  # control: the tagger finds both
    return article


def test_a_removed_ticker_stays_removed_after_reenrichment_and_a_source_revision(stored: Article, editor: User) -> None:
    do_correct_tickers(stored.pk, remove=["AAPL"], user=editor)
    assert symbols(stored) == {"MSFT"}
    with override_settings(EMBEDDINGS=NO_EMBEDDINGS):
        do_reenrich(stored.pk)
    assert symbols(stored) == {"MSFT"}
    revised = store(chip_story(extra=" Deliveries start in May."))
    assert revised.pk == stored.pk and revised.revision_count == 2
    assert symbols(stored) == {"MSFT"}
    # The tagger still finds AAPL in the revision: the editor's removal is what keeps it off.
    assert "AAPL" in {t["symbol"] for t in Article.objects.get(pk=stored.pk).enrichment["tickers"]}


def test_an_added_ticker_and_set_sections_last_through_a_revision(stored: Article, editor: User) -> None:
    do_correct_tickers(stored.pk, add=["orbw"], user=editor)
    do_set_sections(stored.pk, ["Technology", "Stocks Market"], primary="Stocks Market", user=editor)
    store(chip_story(extra=" Shares rose again on Wednesday."))
    with override_settings(EMBEDDINGS=NO_EMBEDDINGS):
        do_reenrich(stored.pk)
    article = Article.objects.get(pk=stored.pk)
    assert symbols(article) == {"AAPL", "MSFT", "ORBW"}
    filed = set(ArticleSection.objects.filter(article=article).values_list("section__name", flat=True))
    assert filed == {"Technology", "Stocks Market"}
    assert article.primary_section is not None and article.primary_section.name == "Stocks Market"
    # Adding back a removed ticker undoes the removal.
    do_correct_tickers(stored.pk, remove=["MSFT"], user=editor)
    do_correct_tickers(stored.pk, add=["MSFT"], user=editor)
    store(chip_story(extra=" A third version."))
    assert symbols(article) == {"AAPL", "MSFT", "ORBW"}


def test_an_edited_headline_lasts_through_a_revision_and_the_page_says_corrected(
    stored: Article, editor: User, client: Client
) -> None:
    do_edit_headline(stored.pk, "Lumora wins Apple tablet chip order", user=editor)
    store(chip_story(extra=" Deliveries start in May."))
    article = Article.objects.get(pk=stored.pk)
    assert article.headline == "Lumora wins Apple tablet chip order" and article.corrected_at is not None
    assert article.revisions.count() == 2
    latest = article.revisions.order_by("-number").first()
    assert latest is not None and latest.draft["headline"] == "Lumora Semiconductor wins tablet chip order"
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Lumora wins Apple tablet chip order" in page and 'class="corrected"' in page


def test_edited_summary_bullets_last_through_a_source_revision_and_the_page_says_corrected(
    editor: User, client: Client
) -> None:
    article = store(chip_story(summary=("Lumora wins a tablet order", "Shares up 8%")))
    assert article.summary == ["Lumora wins a tablet order", "Shares up 8%"]  # control: the source's bullets
    do_edit_summary(article.pk, ["Lumora wins an Apple tablet order", "  ", "Shares  rose 8%"], user=editor)
    revised = store(chip_story(extra=" Deliveries start in May.", summary=("Lumora wins a tablet order", "New")))
    assert revised.pk == article.pk and revised.revision_count == 2
    assert revised.summary == ["Lumora wins an Apple tablet order", "Shares rose 8%"] and revised.corrected_at
    latest = revised.revisions.order_by("-number").first()
    assert latest is not None and latest.draft["summary"] == ["Lumora wins a tablet order", "New"]
    page = client.get(revised.get_absolute_url()).content.decode()
    assert "Lumora wins an Apple tablet order" in page and 'class="corrected"' in page
    # The page's summary is the editor's (the history further down still shows what each version said).
    assert page.index("Shares rose 8%") < page.index("Shares up 8%")
    api = client.get(f"/api/v1/articles/{article.pk}").json()
    assert api["summary"] == ["Lumora wins an Apple tablet order", "Shares rose 8%"]
    do_edit_summary(article.pk, [], user=editor)  # no summary at all is a correction too, and lasts
    assert store(chip_story(extra=" A third version.", summary=("Back again",))).summary == []


def test_edited_key_figures_last_through_reenrichment_and_a_source_revision(editor: User, client: Client) -> None:
    revenue = " Lumora said quarterly revenue rose 12% to $4.1 billion from a year earlier."
    article = store(chip_story(extra=revenue))
    found = article.figures
    assert [(f["text"], f["metric"]) for f in found] == [("$4.1 billion", "quarterly revenue")]  # control
    fixed = [{**found[0], "text": "$4.2 billion"}, {"text": "$40 million", "metric": "order value"}]
    do_edit_figures(article.pk, fixed, user=editor)
    with override_settings(EMBEDDINGS=NO_EMBEDDINGS):
        do_reenrich(article.pk)
    store(chip_story(extra=revenue + " Deliveries start in May."))
    article = Article.objects.get(pk=article.pk)
    assert article.revision_count == 2
    assert [(f["text"], f.get("metric")) for f in article.figures] == [
        ("$4.2 billion", "quarterly revenue"), ("$40 million", "order value")]
    assert article.figures[0]["direction"] == "rise"  # the parts the editor did not change are kept
    assert article.enrichment["figures"][0]["text"] == "$4.1 billion"  # what enrichment found is kept beside
    page = client.get(article.get_absolute_url()).content.decode()
    assert "$4.2 billion" in page and "order value" in page and "$4.1 billion</strong>" not in page
    figures = client.get(f"/api/v1/articles/{article.pk}").json()["figures"]
    assert [f["text"] for f in figures] == ["$4.2 billion", "$40 million"]
    do_edit_figures(article.pk, [], user=editor)  # drop them all: stays dropped
    store(chip_story(extra=revenue + " A third version."))
    assert Article.objects.get(pk=article.pk).figures == []
    entries = list(AuditEntry.objects.filter(field="figures").order_by("id").values_list("old_value", "new_value"))
    assert entries[0][0] == found and entries[0][1][1] == {"text": "$40 million", "metric": "order value"}
    assert entries[1][1] == []


def test_bad_summaries_and_figures_are_refused(stored: Article, editor: User) -> None:
    with pytest.raises(ValueError, match="at most"):
        do_edit_summary(stored.pk, ["x" * 601], user=editor)
    with pytest.raises(ValueError, match="needs its text"):
        do_edit_figures(stored.pk, [{"metric": "revenue"}], user=editor)
    with pytest.raises(ValueError, match="no part"):
        do_edit_figures(stored.pk, [{"text": "5%", "colour": "red"}], user=editor)
    with pytest.raises(ValueError, match="not a number"):
        do_edit_figures(stored.pk, [{"text": "5%", "value": "five"}], user=editor)
    with pytest.raises(ValueError, match="rise or fall"):
        do_edit_figures(stored.pk, [{"text": "5%", "direction": "sideways"}], user=editor)
    assert not AuditEntry.objects.exists()


def test_the_audit_log_records_who_when_old_and_new(stored: Article, editor: User) -> None:
    do_correct_tickers(stored.pk, remove=["AAPL"], user=editor)
    do_set_sections(stored.pk, ["Technology"], user=editor)
    do_edit_headline(stored.pk, "Lumora wins chip order", user=editor)
    do_withdraw(stored.pk, user=editor)
    do_correct_tickers(stored.pk, remove=["AAPL"], user=editor)  # no change: no entry
    rows = list(AuditEntry.objects.order_by("id").values_list(
        "username", "article_ref", "action", "field", "old_value", "new_value"))
    assert [row[:4] for row in rows] == [
        ("ed", stored.pk, "correct_tickers", "tickers"), ("ed", stored.pk, "set_sections", "sections"),
        ("ed", stored.pk, "edit_headline", "headline"), ("ed", stored.pk, "set_withdrawn", "status"),
    ]
    assert rows[0][4:] == (["AAPL", "MSFT"], ["MSFT"])
    assert rows[1][5] == {"sections": ["Technology"], "primary": "Technology"}
    assert rows[2][4:] == ("Lumora Semiconductor wins tablet chip order", "Lumora wins chip order")
    assert rows[3][4]["status"] == "published" and rows[3][5]["status"] == "withdrawn"
    assert all(entry.at is not None and entry.user_id == editor.pk for entry in AuditEntry.objects.all())


def test_only_editors_may_change_stories(stored: Article) -> None:
    """Checked server-side in the actions: a community manager or a plain user is refused, changing nothing."""
    ensure_roles()
    manager = User.objects.create_user("cm")
    manager.groups.add(Group.objects.get(name=COMMUNITY_MANAGER))
    plain = User.objects.create_user("reader")
    for user in (User.objects.get(pk=manager.pk), plain):
        with pytest.raises(PermissionDenied):
            do_correct_tickers(stored.pk, remove=["AAPL"], user=user)
        with pytest.raises(PermissionDenied):
            do_withdraw(stored.pk, user=user)
        with pytest.raises(PermissionDenied):
            do_edit_summary(stored.pk, ["No"], user=user)
        with pytest.raises(PermissionDenied):
            do_edit_figures(stored.pk, [], user=user)
    assert symbols(stored) == {"AAPL", "MSFT"}
    assert Article.objects.get(pk=stored.pk).status == "published"
    assert not AuditEntry.objects.exists()


def test_bad_corrections_are_refused(stored: Article, editor: User) -> None:
    with pytest.raises(ValueError, match="not a ticker"):
        do_correct_tickers(stored.pk, add=["no such"], user=editor)
    with pytest.raises(ValueError, match="unknown sections"):
        do_set_sections(stored.pk, ["Gossip"], user=editor)
    with pytest.raises(ValueError, match="empty"):
        do_edit_headline(stored.pk, "   ", user=editor)


def test_a_correction_changes_the_pages_validators(stored: Article, editor: User, client: Client) -> None:
    """A reader revalidating the page cached before the correction gets the corrected page, not a 304."""
    first = client.get(stored.get_absolute_url())
    assert client.get(stored.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304  # control
    do_correct_tickers(stored.pk, remove=["AAPL"], user=editor)
    again = client.get(stored.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and ">AAPL<" not in again.content.decode()
