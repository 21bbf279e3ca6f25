"""``tickerwire serve [--host H] [--port P] [--workers N]``: run the site under gunicorn, the production server.

The schema is migrated and static files are collected into ``STATIC_ROOT`` first (WhiteNoise serves them
from there), so a fresh checkout serves a working site with one command.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from gunicorn.app.base import BaseApplication

from tickerwire.cli import migrate_quietly, setup_django

WSGI_APPLICATION = "tickerwire.config.wsgi:application"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_WORKERS = 2
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the site with gunicorn (migrates and collects static files first)",
        description="Migrate the database, collect static files and serve the site with gunicorn "
        f"({WSGI_APPLICATION}) until interrupted.",
    )
    add_server_arguments(parser)
    parser.set_defaults(func=run)


def add_server_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the --host, --port and --workers arguments shared by serve and demo."""
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default: {DEFAULT_HOST})")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port to listen on (default: {DEFAULT_PORT})")
    parser.add_argument(
        "--workers",
        type=positive_int,
        default=DEFAULT_WORKERS,
        help=f"gunicorn worker processes (default: {DEFAULT_WORKERS})",
    )


def positive_int(text: str) -> int:
    """Parse a count of at least one, for argparse."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def prepare_site() -> None:
    """Set up Django, bring the schema up to date and collect static files, printing nothing on success."""
    setup_django()
    migrate_quietly()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def site_url(host: str, port: int) -> str:
    """Return the address a browser opens for a host and port (IPv6 hosts in brackets)."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


class SiteApplication(BaseApplication):  # type: ignore[misc]
    """Gunicorn running the Tickerwire WSGI application in-process, configured from a dict."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from tickerwire.config.wsgi import application

        return application


def serve(host: str, port: int, workers: int) -> int:
    """Serve the site until gunicorn stops; return its exit status.

    Database connections opened while preparing are closed first, so forked workers never share one.
    """
    from django.db import connections

    connections.close_all()
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    options = {
        "bind": bind,
        "workers": workers,
        "proc_name": "tickerwire",
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "timeout": 60,
    }
    print(f"Serving {site_url(host, port)} with gunicorn ({workers} workers); press Ctrl+C to stop.", flush=True)
    warn_unreachable_names(host)
    try:
        SiteApplication(options).run()
    except SystemExit as exc:  # gunicorn's arbiter exits the process when it halts
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


def warn_unreachable_names(host: str) -> None:
    """Say how to admit other host names when listening beyond loopback, since Django refuses unknown ones."""
    from django.conf import settings

    if host in LOOPBACK_HOSTS or "*" in settings.ALLOWED_HOSTS:
        return
    allowed = ", ".join(settings.ALLOWED_HOSTS) or "none"
    print(
        f"Note: only these host names are accepted: {allowed}. Set ALLOWED_HOSTS (comma-separated) to the "
        "names browsers will use to reach this machine.",
        file=sys.stderr,
    )


def run(args: argparse.Namespace) -> int:
    prepare_site()
    status = serve(args.host, args.port, args.workers)
    if status:
        print(f"gunicorn stopped with status {status}", file=sys.stderr)
    return status
