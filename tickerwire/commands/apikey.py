"""``tickerwire apikey create|list|revoke|arrive-held``: manage the per-source keys that push stories to the API.

``arrive-held PREFIX on|off`` (or ``create --held``) makes the new stories pushed with one key arrive held,
so an editor reviews a new newsroom's stories before they publish (``desk arrive-held`` does it per source).
"""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("apikey", help="manage API keys for POST /api/v1/ingest",
                                   description="Create, list and revoke per-source API keys (stored hashed).")
    actions = parser.add_subparsers(dest="apikey_action", metavar="ACTION", required=True)
    create = actions.add_parser("create", help="create a key for a source; the key is printed once")
    create.add_argument("source", help="source name the key pushes stories as, e.g. 'Acme Wire'")
    create.add_argument("--name", default="", help="a label for the key (default: the source name)")
    create.add_argument("--held", action="store_true", help="new stories pushed with the key arrive held for review")
    actions.add_parser("list", help="list keys (prefix, source, created, last used, status)")
    revoke = actions.add_parser("revoke", help="revoke a key by its prefix")
    revoke.add_argument("prefix", help="the key's prefix as `apikey list` shows it")
    held = actions.add_parser("arrive-held", help="make the key's new stories arrive held for review (or not)")
    held.add_argument("prefix", help="the key's prefix as `apikey list` shows it")
    held.add_argument("setting", choices=("on", "off"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tickerwire.cli import migrate_quietly, setup_django

    setup_django()
    migrate_quietly()
    from tickerwire.api.actions import do_create_api_key, do_revoke_api_key, do_set_key_arrive_held
    from tickerwire.api.models import ApiKey

    if args.apikey_action == "create":
        new = do_create_api_key(args.source, args.name, arrive_held=args.held)
        print(new.token)
        print(f"created key {new.api_key.prefix} for source {args.source!r}; store it now, it is not shown again",
              file=sys.stderr)
        return 0
    if args.apikey_action == "list":
        keys = ApiKey.objects.select_related("source").order_by("created_at", "id")
        if not keys:
            print("no API keys; create one with: tickerwire apikey create SOURCE", file=sys.stderr)
        for key in keys:
            used = key.last_used_at.isoformat(timespec="seconds") if key.last_used_at else "never"
            status = "revoked" if key.revoked_at else "active, new stories arrive held" if key.arrive_held else "active"
            print(f"{key.prefix}\t{key.source.name}\t{key.name}\tcreated {key.created_at:%Y-%m-%d}\t"
                  f"last used {used}\t{status}")
        return 0
    try:
        if args.apikey_action == "arrive-held":
            key = do_set_key_arrive_held(args.prefix, args.setting == "on")
            print(f"{key.prefix} ({key.source.name}): new stories arrive {'held' if key.arrive_held else 'published'}")
            return 0
        key = do_revoke_api_key(args.prefix)
    except ApiKey.DoesNotExist:
        print(f"tickerwire apikey: no key with prefix {args.prefix!r} (see `tickerwire apikey list`)",
              file=sys.stderr)
        return 1
    print(f"revoked {key.prefix} ({key.source.name})", file=sys.stderr)
    return 0
