"""Tell a database that is unavailable for now from a query that is wrong.

A restarting or unreachable PostgreSQL, or SQLite's write lock held past its busy timeout, raises
``OperationalError`` or ``InterfaceError``: the same request succeeds if tried again, so it is answered
503 with Retry-After, a store is retried, and a task is queued again. A missing table or a syntax error
raises ``OperationalError`` too, but it is a bug: retrying cannot help.
"""

from __future__ import annotations

from django.db import InterfaceError, OperationalError, connections

_NOT_TRANSIENT = ("no such table", "no such column", "syntax error")


def database_unavailable(exc: BaseException | None) -> bool:
    """True for a lost, refused or locked database; not for a query error, which is a bug."""
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    text = str(exc).lower()
    return not any(marker in text for marker in _NOT_TRANSIENT)


def close_broken_connections() -> None:
    """Drop connections that are no longer usable, so the next query opens a fresh one."""
    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block:
            continue
        connection.close_if_unusable_or_obsolete()
