"""Measure the peak memory and time of one large push to ``POST /api/v1/ingest``.

Each case runs in a fresh child process (its own SQLite store under a temporary folder, enrichment on,
embeddings off so the model's own memory does not hide the push's): the process migrates, creates an API
key, pushes one small story (so every model and table is loaded), then the measured body through Django's
test client, and reports

- ``rss``: how far the push raised the process's peak resident memory (``ru_maxrss`` after minus before),
- ``peak RSS``: the process's peak resident memory over its life (Django, models and the push),
- ``traced`` (``--traced``): the peak of Python allocations during the push (``tracemalloc``; a second run,
  since tracing slows the push down several times),
- ``x body``: what the push added (traced, else RSS) as a multiple of the body's size,
- the time of the untraced push and the statuses it answered.

Cases (each body is ``--mb`` MB, default 5):

- ``wire``: one piece of wire copy, paragraphs of about 2.8 kB, with ``TICKERWIRE_MAX_STORY_BYTES``
  raised above the body (the default cap refuses it before parsing);
- ``wire-capped``: the same body under the default caps (refused with 413 before parsing);
- ``ninjs-one``: one ninjs item whose body is the whole text (the story cap refuses it after parsing);
- ``ninjs-many``: a ninjs array of 5 kB stories;
- ``draft-many``: draft JSON Lines of 5 kB stories.

``--tree DIR`` measures the code in another checkout (e.g. a worktree of the commit before a change), so one
command prints before and after::

    .venv/bin/python bench/push_memory.py --tree /work/wt/sec2-before --tree . --cases wire,ninjs-many
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
CASES = ("wire", "wire-capped", "ninjs-one", "ninjs-many", "draft-many")

FUNCTION_WORDS = ("the", "of", "and", "to", "in", "for", "on", "with", "as", "at", "by", "from", "that", "its")


@lru_cache(maxsize=1)
def vocabulary() -> tuple[str, ...]:
    """Return common lower-case dictionary words (the language check's own list), in a fixed order."""
    from tickerwire.ingest.language import dictionary_words

    return tuple(sorted(word for word in dictionary_words() if word.isalpha() and 4 <= len(word) <= 9))[:5000]


def paragraph(n: int, size: int = 600) -> str:
    """Return a paragraph of about ``size`` bytes of English words in varied order (it must read as language)."""
    rng = random.Random(n)
    words = vocabulary()
    out, total = [], 0
    while total < size:
        word = FUNCTION_WORDS[rng.randrange(len(FUNCTION_WORDS))] if len(out) % 3 == 1 else rng.choice(words)
        out.append(word)
        total += len(word) + 1
    return f"Orbis Widgets (MSX: ORBW) said on day {n} that {' '.join(out)}, up {n % 90 + 1}.{n % 10}%."


def body(case: str, size: int) -> bytes:
    """Return the measured push of a case, about ``size`` bytes."""
    if case in ("wire", "wire-capped"):
        parts = ["Orbis Widgets lifts outlook on strong orders", "",
                 "ZENITH CITY, March 4 (Tickerwire Bench Wire) - " + paragraph(0, 2800)]
        n = 1
        while sum(len(p) + 2 for p in parts) < size:  # 2.8 kB paragraphs: 5 MB stays under 2,000 of them
            parts += ["", paragraph(n, 2800)]
            n += 1
        return "\n".join(parts).encode()
    if case == "ninjs-one":
        text = "\n".join(f"<p>{paragraph(n)}</p>" for n in range(size // 610))
        return json.dumps({"uri": "urn:bench:one", "headline": "Orbis Widgets lifts outlook", "body_html": text,
                           "versioncreated": "2026-03-04T10:00:00Z", "language": "en"}).encode()
    stories = []
    n = 0
    total = 0
    while total < size:
        paragraphs = [paragraph(n * 10 + k) for k in range(8)]
        if case == "ninjs-many":
            item = {"uri": f"urn:bench:{n}", "headline": f"Orbis Widgets story {n} lifts outlook",
                    "body_html": "".join(f"<p>{p}</p>" for p in paragraphs),
                    "versioncreated": "2026-03-04T10:00:00Z", "language": "en"}
        else:
            item = {"headline": f"Orbis Widgets story {n} lifts outlook", "published": "2026-03-04T10:00:00",
                    "source": {"site": "Bench Wire", "section": "Business"},
                    "body": [{"type": "paragraph", "text": p} for p in paragraphs]}
        line = json.dumps(item)
        stories.append(line)
        total += len(line) + 2
        n += 1
    if case == "ninjs-many":
        return ("[" + ",\n".join(stories) + "]").encode()
    return "\n".join(stories).encode()


CHILD = r"""
import json, os, resource, sys, time, tracemalloc
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings
call_command("migrate", verbosity=0)
from tickerwire.api.actions import do_create_api_key
token = do_create_api_key("Bench Wire").token
fmt = sys.argv[2]
data = open(sys.argv[1], "rb").read()
client = Client()
headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
def push(payload, when):
    response = client.post(f"/api/v1/ingest?format={fmt}", data=payload, content_type="text/plain", **headers)
    if response.status_code != 200:
        return response.status_code, {"error": response.json()["error"]["message"][:120]}
    items = response.json().get("items", [])
    statuses = {}
    for item in items:
        statuses[item["status"]] = statuses.get(item["status"], 0) + 1
    return response.status_code, statuses
small = (b"Warm-up story lifts outlook\n\nZENITH CITY, March 4 (Bench) - Orbis Widgets (MSX: ORBW) said orders "
         b"rose 4% as demand for its products held up across markets.\n")
with override_settings(TICKERWIRE_API_INGEST_RATE="1000/min"):
    client.post("/api/v1/ingest?format=wire", data=small, content_type="text/plain", **headers)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    status = push(data, "untraced")
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    from tickerwire.articles.models import Article
    Article.objects.all().delete()
    peak = float("nan")
    if sys.argv[3] == "traced":
        tracemalloc.start()
        push(data, "traced")
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
print(json.dumps({"rss_mb": (after - before) / 1024, "peak_rss_mb": after / 1024, "traced_mb": peak / 2**20,
                  "seconds": seconds,
                  "status": status[0], "items": status[1]}))
"""


def measure(tree: Path, case: str, data: bytes, traced: bool) -> dict[str, object]:
    """Run one case in a child process on the code in ``tree``; return its figures."""
    fmt = {"wire": "wire", "wire-capped": "wire", "ninjs-one": "ninjs", "ninjs-many": "ninjs",
           "draft-many": "draft"}[case]
    with tempfile.TemporaryDirectory(prefix="tw-push-") as folder:
        path = Path(folder) / "body"
        path.write_bytes(data)
        env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "TICKERWIRE_CACHE_URL")}
        env.update({"TICKERWIRE_HOME": folder, "DJANGO_SETTINGS_MODULE": "tickerwire.config.settings",
                    "PYTHONPATH": str(tree), "TICKERWIRE_EMBEDDINGS": "none",
                    "TICKERWIRE_INGEST_MAX_BYTES": str(len(data) + 1024)})
        if case == "wire":
            env["TICKERWIRE_MAX_STORY_BYTES"] = str(len(data) + 1024)
        command = [sys.executable, "-c", CHILD, str(path), fmt, "traced" if traced else "-"]
        done = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, timeout=1800, check=False)
        if done.returncode != 0:
            return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}
        return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", action="append", type=Path, help="checkout to measure (repeat; default: this one)")
    parser.add_argument("--cases", default=",".join(CASES), help=f"comma-separated, of {', '.join(CASES)}")
    parser.add_argument("--mb", type=float, default=5.0, help="body size in MB (default 5)")
    parser.add_argument("--traced", action="store_true",
                        help="also push again under tracemalloc (several times slower)")
    args = parser.parse_args()
    trees = [tree.resolve() for tree in (args.tree or [REPO])]
    size = int(args.mb * 1_000_000)
    print(f"{'case':<12} {'tree':<28} {'body MB':>8} {'+RSS MB':>8} {'peak RSS':>9} {'traced MB':>10} {'x body':>7} "
          f"{'s':>7}  answer", flush=True)
    for case in args.cases.split(","):
        data = body(case, size)
        for tree in trees:
            figures = measure(tree, case, data, args.traced)
            if "error" in figures:
                print(f"{case:<12} {str(tree)[-28:]:<28} failed: {figures['error']}", flush=True)
                continue
            grown = float(figures["traced_mb"] if args.traced else figures["rss_mb"])  # type: ignore[arg-type]
            ratio = grown / (len(data) / 2**20)
            print(f"{case:<12} {str(tree)[-28:]:<28} {len(data) / 1e6:>8.2f} {figures['rss_mb']:>8.0f} "
                  f"{figures['peak_rss_mb']:>9.0f} {figures['traced_mb']:>10.0f} {ratio:>7.1f} "
                  f"{figures['seconds']:>7.1f}  "
                  f"{figures['status']} {figures['items']}", flush=True)


if __name__ == "__main__":
    main()
