"""A source page's own related teasers link to our copy of the story, else to a search that finds stories."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.site.stories import BRAMBLE, QUILL, ingest, story_draft
from tickerwire.articles.models import Article
from tickerwire.core.draft import RelatedLink
from tickerwire.search import SearchQuery, search
from tickerwire.site.queries import source_related
from tickerwire.site.teaser_links import same_headline, search_queries

pytestmark = pytest.mark.django_db


def teaser_page(*teasers: RelatedLink) -> int:
    """Ingest a page whose related teasers are ``teasers``; return its article id."""
    draft = story_draft(1, headline="Orbis Widgets orders rise at the northern plant")
    draft.related = list(teasers)
    return ingest(draft).pk


def search_text(url: str) -> str:
    parsed = urlparse(url)
    assert parsed.path == "/search", url
    return parse_qs(parsed.query)["q"][0]


def test_same_headline_folds_case_punctuation_and_revision_markers_but_not_other_stories() -> None:
    """A teaser names a stored story when the folded headlines match or differ by a word or two."""
    stored = "Quillfeather Mills to shut its Lowmoor flour plant, cutting 300 jobs"
    assert same_headline("UPDATE 1-QUILLFEATHER MILLS TO SHUT ITS LOWMOOR FLOUR PLANT; CUTTING 300 JOBS", stored)
    assert same_headline("Quillfeather Mills to shut Lowmoor flour plant, cutting 300 jobs", stored)
    assert not same_headline("Quillfeather Mills to open a Lowmoor bakery, hiring 40 staff", stored)
    assert not same_headline("", stored)


def test_a_teaser_for_a_stored_story_links_to_the_article() -> None:
    """The teaser's story, stored under a differently written headline, is linked and marked local."""
    stored = ingest(story_draft(2, company=QUILL, headline="Quillfeather Mills to shut its Lowmoor flour plant"))
    article = Article.objects.get(pk=teaser_page(
        RelatedLink(headline="QUILLFEATHER MILLS TO SHUT ITS LOWMOOR FLOUR PLANT", published="2026-03-03"),
    ))
    [item] = source_related(article)
    assert item.url == stored.get_absolute_url()
    assert item.is_local


def test_a_teaser_we_lack_links_to_a_search_that_finds_stories() -> None:
    """Without the story, the link searches its ticker (or a key word) that other stored stories contain."""
    ingest(story_draft(3, company=BRAMBLE, headline="Bramblecote Energy orders rise"))
    article = Article.objects.get(pk=teaser_page(
        RelatedLink(headline="Bramblecote Energy chief quits after a shareholder revolt", published="2026-01-09",
                    tickers=[BRAMBLE.symbol]),
        RelatedLink(headline="Nothing stored mentions zeppelins or quokkas", published="2026-01-09"),
    ))
    bramble, nothing = source_related(article)
    assert not bramble.is_local
    query = search_text(bramble.url)
    assert query == BRAMBLE.symbol
    assert search(SearchQuery(text=query)).total >= 1
    # The whole headline of a story nobody stored finds nothing: it is not what the teaser links to.
    assert search(SearchQuery(text=bramble.headline)).total == 0
    # When no search finds another story, the link falls back to the headline's own search.
    assert search_text(nothing.url) == nothing.headline


def test_search_queries_try_tickers_then_the_longest_words() -> None:
    """Tickers come first, then the headline's longest words, stop words and numbers left out."""
    assert search_queries("Valmora GDP grows 0.4% in the third quarter", ["VLM"])[:3] == ["VLM", "quarter", "valmora"]
