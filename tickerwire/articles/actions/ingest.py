"""Store parsed stories: one transaction per story, with revisions, identity and the quarantine.

Identity is :func:`tickerwire.core.draft.story_key`: the same key with the same
:meth:`~tickerwire.core.draft.ArticleDraft.content_hash` as its current (or any earlier) version changes
nothing; a changed one becomes a new :class:`~tickerwire.articles.models.Revision` and the article's
denormalised fields take the new version.
A story belongs to the source it was first stored for, and only that source revises it (see
:func:`own_story_key`): a URI or key URN another source's story holds is refused with
:class:`StoryOwnedElsewhere` and nothing changes, while a derived key (the hash of headline, dateline and
lead) that another source's story holds is kept apart under this source, so two sources carrying the same
text are two stories (clustered together), never revisions of each other. Every revision records who made
it (``Revision.made_by``).
Tagging (no database) runs before the story's durable transaction opens; inside it the story, its revision
and its enrichment are written and ``story_stored``/``story_revised`` is published
(:mod:`tickerwire.articles.events`): a failing in-transaction consumer (the search index) rolls the story
back and :func:`ingest_bytes` quarantines it instead of losing it.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from typing import Any, Literal, Protocol
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.signals import post_migrate
from django.utils import timezone

from tickerwire.articles.actions.enrich import enrich_for_store, store_enrichment
from tickerwire.articles.actions.ingest_sql import RowInserter, RowLookup
from tickerwire.articles.actions.notices import do_apply_withdraw_notice, mark_withdrawn_on_arrival, waiting_notice_for
from tickerwire.articles.actions.overrides import article_overrides
from tickerwire.articles.actions.quarantine import do_quarantine, do_record_failed_retry, do_set_quarantine_status
from tickerwire.articles.actions.sources import arrives_held
from tickerwire.articles.db_errors import close_broken_connections, database_unavailable
from tickerwire.articles.events import StoryEvent, StoryEventName, heard, publish
from tickerwire.articles.models import Article, Quarantine, Revision, Section, Source, headline_slug, revision_maker
from tickerwire.articles.selectors import placement
from tickerwire.core.dates import StoryTime, readable_story_time, story_time
from tickerwire.core.draft import ArticleDraft, flash_day, flash_key
from tickerwire.core.enrichment import Enrichment
from tickerwire.core.notices import withdraw_notice
from tickerwire.ingest import ParseError, SkippedStory, StoryLimits, TooLarge, parse_bytes, sniff_within_limits
from tickerwire.ingest.limits import LIMIT_SETTINGS

logger = logging.getLogger(__name__)

# "notice": a withdraw/kill notice, acted on (or recorded) instead of stored as a story.
IngestStatus = Literal["new", "revised", "unchanged", "notice"]

KEY_MAX_LENGTH = Article._meta.get_field("key").max_length or 600
STORE_ATTEMPTS = 3
# A revision's published time replaces the article's when it is the source's own, or rests on more.
_BASIS_RANK: dict[str, int] = {"received": 0, "dateline": 1, "source": 2}


@dataclass(frozen=True)
class IngestOutcome:
    """What storing one story did: ``status`` is new, revised, unchanged or notice.

    For a notice, ``article_id`` is the story it named (None when it names none we hold) and
    ``revision_number`` is 0.
    """

    key: str
    status: IngestStatus
    article_id: int | None
    revision_number: int


@dataclass(frozen=True)
class SkippedItem:
    """An item that parsed but holds nothing to publish (not an error, so not quarantined)."""

    path: str
    item_index: int
    reason: str


@dataclass(frozen=True)
class RefusedItem:
    """An item naming a story that belongs to another source: refused, nothing stored or quarantined."""

    path: str
    item_index: int
    key: str
    reason: str


ItemResult = IngestOutcome | Quarantine | SkippedItem | RefusedItem


class StoryOwnedElsewhere(Exception):
    """A story's URI (or key URN) is another source's story's: this source may not create or revise it."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.reason = f"the story {key!r} belongs to another source; a source may revise only its own stories"
        super().__init__(self.reason)


class _CommittedIds:
    """Ids of reference rows (sources, sections) known to be committed, per database alias.

    Entries are added only after the transaction that read or created them commits, so a rolled-back
    row is never cached; ``post_migrate`` (also sent by ``flush``) and any integrity error clear it.
    """

    def __init__(self) -> None:
        self._ids: dict[tuple[str, str], int] = {}

    def get(self, alias: str, name: str) -> int | None:
        return self._ids.get((alias, name))

    def remember_after_commit(self, alias: str, name: str, pk: int) -> None:
        def remember() -> None:
            self._ids[(alias, name)] = pk

        transaction.on_commit(remember, using=alias)

    def clear(self) -> None:
        self._ids.clear()


_UNREAD = object()
_article_by_key = RowLookup(Article, "key", ("id", "content_hash", "revision_count", "source"))
_insert_article = RowInserter(Article)
_insert_revision = RowInserter(Revision)
_source_ids = _CommittedIds()
_section_ids = _CommittedIds()


def clear_reference_caches(**_kwargs: object) -> None:
    """Forget cached source and section ids (after migrate/flush, or when one proved stale)."""
    _source_ids.clear()
    _section_ids.clear()


post_migrate.connect(clear_reference_caches, dispatch_uid="tickerwire.ingest.clear_reference_caches")


def do_ingest_draft(
    draft: ArticleDraft,
    *,
    source_name: str | None,
    raw: bytes | None = None,
    path: str = "",
    raw_sha256: str | None = None,
    zone: tzinfo | None = None,
    made_by: str | None = None,
    arrive_held: bool = False,
) -> IngestOutcome:
    """Store one story in one durable transaction and publish ``story_stored`` or ``story_revised``.

    ``source_name`` falls back to the draft's site, then its dateline agency; the story is that source's
    (see :func:`own_story_key`: raise :class:`StoryOwnedElsewhere` for another source's URI, with nothing
    changed). ``made_by`` (``Revision.made_by``, default ``source:<name>``) records who sent it.
    ``raw`` (or its digest, ``raw_sha256``, which callers storing many items of one input pass to avoid
    re-hashing) is recorded on the revision. Two writers racing on one key cannot create two articles: the
    loser's unique-key (or revision-number) violation rolls its transaction back and it runs again, now
    seeing the winner's row.
    ``zone`` is the source's own zone for times given without one (default ``TICKERWIRE_SOURCE_TZ``).
    ``arrive_held`` stores a new story held (an API key under review), as a source under review does.
    A story already current is answered from the committed row, with no transaction and no tagging.
    A withdraw or kill notice is not stored as a story: it takes down the story it names
    (:mod:`tickerwire.articles.actions.notices`) and the outcome's status is ``notice``.
    """
    if raw_sha256 is None and raw is not None:
        raw_sha256 = hashlib.sha256(raw).hexdigest()
    name = story_source_name(draft, source_name)
    alias = DEFAULT_DB_ALIAS
    draft_json = draft.to_json()  # computes the key once, for the lookups and the revision alike
    if draft.kind == "flash" and not draft.uri:
        draft_json["key"] = received_flash_key(draft, name, timezone.now(), zone)
    key = storage_key(draft_json["key"])
    notice = withdraw_notice(draft)
    if notice is not None:
        acted = do_apply_withdraw_notice(
            notice, key=key, headline=draft.headline, source_name=name, raw_sha256=raw_sha256 or "", alias=alias
        )
        return IngestOutcome(key=key, status="notice", article_id=acted.notice.article_id, revision_number=0)
    content_hash = draft.content_hash()
    holder = _article_by_key.fetch(key, connections[alias])
    own_key, current = own_story_key(key, draft, existing_source_id(name, alias), connections[alias], found=holder)
    if current is not None and current[1] == content_hash:
        return IngestOutcome(key=own_key, status="unchanged", article_id=current[0], revision_number=current[2])
    enrichment = enrich_for_store(draft)
    for attempt in range(1, STORE_ATTEMPTS + 1):
        # No story held the key just now: the first attempt inserts without reading it again (a writer that
        # took it meanwhile makes the insert fail on the unique key, and the retry reads it).
        free = holder is None and attempt == 1
        try:
            with transaction.atomic(using=alias, durable=True):
                return _store(
                    _Story(draft, draft_json, key, content_hash, enrichment, key_was_free=free),
                    source_name=name[:200], raw_sha256=raw_sha256 or "", alias=alias, zone=zone,
                    made_by=made_by or revision_maker("source", name), arrive_held=arrive_held,
                )
        except IntegrityError:
            # A racing writer won, or a cached reference id went stale: forget the cache and re-read.
            clear_reference_caches()
            if attempt == STORE_ATTEMPTS:
                raise
            logger.info("retrying story %s after an integrity error (%s)", draft.key, path or "-")
    raise AssertionError("unreachable")


def story_source_name(draft: ArticleDraft, source_name: str | None) -> str:
    """Return the source a story is stored for: the caller's, else the draft's site, else its dateline agency."""
    return (source_name or draft.source.site or (draft.dateline.agency if draft.dateline else None) or "unknown")[:200]


@dataclass(frozen=True)
class _Story:
    """One story as the store reads it: the draft, its JSON form, key and hash, and its cheap enrichment."""

    draft: ArticleDraft
    draft_json: dict[str, Any]
    key: str
    content_hash: str
    enrichment: Enrichment | None
    key_was_free: bool = False  # no story held ``key`` when read outside the transaction


def own_story_key(
    key: str, draft: ArticleDraft, source_id: int | None, connection: BaseDatabaseWrapper,
    found: tuple[Any, ...] | None | object = _UNREAD,
) -> tuple[str, tuple[Any, ...] | None]:
    """Return the key a story is stored under for source ``source_id`` and that source's row for it, if any.

    A key no story holds, or this source's story holds, is the story's. A URI or key URN (``draft.uri``)
    another source's story holds is refused: raise :class:`StoryOwnedElsewhere`. A derived key another
    source holds becomes :func:`key_within_source`, this source's own copy of the same text. A source id
    of None is a source not yet stored, which owns nothing. ``found`` is the row holding ``key`` when the
    caller has just read it (``None`` when none did); without it the row is read here.
    """
    if found is _UNREAD:
        found = _article_by_key.fetch(key, connection)
    assert found is None or isinstance(found, tuple)
    if found is None or (source_id is not None and found[3] == source_id):
        return key, found
    if draft.uri:
        raise StoryOwnedElsewhere(key)
    if source_id is None:
        return key, None
    scoped = key_within_source(key, source_id)
    return scoped, _article_by_key.fetch(scoped, connection)


def key_within_source(key: str, source_id: int) -> str:
    """Return the key of a source's own copy of a story whose derived key another source's story holds."""
    return storage_key(f"{key}@s{source_id}")


def _store(
    story: _Story, *, source_name: str, raw_sha256: str, alias: str, zone: tzinfo | None = None, made_by: str,
    arrive_held: bool = False,
) -> IngestOutcome:
    connection = connections[alias]
    draft, draft_json, content_hash = story.draft, story.draft_json, story.content_hash
    now = timezone.now()
    source_id = _source_id(source_name, alias)
    if story.key_was_free:
        key, found = story.key, None
    else:
        key, found = own_story_key(story.key, draft, source_id, connection)
    if key != story.key:  # this source's own copy of another source's text: its revisions say so too
        draft_json = {**draft_json, "key": key}
    if found is not None and (found[1] == content_hash or _is_earlier_version(found[0], content_hash, alias)):
        # The current version, or an older one re-sent (a feed replaying the original after its UPDATE 1):
        # either way nothing new to store, and the newest version stays current.
        return IngestOutcome(key=key, status="unchanged", article_id=found[0], revision_number=found[2])

    when = draft_story_time(draft, received=now, zone=zone)
    fields = _article_fields(draft, draft_json, content_hash)
    fields["primary_section_id"] = _section_id(draft.source.section, alias)

    # Where a revised story was listed, for the purge (nobody to read it when a bulk load suspended consumers).
    before = None if found is None or not heard(StoryEventName.REVISED) else placement(found[0], using=alias)
    if found is None:
        # A withdraw notice that came first takes the story down as it arrives: it is never public.
        waiting = waiting_notice_for(key, draft.headline, source_name, alias=alias)
        article = Article(
            key=key,
            source_id=source_id,
            status=_arrival_status(source_id, waiting is not None, arrive_held, alias),
            published_at=when.at,
            published_basis=when.basis,
            # Never ahead of now: a dateline a day ahead must not give a Last-Modified a revision undercuts.
            updated_at=min(when.at, now),
            revision_count=1,
            slug=headline_slug(draft.headline),
            **fields,
        )
        _insert_article.insert(article, connection)
        if waiting is not None:
            mark_withdrawn_on_arrival(waiting[0], article.pk, waiting[1], alias=alias)
        created = True
    else:
        article = Article.objects.using(alias).get(pk=found[0])
        # An editor's headline and summary last through the source's revisions (figures: store_enrichment).
        edited = article_overrides(found[0], alias)
        fields.update({name: edited[name] for name in ("headline", "summary") if name in edited})
        for name, value in fields.items():
            setattr(article, name, value)
        if when.basis == "source" or _BASIS_RANK[when.basis] > _BASIS_RANK.get(article.published_basis, 0):
            article.published_at, article.published_basis = when.at, when.basis
        article.updated_at = now
        article.revision_count = found[2] + 1
        article.save(
            using=alias,
            update_fields=[*fields, "published_at", "published_basis", "updated_at", "revision_count"],
        )
        created = False

    revision = Revision(
        article=article,
        number=article.revision_count,
        content_hash=content_hash,
        revision_marker=fields["revision_marker"],
        draft=draft_json,
        raw_sha256=raw_sha256,
        created_at=now,
        published_at=when.at,
        published_basis=when.basis,
        made_by=made_by,
    )
    _insert_revision.insert(revision, connection)
    if story.enrichment is not None:
        store_enrichment(article, revision, draft, story.enrichment, alias=alias)
    publish(
        StoryEvent(
            StoryEventName.STORED if created else StoryEventName.REVISED,
            (article.pk,),
            before=(before,) if before is not None else (),
            revision_id=revision.pk,
            written=(article,),
        ),
        using=alias,
    )
    return IngestOutcome(
        key=key,
        status="new" if created else "revised",
        article_id=article.pk,
        revision_number=revision.number,
    )


def _arrival_status(source_id: int, withdrawn: bool, held: bool, alias: str) -> str:
    """Return a new story's status: withdrawn by a waiting notice, held for review (its key or source), or public.

    Revisions keep whatever status the story has by then.
    """
    if withdrawn:
        return Article.Status.WITHDRAWN
    return Article.Status.HELD if held or arrives_held(source_id, alias) else Article.Status.PUBLISHED


def received_flash_key(
    draft: ArticleDraft, source_name: str, received: datetime, zone: tzinfo | None = None
) -> str:
    """Return a flash's key under the source it is stored for, dated the day received when it has no date."""
    day = flash_day(draft) or received.astimezone(zone or source_tz()).date().isoformat()
    return flash_key(draft.headline, source_name, day)


def _is_earlier_version(article_id: int, content_hash: str, alias: str) -> bool:
    return Revision.objects.using(alias).filter(article_id=article_id, content_hash=content_hash).exists()


def _article_fields(draft: ArticleDraft, draft_json: dict[str, Any], content_hash: str) -> dict[str, Any]:
    """Return the article's denormalised copy of one version of the story."""
    return {
        "uri": (draft.uri or "")[:600],
        "headline": draft.headline,
        "revision_marker": (draft.revision_marker or "")[:60],
        "published_text": (draft.published or "")[:80],
        "source_site": (draft.source.site or "")[:200],
        "source_section": (draft.source.section or "")[:80],
        "summary": draft_json["summary"],
        "byline": draft_json["byline"],
        "dateline": draft_json["dateline"],
        "body": draft_json["body"],
        "related_links": draft_json["related"],
        "credits": draft.credits or "",
        "language": (draft.language or "en")[:16],
        "format": (draft.format or "")[:20],
        "kind": draft.kind,
        "content_hash": content_hash,
    }


def storage_key(key: str) -> str:
    """Return the key as stored: keys longer than the column keep a prefix and gain a digest of the whole."""
    if len(key) <= KEY_MAX_LENGTH:
        return key
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
    return f"{key[: KEY_MAX_LENGTH - len(digest) - 1]}#{digest}"


def _source_id(name: str, alias: str) -> int:
    cached = _source_ids.get(alias, name)
    if cached is not None:
        return cached
    source, _created = Source.objects.using(alias).get_or_create(name=name)
    _source_ids.remember_after_commit(alias, name, source.pk)
    return source.pk


def existing_source_id(name: str, alias: str) -> int | None:
    """Return the id of the source of this name, or None when there is none yet (nothing is created)."""
    cached = _source_ids.get(alias, name)
    if cached is not None:
        return cached
    return Source.objects.using(alias).filter(name=name).values_list("id", flat=True).first()


def _section_id(name: str | None, alias: str) -> int | None:
    """Return the id of the site section a source names (its primary section), if it is one of ours."""
    if not name:
        return None
    folded = name.strip().casefold()
    cached = _section_ids.get(alias, folded)
    if cached is not None:
        return cached
    section = Section.objects.using(alias).filter(name__iexact=name.strip()).values_list("id", flat=True).first()
    if section is not None:
        _section_ids.remember_after_commit(alias, folded, section)
    return section


@lru_cache(maxsize=8)
def _zone(name: str) -> tzinfo:
    return UTC if name.upper() == "UTC" else ZoneInfo(name)


def source_tz() -> tzinfo:
    """Return the zone in which published times without one are read (``TICKERWIRE_SOURCE_TZ``)."""
    return _zone(getattr(settings, "TICKERWIRE_SOURCE_TZ", "UTC") or "UTC")


def draft_story_time(draft: ArticleDraft, *, received: datetime, zone: tzinfo | None = None) -> StoryTime:
    """Return when a draft counts as published: its own time, else its dateline's day, else ``received``.

    A draft's own time wins so that an archive (Reuters 1987) loaded today keeps its dates; wire copy
    without a time line takes its dateline's day, so a bulk load does not date every story at load time.
    """
    zone = zone or source_tz()
    published = parse_published(draft.published, zone)
    return story_time(published, draft.dateline.date if draft.dateline else None, received, zone)


def parse_published(text: str | None, default_tz: tzinfo) -> datetime | None:
    """Return an ISO 8601 published time as aware UTC, reading a zoneless one in ``default_tz``.

    Return ``None`` for no time, text that is not ISO 8601 or a time no story can have (one that overflows
    when converted to UTC, see :func:`~tickerwire.core.dates.readable_story_time`): the caller then dates the
    story by its dateline or the ingest time, see :func:`draft_story_time`, and the source's text is still
    kept in ``published_text``.
    """
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=default_tz)
    return readable_story_time(value)


class IngestListener(Protocol):
    """Hears an input's progress as it is stored (the CLI's progress bar and report)."""

    def parsed(self, count: int) -> None:
        """Take the number of items the input parsed into, before any is stored."""

    def item(self, result: ItemResult) -> None:
        """Take the result of one item, right after it is committed or quarantined."""


def ingest_bytes(
    data: bytes,
    *,
    fmt: str = "auto",
    source_name: str | None,
    path: str,
    listener: IngestListener | None = None,
    zone: tzinfo | None = None,
    section: str | None = None,
    item_uri: str | None = None,
    made_by: str | None = None,
    refuse_whole_input: bool = False,
    arrive_held: bool = False,
    raise_when_unavailable: bool = False,
) -> list[ItemResult]:
    """Parse one input and store each story; quarantine whatever cannot be parsed or stored.

    A whole-input failure gives one quarantine row (``item_index`` None); a failed item gives a row
    with its index and the whole input's bytes. Skipped items (nothing to publish) are reported only.
    A polled source passes its own ``zone`` for undated times and its ``section`` for items naming none;
    a page fetched for a feed item passes the item's ``item_uri``, so the page revises that item's story.
    ``made_by`` is recorded on every revision stored (see ``Revision.made_by``).
    An item naming another source's story is a :class:`RefusedItem`; with ``refuse_whole_input`` (a push
    answered as one request) any such item refuses the whole input before anything is stored, and the
    result holds only the refused items. An API key under review passes ``arrive_held``: its new stories
    are stored held. A database that stays unavailable through the retries (:data:`STORE_RETRY_WAITS`)
    quarantines the item too, unless ``raise_when_unavailable`` (a push, whose client is told to retry):
    then the error is raised, and the item is neither stored nor quarantined.
    """
    return _ingest(
        data, fmt=fmt, source_name=source_name, path=path, only_index=None, listener=listener,
        defaults=_SourceDefaults(zone, section, item_uri, made_by, refuse_whole_input, arrive_held,
                                 raise_when_unavailable),
    )


@dataclass(frozen=True)
class _SourceDefaults:
    """What the caller supplies for every item: a registered source's zone for undated times and section
    for items naming none, the URI a fetched page revises, who sends the input, and whether one refused
    item refuses all."""

    zone: tzinfo | None = None
    section: str | None = None
    item_uri: str | None = None
    made_by: str | None = None
    refuse_whole_input: bool = False
    arrive_held: bool = False
    raise_when_unavailable: bool = False


def quarantine_oversized(
    prefix: bytes,
    *,
    size: int,
    sha256: str,
    fmt: str,
    source_name: str | None,
    path: str,
    listener: IngestListener | None = None,
) -> Quarantine:
    """Quarantine an input too large to read whole: its first bytes, its size and digest, and the reason."""
    limits = story_limits()
    try:
        limits.check_input_size(size, fmt)
        reason = f"too large: {size:,} bytes"
    except TooLarge as exc:
        reason = exc.reason
    row = do_quarantine(
        prefix, reason, path=path, source_name=source_name or "", fmt=fmt, item_index=None,
        keep_bytes=limits.max_story_bytes, size=size, sha256=sha256,
    )
    if listener is not None:
        listener.parsed(1)
        listener.item(row)
    return row


def _ingest(
    data: bytes,
    *,
    fmt: str,
    source_name: str | None,
    path: str,
    only_index: int | None,
    listener: IngestListener | None = None,
    defaults: _SourceDefaults | None = None,
) -> list[ItemResult]:
    parsed = _parse(data, fmt, path)
    if isinstance(parsed, ParseError):
        limits = story_limits()
        results: list[ItemResult] = [
            do_quarantine(
                data, parsed.reason, path=path, source_name=source_name or "", fmt=fmt, item_index=None,
                keep_bytes=limits.max_story_bytes if isinstance(parsed, TooLarge) else None,
            )
        ]
        if listener is not None:
            listener.parsed(1)
            listener.item(results[0])
        return results
    concrete_fmt, items = parsed
    if listener is not None:
        listener.parsed(len(items) if only_index is None else 1)
    return _store_items(
        data, items, fmt=concrete_fmt, source_name=source_name, path=path, only_index=only_index, listener=listener,
        defaults=defaults or _SourceDefaults(),
    )


def story_limits() -> StoryLimits:
    """Return the size caps from the settings (``TICKERWIRE_MAX_STORY_BYTES`` and the others)."""
    return StoryLimits.from_mapping({name: getattr(settings, name, None) for name in LIMIT_SETTINGS})


def _parse(data: bytes, fmt: str, path: str) -> tuple[str, list[ArticleDraft | ParseError]] | ParseError:
    """Return the concrete format and the parsed items, or why the whole input is unusable."""
    limits = story_limits()
    try:
        fmt = sniff_within_limits(data, fmt, limits)
        return fmt, parse_bytes(data, fmt, limits=limits)
    except ParseError as exc:
        return exc
    except Exception as exc:  # a parser bug must not lose the input either
        logger.warning("parser crashed on %s", path or "-", exc_info=True)
        return ParseError(f"parser crashed: {type(exc).__name__}: {exc}")


def _store_items(
    data: bytes,
    results: list[ArticleDraft | ParseError],
    *,
    fmt: str,
    source_name: str | None,
    path: str,
    only_index: int | None,
    listener: IngestListener | None,
    defaults: _SourceDefaults,
) -> list[ItemResult]:
    digest = hashlib.sha256(data).hexdigest()
    out: list[ItemResult] = []
    if defaults.refuse_whole_input:
        refused = _refused_items(results, source_name, path, only_index)
        if refused:
            for item in refused:
                if listener is not None:
                    listener.item(item)
            return list(refused)
    for index, result in enumerate(results):
        if only_index is not None and index != only_index:
            continue
        out.append(
            _store_item(data, digest, index, result, fmt=fmt, source_name=source_name, path=path, defaults=defaults)
        )
        if listener is not None:
            listener.item(out[-1])
    return out


def _store_item(
    data: bytes,
    digest: str,
    index: int,
    result: ArticleDraft | ParseError,
    *,
    fmt: str,
    source_name: str | None,
    path: str,
    defaults: _SourceDefaults,
) -> ItemResult:
    if isinstance(result, SkippedStory):
        return SkippedItem(path=path, item_index=index, reason=result.reason)
    if isinstance(result, ParseError):
        reason = result.reason
    else:
        try:
            if defaults.section and not result.source.section:
                result = replace(result, source=replace(result.source, section=defaults.section))
            if defaults.item_uri:
                result = replace(result, uri=defaults.item_uri)
            return _store_retrying(result, source_name=source_name, raw_sha256=digest, path=path, defaults=defaults)
        except StoryOwnedElsewhere as exc:
            logger.info("refused item %d of %s: %s", index + 1, path or "-", exc.reason)
            return RefusedItem(path=path, item_index=index, key=exc.key, reason=exc.reason)
        except Exception as exc:  # a database or receiver error: keep the story in the quarantine
            if defaults.raise_when_unavailable and database_unavailable(exc):
                raise  # the caller answers "retry later" (503): the item was neither stored nor acknowledged
            logger.warning("storing item %d of %s failed", index + 1, path or "-", exc_info=True)
            reason = f"store failed: {type(exc).__name__}: {exc}"
    return do_quarantine(data, reason, path=path, source_name=source_name or "", fmt=fmt, item_index=index)


# Waits before storing a story again when the database is busy or away (SQLite's write lock held past its
# busy timeout, a PostgreSQL restart): storing is idempotent, so a retry cannot double a story.
STORE_RETRY_WAITS = (0.25, 1.0)


def _store_retrying(
    draft: ArticleDraft, *, source_name: str | None, raw_sha256: str, path: str, defaults: _SourceDefaults
) -> IngestOutcome:
    """Store one story, trying again after a short wait while the database is unavailable."""
    for wait in (*STORE_RETRY_WAITS, None):
        try:
            return do_ingest_draft(draft, source_name=source_name, raw_sha256=raw_sha256, path=path,
                                   zone=defaults.zone, made_by=defaults.made_by, arrive_held=defaults.arrive_held)
        except Exception as exc:
            if wait is None or not database_unavailable(exc):
                raise
            logger.info("database unavailable storing from %s (%s); trying again in %.2f s", path or "-", exc, wait)
            close_broken_connections()
            time.sleep(wait)
    raise AssertionError("unreachable")


def _refused_items(
    results: list[ArticleDraft | ParseError], source_name: str | None, path: str, only_index: int | None
) -> list[RefusedItem]:
    """Return the items that name another source's story by URI, checked before any item is stored."""
    refused = []
    for index, result in enumerate(results):
        if isinstance(result, ParseError) or not result.uri or (only_index is not None and index != only_index):
            continue
        name = story_source_name(result, source_name)
        try:
            own_story_key(storage_key(result.key), result, existing_source_id(name, DEFAULT_DB_ALIAS),
                          connections[DEFAULT_DB_ALIAS])
        except StoryOwnedElsewhere as exc:
            refused.append(RefusedItem(path=path, item_index=index, key=exc.key, reason=exc.reason))
    return refused


def do_retry_quarantine(quarantine_id: int, *, made_by: str | None = None) -> list[ItemResult]:
    """Re-parse a quarantined input with the current parsers and store what now works.

    Return the results as :func:`ingest_bytes` does. When the input (or its item) still fails, the row
    stays pending with one more attempt and the new reason, and is itself the result; so does an input
    whose every story belongs to another source. ``made_by`` is who retries it (``Revision.made_by``). Otherwise it is
    marked resolved, or discarded when the item now parses as "nothing to publish". A whole input that
    now parses resolves even if some items fail: each failing item gets its own row.
    Raise ``Quarantine.DoesNotExist`` for an unknown id.
    """
    quarantine = Quarantine.objects.get(pk=quarantine_id)
    if quarantine.size is not None and quarantine.size > len(quarantine.raw):
        kept = len(quarantine.raw)
        return [do_record_failed_retry(
            quarantine,
            f"{quarantine.reason.split('; kept the first')[0]}; only the first {kept:,} of {quarantine.size:,} bytes "
            "were kept, so it cannot be retried: ingest the original again after raising the limit",
        )]
    results = _ingest(
        bytes(quarantine.raw),
        fmt=quarantine.format or "auto",
        source_name=quarantine.source_name or None,
        path=quarantine.path,
        only_index=quarantine.item_index,
        defaults=_SourceDefaults(made_by=made_by),
    )
    if any(isinstance(result, Quarantine) and result.pk == quarantine.pk for result in results):
        return results
    if results and all(isinstance(result, RefusedItem) for result in results):
        reason = "; ".join(result.reason for result in results if isinstance(result, RefusedItem))
        return [do_record_failed_retry(quarantine, reason)]
    if not results and quarantine.item_index is not None:
        return [do_record_failed_retry(quarantine, f"the input no longer has an item {quarantine.item_index + 1}")]
    if not results:
        do_set_quarantine_status(quarantine, Quarantine.Status.DISCARDED, reason="the input holds no stories")
    elif all(isinstance(result, SkippedItem) for result in results):
        reason = "; ".join(f"skipped: {result.reason}" for result in results if isinstance(result, SkippedItem))
        do_set_quarantine_status(quarantine, Quarantine.Status.DISCARDED, reason=reason)
    else:
        do_set_quarantine_status(quarantine, Quarantine.Status.RESOLVED)
    return results
