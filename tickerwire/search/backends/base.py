"""The contract every search backend meets, and the document text both build from an article."""

from __future__ import annotations

import html
from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from tickerwire.articles.visibility import EMBARGOED, HELD, WITHDRAWN, visible_sql
from tickerwire.enrich.ticker_marks import tighten_marks
from tickerwire.search.query import ParsedQuery

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.backends.base.schema import BaseDatabaseSchemaEditor

    from tickerwire.articles.models import Article

# Every article status but "published", for the status index: the candidates walks take off the hidden
# stories found through it (a published story is always visible, and the others are few).
UNPUBLISHED = sorted((EMBARGOED, HELD, WITHDRAWN))

# Markers the databases put around matched words; escaped text never contains them.
MARK_START = "\x02"
MARK_END = "\x03"


class SearchTimedOut(Exception):
    """A search ran past its time budget and was stopped in the database."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the search took longer than its budget of {seconds:g} s")
        self.seconds = seconds


@dataclass(frozen=True)
class Filters:
    """Restrictions applied inside the database query, before ranking."""

    section_id: int | None = None
    symbol: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    article_id: int | None = None  # one story only: does it match? (saved-search alerts)


class Candidates(NamedTuple):
    """What :meth:`SearchBackend.candidates` found."""

    counted: int  # visible matches walked, up to cap + 1
    above_id: int | None  # when more than cap matched: the id the ranked ones are above
    ids: tuple[int, ...] = ()  # the walked matches to rank (at most cap), when the backend collects them


@dataclass(frozen=True)
class SearchDocument:
    """The text of one article as the index sees it."""

    article_id: int
    headline: str
    summary: str
    body: str
    tickers: str

    @classmethod
    def from_article(cls, article: Article) -> SearchDocument:
        tickers = " ".join(
            f"{link.symbol} {link.name}".strip() for link in article.ticker_links.all().order_by("symbol")
        )
        return cls(
            article_id=article.pk,
            headline=article.headline,
            summary="\n".join(article.summary or []),
            body="\n\n".join(block.get("text", "") for block in article.body or []),
            tickers=tickers,
        )


def render_marked(text: str) -> str:
    """Return database-marked snippet text as safe HTML with ``<mark>`` around matched words.

    Ticker marks padded by the source, ``( QLFB )``, are shown tight: ``(QLFB)``.
    """
    escaped = html.escape(text.replace(MARK_START, "\x00s").replace(MARK_END, "\x00e"))
    return tighten_marks(escaped.replace("\x00s", "<mark>").replace("\x00e", "</mark>"))


class SearchBackend(ABC):
    """A full-text index over published articles, kept in the article database itself."""

    vendor: str
    table: str
    key_column: str  # the index table's column holding the article id

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection

    @abstractmethod
    def create_schema(self, schema_editor: BaseDatabaseSchemaEditor) -> None:
        """Create the index tables (called from the search app's migration)."""

    @abstractmethod
    def drop_schema(self, schema_editor: BaseDatabaseSchemaEditor) -> None:
        """Drop the index tables."""

    @abstractmethod
    def index(self, document: SearchDocument) -> None:
        """Add or replace one article's entry."""

    def remove(self, article_id: int) -> None:
        """Drop one article's entry, if any."""
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table} WHERE {self.key_column} = %s", [article_id])

    def prune(self) -> None:
        """Drop the entries of articles that no longer exist (after a flush or a bulk delete)."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {self.table} WHERE {self.key_column} NOT IN (SELECT id FROM articles_article)"
            )

    def clear(self) -> None:
        """Drop every entry (before a rebuild)."""
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table}")

    @abstractmethod
    def time_budget(self, seconds: float) -> AbstractContextManager[None]:
        """Return a context in which the database stops this backend's statements after ``seconds``.

        A statement stopped raises :class:`SearchTimedOut`; the connection stays usable.
        """

    @abstractmethod
    def match(self, query: ParsedQuery, filters: Filters, limit: int, newest: bool = False,
              above_id: int | None = None, ids: Sequence[int] = ()) -> list[tuple[int, float]]:
        """Return up to ``limit`` published article ids with a text score (higher is better), best first, or
        with ``newest`` the most recently published matches, newest first.

        With ``above_id``, only articles with a greater id are considered; with ``ids`` (the walked matches
        of :meth:`candidates`, when the backend returns them), only those (see :meth:`candidates`).
        """

    @abstractmethod
    def count(self, query: ParsedQuery, filters: Filters) -> int:
        """Return how many published articles match."""

    @abstractmethod
    def candidates(self, query: ParsedQuery, filters: Filters, cap: int) -> Candidates:
        """Return how many published articles match, counted up to ``cap + 1``, and when more than ``cap``
        match, the id below the ``cap`` most recently stored of them.

        The database walks the matches newest first and stops after ``cap + 1``, so the cost is bounded by
        ``cap`` however many stories match; ``match(..., above_id=..., ids=...)`` then ranks those alone.
        """

    @abstractmethod
    def snippets(self, query: ParsedQuery, article_ids: list[int]) -> dict[int, str]:
        """Return a highlighted body excerpt (safe HTML) for each id."""

    @staticmethod
    def order_sql(newest: bool, rank: str, alias: str = "a") -> str:
        """Return the ORDER BY expression: by ``rank`` (best first), or by publication time, newest first."""
        return f"{alias}.published_at DESC, {alias}.id DESC" if newest else rank

    def filter_sql(self, filters: Filters, alias: str = "a") -> tuple[str, list[object]]:
        """Return SQL conditions (ANDed, leading ``AND``) and parameters for the filters."""
        visible, params = visible_sql(self.connection, alias)
        sql = [f" AND {visible}"]
        if filters.article_id is not None:
            sql.append(f" AND {alias}.id = %s")
            params.append(filters.article_id)
        if filters.since is not None:
            sql.append(f" AND {alias}.published_at >= %s")
            params.append(filters.since)
        if filters.until is not None:
            sql.append(f" AND {alias}.published_at < %s")
            params.append(filters.until)
        if filters.section_id is not None:
            sql.append(
                " AND EXISTS (SELECT 1 FROM articles_articlesection s "
                f"WHERE s.article_id = {alias}.id AND s.section_id = %s)"
            )
            params.append(filters.section_id)
        if filters.symbol:
            sql.append(
                " AND EXISTS (SELECT 1 FROM articles_articleticker t "
                f"WHERE t.article_id = {alias}.id AND t.symbol = %s)"
            )
            params.append(filters.symbol.upper())
        return "".join(sql), params
