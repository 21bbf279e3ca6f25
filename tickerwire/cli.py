"""The ``tickerwire`` command: one subcommand per module in :mod:`tickerwire.commands`.

Each command module defines ``register(subparsers)``, which adds its parser and sets ``func`` to a
callable taking the parsed arguments and returning the exit status. Commands that need the database call
:func:`setup_django` themselves, so ``parse`` and ``enrich`` run with no database at all.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

# One line per command module; keep sorted by menu order of `tickerwire --help`.
COMMAND_MODULES: tuple[str, ...] = (
    "tickerwire.commands.parse",
    "tickerwire.commands.enrich",
    "tickerwire.commands.ingest",
    "tickerwire.commands.quarantine",
    "tickerwire.commands.sources",
    "tickerwire.commands.poll",
    "tickerwire.commands.search",
    "tickerwire.commands.related",
    "tickerwire.commands.tickers",
    "tickerwire.commands.apikey",
    "tickerwire.commands.desk",
    "tickerwire.commands.alerts",
    "tickerwire.commands.demo",
    "tickerwire.commands.serve",
    "tickerwire.commands.worker",
    "tickerwire.commands.backup",
    "tickerwire.commands.check",
)


class ConfigurationError(Exception):
    """A setting or the machine is not as the command needs; the message says what to set or change.

    :func:`main` prints it as one line and exits with status 2, instead of a traceback.
    """


def setup_django() -> None:
    """Configure Django from the environment (DATABASE_URL, TICKERWIRE_HOME, ...) and check the database answers."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tickerwire.config.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise ConfigurationError(" ".join(str(exc).split())) from None
    check_database()


def check_database() -> None:
    """Connect to the default database once, so an unreachable one is named before any command runs."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.db import DatabaseError, connection

    try:
        connection.ensure_connection()
    except (DatabaseError, ImproperlyConfigured) as exc:
        from tickerwire.config.settings import redacted

        where = os.environ.get("DATABASE_URL") or f"the SQLite file {settings.DATABASES['default']['NAME']}"
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ConfigurationError(
            f"cannot use the database {redacted(where)}: {reason}. Start that database server or set DATABASE_URL "
            "to one that answers (unset, a SQLite file under TICKERWIRE_HOME is used)"
        ) from None


def migrate_quietly() -> None:
    """Bring the database schema up to date, printing nothing unless it fails."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def operator_maker() -> str:
    """Return ``Revision.made_by`` for stories this command stores: ``cli:<the operator's login>``."""
    import getpass

    from tickerwire.articles.models import revision_maker

    try:
        login = getpass.getuser()
    except (KeyError, OSError):  # no login name and no user database entry (some containers)
        login = f"uid {os.getuid()}"
    return revision_maker("cli", login)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tickerwire",
        description="Tickerwire: ingest financial news, tag tickers, publish a site and API.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except ConfigurationError as exc:
        print(f"tickerwire: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error worth a traceback.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
