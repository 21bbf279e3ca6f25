"""Measure the JSON API beside the HTML pages: list, detail and search with 10,000 stories, in one run.

Shares the store, servers and ``wrk`` runner with ``bench/pages.py`` (:mod:`bench.http_harness`): each
set-up drives the HTML pages and the API endpoints ``/api/v1/articles`` (newest 20), ``/api/v1/articles/<id>``
(the pages' article) and ``/api/v1/search?q=oil prices``, and every row prints its ratio to nginx serving
the article's HTML as a static file, measured in the same run.

The API answers anonymous readers at most ``TICKERWIRE_API_READ_RATE`` requests per IP (default
``1200/min``), cached copies included; the bench raises it to ``1000000/s`` in the servers' environment,
or ``wrk`` would mostly measure 429 answers.

Run: ``.venv/bin/python bench/api.py [--stories 10000] [--duration 10] [--connections 16] [--workers 2]
[--threads 2] [--home DIR] [--setups app,app+cache]`` (the options of bench/pages.py; by default the app
alone and with its page cache, which keeps anonymous API reads as it keeps pages).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_harness import load_stories, machine_load  # noqa: E402 - the bench folder is not on sys.path
from pages import add_arguments, report, run_setups  # noqa: E402


def api_paths(article_path: str) -> dict[str, str]:
    """Return the API endpoints to drive, the detail one for the article the pages drive."""
    found = re.search(r"-(\d+)/$", article_path)
    if found is None:
        raise SystemExit(f"no article id in {article_path!r}")
    return {
        "api list": "/api/v1/articles",
        "api detail": f"/api/v1/articles/{found.group(1)}",
        "api search": "/api/v1/search?q=oil+prices",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    parser.set_defaults(setups=["app", "app+cache"])
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tw-api-") as scratch:
        home = args.home or Path(scratch)
        stored = load_stories(home, args.stories)
        print(machine_load(), flush=True)
        run = run_setups(home, args, extra=lambda pages: api_paths(pages["article"]))
    report(stored, args, run)
    print("  (API read rate raised to TICKERWIRE_API_READ_RATE=1000000/s for the bench)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
