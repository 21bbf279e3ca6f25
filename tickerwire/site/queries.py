"""Read-side queries for the reader site: what each page shows, fetched in few, index-friendly queries.

Every list respects the article status: only ``published`` stories are ever shown.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.core.signals import setting_changed
from django.db import router
from django.db.models import Count, Q, QuerySet
from django.db.models.fields.json import KT
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.text import Truncator

from tickerwire.articles.models import Article, ArticleSection, ArticleTicker, Revision, Section, Ticker
from tickerwire.articles.prepared import Prepared
from tickerwire.articles.selectors import StoryVersion, pinned_ids, related_versions, ticker_symbols
from tickerwire.articles.visibility import is_visible, visible_q
from tickerwire.enrich.ticker_marks import tighten_marks
from tickerwire.site.body_markup import BodyBlock, Mention, link_text, non_overlapping, render_body
from tickerwire.site.hooks import comment_counts
from tickerwire.site.mention_chart import MentionChart, build_chart, daily_points
from tickerwire.site.revision_diff import RevisionEntry, revision_history
from tickerwire.site.teaser_links import teaser_target

TOP_STORIES = 6
SECTION_STORIES = 4
PAGE_SIZE = 20
TEASER_CHARS = 240
RELATED_LIMIT = 6
CO_MENTIONED_LIMIT = 12
# Columns the list pages never need: keep big blobs out of list queries. The body is the biggest, and
# decoding it was most of a list page's time; teasers read its first block through `lead_*` instead.
LIST_DEFERRED = ("embedding", "enrichment", "related_links", "figures", "credits", "body")


def for_lists(articles: QuerySet[Article]) -> QuerySet[Article]:
    """Return the stories with the columns list pages read: the body's first block, not the whole body."""
    return articles.defer(*LIST_DEFERRED).annotate(lead_type=KT("body__0__type"), lead_text=KT("body__0__text"))


def published() -> QuerySet[Article]:
    """Return the published stories, newest first, as list pages read them."""
    return for_lists(Article.objects.visible()).order_by("-published_at", "-id")


# What choosing stories for the home page reads of each candidate: its time and its cluster.
CANDIDATE_COLUMNS = ("id", "published_at", "cluster_key")
# Model.from_db takes a partial row in the model's field order: newest_by_id builds candidates in this one.
assert tuple(f.attname for f in Article._meta.concrete_fields if f.attname in CANDIDATE_COLUMNS) == CANDIDATE_COLUMNS


def candidates() -> QuerySet[Article]:
    """Return the published stories, newest first, with only what choosing among them needs."""
    return Article.objects.visible().only(*CANDIDATE_COLUMNS).order_by(
        "-published_at", "-id"
    )


def newest_by_id(ids: Iterable[int], limit: int) -> list[Article]:
    """Return the newest ``limit`` published stories among ``ids`` (as candidates), reading only those rows.

    Visibility is checked in Python on purpose: given ``status = 'published'`` and an ORDER BY, SQLite
    (without table statistics) walks every published story by the status index instead.
    """
    chosen = Article.objects.filter(pk__in=list(ids)).order_by()
    rows = chosen.values_list("published_at", "id", "status", "embargo_until", "cluster_key")
    now = timezone.now()
    top = [row for row in sorted(rows, reverse=True) if is_visible(row[2], row[3], now)][:limit]
    # The candidates are made from the rows already read (as ``only(*CANDIDATE_COLUMNS)`` would load them),
    # not read a second time: the home page asks this for each of its fourteen sections.
    return [Article.from_db(chosen.db, CANDIDATE_COLUMNS, (pk, when, cluster))
            for when, pk, _status, _until, cluster in top]


def for_teasers(chosen: Sequence[Article]) -> dict[int, Article]:
    """Return the chosen stories by id as teasers read them, tickers included, in two queries."""
    stories = with_tickers(for_lists(Article.objects.filter(pk__in=[a.pk for a in chosen])).order_by())
    return {story.pk: story for story in stories}


def site_title() -> str:
    """Return the site's name from settings."""
    return str(getattr(settings, "SITE_NAME", "Tickerwire"))


_TICKER_URLS: dict[tuple[str, str, object], str] = {}


def ticker_url(symbol: str) -> str:
    """Return the ticker page address of a symbol (a search for it when the symbol cannot be a path).

    Remembered per process, URL prefix and URL conf: every chip and body mention asks it.
    """
    key = (symbol, get_script_prefix(), get_urlconf())
    found = _TICKER_URLS.get(key)
    if found is None:
        if len(_TICKER_URLS) > 50_000:
            _TICKER_URLS.clear()
        try:
            found = reverse("site:ticker", kwargs={"symbol": symbol})
        except NoReverseMatch:
            found = reverse("site:search") + "?" + urlencode({"q": symbol})
        _TICKER_URLS[key] = found
    return found


@receiver(setting_changed)
def _forget_urls(**_kwargs: object) -> None:
    """Drop the remembered addresses when tests change the URL conf."""
    _TICKER_URLS.clear()


def first_paragraph(body: Sequence[dict[str, Any]]) -> str:
    """Return the text of the first paragraph block of a stored body, or ``""``."""
    return next((str(b.get("text", "")) for b in body if b.get("type") != "subhead"), "")


@dataclass(frozen=True)
class TickerChip:
    symbol: str
    name: str
    exchange: str
    url: str


@dataclass
class Teaser:
    """A story as list pages show it: headline, time, a short text and its ticker chips."""

    article: Article
    url: str
    headline: str
    published_at: datetime
    updated_at: datetime
    text: str
    tickers: list[TickerChip]
    versions: int = 1
    comments: int = 0

    @property
    def symbols(self) -> list[str]:
        return [chip.symbol for chip in self.tickers]

    @property
    def is_updated(self) -> bool:
        return self.versions > 1 or self.article.revision_count > 1


def lead_paragraph(article: Article) -> str:
    """Return the first paragraph: from :func:`published`'s first-block columns when it is one, else the body."""
    if hasattr(article, "lead_type") and article.lead_type != "subhead":
        return str(article.lead_text or "")
    return first_paragraph(article.body)


def teaser_text(article: Article) -> str:
    """Return the story's summary bullets, or its first paragraph, cut to a teaser's length."""
    text = " · ".join(article.summary[:2]) if article.summary else lead_paragraph(article)
    return Truncator(tighten_marks(text)).chars(TEASER_CHARS)


def make_teaser(article: Article, versions: int = 1) -> Teaser:
    """Return the teaser of an article fetched with its ticker links prefetched."""
    links = sorted(article.ticker_links.all(), key=lambda link: (-link.confidence, link.symbol))
    return Teaser(
        article=article, url=article.get_absolute_url(), headline=article.headline,
        published_at=article.published_at, updated_at=article.updated_at, text=teaser_text(article),
        tickers=[TickerChip(link.symbol, link.name, link.exchange, ticker_url(link.symbol)) for link in links],
        versions=versions,
    )


def with_tickers(articles: QuerySet[Article]) -> QuerySet[Article]:
    """Return the queryset with ticker links prefetched (one more query for the whole list)."""
    return articles.prefetch_related("ticker_links")


def teasers(articles: Iterable[Article]) -> list[Teaser]:
    """Return teasers for articles fetched through :func:`with_tickers`, with their comment counts."""
    return with_comment_counts([make_teaser(article) for article in articles])


def with_comment_counts(items: list[Teaser]) -> list[Teaser]:
    """Fill in each teaser's comment count (one query for the list, from the registered counter)."""
    counts = comment_counts(item.article.pk for item in items)
    for item in items:
        item.comments = counts.get(item.article.pk, 0)
    return items


def cluster_of(article: Article) -> str:
    """Return the story cluster an article belongs to (itself when enrichment gave none)."""
    return article.cluster_key or f"article:{article.pk}"


def cluster_sizes(keys: Iterable[str]) -> dict[str, int]:
    """Return how many published versions each (non-empty) cluster key has."""
    wanted = {k for k in keys if k and not k.startswith("article:")}
    if not wanted:
        return {}
    # Status is checked here, not in SQL: with it there, SQLite walks every published story by the
    # status index instead of reading the few members of each cluster by the cluster_key index.
    rows = Article.objects.filter(cluster_key__in=wanted).order_by().values_list(
        "cluster_key", "status", "embargo_until"
    )
    now = timezone.now()
    return dict(Counter(key for key, status, until in rows if is_visible(status, until, now)))


def pick_clusters(candidates: Iterable[Article], seen: set[str], limit: int) -> list[Article]:
    """Return up to ``limit`` articles, the newest of each cluster not in ``seen`` (which is updated)."""
    chosen: list[Article] = []
    if limit <= 0:
        return chosen
    for article in candidates:
        key = cluster_of(article)
        if key in seen:
            continue
        seen.add(key)
        chosen.append(article)
        if len(chosen) == limit:
            break
    return chosen


@dataclass
class SectionBlock:
    section: Section
    stories: list[Teaser]


@dataclass
class HomePage:
    top: list[Teaser]
    sections: list[SectionBlock]


def home_page() -> HomePage:
    """Return the top stories and each section's latest, every story cluster shown once.

    Candidates are fetched with only their time and cluster; the chosen few are then read whole (their
    text and tickers) in two queries at the end.
    """
    pinned = pinned_stories(None)[:TOP_STORIES]
    seen: set[str] = {cluster_of(article) for article in pinned}
    top = pinned + pick_clusters(candidates()[: TOP_STORIES * 5], seen, TOP_STORIES - len(pinned))
    blocks: list[tuple[Section, list[Article]]] = []
    for section in Section.objects.all():
        blocks.append((section, pick_clusters(latest_in_section(section, SECTION_STORIES * 4), seen,
                                              SECTION_STORIES)))
    full = for_teasers(top + [article for _section, stories in blocks for article in stories])
    sizes = cluster_sizes(seen)

    def teaser(article: Article) -> Teaser:
        return make_teaser(full[article.pk], sizes.get(article.cluster_key, 1))

    counts = comment_counts(full)

    def teasers_of(stories: list[Article]) -> list[Teaser]:
        # A story deleted meanwhile is left out.
        chosen = [teaser(a) for a in stories if a.pk in full]
        for item in chosen:
            item.comments = counts.get(item.article.pk, 0)
        return chosen

    return HomePage(
        top=teasers_of(top),
        sections=[SectionBlock(section, teasers_of(stories)) for section, stories in blocks if stories],
    )


def pinned_stories(section: Section | None) -> list[Article]:
    """Return the stories an editor pinned to lead the home page (``None``) or a section, lead first."""
    ids = pinned_ids(section.pk if section is not None else None)
    found = Article.objects.filter(pk__in=ids).only(*CANDIDATE_COLUMNS).in_bulk()
    return [found[pk] for pk in ids if pk in found]


def section_pins(section: Section) -> list[Teaser]:
    """Return the teasers of the stories pinned to lead a section page."""
    pinned = pinned_stories(section)
    full = for_teasers(pinned)
    return with_comment_counts([make_teaser(full[article.pk]) for article in pinned if article.pk in full])


def in_section(section: Section) -> Q:
    """Return the condition for stories filed under a section, as primary section or classified into it."""
    filed = ArticleSection.objects.filter(section=section).values("article_id")
    return Q(primary_section=section) | Q(pk__in=filed)


# Below this many classified stories, a section's newest are found from its ids, not by walking by time.
SPARSE_SECTION = 500


def latest_in_section(section: Section, limit: int) -> list[Article]:
    """Return a section's newest stories with index-friendly queries (an OR of both would scan).

    Walking all stories newest first stops early in a busy section but reads nearly every story for a
    rare one, so a section with few classified stories is read by their ids instead.
    """
    primary = candidates().filter(primary_section=section)[:limit]
    filed_ids = list(
        ArticleSection.objects.filter(section=section).values_list("article_id", flat=True)[: SPARSE_SECTION + 1]
    )
    if len(filed_ids) > SPARSE_SECTION:
        filed = list(candidates().filter(section_links__section=section)[:limit])
    else:
        filed = newest_by_id(filed_ids, limit)
    merged = {article.pk: article for article in [*primary, *filed]}
    return sorted(merged.values(), key=lambda a: (a.published_at, a.pk), reverse=True)[:limit]


def section_story_count(section: Section) -> int:
    """Return how many published stories a section lists, by two index reads (the OR would scan)."""
    primary = Article.objects.visible().filter(primary_section=section).order_by().values_list("id")
    filed = (
        ArticleSection.objects.filter(visible_q("article__"), section=section).order_by()
        .values_list("article_id")
    )
    return primary.union(filed).count()


class CountedPaginator(Paginator):
    """A paginator told its item count, for lists whose count has a cheaper query than ``COUNT(*)``."""

    def __init__(self, object_list: QuerySet[Article], per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def section_stories(section: Section) -> QuerySet[Article]:
    """Return the section's published stories, newest first."""
    return with_tickers(published().filter(in_section(section)))


def close_matches(word: str, choices: Iterable[str], limit: int = 5) -> list[str]:
    """Return the choices closest to ``word`` (case-insensitively), best first."""
    by_folded: dict[str, str] = {}
    for choice in choices:
        by_folded.setdefault(choice.casefold(), choice)
    found = difflib.get_close_matches(word.casefold(), list(by_folded), n=limit, cutoff=0.5)
    return [by_folded[f] for f in found]


def suggest_sections(slug: str) -> list[Section]:
    """Return the sections whose slug or name looks like ``slug``."""
    sections = list(Section.objects.all())
    names = close_matches(slug.replace("-", " "), [s.name for s in sections])
    slugs = close_matches(slug, [s.slug for s in sections])
    return [s for s in sections if s.name in names or s.slug in slugs]


@dataclass(frozen=True)
class TickerSuggestion:
    symbol: str
    name: str
    url: str


def suggest_tickers(text: str, limit: int = 6) -> list[TickerSuggestion]:
    """Return known tickers whose symbol or company name looks like ``text``."""
    rows = list(Ticker.objects.values_list("symbol", "name"))
    names_by_symbol: dict[str, str] = {}
    for symbol, name in rows:
        names_by_symbol.setdefault(symbol, name)
    for symbol in ArticleTicker.objects.filter(ticker__isnull=True).values_list("symbol", flat=True).distinct():
        names_by_symbol.setdefault(symbol, "")
    symbols = close_matches(text, names_by_symbol, limit)
    by_name = {name: symbol for symbol, name in names_by_symbol.items() if name}
    for name in close_matches(text, by_name, limit):
        if by_name[name] not in symbols:
            symbols.append(by_name[name])
    return [TickerSuggestion(s, names_by_symbol[s], ticker_url(s)) for s in symbols[:limit]]


# ---- the article page -------------------------------------------------------------------------------


# A stand-in id no story has: the prepared statements below are compiled with it (tickerwire.articles.prepared).
_ANY_ID = -7_000_000_001

_article_for_page = Prepared(Article, lambda pk: (
    Article.objects.filter(pk=pk).select_related("primary_section", "source").defer("embedding")
), _ANY_ID)


def article_for_page(pk: int) -> Article | None:
    """Return the article with that id if the public may see it (sections and source loaded), or None.

    Visibility is checked on the row read, so the statement is the same for every story and is compiled once.
    """
    found = _article_for_page(pk)
    return found[0] if found and found[0].is_visible() else None




@dataclass(frozen=True)
class RelatedItem:
    """A related story: stored (``is_local``) or as the source page listed it."""

    headline: str
    url: str
    published: datetime | None
    published_text: str
    snippet: Any  # SafeString for source teasers (tickers linked), str for stored stories
    symbols: list[str]
    is_local: bool
    published_style: str = "datetime"  # "date" for a stored story dated only by its dateline


@dataclass
class ArticlePage:
    article: Article
    section: Section | None
    blocks: list[BodyBlock]
    tickers: list[TickerChip]
    figures: list[dict[str, Any]]
    related: list[RelatedItem]
    history: list[RevisionEntry]
    comment_count: int
    dateline: dict[str, Any] = field(default_factory=dict)

    @property
    def is_updated(self) -> bool:
        return self.article.revision_count > 1

    @property
    def lead_index(self) -> int:
        """Return the index of the first paragraph, where the dateline goes."""
        return next((i for i, block in enumerate(self.blocks) if block.type == "paragraph"), -1)

    @property
    def dateline_text(self) -> str:
        """Return the dateline as the wire writes it: ``MOSCOW, Aug 28 (Reuters) -``."""
        place, day, agency = (self.dateline.get(k) or "" for k in ("place", "date", "agency"))
        text = ", ".join(part for part in (place, day) if part)
        if agency:
            text = f"{text} ({agency})" if text else f"({agency})"
        return f"{text} -" if text else ""

    @property
    def byline_text(self) -> str:
        """Return the byline names as a sentence: ``A, B and C``."""
        names = [str(n) for n in self.article.byline if n]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


def primary_section_of(article: Article) -> Section | None:
    """Return the section the breadcrumb names: the primary one, else the source's, else the best scored."""
    if article.primary_section is not None:
        return article.primary_section
    if article.source_section:
        found = Section.objects.filter(name__iexact=article.source_section).first()
        if found is not None:
            return found
    link = article.section_links.select_related("section").order_by("-is_primary", "-score").first()
    return link.section if link is not None else None


def ticker_chips(links: Iterable[ArticleTicker]) -> list[TickerChip]:
    """Return the article's tickers, most confident first."""
    ordered = sorted(links, key=lambda link: (-link.confidence, link.symbol))
    return [
        TickerChip(
            symbol=link.symbol,
            name=link.name or (link.ticker.name if link.ticker else ""),
            exchange=link.exchange or (link.ticker.exchange if link.ticker else ""),
            url=ticker_url(link.symbol),
        )
        for link in ordered
    ]


def body_mentions(links: Iterable[ArticleTicker]) -> list[Mention]:
    """Return every stored mention span of the article's tickers."""
    mentions = []
    for link in links:
        url = ticker_url(link.symbol)
        for span in link.mentions or []:
            if isinstance(span, list | tuple) and len(span) == 2:
                mentions.append(Mention(int(span[0]), int(span[1]), link.symbol, url))
    return mentions


def symbol_mentions(text: str, symbols: Iterable[str]) -> list[Mention]:
    """Return the whole-word occurrences of the symbols in ``text`` (for source teaser snippets)."""
    mentions = []
    for symbol in symbols:
        if not symbol:
            continue
        for match in re.finditer(rf"(?<![\w.]){re.escape(symbol)}(?![\w])", text):
            mentions.append(Mention(match.start(), match.end(), symbol, ticker_url(symbol)))
    return non_overlapping(mentions)


def parse_published(text: str | None) -> datetime | None:
    """Return a source teaser's date or date-time as a datetime (naive), or None."""
    if not text:
        return None
    parsed = parse_datetime(text)
    if parsed is not None:
        return parsed
    day = parse_date(text)
    return datetime(day.year, day.month, day.day) if day else None  # noqa: DTZ001 - a calendar date


@dataclass(frozen=True)
class _StoredTeaser:
    """What a related item shows of a stored story that a revision, not tagging, changes."""

    headline: str
    url: str
    published: datetime
    text: str
    published_style: str


# Teasers of stored stories by (database, id, updated_at, revision count, content hash): a revision or an
# editor's correction is a new key, and so is an id reused after a rollback, so an entry is never stale; the
# tickers, which refinement may change without a revision, are read each time.
_STORED_TEASERS: dict[tuple[str, int, datetime, int, str], _StoredTeaser] = {}
STORED_TEASERS_MAX = 20_000


def forget_stored_teasers() -> None:
    """Drop the remembered teasers (tests)."""
    _STORED_TEASERS.clear()


def stored_teasers(versions: list[StoryVersion]) -> dict[int, _StoredTeaser]:
    """Return the teasers of stored stories by id, reading only those this process has not seen at that version."""
    alias = router.db_for_read(Article)
    found, missing = {}, []
    for pk, updated_at, revisions, content_hash in versions:
        known = _STORED_TEASERS.get((alias, pk, updated_at, revisions, content_hash))
        if known is None:
            missing.append(pk)
        else:
            found[pk] = known
    if missing:
        if len(_STORED_TEASERS) > STORED_TEASERS_MAX:
            _STORED_TEASERS.clear()
        for story in for_lists(Article.objects.filter(pk__in=missing)).order_by():
            teaser = _StoredTeaser(
                headline=story.headline, url=story.get_absolute_url(), published=story.published_at,
                text=teaser_text(story), published_style=story.published_style,
            )
            _STORED_TEASERS[(alias, story.pk, story.updated_at, story.revision_count, story.content_hash)] = teaser
            found[story.pk] = teaser
    return found


def stored_related(article: Article) -> list[RelatedItem]:
    """Return the stored related stories of an article, best first.

    Two prepared statements (the visible related ids with their versions, their tickers) and, for stories
    this process has not shown at that revision yet, one read of their list columns.
    """
    ranked = related_versions(article.pk)[:RELATED_LIMIT]
    teasers = stored_teasers(ranked)
    shown = [version[0] for version in ranked if version[0] in teasers]
    symbols = ticker_symbols(shown)
    items = []
    for pk in shown:  # one deleted meanwhile is left out
        teaser = teasers[pk]
        items.append(RelatedItem(
            headline=teaser.headline, url=teaser.url, published=teaser.published, published_text="",
            snippet=teaser.text, symbols=symbols.get(pk, []), is_local=True, published_style=teaser.published_style,
        ))
    return items


def source_related(article: Article) -> list[RelatedItem]:
    """Return the source page's own related teasers, linked to our copy of each story or a search that finds some."""
    items = []
    for teaser in (r for r in article.related_links or [] if isinstance(r, dict) and r.get("headline")):
        headline = str(teaser["headline"])
        symbols = [str(s) for s in teaser.get("tickers") or []]
        snippet = str(teaser.get("snippet") or "")
        published_on = parse_published(teaser.get("published"))
        target = teaser_target(headline, symbols, published_on, article)
        items.append(RelatedItem(
            headline=headline, url=target.url, published=published_on,
            published_text=str(teaser.get("published") or ""),
            snippet=link_text(snippet, 0, symbol_mentions(snippet, symbols)), symbols=symbols,
            is_local=target.article is not None,
        ))
    return items


def comment_count(article: Article) -> int:
    """Return the number of visible comments (from the counter an app registers; 0 while none is)."""
    return comment_counts([article.pk]).get(article.pk, 0)


_ticker_links = Prepared(ArticleTicker, lambda pk: (
    ArticleTicker.objects.filter(article_id=pk).select_related("ticker")
), _ANY_ID)
_revisions = Prepared(Revision, lambda pk: Revision.objects.filter(article_id=pk).only(
    "number", "created_at", "published_at", "published_basis", "revision_marker", "draft"
), _ANY_ID)


def article_page(article: Article) -> ArticlePage:
    """Return everything the article page shows, in a handful of queries (prepared: compiled once)."""
    links = _ticker_links(article.pk)
    related = stored_related(article) or source_related(article)
    # One version has no history to show: skip reading its draft.
    revisions = _revisions(article.pk) if article.revision_count > 1 else []
    return ArticlePage(
        article=article,
        section=primary_section_of(article),
        blocks=render_body(article.body, body_mentions(links)),
        tickers=ticker_chips(links),
        figures=[f for f in article.figures or [] if isinstance(f, dict) and f.get("text")],
        related=related,
        history=revision_history(revisions) if len(revisions) > 1 else [],
        comment_count=comment_count(article),
        dateline=article.dateline or {},
    )


# ---- ticker pages -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoMention:
    symbol: str
    url: str
    stories: int


@dataclass
class TickerPage:
    symbol: str
    listings: list[Ticker]
    stories: QuerySet[Article]
    chart: MentionChart | None
    co_mentioned: list[CoMention]

    @property
    def name(self) -> str:
        return self.listings[0].name if self.listings else ""


def ticker_exists(symbol: str) -> bool:
    """Return whether the symbol is a known listing or has been tagged in a story."""
    return Ticker.objects.filter(symbol=symbol).exists() or ArticleTicker.objects.filter(symbol=symbol).exists()


def co_mentioned(symbol: str) -> list[CoMention]:
    """Return the tickers most often tagged in the same published stories as ``symbol``."""
    rows = (
        ArticleTicker.objects.filter(
            visible_q("article__"), article__ticker_links__symbol=symbol
        ).exclude(symbol=symbol)
        .values("symbol").annotate(n=Count("article", distinct=True)).order_by("-n", "symbol")[:CO_MENTIONED_LIMIT]
    )
    return [CoMention(row["symbol"], ticker_url(row["symbol"]), row["n"]) for row in rows]


def ticker_page(symbol: str) -> TickerPage:
    """Return the listings, tagged stories, daily chart and co-mentioned tickers of a symbol."""
    rows = ArticleTicker.objects.filter(visible_q("article__"), symbol=symbol).values_list(
        "published_at", "sentiment"
    )
    return TickerPage(
        symbol=symbol,
        listings=list(Ticker.objects.filter(symbol=symbol).order_by("exchange")),
        # Ordered by the tag's copy of the publication time, so the (symbol, published_at) index serves
        # both the filter and the order instead of a walk over every published story.
        stories=with_tickers(published().filter(ticker_links__symbol=symbol)).order_by(
            "-ticker_links__published_at", "-id"
        ),
        chart=build_chart(daily_points(rows)),
        co_mentioned=co_mentioned(symbol),
    )
