"""``tickerwire backup FILE`` and ``tickerwire restore FILE [--force]``: a consistent copy of the store, and back.

SQLite (the embedded default) is copied with its online backup API: readers and writers go on while it
runs, and the copy is one consistent moment, checked with ``PRAGMA integrity_check`` before the command
says it is done. PostgreSQL is dumped with ``pg_dump --format=custom`` and restored with ``pg_restore``
(the client programs must be of the server's major version or newer); nothing of the kind is hand-made.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tickerwire.cli import ConfigurationError

PAGES_PER_STEP = 4096


def register(subparsers: argparse._SubParsersAction) -> None:
    backup = subparsers.add_parser(
        "backup", help="write a consistent copy of the database to FILE (online: the site keeps running)",
        description="SQLite: an online backup (sqlite3 backup API), integrity-checked. "
        "PostgreSQL: pg_dump --format=custom.",
    )
    backup.add_argument("file", type=Path, help="where to write the copy (refused if it exists, unless --force)")
    backup.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    backup.set_defaults(func=run_backup)
    restore = subparsers.add_parser(
        "restore", help="replace the database with a copy written by `tickerwire backup`",
        description="SQLite: checks the copy, then copies it over the database (stop writers first). "
        "PostgreSQL: pg_restore --clean --if-exists --no-owner into DATABASE_URL. "
        "The schema is migrated afterwards, so an older copy is brought up to date.",
    )
    restore.add_argument("file", type=Path, help="a file written by `tickerwire backup`")
    restore.add_argument("--force", action="store_true", help="replace a database that already holds stories")
    restore.set_defaults(func=run_restore)


def _database() -> dict:
    from tickerwire.cli import setup_django

    setup_django()
    from django.db import connection

    return dict(connection.settings_dict)


def _check_sqlite_copy(path: Path) -> int:
    """Return the number of stories in a copy after checking it is a whole, readable Tickerwire database."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as copy:
            verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":
                raise ConfigurationError(f"{path} failed SQLite's integrity check: {verdict}")
            tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "django_migrations" not in tables or "articles_article" not in tables:
                raise ConfigurationError(f"{path} is a SQLite file but not a Tickerwire database")
            return int(copy.execute("SELECT COUNT(*) FROM articles_article").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        raise ConfigurationError(f"{path} is not a readable SQLite database ({exc})") from None


def _copy_sqlite(source: str, target: str, label: str) -> None:
    started = time.monotonic()

    def progress(status: int, remaining: int, total: int) -> None:
        print(f"\r{label}: {total - remaining}/{total} pages", end="", file=sys.stderr, flush=True)

    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst, pages=PAGES_PER_STEP, progress=progress)
    print(f"\r{label}: done in {time.monotonic() - started:.1f} s" + " " * 20, file=sys.stderr)


def _require(program: str) -> str:
    found = shutil.which(program)
    if not found:
        raise ConfigurationError(f"{program} is not on PATH: install the PostgreSQL client programs "
                                 "(e.g. apt-get install postgresql-client) of the server's major version")
    return found


def _pg_env(db: dict) -> tuple[list[str], dict[str, str]]:
    args = ["--host", str(db.get("HOST") or "127.0.0.1"), "--port", str(db.get("PORT") or 5432),
            "--username", str(db.get("USER") or "postgres"), "--dbname", str(db["NAME"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def run_backup(args: argparse.Namespace) -> int:
    target: Path = args.file
    if target.exists() and not args.force:
        raise ConfigurationError(f"{target} exists: choose another file or pass --force")
    db = _database()
    if db["ENGINE"].endswith("sqlite3"):
        if target.exists():
            target.unlink()
        _copy_sqlite(str(db["NAME"]), str(target), "backup")
        stories = _check_sqlite_copy(target)
        print(f"backed up {db['NAME']} to {target}: {target.stat().st_size:,} bytes, {stories:,} stories, "
              "integrity ok")
        return 0
    connection_args, env = _pg_env(db)
    command = [_require("pg_dump"), *connection_args, "--format=custom", "--no-owner", "--file", str(target)]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        print(f"tickerwire: pg_dump failed: {result.stderr.strip()}", file=sys.stderr)
        return 1
    print(f"backed up PostgreSQL database {db['NAME']} to {target}: {target.stat().st_size:,} bytes "
          "(pg_dump custom format; restore with `tickerwire restore`)")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    source: Path = args.file
    if not source.is_file():
        raise ConfigurationError(f"{source} is not a file")
    db = _database()
    from django.db import connection

    from tickerwire.cli import migrate_quietly

    if db["ENGINE"].endswith("sqlite3"):
        stories_in_copy = _check_sqlite_copy(source)
        _refuse_if_holding_stories(args.force)
        connection.close()
        _copy_sqlite(str(source), str(db["NAME"]), "restore")
    else:
        _refuse_if_holding_stories(args.force)
        connection.close()
        connection_args, env = _pg_env(db)
        command = [_require("pg_restore"), *connection_args, "--clean", "--if-exists", "--no-owner",
                   "--single-transaction", str(source)]
        result = subprocess.run(command, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            print(f"tickerwire: pg_restore failed, the database is unchanged: {result.stderr.strip()}",
                  file=sys.stderr)
            return 1
        stories_in_copy = -1
    migrate_quietly()
    from tickerwire.articles.models import Article

    stories = Article.objects.count()
    if stories_in_copy >= 0 and stories != stories_in_copy:
        print(f"tickerwire: restored {stories} stories but the copy holds {stories_in_copy}", file=sys.stderr)
        return 1
    print(f"restored {source}: {stories:,} stories; schema migrated to the current version")
    return 0


def _refuse_if_holding_stories(force: bool) -> None:
    from django.db import DatabaseError

    from tickerwire.articles.models import Article

    try:
        held = Article.objects.count()
    except DatabaseError:
        return  # no schema yet: nothing to lose
    if held and not force:
        raise ConfigurationError(f"the database holds {held:,} stories: pass --force to replace them "
                                 "(take a backup of it first)")
