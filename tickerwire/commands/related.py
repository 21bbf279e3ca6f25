"""``tickerwire related KEY... [--k 5] [--refresh]``: print each story's related stories as JSON Lines."""

from __future__ import annotations

import argparse
import json
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "related",
        help="print the stored related stories of articles, one JSON object per key",
        description='Print {"key": KEY, "related": [KEY, ...]} per article key, best first. --refresh ranks '
        "the article again (embedding it first when needed) and stores the new list. Unknown keys are "
        "reported on stderr; the exit status is 1 only when no key was found.",
    )
    parser.add_argument("keys", nargs="+", metavar="KEY", help="article keys, as `tickerwire parse` prints them")
    parser.add_argument("--k", type=int, default=5, help="how many related stories (default 5)")
    parser.add_argument("--refresh", action="store_true", help="rank again and store the result first")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tickerwire.cli import migrate_quietly, setup_django

    setup_django()
    migrate_quietly()
    from tickerwire.articles.actions.enrich import do_embed_and_relate
    from tickerwire.articles.actions.ingest import storage_key
    from tickerwire.articles.models import Article, RelatedArticle

    if args.k < 1:
        print("--k must be at least 1", file=sys.stderr)
        return 2
    found = 0
    for key in args.keys:
        article_id = Article.objects.filter(key=storage_key(key)).values_list("id", flat=True).first()
        if article_id is None:
            print(f"{key}: no such article", file=sys.stderr)
            continue
        found += 1
        if args.refresh:
            do_embed_and_relate(article_id, k=args.k)
        related = (
            RelatedArticle.objects.filter(article_id=article_id)
            .order_by("-score", "related_id")
            .values_list("related__key", flat=True)[: args.k]
        )
        sys.stdout.write(json.dumps({"key": key, "related": list(related)}, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 0 if found else 1
