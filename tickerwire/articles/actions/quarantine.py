"""Writes to the quarantine: input that could not be parsed or stored, kept whole so nothing is lost.

Retrying a quarantined input re-runs ingestion, so it lives in :mod:`tickerwire.articles.actions.ingest`.
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.db.models import F

from tickerwire.articles.models import Quarantine


def do_quarantine(
    raw: bytes,
    reason: str,
    *,
    path: str,
    source_name: str,
    fmt: str,
    item_index: int | None,
    keep_bytes: int | None = None,
    size: int | None = None,
    sha256: str | None = None,
) -> Quarantine:
    """Keep ``raw`` with the reason it failed; the same bytes and item again bump ``attempts`` instead.

    ``item_index`` names the failed item of a multi-story input (``None``: the whole input failed);
    ``raw`` is the whole input, so a retry re-parses exactly what arrived, except for input refused as
    too large: of that only the first ``keep_bytes`` are kept (a 20 MB blob in the database helps nobody),
    with the whole input's ``size`` and ``sha256`` (pass both when ``raw`` is already a prefix).
    """
    digest = sha256 or hashlib.sha256(raw).hexdigest()
    total = size if size is not None else len(raw)
    if keep_bytes is not None and len(raw) > keep_bytes:
        raw = raw[:keep_bytes]
    if len(raw) < total:
        reason = f"{reason}; kept the first {len(raw):,} of {total:,} bytes"
    with transaction.atomic():
        existing = (
            Quarantine.objects.select_for_update()
            .filter(sha256=digest, item_index=item_index)
            .order_by("id")
            .first()
        )
        if existing is None:
            return Quarantine.objects.create(
                path=path[:1000],
                source_name=source_name[:200],
                format=fmt[:20],
                item_index=item_index,
                reason=reason,
                raw=raw,
                size=total if len(raw) < total else None,
                sha256=digest,
            )
        return _record_failure(existing, reason)


def do_record_failed_retry(quarantine: Quarantine, reason: str) -> Quarantine:
    """Count one more failed attempt and keep the newest reason."""
    with transaction.atomic():
        return _record_failure(quarantine, reason)


def do_set_quarantine_status(quarantine: Quarantine, status: str, reason: str | None = None) -> None:
    """Mark a quarantined input resolved (its stories are stored) or discarded (nothing to publish)."""
    with transaction.atomic():
        quarantine.status = status
        fields = ["status", "updated_at"]
        if reason is not None:
            quarantine.reason = reason
            fields.append("reason")
        quarantine.save(update_fields=fields)


def _record_failure(quarantine: Quarantine, reason: str) -> Quarantine:
    Quarantine.objects.filter(pk=quarantine.pk).update(attempts=F("attempts") + 1)
    quarantine.refresh_from_db(fields=["attempts"])
    quarantine.reason = reason
    quarantine.status = Quarantine.Status.PENDING
    quarantine.save(update_fields=["reason", "status", "updated_at"])
    return quarantine
