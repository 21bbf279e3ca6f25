"""Pick the search backend from the database in use (as Wagtail's database search backend does)."""

from __future__ import annotations

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from tickerwire.search.backends.base import SearchBackend
from tickerwire.search.backends.postgres import PostgresBackend
from tickerwire.search.backends.sqlite import SQLiteFTS5Backend

BACKENDS: dict[str, type[SearchBackend]] = {"sqlite": SQLiteFTS5Backend, "postgresql": PostgresBackend}


def backend_for(connection: BaseDatabaseWrapper) -> SearchBackend:
    """Return the backend for a database connection; raise for a database we have no backend for."""
    try:
        return BACKENDS[connection.vendor](connection)
    except KeyError:
        raise NotImplementedError(
            f"no search backend for the {connection.vendor!r} database; use SQLite or PostgreSQL"
        ) from None


def get_backend(using: str = "default") -> SearchBackend:
    return backend_for(connections[using])
