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
from tickerwire.desk.actions import do_correct_tickers, do_edit_headline, do_set_sections, do_withdraw
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


def chip_story(extra: str = "") -> ArticleDraft:
    """Return an invented story that names two companies by their ticker marks."""
    return ArticleDraft(
        headline="Lumora Semiconductor wins tablet chip order",
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
