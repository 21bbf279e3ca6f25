"""The ingest hot path's SQL, compiled once per model and database instead of once per story.

Profiling ``bench/ingest.py`` showed the ORM compiling the same SELECT and INSERT for every story took
most of the store's time (about 0.3 ms each on this machine against 0.04 ms to run them). The statements
here are built from the model's ``_meta`` at first use, and values go through each field's own
``pre_save``/``get_db_prep_save``, exactly as the ORM's insert compiler does, so new fields, JSON and
datetime adaptation keep working on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.signals import post_save, pre_save


class RowInserter:
    """Insert one model instance with an INSERT ... RETURNING compiled once per database vendor."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = [field for field in model._meta.concrete_fields if not field.primary_key]
        self._sql: dict[str, str] = {}

    def insert(self, instance: models.Model, connection: BaseDatabaseWrapper) -> None:
        """Insert ``instance`` and set its primary key.

        Fall back to ``save()`` when something listens to the model's ``pre_save``/``post_save`` (they
        would not fire otherwise) or the database cannot return the new id from an INSERT.
        """
        if (
            not connection.features.can_return_columns_from_insert
            or pre_save.has_listeners(self.model)
            or post_save.has_listeners(self.model)
        ):
            instance.save(using=connection.alias, force_insert=True)
            return
        values = [field.get_db_prep_save(field.pre_save(instance, True), connection) for field in self.fields]
        with connection.cursor() as cursor:
            cursor.execute(self._statement(connection), values)
            instance.pk = cursor.fetchone()[0]
        instance._state.adding = False
        instance._state.db = connection.alias

    def _statement(self, connection: BaseDatabaseWrapper) -> str:
        sql = self._sql.get(connection.vendor)
        if sql is None:
            quote = connection.ops.quote_name
            columns = ", ".join(quote(field.column) for field in self.fields)
            placeholders = ", ".join(["%s"] * len(self.fields))
            sql = (
                f"INSERT INTO {quote(self.model._meta.db_table)} ({columns}) VALUES ({placeholders})"
                f" RETURNING {quote(self.model._meta.pk.column)}"  # type: ignore[union-attr]
            )
            self._sql[connection.vendor] = sql
        return sql


class RowLookup:
    """Fetch a few columns of the one row with a given unique value, locking it where the database can
    (``lock=False``: a plain read, for rows that many writers read at once, such as a story's source)."""

    def __init__(self, model: type[models.Model], by: str, columns: tuple[str, ...], *, lock: bool = True) -> None:
        self.model = model
        self.lock = lock
        self.by = model._meta.get_field(by).column  # type: ignore[union-attr]
        self.columns = [model._meta.get_field(name).column for name in columns]  # type: ignore[union-attr]
        self._sql: dict[str, str] = {}

    def fetch(self, value: Any, connection: BaseDatabaseWrapper) -> tuple[Any, ...] | None:
        """Return the row's columns, or ``None``; inside a transaction on PostgreSQL the row is locked
        unless the lookup was made with ``lock=False``."""
        with connection.cursor() as cursor:
            cursor.execute(self._statement(connection), [value])
            return cursor.fetchone()

    def _statement(self, connection: BaseDatabaseWrapper) -> str:
        sql = self._sql.get(connection.vendor)
        if sql is None:
            quote = connection.ops.quote_name
            columns = ", ".join(quote(column) for column in self.columns)
            lock = " FOR UPDATE" if self.lock and connection.features.has_select_for_update else ""
            sql = f"SELECT {columns} FROM {quote(self.model._meta.db_table)} WHERE {quote(self.by)} = %s{lock}"
            self._sql[connection.vendor] = sql
        return sql
