"""``tickerwire serve [--host H] [--port P] [--workers N] [--threads T]``: run the site under granian.

granian (a Rust HTTP server with a WSGI interface) keeps connections alive and parses HTTP outside Python,
so a page the hot-page cache answers (:class:`tickerwire.delivery.page_cache.PageCacheApp`) costs little more
than a dictionary look-up; gunicorn's sync workers spent most of a cached page's time on the connection.

The schema is migrated and static files are collected into ``STATIC_ROOT`` first (WhiteNoise serves them
from there), so a fresh checkout serves a working site with one command.
"""

from __future__ import annotations

import argparse
import errno
import socket
import sys

from tickerwire.cli import ConfigurationError, migrate_quietly, setup_django

WSGI_APPLICATION = "tickerwire.config.wsgi:application"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_WORKERS = 2
DEFAULT_THREADS = 2
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the site with granian (migrates and collects static files first)",
        description="Migrate the database, collect static files and serve the site with granian "
        f"({WSGI_APPLICATION}) until interrupted.",
    )
    add_server_arguments(parser)
    parser.set_defaults(func=run)


def add_server_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the --host, --port, --workers and --threads arguments shared by serve and demo."""
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default: {DEFAULT_HOST})")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port to listen on (default: {DEFAULT_PORT})")
    parser.add_argument(
        "--workers",
        type=positive_int,
        default=DEFAULT_WORKERS,
        help=f"server worker processes (default: {DEFAULT_WORKERS}; about one per core)",
    )
    parser.add_argument(
        "--threads",
        type=positive_int,
        default=DEFAULT_THREADS,
        help=f"request threads per worker (default: {DEFAULT_THREADS})",
    )


def positive_int(text: str) -> int:
    """Parse a count of at least one, for argparse."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def check_port_free(host: str, port: int) -> None:
    """Refuse a port another server listens on, before any work is done.

    granian listens with ``SO_REUSEPORT``, so a second server on the same port would start and the kernel
    would split the requests between the two. A plain bind (``SO_REUSEADDR`` only, which still admits a port
    whose last connections are closing) fails on a port in use, whoever holds it.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ConfigurationError(f"cannot listen on {host!r}: {exc.strerror}: give --host an address of this "
                                 "machine, such as 127.0.0.1") from None
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ConfigurationError(
                    f"port {port} on {host} is already in use (another `tickerwire serve`?): stop that server "
                    "or choose a free port with --port"
                ) from None
            raise ConfigurationError(f"cannot listen on {host} port {port}: {exc.strerror}: choose another "
                                     "--host or --port") from None


def prepare_site() -> None:
    """Set up Django, migrate, collect static files and drop old article snapshots, printing nothing on success."""
    setup_django()
    migrate_quietly()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    from tickerwire.delivery.snapshots import clear_snapshots

    clear_snapshots()  # pages rendered by the code that ran before may differ


def site_url(host: str, port: int) -> str:
    """Return the address a browser opens for a host and port (IPv6 hosts in brackets)."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def serve(host: str, port: int, workers: int, threads: int = DEFAULT_THREADS) -> int:
    """Serve the site with granian until interrupted; return the exit status.

    Database connections opened while preparing are closed first, so forked workers never share one.
    """
    from django.db import connections
    from granian import Granian
    from granian.constants import Interfaces
    from granian.log import LogLevels

    connections.close_all()
    server = Granian(
        WSGI_APPLICATION,
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        # Threads run requests; connections are not capped by them (granian's backpressure counts open
        # connections, so tying it to the threads would let a few idle keep-alive browsers stall a worker).
        blocking_threads=threads,
        log_level=LogLevels.warning,
        log_access=False,
    )
    print(f"Serving {site_url(host, port)} with granian ({workers} workers x {threads} threads); press Ctrl+C to "
          "stop.", flush=True)
    warn_unreachable_names(host)
    warn_unshared_limits(workers)
    try:
        server.serve()
    except SystemExit as exc:
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


def warn_unshared_limits(workers: int) -> None:
    """Say that rate limits multiply with the workers when the cache they are counted in is per process."""
    from django.conf import settings

    if workers > 1 and "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        print(
            f"Note: rate limits are counted in each of the {workers} workers' own memory, so each lets the full "
            "limit through. Set TICKERWIRE_CACHE_URL=redis://... to count them once for all.",
            file=sys.stderr,
        )


def run(args: argparse.Namespace) -> int:
    check_port_free(args.host, args.port)
    prepare_site()
    status = serve(args.host, args.port, args.workers, args.threads)
    if status:
        print(f"the server stopped with status {status}", file=sys.stderr)
    return status
