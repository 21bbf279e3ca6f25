"""Poll the due sources: fetch concurrently (a bounded pool, a per-host limit), store on this thread.

Network work runs on the pool's threads with no database; parsing and storing run on the calling thread
through :func:`~tickerwire.articles.actions.ingest.ingest_bytes`, one transaction per story, so the store
sees one writer. :func:`poll_round` is one round (claim the due sources, poll them): ``tickerwire poll`` runs
it in a loop, and the worker mode of the scale issue is to run the same function.
"""

from __future__ import annotations

import hashlib
import io
import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import feedparser
from django.conf import settings
from django.utils import timezone
from lxml import etree

from tickerwire.articles.actions.ingest import IngestOutcome, ItemResult, ingest_bytes
from tickerwire.articles.models import Quarantine, revision_maker
from tickerwire.ingest.rss import entry_uri
from tickerwire.sources.actions import (
    do_claim_due_sources,
    do_quarantine_fetched,
    do_record_failure,
    do_record_not_modified_many,
    do_record_success,
)
from tickerwire.sources.fetch import Fetched, Fetcher, FetchPolicy
from tickerwire.sources.models import PolledSource

logger = logging.getLogger(__name__)

PARSER_FORMAT = {"rss": "rss", "atom": "rss", "html": "html", "ninjs": "ninjs"}
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@dataclass(frozen=True)
class PollReport:
    """What polling one source did, as ``tickerwire poll`` prints it."""

    source_id: int
    name: str
    status: str
    seen: int = 0
    new: int = 0
    revised: int = 0
    quarantined: int = 0
    error: str = ""


def policy_from_settings() -> FetchPolicy:
    """Return the fetch policy the ``TICKERWIRE_POLL_*`` and ``TICKERWIRE_CONTACT_URL`` settings give."""
    return FetchPolicy(
        user_agent=f"Tickerwire/{_version()} (+{settings.TICKERWIRE_CONTACT_URL})",
        timeout=settings.TICKERWIRE_POLL_TIMEOUT_SECONDS,
        retries=settings.TICKERWIRE_POLL_RETRIES,
        retry_base=settings.TICKERWIRE_POLL_RETRY_BASE_SECONDS,
        max_retry_after=settings.TICKERWIRE_POLL_MAX_RETRY_AFTER_SECONDS,
        max_redirects=settings.TICKERWIRE_POLL_MAX_REDIRECTS,
        max_bytes=settings.TICKERWIRE_POLL_MAX_BYTES,
        allow_private=settings.TICKERWIRE_POLL_ALLOW_PRIVATE,
        workers=settings.TICKERWIRE_POLL_WORKERS,
    )


def _version() -> str:
    try:
        return version("tickerwire")
    except PackageNotFoundError:
        return "0"


def due_sources(now: datetime) -> list[PolledSource]:
    """Claim and return the sources not paused whose next poll time has come, soonest first.

    The lease (twice the timeout and retries, at least ten minutes) keeps other pollers off them meanwhile.
    """
    lease = max(600.0, 2 * settings.TICKERWIRE_POLL_TIMEOUT_SECONDS * (settings.TICKERWIRE_POLL_RETRIES + 1))
    return do_claim_due_sources(now, lease_seconds=lease)


class HostLimiter:
    """At most ``per_host`` requests in flight to any one host, however many workers the pool has."""

    def __init__(self, per_host: int) -> None:
        self._per_host = max(1, per_host)
        self._locks: dict[str, threading.BoundedSemaphore] = defaultdict(
            lambda: threading.BoundedSemaphore(self._per_host)
        )
        self._guard = threading.Lock()

    def run(self, url: str, call: Callable[[], Fetched]) -> Fetched:
        """Run ``call`` once the URL's host has a free slot."""
        host = (urlsplit(url).hostname or "").lower()
        with self._guard:
            slot = self._locks[host]
        with slot:
            return call()


def interleave_hosts(sources: Iterable[PolledSource]) -> list[PolledSource]:
    """Order sources round-robin by host, so threads waiting on one busy host do not hold up the others."""
    by_host: dict[str, list[PolledSource]] = defaultdict(list)
    for polled in sources:
        by_host[(urlsplit(polled.url).hostname or "").lower()].append(polled)
    queues = list(by_host.values())
    return [queue[i] for i in range(max(map(len, queues), default=0)) for queue in queues if i < len(queue)]


class Poller:
    """One polling round's machinery: a fetcher, a bounded pool and the per-host limiter."""

    def __init__(self, policy: FetchPolicy | None = None, *, per_host: int | None = None) -> None:
        self.policy = policy or policy_from_settings()
        self.fetcher = Fetcher(self.policy)
        self.pool = ThreadPoolExecutor(max_workers=max(1, self.policy.workers), thread_name_prefix="poll")
        self.hosts = HostLimiter(per_host if per_host is not None else settings.TICKERWIRE_POLL_PER_HOST)

    def close(self) -> None:
        """Stop the pool and close the connections."""
        self.pool.shutdown(wait=True)
        self.fetcher.close()

    def __enter__(self) -> Poller:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def submit(self, url: str, *, fmt: str, etag: str = "", last_modified: str = "") -> Future[Fetched]:
        """Queue one GET on the pool, within the host's limit."""
        return self.pool.submit(
            self.hosts.run, url, lambda: self.fetcher.get(url, fmt=fmt, etag=etag, last_modified=last_modified)
        )

    def poll(self, sources: Iterable[PolledSource]) -> list[PollReport]:
        """Fetch every source concurrently and store each one's stories as its fetch completes."""
        futures = {
            self.submit(polled.url, fmt=polled.format, etag=polled.etag, last_modified=polled.last_modified): polled
            for polled in interleave_hosts(sources)
        }
        reports = []
        quiet: list[tuple[PolledSource, tuple[str, str] | None]] = []
        for future in as_completed(futures):
            polled = futures[future]
            try:
                fetched = future.result()
                digest = hashlib.sha256(fetched.body).hexdigest() if fetched.status == "ok" else ""
                if fetched.status == "not_modified" or (digest and digest == polled.body_sha256):
                    # Nothing to store: recorded with the round's other quiet polls, in one transaction.
                    validators = None if fetched.status == "not_modified" else (fetched.etag, fetched.last_modified)
                    quiet.append((polled, validators))
                    reports.append(PollReport(polled.pk, polled.source.name,
                                              "not modified" if validators is None else "unchanged bytes"))
                    continue
                reports.append(self._take(polled, fetched, digest))
            except Exception as exc:  # one source's bug must not stop the others' round
                logger.exception("polling %s failed", polled.url)
                error = f"poll failed: {type(exc).__name__}: {exc}"
                do_record_failure(polled, now=timezone.now(), error=error,
                                  max_failures=settings.TICKERWIRE_POLL_MAX_FAILURES)
                reports.append(PollReport(polled.pk, polled.source.name, "failed", error=error))
        do_record_not_modified_many(quiet, now=timezone.now())
        return reports

    def _take(self, polled: PolledSource, fetched: Fetched, digest: str) -> PollReport:
        name = polled.source.name
        if fetched.status == "error" or fetched.problems:
            error = fetched.error or "; ".join(fetched.problems)
            quarantined = 0
            if fetched.body and (fetched.oversize or fetched.problems):
                do_quarantine_fetched(polled, fetched.body, error, url=fetched.final_url or polled.url,
                                      fmt=polled.format)
                quarantined = 1
            return self._fail(polled, error, quarantined=quarantined, retry_after=fetched.retry_after)
        if polled.format == "sitemap":
            return self._take_sitemap(polled, fetched, digest)
        results = self._ingest(polled, fetched.body, fmt=PARSER_FORMAT[polled.format], url=polled.url)
        tally = _Tally.of(results)
        if tally.whole_input_failed:
            return self._fail(polled, f"could not parse the feed: {tally.first_reason}", quarantined=1)
        links: dict[str, str] = {}
        if polled.fetch_articles:
            wanted = _item_links(fetched.body, results, polled.fetched_links)
            page_results, links = self._fetch_pages(polled, wanted)
            tally = tally.plus(_Tally.of(page_results), count_new=False)
            if len(links) < len(wanted):
                digest = ""  # some page failed to fetch: parse this body again next time, to retry it
        do_record_success(polled, now=timezone.now(), seen=tally.seen, new=tally.new, etag=fetched.etag,
                          last_modified=fetched.last_modified, fetched_links=links, body_sha256=digest)
        return PollReport(polled.pk, name, "ok", tally.seen, tally.new, tally.revised, tally.quarantined)

    def _take_sitemap(self, polled: PolledSource, fetched: Fetched, digest: str) -> PollReport:
        try:
            entries = sitemap_entries(fetched.body)
        except ValueError as exc:
            do_quarantine_fetched(polled, fetched.body, f"could not parse the sitemap: {exc}", url=polled.url,
                                  fmt="sitemap")
            return self._fail(polled, f"could not parse the sitemap: {exc}", quarantined=1)
        wanted = {url: (lastmod, None) for url, lastmod in entries
                  if url not in polled.fetched_links or polled.fetched_links[url] != lastmod}
        results, links = self._fetch_pages(polled, wanted)
        tally = _Tally.of(results)
        do_record_success(polled, now=timezone.now(), seen=len(entries), new=tally.new, etag=fetched.etag,
                          last_modified=fetched.last_modified, fetched_links=links,
                          body_sha256=digest if len(links) == len(wanted) else "")
        return PollReport(polled.pk, polled.source.name, "ok", len(entries), tally.new, tally.revised,
                          tally.quarantined)

    def _fetch_pages(
        self, polled: PolledSource, wanted: Mapping[str, tuple[str, str | None]]
    ) -> tuple[list[ItemResult], dict[str, str]]:
        """Fetch the pages ``wanted`` (link -> (marker, item uri)) concurrently; store each as an HTML page.

        A page that fails to fetch is retried on the next poll (its link is not marked done); one that
        fetched but failed to parse is quarantined and marked done, so it is not fetched again and again.
        """
        futures = {self.submit(link, fmt="html"): link for link in wanted}
        results: list[ItemResult] = []
        done: dict[str, str] = {}
        for future in as_completed(futures):
            link = futures[future]
            marker, item_uri = wanted[link]
            page = future.result()
            if page.status != "ok":
                logger.info("article page %s: %s", link, page.error)
                continue
            done[link] = marker
            if page.problems:
                results.append(do_quarantine_fetched(polled, page.body, "; ".join(page.problems), url=link,
                                                     fmt="html"))
                continue
            results.extend(self._ingest(polled, page.body, fmt="html", url=link, item_uri=item_uri))
        return results, done

    def _ingest(
        self, polled: PolledSource, data: bytes, *, fmt: str, url: str, item_uri: str | None = None
    ) -> list[ItemResult]:
        return ingest_bytes(
            data, fmt=fmt, source_name=polled.source.name, path=url, zone=_zone(polled.time_zone),
            section=polled.section or None, item_uri=item_uri, made_by=revision_maker("poller", polled.pk),
        )

    def _fail(
        self, polled: PolledSource, error: str, *, quarantined: int = 0, retry_after: float | None = None
    ) -> PollReport:
        do_record_failure(polled, now=timezone.now(), error=error, max_failures=settings.TICKERWIRE_POLL_MAX_FAILURES,
                          retry_after=retry_after)
        status = "paused" if polled.paused else "failed"
        return PollReport(polled.pk, polled.source.name, status, quarantined=quarantined, error=error)


@dataclass(frozen=True)
class _Tally:
    seen: int = 0
    new: int = 0
    revised: int = 0
    quarantined: int = 0
    whole_input_failed: bool = False
    first_reason: str = ""

    @classmethod
    def of(cls, results: list[ItemResult]) -> _Tally:
        quarantined = [r for r in results if isinstance(r, Quarantine)]
        outcomes = [r for r in results if isinstance(r, IngestOutcome)]
        return cls(
            seen=len(results),
            new=sum(o.status == "new" for o in outcomes),
            revised=sum(o.status == "revised" for o in outcomes),
            quarantined=len(quarantined),
            whole_input_failed=len(results) == 1 and bool(quarantined) and quarantined[0].item_index is None,
            first_reason=quarantined[0].reason if quarantined else "",
        )

    def plus(self, other: _Tally, *, count_new: bool) -> _Tally:
        """Add a poll's page results: they revise the feed's items, so they are not seen (or new) again."""
        return _Tally(self.seen, self.new + (other.new if count_new else 0), self.revised + other.revised,
                      self.quarantined + other.quarantined)


def _item_links(
    feed: bytes, results: list[ItemResult], done: Mapping[str, str]
) -> dict[str, tuple[str, str | None]]:
    """Return link -> ("", item uri) for stored items that are new or revised, or whose page is not yet ``done``."""
    stored = {r.key: r.status for r in results if isinstance(r, IngestOutcome)}
    links: dict[str, tuple[str, str | None]] = {}
    for entry in feedparser.parse(io.BytesIO(feed), sanitize_html=False, resolve_relative_uris=False).entries:
        uri, link = entry_uri(entry), str(entry.get("link") or "")
        status = stored.get(f"uri:{uri}")
        if not uri or status is None or urlsplit(link).scheme not in ("http", "https"):
            continue
        if status in ("new", "revised") or link not in done:
            links[link] = ("", uri)
    return links


def sitemap_entries(data: bytes) -> list[tuple[str, str]]:
    """Return (loc, lastmod) of a sitemap's URLs; raise ValueError when it is not a sitemap."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ValueError(str(exc)) from None
    if root.tag not in (f"{SITEMAP_NS}urlset", "urlset"):
        raise ValueError(f"the root element is {root.tag}, not a sitemap urlset")
    entries = []
    for url in root:
        loc = (url.findtext(f"{SITEMAP_NS}loc") or url.findtext("loc") or "").strip()
        lastmod = (url.findtext(f"{SITEMAP_NS}lastmod") or url.findtext("lastmod") or "").strip()
        if urlsplit(loc).scheme in ("http", "https"):
            entries.append((loc, lastmod))
    return entries


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def poll_round(
    now: datetime | None = None, *, poller: Poller | None = None, policy: FetchPolicy | None = None
) -> list[PollReport]:
    """One polling round: claim the due sources and poll each once; return what each poll did.

    The one unit of polling: ``tickerwire poll`` runs it round after round (``--once``: once), and a
    worker can run it as a task. The claim (see :func:`due_sources`) keeps concurrent rounds, in this
    process or others, off each other's sources. Pass a long-lived ``poller`` to keep its connections
    and robots.txt answers between rounds; without one, a round makes its own (only if a source is due).
    """
    sources = due_sources(now or timezone.now())
    if not sources:
        return []
    if poller is not None:
        return poller.poll(sources)
    with Poller(policy) as own:
        return own.poll(sources)


def poll_once(now: datetime | None = None, *, policy: FetchPolicy | None = None) -> list[PollReport]:
    """Poll every due source once and return what each poll did (``tickerwire poll --once``)."""
    return poll_round(now, policy=policy)


def poll_forever(*, idle_seconds: float = 5.0, report: Callable[[PollReport], None] | None = None) -> None:
    """Run :func:`poll_round` round after round, sleeping while none is due (until interrupted)."""
    with Poller() as poller:
        while True:
            reports = poll_round(poller=poller)
            for line in reports:
                if report is not None:
                    report(line)
            if not reports:
                time.sleep(idle_seconds)
