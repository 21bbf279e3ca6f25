"""PostgreSQL backend: a weighted tsvector per article with a GIN index, ranked with ts_rank."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import OperationalError, transaction
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from tickerwire.search.backends.base import (
    MARK_END,
    MARK_START,
    Filters,
    SearchBackend,
    SearchDocument,
    SearchTimedOut,
)
from tickerwire.search.query import ParsedQuery, to_websearch

TABLE = "search_document"
CONFIG = "english"
QUERY_CANCELED = "57014"  # SQLSTATE of a statement stopped by statement_timeout


class PostgresBackend(SearchBackend):
    """A tsvector table keyed by article id, with no foreign key.

    Django does not know this table, so a foreign key to the articles would make its ``flush`` (and every
    transactional test's teardown) fail with "cannot truncate a table referenced in a foreign key";
    entries of deleted articles are removed by :meth:`remove` and :meth:`prune` instead, and every query
    joins the articles table anyway.
    """

    vendor = "postgresql"
    table = TABLE
    key_column = "article_id"

    def create_schema(self, schema_editor: BaseDatabaseSchemaEditor) -> None:
        schema_editor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} ("
            " article_id bigint PRIMARY KEY,"
            " body text NOT NULL,"
            " document tsvector NOT NULL)"
        )
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {TABLE}_gin ON {TABLE} USING GIN (document)")

    def drop_schema(self, schema_editor: BaseDatabaseSchemaEditor) -> None:
        schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")

    def index(self, document: SearchDocument) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TABLE} (article_id, body, document) VALUES (%s, %s, "
                f" setweight(to_tsvector('{CONFIG}', %s), 'A') || setweight(to_tsvector('{CONFIG}', %s), 'A')"
                f" || setweight(to_tsvector('{CONFIG}', %s), 'B') || setweight(to_tsvector('{CONFIG}', %s), 'C'))"
                " ON CONFLICT (article_id) DO UPDATE SET body = EXCLUDED.body, document = EXCLUDED.document",
                [document.article_id, document.body, document.headline, document.tickers,
                 document.summary, document.body],
            )

    @contextmanager
    def time_budget(self, seconds: float) -> Iterator[None]:
        """Run the statements inside under ``SET LOCAL statement_timeout``, each stopped after ``seconds``.

        The setting is local to a transaction (a savepoint when one is open): a stopped statement rolls it
        back, and on success the setting it replaced is restored, so it never outlives the search.
        """
        try:
            with transaction.atomic(using=self.connection.alias):
                with self.connection.cursor() as cursor:
                    cursor.execute("SELECT current_setting('statement_timeout')")
                    before = cursor.fetchone()[0]
                    cursor.execute("SELECT set_config('statement_timeout', %s, true)", [f"{round(seconds * 1000)}ms"])
                yield
                with self.connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('statement_timeout', %s, true)", [before])
        except OperationalError as exc:
            if getattr(exc.__cause__, "sqlstate", None) == QUERY_CANCELED:
                raise SearchTimedOut(seconds) from exc
            raise

    def match(self, query: ParsedQuery, filters: Filters, limit: int, newest: bool = False,
              above_id: int | None = None) -> list[tuple[int, float]]:
        where, params = self.filter_sql(filters)
        above = "" if above_id is None else " AND d.article_id > %s"
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.article_id, ts_rank(d.document, q) AS rank"
                f" FROM {TABLE} d JOIN articles_article a ON a.id = d.article_id,"
                f" websearch_to_tsquery('{CONFIG}', %s) q"
                f" WHERE d.document @@ q{above}{where}"
                f" ORDER BY {self.order_sql(newest, 'rank DESC, d.article_id DESC')} LIMIT %s",
                [to_websearch(query), *([] if above_id is None else [above_id]), *params, limit],
            )
            return [(row[0], float(row[1])) for row in cursor.fetchall()]

    def count(self, query: ParsedQuery, filters: Filters) -> int:
        where, params = self.filter_sql(filters)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM {TABLE} d JOIN articles_article a ON a.id = d.article_id"
                f" WHERE d.document @@ websearch_to_tsquery('{CONFIG}', %s){where}",
                [to_websearch(query), *params],
            )
            return int(cursor.fetchone()[0])

    def candidates(self, query: ParsedQuery, filters: Filters, cap: int) -> tuple[int, int | None]:
        where, params = self.filter_sql(filters)
        with self.connection.cursor() as cursor:
            # Only ids are read here: no tsvector is ranked (ts_rank reads and decompresses each one).
            cursor.execute(
                f"SELECT COUNT(*), MIN(id) FROM (SELECT d.article_id AS id FROM {TABLE} d"
                " JOIN articles_article a ON a.id = d.article_id"
                f" WHERE d.document @@ websearch_to_tsquery('{CONFIG}', %s){where}"
                " ORDER BY d.article_id DESC LIMIT %s) newest",
                [to_websearch(query), *params, cap + 1],
            )
            counted, lowest = cursor.fetchone()
        return int(counted), (int(lowest) if counted > cap else None)

    def snippets(self, query: ParsedQuery, article_ids: list[int]) -> dict[int, str]:
        if not article_ids:
            return {}
        options = f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=35, MinWords=15, MaxFragments=1"
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT article_id, ts_headline('{CONFIG}', body, websearch_to_tsquery('{CONFIG}', %s), %s)"
                f" FROM {TABLE} WHERE article_id = ANY(%s)",
                [to_websearch(query), options, article_ids],
            )
            return {row[0]: row[1] for row in cursor.fetchall()}
