"""The article store: stories, their revisions, reference data and the quarantine.

Every write goes through :mod:`tickerwire.articles.actions`; nothing else calls ``save()``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, get_args

from django.db import models
from django.urls import reverse
from django.utils.text import slugify

from tickerwire.articles import visibility
from tickerwire.articles.visibility import ArticleQuerySet
from tickerwire.core.dates import PublishedBasis, received_differs, time_style

# What a story's published time rests on (see tickerwire.core.dates.StoryTime).
PUBLISHED_BASES = [(basis, basis) for basis in get_args(PublishedBasis)]


def headline_slug(headline: str) -> str:
    """Return the URL slug of a story with this headline (kept when the headline is later revised)."""
    return (slugify(headline)[:100] or "story").strip("-")


class Source(models.Model):
    """Where stories come from: a wire, a site, a feed, an API key's owner."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40, blank=True, default="")
    url = models.URLField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    arrive_held = models.BooleanField(
        default=False, help_text="New stories from this source arrive held, for an editor to review and publish."
    )

    def __str__(self) -> str:
        return self.name


class Section(models.Model):
    """One of the site's sections (News, World, Market, ...), in menu order."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(default=0)
    description = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("site:section", kwargs={"slug": self.slug})


class Ticker(models.Model):
    """A listed security: reference data from official symbol directories."""

    symbol = models.CharField(max_length=20, db_index=True)
    exchange = models.CharField(max_length=40, blank=True, default="")
    name = models.CharField(max_length=300)
    cik = models.CharField(max_length=20, blank=True, default="")
    is_sample = models.BooleanField(default=False, help_text="Fictional company of the sample content.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["symbol", "exchange"], name="ticker_symbol_exchange")]
        ordering = ["symbol"]

    def __str__(self) -> str:
        return f"{self.symbol} ({self.exchange})" if self.exchange else self.symbol

    def get_absolute_url(self) -> str:
        return reverse("site:ticker", kwargs={"symbol": self.symbol})


class Article(models.Model):
    """One story as readers see it: the current revision's content, denormalised for fast pages."""

    class Kind(models.TextChoices):
        STORY = "story"
        FLASH = "flash", "Flash"

    class Status(models.TextChoices):
        """Who may see the story; :mod:`tickerwire.articles.visibility` is the one rule that reads it."""

        PUBLISHED = visibility.PUBLISHED
        HELD = visibility.HELD
        EMBARGOED = visibility.EMBARGOED
        WITHDRAWN = visibility.WITHDRAWN

    key = models.CharField(max_length=600, unique=True)
    uri = models.CharField(max_length=600, blank=True, default="")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="articles")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PUBLISHED, db_index=True)
    embargo_until = models.DateTimeField(null=True, blank=True, help_text="UTC; embargoed: public from then.")

    headline = models.TextField()
    slug = models.SlugField(max_length=120, allow_unicode=False)
    revision_marker = models.CharField(max_length=60, blank=True, default="")
    published_at = models.DateTimeField(db_index=True, help_text="UTC.")
    published_basis = models.CharField(
        max_length=10, choices=PUBLISHED_BASES, default="received",
        help_text="What published_at rests on: the source's own time, the dateline's day, or the received time.",
    )
    published_text = models.CharField(max_length=80, blank=True, default="", help_text="As the source gave it.")
    updated_at = models.DateTimeField(help_text="UTC time of the latest revision.")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the story was first received (ingested).")

    source_site = models.CharField(max_length=200, blank=True, default="")
    source_section = models.CharField(max_length=80, blank=True, default="")
    summary = models.JSONField(default=list)
    byline = models.JSONField(default=list)
    dateline = models.JSONField(null=True, blank=True)
    body = models.JSONField(default=list, help_text="[{type: paragraph|subhead, text}]")
    related_links = models.JSONField(default=list, help_text="Related teasers as the source page listed them.")
    credits = models.TextField(blank=True, default="")
    language = models.CharField(max_length=16, blank=True, default="en")
    format = models.CharField(max_length=20, blank=True, default="")
    kind = models.CharField(
        max_length=10, choices=Kind.choices, default=Kind.STORY, help_text="flash: a headline-only item."
    )
    content_hash = models.CharField(max_length=64)
    revision_count = models.PositiveIntegerField(default=1)
    corrected_at = models.DateTimeField(
        null=True, blank=True, help_text="When an editor last changed the story's text (the page notes it)."
    )
    discussion_changed_at = models.DateTimeField(
        null=True, blank=True,
        help_text="When the story's public comment list last changed (part of the page's validators).",
    )

    # Enrichment (filled by tickerwire.enrich at ingest; see enrich_article in actions).
    primary_section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="primary_articles"
    )
    sections = models.ManyToManyField(Section, through="ArticleSection", related_name="articles")
    figures = models.JSONField(default=list)
    sentiment = models.JSONField(null=True, blank=True)
    enrichment = models.JSONField(default=dict, help_text="The full enrichment output of the current revision.")
    embedding = models.BinaryField(null=True, blank=True, help_text="float32 vector, little-endian.")
    embedding_model = models.CharField(max_length=120, blank=True, default="")
    cluster_key = models.CharField(max_length=64, blank=True, default="", db_index=True)
    clustered_at = models.DateTimeField(
        null=True, blank=True, db_index=True,
        help_text="When the cluster was assigned: workers catch up on each other's assignments by this time.",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_published"),
            # Section lists (home, section pages) walk one section's newest stories in index order.
            models.Index(fields=["primary_section", "status", "published_at", "id"], name="article_section_published"),
        ]

    def __str__(self) -> str:
        return self.headline

    def is_visible(self, at: datetime | None = None) -> bool:
        """Return whether the public may see this story at ``at`` (default: now)."""
        return visibility.is_visible(self.status, self.embargo_until, at)

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.slug:
            self.slug = headline_slug(self.headline)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def published_style(self) -> str:
        """Return how ``time_tag`` shows the published time: ``date`` when only the dateline's day is known."""
        return time_style(self.published_basis)

    @property
    def shows_received(self) -> bool:
        """Return whether the story was received on another day than its date (an archive, a bulk load)."""
        return received_differs(self.published_at, self.created_at)

    def get_absolute_url(self) -> str:
        day = self.published_at
        return reverse(
            "site:detail",
            kwargs={"year": day.year, "month": f"{day.month:02d}", "day": f"{day.day:02d}",
                    "slug": self.slug, "pk": self.pk},
        )


# Who makes a revision: an API key (its public prefix), a polled source (its id), an operator's login
# running the CLI, a site user, or, when the caller names no one, the source it is stored for.
MadeByKind = Literal["api_key", "poller", "cli", "user", "source"]


def revision_maker(kind: MadeByKind, who: object) -> str:
    """Return the ``Revision.made_by`` text of a revision made by ``who`` of ``kind``: ``api_key:tw1a2b``."""
    return f"{kind}:{who}"[:200]


class Revision(models.Model):
    """One version of an article's content, kept whole so history can be shown and diffed."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    content_hash = models.CharField(max_length=64)
    revision_marker = models.CharField(max_length=60, blank=True, default="")
    draft = models.JSONField(help_text="The ArticleDraft JSON of this version.")
    enrichment = models.JSONField(default=dict)
    raw_sha256 = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(help_text="When this version was received (ingested).")
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="This version's story time by the article's rule (null before it was kept)."
    )
    published_basis = models.CharField(max_length=10, choices=PUBLISHED_BASES, default="received")
    made_by = models.CharField(
        max_length=200, blank=True, default="",
        help_text="Who made this version, as kind:who (see revision_maker): api_key:<prefix>, "
        "poller:<polled source id>, cli:<login>, user:<username> or source:<name>; blank before it was kept.",
    )

    class Meta:
        ordering = ["article", "number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="revision_article_number")]

    def __str__(self) -> str:
        return f"{self.article_id} r{self.number}"


class ArticleSection(models.Model):
    """An article filed under a section, with the classifier's score."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="section_links")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="article_links")
    score = models.FloatField(default=1.0)
    is_primary = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "section"], name="articlesection_unique")]


class ArticleTicker(models.Model):
    """A ticker tagged in an article; ``ticker`` is null for an explicit mark of an unknown symbol."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="ticker_links")
    ticker = models.ForeignKey(Ticker, null=True, blank=True, on_delete=models.SET_NULL, related_name="article_links")
    symbol = models.CharField(max_length=20, db_index=True)
    exchange = models.CharField(max_length=40, blank=True, default="")
    name = models.CharField(max_length=300, blank=True, default="")
    confidence = models.FloatField(default=1.0)
    mentions = models.JSONField(default=list, help_text="[[start, end], ...] character offsets in the body text.")
    sentiment = models.JSONField(null=True, blank=True)
    published_at = models.DateTimeField(db_index=True, help_text="Copied from the article for ticker pages.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "symbol"], name="articleticker_unique")]
        indexes = [models.Index(fields=["symbol", "-published_at"], name="articleticker_symbol_time")]


class RelatedArticle(models.Model):
    """A stored 'Related Articles' link, ranked by score."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_links_out")
    related = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_links_in")
    score = models.FloatField()

    class Meta:
        ordering = ["-score"]
        constraints = [models.UniqueConstraint(fields=["article", "related"], name="relatedarticle_unique")]


class Quarantine(models.Model):
    """Input that could not be parsed or stored, kept whole with the reason so nothing is lost."""

    class Status(models.TextChoices):
        PENDING = "pending"
        RESOLVED = "resolved"
        DISCARDED = "discarded"

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    path = models.CharField(max_length=1000, blank=True, default="", help_text="File or request it came from.")
    source_name = models.CharField(max_length=200, blank=True, default="")
    format = models.CharField(max_length=20, blank=True, default="auto")
    item_index = models.IntegerField(null=True, blank=True, help_text="Item within a multi-story input.")
    reason = models.TextField()
    raw = models.BinaryField(help_text="The input, or its first bytes when it was over the size limit.")
    size = models.BigIntegerField(null=True, blank=True, help_text="Bytes of the whole input, when raw is a prefix.")
    sha256 = models.CharField(max_length=64, db_index=True, help_text="Digest of the whole input.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"quarantine {self.pk}: {self.reason[:60]}"


class WireNotice(models.Model):
    """A wire's withdraw or kill notice as received, and what it did to the story it names.

    Recorded once per notice (its key): the same notice sent again changes nothing. A notice that names no
    story we hold stays ``unmatched`` and waits: the named story, arriving later, is stored withdrawn
    (``withdrew_on_arrival``), see :func:`tickerwire.articles.actions.notices.pending_notice_for`.
    """

    class Action(models.TextChoices):
        WITHDREW = "withdrew", "Withdrew the story"
        ALREADY = "already_withdrawn", "Story was already withdrawn"
        UNMATCHED = "unmatched", "Names no story we hold (yet)"
        ON_ARRIVAL = "withdrew_on_arrival", "Withdrew the story when it arrived later"

    key = models.CharField(max_length=600, unique=True, help_text="The notice's own identity key.")
    kind = models.CharField(max_length=20, help_text="withdraw or kill.")
    headline = models.TextField(help_text="The notice's headline as received.")
    named = models.JSONField(default=list, help_text="Headlines the notice names its story by.")
    source_name = models.CharField(max_length=200, blank=True, default="")
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="notices")
    matched_by = models.CharField(max_length=20, blank=True, default="", help_text="key or headline.")
    action = models.CharField(max_length=20, choices=Action.choices)
    raw_sha256 = models.CharField(max_length=64, blank=True, default="")
    received_at = models.DateTimeField()
    acted_at = models.DateTimeField(null=True, blank=True, help_text="When it took the named story down.")

    class Meta:
        ordering = ["-received_at", "-id"]
        # New stories look up the notices still waiting for them (unmatched, recent).
        indexes = [models.Index(fields=["action", "received_at"], name="wirenotice_waiting")]

    def __str__(self) -> str:
        return f"{self.kind} notice {self.pk}: {self.action}"


class EditorialOverride(models.Model):
    """An editor's correction of what enrichment or the source decides, applied every time they are stored.

    Enrichment is re-run on every source revision and by re-enrichment; these rows are read where its result
    is stored (:mod:`tickerwire.articles.actions.overrides`), so a correction wins and lasts.
    """

    class Field(models.TextChoices):
        TICKERS_REMOVED = "tickers_removed"  # ["ORBW", ...]: never tagged, whatever the tagger finds
        TICKERS_ADDED = "tickers_added"  # [{"symbol", "exchange", "name"}]: always tagged
        SECTIONS = "sections"  # {"sections": [names], "primary": name}: replaces the classifier's
        HEADLINE = "headline"  # "text": replaces the source's headline, in later revisions too
        SUMMARY = "summary"  # ["bullet", ...]: replaces the source's summary bullets, in later revisions too
        FIGURES = "figures"  # [{"text", "metric", ...}]: replaces the key figures enrichment finds

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="overrides")
    field = models.CharField(max_length=40, choices=Field.choices)
    value = models.JSONField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "field"], name="editorialoverride_unique")]

    def __str__(self) -> str:
        return f"{self.article_id} {self.field}"


class Pin(models.Model):
    """A story an editor pinned to lead the home page (no section) or a section page, until it expires."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="pins")
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.CASCADE, related_name="pins")
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower leads.")
    pinned_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True, help_text="UTC; none: until unpinned.")

    class Meta:
        ordering = ["position", "-pinned_at"]
        constraints = [
            models.UniqueConstraint(fields=["article", "section"], name="pin_article_section"),
            models.UniqueConstraint(fields=["article"], condition=models.Q(section__isnull=True), name="pin_home"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} pinned on {self.section or 'home'}"
