"""PostgreSQL backend: a weighted tsvector per article with a GIN index, ranked with ts_rank."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import OperationalError, transaction
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.backends.utils import CursorWrapper

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
from tickerwire.search.query import ParsedQuery, to_websearch

TABLE = "search_document"
CONFIG = "english"
QUERY_CANCELED = "57014"
# The first window of :meth:`PostgresBackend.candidates`: the newest this many times ``cap`` ids.
WINDOW_START = 10  # SQLSTATE of a statement stopped by statement_timeout


@contextmanager
def bitmap_scans_only(cursor: CursorWrapper) -> Iterator[None]:
    """Run the statements inside with bitmap scans only (inside a transaction), then restore the settings.

    For a window walk the planner prefers scanning the id index and testing each row's tsvector, which
    reads and decompresses every one in the window (250 ms for 40,000 rows at 100,000 stories) where the
    GIN bitmap ANDed with the id range visits only the matching rows (50 ms).
    """
    cursor.execute("SELECT current_setting('enable_indexscan'), current_setting('enable_seqscan')")
    before = cursor.fetchone()
    cursor.execute("SELECT set_config('enable_indexscan', 'off', true), set_config('enable_seqscan', 'off', true)")
    yield  # on an error the transaction is rolled back, and the settings with it
    cursor.execute("SELECT set_config('enable_indexscan', %s, true), set_config('enable_seqscan', %s, true)",
                   list(before))


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
              above_id: int | None = None, ids: Sequence[int] = ()) -> list[tuple[int, float]]:
        where, params = self.filter_sql(filters)
        if ids and filters == Filters():
            # The walked matches, visible ones only (see candidates): ranked by id alone, without the GIN
            # bitmap ANDed with the id range again nor the articles' rows (half the time at 100,000 stories).
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT d.article_id, ts_rank(d.document, q) AS rank FROM {TABLE} d,"
                    f" websearch_to_tsquery('{CONFIG}', %s) q WHERE d.article_id = ANY(%s)"
                    " ORDER BY rank DESC, d.article_id DESC LIMIT %s",
                    [to_websearch(query), list(ids), limit],
                )
                return [(row[0], float(row[1])) for row in cursor.fetchall()]
        if ids:
            found, found_params = "d.article_id = ANY(%s)", list[object]([list(ids)])
        else:
            found = "d.document @@ q" + ("" if above_id is None else " AND d.article_id > %s")
            found_params = list[object]([] if above_id is None else [above_id])
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.article_id, ts_rank(d.document, q) AS rank"
                f" FROM {TABLE} d JOIN articles_article a ON a.id = d.article_id,"
                f" websearch_to_tsquery('{CONFIG}', %s) q"
                f" WHERE {found}{where}"
                f" ORDER BY {self.order_sql(newest, 'rank DESC, d.article_id DESC')} LIMIT %s",
                [to_websearch(query), *found_params, *params, limit],
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

    def candidates(self, query: ParsedQuery, filters: Filters, cap: int) -> Candidates:
        """See :meth:`SearchBackend.candidates`; the walk is over a window of the newest ids.

        A GIN index gives no order, so "the newest ``cap`` matches" would cost a visit to every match's row
        (or a backward scan testing each row's tsvector): both grow with the store. Instead the index
        entries with the newest ``WINDOW_START * cap`` ids are searched (the GIN bitmap ANDed with an id
        range); while fewer than ``cap + 1`` of them match, the window grows by the density it found,
        until it spans every id. The answer is the same as a walk over every match.
        """
        where, params = self.filter_sql(filters)
        text = to_websearch(query)
        if filters != Filters():
            # Dates, section or ticker decide which matches count: the join is needed inside the walk.
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT COUNT(*), MIN(id) FROM (SELECT d.article_id AS id FROM {TABLE} d"
                    " JOIN articles_article a ON a.id = d.article_id"
                    f" WHERE d.document @@ websearch_to_tsquery('{CONFIG}', %s){where}"
                    " ORDER BY d.article_id DESC LIMIT %s) newest",
                    [text, *params, cap + 1],
                )
                counted, lowest = cursor.fetchone()
            return Candidates(int(counted), int(lowest) if counted > cap else None)
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(article_id), 0) FROM {TABLE}")
            top = int(cursor.fetchone()[0])
            window = WINDOW_START * cap
            with bitmap_scans_only(cursor):
                while True:
                    floor = top - window if window < top else 0
                    cursor.execute(
                        f"SELECT article_id FROM {TABLE} WHERE document @@ websearch_to_tsquery('{CONFIG}', %s)"
                        " AND article_id > %s ORDER BY article_id DESC LIMIT %s",
                        [text, floor, cap + 1],
                    )
                    ids = [row[0] for row in cursor.fetchall()]
                    if len(ids) > cap or not floor:
                        break
                    window = int(window * min(16.0, max(2.0, 1.25 * (cap + 1) / max(len(ids), 1))))
            if not ids:
                return Candidates(0, None)
            # Of the walked entries, keep the stored articles (the id index alone) less the hidden ones
            # (found through the status index: stories that are not published are few), rather than read
            # each walked article's row, whose cost grows with the table once it outgrows the cache.
            cursor.execute("SELECT id FROM articles_article WHERE id = ANY(%s)", [ids])
            stored = {row[0] for row in cursor.fetchall()}
            cursor.execute(
                "SELECT a.id FROM articles_article a WHERE a.status = ANY(%s) AND a.id = ANY(%s)"
                f" AND NOT (TRUE{where})",
                [UNPUBLISHED, ids, *params],
            )
            hidden = {row[0] for row in cursor.fetchall()}
        above_id = ids[cap] if len(ids) > cap else None
        visible = [i for i in ids[:cap] if i in stored and i not in hidden]
        counted = len(visible) + (1 if above_id is not None and above_id in stored and above_id not in hidden else 0)
        return Candidates(counted, above_id, tuple(visible))

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
