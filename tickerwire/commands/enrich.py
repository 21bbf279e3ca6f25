"""``tickerwire enrich PATH... [--format F] [--with-embedding]``: print each story with its enrichment.

The output is ``tickerwire parse``'s JSON Lines with an ``enrichment`` key added. No database is needed.
The 384-number embedding is left out unless asked for: it makes every line several kilobytes long, and
computing it loads the model, which the other fields do not need.
"""

from __future__ import annotations

import argparse
import json
import sys

from tickerwire.commands.parse import add_input_arguments, iter_drafts

BATCH = 64  # stories embedded per model call


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "enrich",
        help="parse and enrich input files; print one JSON object per story (JSON Lines)",
        description="Parse input files, add tickers, sections, figures and sentiment (and, on request, the "
        "embedding), and print one JSON object per story. Errors go to stderr; the exit status is 1 only when "
        "nothing parsed. The embedding backend comes from TICKERWIRE_EMBEDDINGS (dotted path, or none).",
    )
    add_input_arguments(parser)
    parser.add_argument(
        "--with-embedding",
        action="store_true",
        help="also compute and print the embedding vector (loads the model; lines get long)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tickerwire.enrich.embeddings import EmbeddingError
    from tickerwire.enrich.pipeline import enrich_drafts

    drafts, _failures = iter_drafts(args.paths, args.format)
    out = sys.stdout
    for start in range(0, len(drafts), BATCH):
        batch = [draft for _path, draft in drafts[start : start + BATCH]]
        try:
            enrichments = enrich_drafts(batch, embed=args.with_embedding)
        except EmbeddingError as exc:
            print(f"embedding failed: {exc}", file=sys.stderr)
            return 1
        for draft, enrichment in zip(batch, enrichments, strict=True):
            record = draft.to_json()
            record["enrichment"] = enrichment.to_json()
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()
    return 0 if drafts else 1
