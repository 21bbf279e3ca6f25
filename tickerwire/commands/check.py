"""``tickerwire check``: Django's deployment checks (``check --deploy``) with the production settings.

The production settings are those ``TICKERWIRE_HTTPS=1`` switches on (HSTS, secure cookies, the HTTPS
redirect, the proxy's HTTPS header), so this runs with it set whatever the environment says, and with
``SECRET_KEY`` and ``ALLOWED_HOSTS`` from the environment, as the site will run. Any warning fails it.
"""

from __future__ import annotations

import argparse
import os
import sys

from tickerwire.cli import ConfigurationError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check",
        help="run Django's deployment checks with the production settings (TICKERWIRE_HTTPS=1)",
        description="Run `manage.py check --deploy` with TICKERWIRE_HTTPS=1 and SECRET_KEY and ALLOWED_HOSTS "
        "from the environment; exit 1 on any warning or error.",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    os.environ["TICKERWIRE_HTTPS"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tickerwire.config.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise ConfigurationError(" ".join(str(exc).split())) from None
    try:
        call_command("check", deploy=True, fail_level="WARNING", stdout=sys.stdout, stderr=sys.stderr)
    except SystemCheckError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0
