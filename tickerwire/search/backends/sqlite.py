"""SQLite FTS5 backend: a virtual table keyed by article id, ranked with bm25."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import OperationalError
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from tickerwire.search.backends.base import (
    MARK_END,
    MARK_START,
    UNPUBLISHED,
    Candidates,
    Filters,
    SearchBackend,
    SearchDocument,
    SearchTimedOut,
)
from tickerwire.search.query import ParsedQuery, to_fts5

TABLE = "search_fts"
# bm25 column weights: headline, summary, body, tickers.
WEIGHTS = "10.0, 4.0, 1.0, 8.0"
# SQLite calls the progress handler every this many virtual-machine steps (well under a millisecond).
PROGRESS_STEPS = 10_000


class SQLiteFTS5Backend(SearchBackend):
    """FTS5 index; queries ``CROSS JOIN`` the articles so SQLite walks the index hits first.

    With a plain join the planner may scan every article and probe the index per row, which made a
    count over 10,000 stories take a second instead of milliseconds.
    """

    vendor = "sqlite"
    table = TABLE
    key_column = "rowid"

    def create_schema(self, schema_editor: BaseDatabaseSchemaEditor) -> None:
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
            "headline, summary, body, tickers, tokenize = 'porter unicode61 remove_diacritics 2')"
        )

    def drop_schema(self, schema_editor: BaseDatabaseSchemaEditor) -> None:
        schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")

    def index(self, document: SearchDocument) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid = %s", [document.article_id])
            cursor.execute(
                f"INSERT INTO {TABLE} (rowid, headline, summary, body, tickers) VALUES (%s, %s, %s, %s, %s)",
                [document.article_id, document.headline, document.summary, document.body, document.tickers],
            )

    @contextmanager
    def time_budget(self, seconds: float) -> Iterator[None]:
        """Interrupt statements past the deadline with SQLite's progress handler (no transaction needed)."""
        self.connection.ensure_connection()
        raw = self.connection.connection
        deadline = time.monotonic() + seconds
        raw.set_progress_handler(lambda: int(time.monotonic() > deadline), PROGRESS_STEPS)
        try:
            yield
        except OperationalError as exc:
            if "interrupted" in str(exc):
                raise SearchTimedOut(seconds) from exc
            raise
        finally:
            raw.set_progress_handler(None, 0)

    def match(self, query: ParsedQuery, filters: Filters, limit: int, newest: bool = False,
              above_id: int | None = None, ids: Sequence[int] = ()) -> list[tuple[int, float]]:
        where, params = self.filter_sql(filters)
        # A rowid range is a constraint FTS5 itself applies while it walks the index.
        above = "" if above_id is None else " AND f.rowid > %s"
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT f.rowid, bm25({TABLE}, {WEIGHTS}) AS rank FROM {TABLE} f "
                f"CROSS JOIN articles_article a ON a.id = f.rowid WHERE {TABLE} MATCH %s{above}{where} "
                f"ORDER BY {self.order_sql(newest, 'rank')} LIMIT %s",
                [to_fts5(query), *([] if above_id is None else [above_id]), *params, limit],
            )
            # bm25 is lower-is-better and negative; flip it so higher is better.
            return [(row[0], -float(row[1])) for row in cursor.fetchall()]

    def count(self, query: ParsedQuery, filters: Filters) -> int:
        where, params = self.filter_sql(filters)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM {TABLE} f CROSS JOIN articles_article a ON a.id = f.rowid "
                f"WHERE {TABLE} MATCH %s{where}",
                [to_fts5(query), *params],
            )
            return int(cursor.fetchone()[0])

    def candidates(self, query: ParsedQuery, filters: Filters, cap: int) -> Candidates:
        where, params = self.filter_sql(filters)
        with self.connection.cursor() as cursor:
            if filters != Filters():
                # Dates, section or ticker decide which matches count: the join is needed inside the walk.
                # FTS5 returns rowids in descending order itself (no sort), so the LIMIT stops the walk.
                cursor.execute(
                    f"SELECT COUNT(*), MIN(id) FROM (SELECT f.rowid AS id FROM {TABLE} f "
                    f"CROSS JOIN articles_article a ON a.id = f.rowid WHERE {TABLE} MATCH %s{where} "
                    "ORDER BY f.rowid DESC LIMIT %s)",
                    [to_fts5(query), *params, cap + 1],
                )
                counted, lowest = cursor.fetchone()
                return Candidates(int(counted), int(lowest) if counted > cap else None)
            # With visibility alone, walk the index by itself (no article row read per match), and take off
            # the hidden ones found through the status index (stories that are not published are few).
            cursor.execute(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s ORDER BY rowid DESC LIMIT %s",
                           [to_fts5(query), cap + 1])
            ids = [row[0] for row in cursor.fetchall()]
            if not ids:
                return Candidates(0, None)
            marks = ", ".join(["%s"] * len(UNPUBLISHED))
            cursor.execute(
                f"SELECT a.id FROM articles_article a WHERE a.status IN ({marks}) AND a.id >= %s"
                f" AND NOT (TRUE{where})",
                [*UNPUBLISHED, ids[-1], *params],
            )
            hidden = {row[0] for row in cursor.fetchall()}
        counted = sum(article_id not in hidden for article_id in ids)
        return Candidates(counted, ids[-1] if len(ids) > cap else None)

    def snippets(self, query: ParsedQuery, article_ids: list[int]) -> dict[int, str]:
        if not article_ids:
            return {}
        placeholders = ", ".join(["%s"] * len(article_ids))
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, snippet({TABLE}, 2, %s, %s, '…', 28) FROM {TABLE} "
                f"WHERE {TABLE} MATCH %s AND rowid IN ({placeholders})",
                [MARK_START, MARK_END, to_fts5(query), *article_ids],
            )
            return {row[0]: row[1] for row in cursor.fetchall()}
