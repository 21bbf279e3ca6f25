"""Registered feeds and sites, polled on a schedule (conditional GET, back-off, robots.txt, SSRF guard).

``models`` holds one :class:`~tickerwire.sources.models.PolledSource` per feed, linked to the store's
``articles.Source``; ``actions`` makes every write; ``fetch`` is the guarded HTTP client (no Django);
``poller`` picks the due sources and polls them concurrently.
"""
