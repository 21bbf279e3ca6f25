"""What editors do to stories, each in one transaction with its audit row.

An action joins its caller's transaction when there is one (the admin saves a story form in one, so a
form's corrections and status change commit together, or not at all).

Status changes call the store's status actions; corrections are stored as overrides
(:mod:`tickerwire.articles.actions.overrides`), which enrichment applies last on every revision and
re-enrichment, so they win and last. Every action checks the editor's permission here, server-side,
whatever calls it (the admin, a view, a script); ``user=None`` is the system (the CLI, background tasks).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any, TypeAlias

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Q
from django.utils import timezone

from tickerwire.articles.actions.overrides import Field, correct_in_transaction, overrides_of
from tickerwire.articles.actions.pins import pin_in_transaction, unpin_in_transaction
from tickerwire.articles.actions.status import check_status, set_status_in_transaction
from tickerwire.articles.models import Article, ArticleSection, ArticleTicker, Pin, Section, Ticker
from tickerwire.desk.models import AuditEntry
from tickerwire.desk.tasks import queue_release_at

EDIT_PERMISSION = "desk.edit_stories"
Actor: TypeAlias = AbstractBaseUser | AnonymousUser | None
MAX_BULLET_CHARS = 600
# The parts of a key figure (as enrichment writes them and the API's FigureOut reads them).
FIGURE_PARTS = ("text", "value", "unit", "metric", "sentence", "direction", "change", "period")
_SYMBOL = re.compile(r"^[A-Z0-9][A-Z0-9.\-]{0,19}$")


def may_edit(user: Actor) -> bool:
    """Return whether ``user`` may change stories (the system, ``None``, may)."""
    return user is None or bool(user.is_active and user.has_perm(EDIT_PERMISSION))


def _require_editor(user: Actor) -> None:
    if not may_edit(user):
        raise PermissionDenied("changing stories needs the editor role")


def _audit(article: Article, user: Actor, action: str, field: str, old: Any, new: Any, alias: str) -> AuditEntry:
    real = user if isinstance(user, AbstractBaseUser) else None
    return AuditEntry.objects.using(alias).create(
        article=article, article_ref=article.pk, user=real, username=real.get_username() if real else "",
        action=action, field=field, old_value=old, new_value=new, at=timezone.now(),
    )


def _status_value(article: Article) -> dict[str, str | None]:
    until = article.embargo_until.isoformat() if article.embargo_until else None
    return {"status": article.status, "embargo_until": until}


def do_change_status(
    article_id: int, status: str, *, embargo_until: datetime | None = None, user: Actor = None,
    alias: str = DEFAULT_DB_ALIAS,
) -> Article:
    """Hold, publish, embargo or withdraw a story and record it; an embargo queues its release for its time."""
    _require_editor(user)
    check_status(status, embargo_until)
    with transaction.atomic(using=alias):
        old = _status_value(Article.objects.using(alias).get(pk=article_id))
        article = set_status_in_transaction(article_id, status, embargo_until=embargo_until, alias=alias)
        new = _status_value(article)
        if new != old:
            _audit(article, user, f"set_{status}", "status", old, new, alias)
            if embargo_until is not None:
                transaction.on_commit(lambda: queue_release_at(embargo_until), using=alias)
    return article


def do_hold(article_id: int, *, user: Actor = None) -> Article:
    """Take a story off the site until an editor publishes it."""
    return do_change_status(article_id, Article.Status.HELD, user=user)


def do_publish(article_id: int, *, user: Actor = None) -> Article:
    """Show a held, embargoed or withdrawn story to the public now."""
    return do_change_status(article_id, Article.Status.PUBLISHED, user=user)


def do_withdraw(article_id: int, *, user: Actor = None) -> Article:
    """Take a story down everywhere: its address answers 410 Gone."""
    return do_change_status(article_id, Article.Status.WITHDRAWN, user=user)


def do_embargo(article_id: int, until: datetime, *, user: Actor = None) -> Article:
    """Keep a story hidden until ``until``, when a background task publishes it."""
    return do_change_status(article_id, Article.Status.EMBARGOED, embargo_until=until, user=user)


def _symbols(article_id: int, alias: str) -> list[str]:
    return sorted(ArticleTicker.objects.using(alias).filter(article_id=article_id).values_list("symbol", flat=True))


def _clean_symbol(symbol: str) -> str:
    cleaned = symbol.strip().upper()
    if not _SYMBOL.match(cleaned):
        raise ValueError(f"{symbol!r} is not a ticker symbol")
    return cleaned


def do_correct_tickers(
    article_id: int, *, remove: Iterable[str] = (), add: Iterable[str] = (), user: Actor = None,
    alias: str = DEFAULT_DB_ALIAS,
) -> Article:
    """Remove or add ticker tags; the correction lasts through re-enrichment and the source's revisions."""
    _require_editor(user)
    removing, adding = [_clean_symbol(s) for s in remove], [_clean_symbol(s) for s in add]
    with transaction.atomic(using=alias):
        old = _symbols(article_id, alias)
        current = overrides_of(article_id, alias)
        removed = set(current.get(Field.TICKERS_REMOVED) or [])
        added = {tag["symbol"]: tag for tag in current.get(Field.TICKERS_ADDED) or []}
        for symbol in removing:
            removed.add(symbol)
            added.pop(symbol, None)
        for symbol in adding:
            removed.discard(symbol)
            known = Ticker.objects.using(alias).filter(symbol=symbol).order_by("exchange").first()
            added[symbol] = {"symbol": symbol, "exchange": known.exchange if known else "",
                             "name": known.name if known else ""}
        article = correct_in_transaction(article_id, {
            Field.TICKERS_REMOVED: sorted(removed) or None,
            Field.TICKERS_ADDED: [added[s] for s in sorted(added)] or None,
        }, alias=alias)
        new = _symbols(article_id, alias)
        if new != old:
            _audit(article, user, "correct_tickers", "tickers", old, new, alias)
    return article


def _sections(article_id: int, alias: str) -> dict[str, Any]:
    links = ArticleSection.objects.using(alias).filter(article_id=article_id).select_related("section")
    article = Article.objects.using(alias).select_related("primary_section").get(pk=article_id)
    return {
        "sections": sorted(link.section.name for link in links),
        "primary": article.primary_section.name if article.primary_section else None,
    }


def do_set_sections(
    article_id: int, sections: list[str], *, primary: str | None = None, user: Actor = None,
    alias: str = DEFAULT_DB_ALIAS,
) -> Article:
    """File a story under exactly these sections (the first, or ``primary``, leads); lasts through revisions."""
    _require_editor(user)
    names = dict(Section.objects.using(alias).values_list("name", "name"))
    folded = {name.casefold(): name for name in names}
    chosen = list(dict.fromkeys(folded[s.strip().casefold()] for s in sections if s.strip().casefold() in folded))
    unknown = [s for s in sections if s.strip().casefold() not in folded]
    if unknown or not chosen:
        raise ValueError(f"unknown sections {unknown}" if unknown else "a story needs at least one section")
    lead = folded.get((primary or chosen[0]).strip().casefold())
    if lead is None or lead not in chosen:
        raise ValueError(f"the primary section {primary!r} must be one of {chosen}")
    with transaction.atomic(using=alias):
        old = _sections(article_id, alias)
        article = correct_in_transaction(article_id, {Field.SECTIONS: {"sections": chosen, "primary": lead}},
                                         alias=alias)
        new = _sections(article_id, alias)
        if new != old:
            _audit(article, user, "set_sections", "sections", old, new, alias)
    return article


def do_edit_headline(article_id: int, headline: str, *, user: Actor = None, alias: str = DEFAULT_DB_ALIAS) -> Article:
    """Replace a story's headline (the page notes the correction); later source revisions keep it."""
    _require_editor(user)
    text = " ".join(headline.split())
    if not text:
        raise ValueError("a headline cannot be empty")
    return _replace_text(article_id, Field.HEADLINE, text, action="edit_headline", user=user, alias=alias)


def _replace_text(article_id: int, field: str, value: Any, *, action: str, user: Actor, alias: str) -> Article:
    """Store an editor's headline, summary or figures for a story and audit it (the same value: nothing)."""
    with transaction.atomic(using=alias):
        old = Article.objects.using(alias).values_list(field, flat=True).get(pk=article_id)
        if value == old:
            return Article.objects.using(alias).get(pk=article_id)
        article = correct_in_transaction(article_id, {field: value}, alias=alias)
        _audit(article, user, action, field, old, value, alias)
    return article


def do_edit_summary(
    article_id: int, bullets: Iterable[str], *, user: Actor = None, alias: str = DEFAULT_DB_ALIAS
) -> Article:
    """Replace a story's summary bullets (none: no summary); the page notes the correction, revisions keep it."""
    _require_editor(user)
    cleaned = [" ".join(bullet.split()) for bullet in bullets]
    cleaned = [bullet for bullet in cleaned if bullet]
    if any(len(bullet) > MAX_BULLET_CHARS for bullet in cleaned):
        raise ValueError(f"a summary bullet is at most {MAX_BULLET_CHARS} characters")
    return _replace_text(article_id, Field.SUMMARY, cleaned, action="edit_summary", user=user, alias=alias)


def clean_figures(figures: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return key figures as the store keeps them; raise ValueError for one without text or with unknown parts."""
    cleaned = []
    for figure in figures:
        unknown = set(figure) - set(FIGURE_PARTS)
        if unknown:
            raise ValueError(f"a key figure has no part {sorted(unknown)}: use {', '.join(FIGURE_PARTS)}")
        text = " ".join(str(figure.get("text") or "").split())
        if not text:
            raise ValueError("a key figure needs its text, e.g. '$1.2 billion'")
        value = figure.get("value")
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise ValueError(f"the value of key figure {text!r} is not a number: {value!r}")
        if figure.get("direction") not in (None, "", "rise", "fall"):
            raise ValueError(f"the direction of key figure {text!r} is rise or fall, not {figure['direction']!r}")
        item: dict[str, Any] = {"text": text}
        for part in FIGURE_PARTS:
            given = figure.get(part)
            if part != "text" and given not in (None, ""):
                item[part] = float(given) if part == "value" else " ".join(str(given).split())
        cleaned.append(item)
    return cleaned


def do_edit_figures(
    article_id: int, figures: Iterable[dict[str, Any]], *, user: Actor = None, alias: str = DEFAULT_DB_ALIAS
) -> Article:
    """Replace a story's key figures (fix one, drop one, add one); re-enrichment and revisions keep the edit."""
    _require_editor(user)
    cleaned = clean_figures(figures)
    return _replace_text(article_id, Field.FIGURES, cleaned, action="edit_figures", user=user, alias=alias)


def _section_named(name: str | None, alias: str) -> Section | None:
    if not name:
        return None
    found = Section.objects.using(alias).filter(Q(name__iexact=name.strip()) | Q(slug=name.strip())).first()
    if found is None:
        raise ValueError(f"unknown section {name!r}")
    return found


def do_pin(
    article_id: int, section: str | None = None, *, until: datetime | None = None, position: int = 0,
    user: Actor = None, alias: str = DEFAULT_DB_ALIAS,
) -> Pin:
    """Pin a story to lead the home page (no section) or a section page, until ``until`` (none: until unpinned)."""
    _require_editor(user)
    with transaction.atomic(using=alias):
        where = _section_named(section, alias)
        pin = pin_in_transaction(article_id, where, expires_at=until, position=position, alias=alias)
        new = {"on": where.name if where else "home", "until": until.isoformat() if until else None}
        _audit(pin.article, user, "pin", "pin", None, new, alias)
    return pin


def do_unpin(article_id: int, section: str | None = None, *, user: Actor = None, alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Unpin a story from the home page (no section) or a section page; return whether it was pinned there."""
    _require_editor(user)
    with transaction.atomic(using=alias):
        where = _section_named(section, alias)
        removed = unpin_in_transaction(article_id, where, alias=alias)
        if removed:
            article = Article.objects.using(alias).get(pk=article_id)
            _audit(article, user, "unpin", "pin", {"on": where.name if where else "home"}, None, alias)
    return removed
