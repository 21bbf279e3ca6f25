"""Comment posting under load: N readers post at once against the production server (granian) on loopback.

Each reader tries to post every ``--every`` seconds for ``--seconds`` seconds (bounded). The server runs
``--workers`` processes sharing the rate limiter through Redis (``--cache``), so the per-reader limit
(``TICKERWIRE_COMMENTS_POST_RATE``, 1 per 30 s) is counted once across processes. Afterwards it checks:

- no answer was a server error (5xx) or a dropped connection;
- every acknowledged comment (201, with its ``X-Comment-Id``) is stored with the text that was sent, and
  nothing else was stored (no comment lost, none written without an acknowledgement);
- the rate limit held exactly: each reader got exactly one acknowledgement in each 30-second window in
  which they tried, and every other attempt was refused with 429. The window is the one the server counted
  the attempt in, from its ``X-RateLimit-Reset`` header (a request sent at a window's end may be counted in
  the next one).

Run: ``PYTHONPATH=$PWD .venv/bin/python bench/comments_load.py --port 8251``; exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from email.message import Message
from pathlib import Path

from bench.http_harness import PYTHON, REPO, app_server, store_env

_SETUP = """
import json, sys
sys.path.insert(0, {repo!r})
from tickerwire.cli import setup_django, migrate_quietly
setup_django(); migrate_quietly()
from django.conf import settings
from django.contrib.auth import get_user_model, HASH_SESSION_KEY, SESSION_KEY, BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from allauth.account.models import EmailAddress
from tests.site.stories import ORBIS, tagged_story
from tickerwire.accounts.actions import create_profile
story = tagged_story(1, ORBIS)
cookies = []
for n in range({readers}):
    user = get_user_model().objects.create_user(username=f"load{{n}}", email=f"load{{n}}@example.test")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    create_profile(user, f"Load {{n}}")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    cookies.append({{"user": user.pk, "session": session.session_key}})
print(json.dumps({{"story": story.pk, "readers": cookies}}))
"""

_COUNT = """
import json, sys
sys.path.insert(0, {repo!r})
from tickerwire.cli import setup_django
setup_django()
from tickerwire.comments.models import Comment
print(json.dumps([[c.pk, c.author_id, c.body] for c in Comment.objects.order_by("pk")]))
"""


def run_python(code: str, home: Path, env: dict[str, str]) -> object:
    out = subprocess.run([str(PYTHON), "-c", code], env=store_env(home, **env), check=True, capture_output=True,
                         text=True, cwd=REPO)
    return json.loads(out.stdout.strip().splitlines()[-1])


class Reader(threading.Thread):
    def __init__(self, base: str, story: int, user: int, session: str, until: float, every: float) -> None:
        super().__init__(daemon=True)
        self.base, self.story, self.user, self.session = base, story, user, session
        self.until, self.every = until, every
        # (window end the server counted it in, status, comment id, text, seconds)
        self.results: list[tuple[int, int, str, str, float]] = []
        self.csrf = ""

    def request(self, path: str, data: bytes | None = None) -> tuple[int, Message, bytes]:
        cookie = f"sessionid={self.session}" + (f"; csrftoken={self.csrf}" if self.csrf else "")
        headers = {"Cookie": cookie, "Accept": "application/json" if data is not None else "text/html"}
        if data is not None:
            headers |= {"X-CSRFToken": self.csrf, "Content-Type": "application/x-www-form-urlencoded"}
        request = urllib.request.Request(self.base + path, data=data, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def run(self) -> None:
        _status, headers, _body = self.request(f"/articles/{self.story}/comments")
        for part in headers.get_all("Set-Cookie") or []:
            if part.startswith("csrftoken="):
                self.csrf = part.split("csrftoken=", 1)[1].split(";", 1)[0]
        n = 0
        while time.time() < self.until:
            text = f"load comment by {self.user} number {n}"
            started = time.perf_counter()
            try:
                status, headers, _body = self.request(f"/articles/{self.story}/comments/post",
                                                      f"text={text.replace(' ', '+')}".encode())
            except OSError:  # a dropped connection counts as a failure
                status, headers = 0, Message()
            self.results.append((int(headers.get("X-RateLimit-Reset") or 0), status, headers.get("X-Comment-Id") or "",
                                 text,
                                 time.perf_counter() - started))
            n += 1
            time.sleep(max(0.0, self.every - (time.perf_counter() - started)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=65.0, help="how long readers keep posting (bounded)")
    parser.add_argument("--every", type=float, default=1.0, help="seconds between one reader's attempts")
    parser.add_argument("--port", type=int, default=8251)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cache", default="redis://127.0.0.1:6379/2")
    args = parser.parse_args(argv)
    home = Path(tempfile.mkdtemp(prefix="tw-comments-load-"))
    env = {"TICKERWIRE_CACHE_URL": args.cache, "TICKERWIRE_CACHE_KEY_PREFIX": f"load{time.time_ns()}",
           "TICKERWIRE_COMMENTS_PREMODERATE_FIRST": "0", "TICKERWIRE_COMMENTS_POST_RATE": "1/30s",
           # Every reader posts from 127.0.0.1 here: the per-address limit would be what is measured.
           "TICKERWIRE_COMMENTS_POST_IP_RATE": "1000000/10min", "TICKERWIRE_ENRICH": "0"}
    setup = run_python(_SETUP.format(repo=str(REPO), readers=args.readers), home, env)
    assert isinstance(setup, dict)
    with app_server(home, args.port, args.workers, **env) as base:
        until = time.time() + args.seconds
        readers = [Reader(base, setup["story"], r["user"], r["session"], until, args.every) for r in setup["readers"]]
        started = time.perf_counter()
        for reader in readers:
            reader.start()
        for reader in readers:
            reader.join(timeout=args.seconds + 120)
        elapsed = time.perf_counter() - started
    stored = run_python(_COUNT.format(repo=str(REPO)), home, env)
    assert isinstance(stored, list)
    results = [(reader.user, *result) for reader in readers for result in reader.results]
    statuses = Counter(status for _u, _s, status, _i, _t, _d in results)
    acknowledged = {int(cid): (user, text) for user, _s, status, cid, text, _d in results if status == 201}
    by_id = {pk: (author, body) for pk, author, body in stored}
    lost = [cid for cid, want in acknowledged.items() if by_id.get(cid) != want]
    unacknowledged = sorted(set(by_id) - set(acknowledged))
    per_window: dict[tuple[int, int], Counter[int]] = defaultdict(Counter)
    for user, window, status, _cid, _text, _d in results:
        per_window[(user, window)][status] += 1
    inexact = [(key, dict(counts)) for key, counts in per_window.items() if counts[201] != 1]
    latencies = sorted(d for *_r, d in results)
    p = (lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000) if latencies else (
        lambda q: 0.0)
    print(f"{args.readers} readers x {args.seconds:.0f}s, one attempt each per {args.every:.1f}s, {args.workers} "
          f"granian workers, limiter in {args.cache}: {len(results)} requests in {elapsed:.1f}s")
    print(f"answers: {dict(sorted(statuses.items()))}; latency p50 {p(0.5):.0f} ms, p99 {p(0.99):.0f} ms, "
          f"max {p(1.0):.0f} ms; mean {statistics.fmean(latencies) * 1000 if latencies else 0:.0f} ms")
    for code in sorted(statuses):
        times = sorted(d for _u, _w, status, _i, _t, d in results if status == code)
        print(f"  {code}: {len(times)} answers, p50 {times[len(times) // 2] * 1000:.0f} ms, "
              f"p99 {times[min(len(times) - 1, int(0.99 * len(times)))] * 1000:.0f} ms")
    print(f"acknowledged {len(acknowledged)}, stored {len(by_id)}, lost {len(lost)}, stored without an "
          f"acknowledgement {len(unacknowledged)}")
    print(f"reader-windows {len(per_window)}: exactly one acknowledgement in {len(per_window) - len(inexact)}, "
          f"not exactly one in {len(inexact)}")
    failures = [statuses[s] for s in statuses if s == 0 or s >= 500]
    ok = not failures and not lost and not unacknowledged and not inexact
    if inexact:
        print("windows without exactly one acknowledgement:", inexact[:10])
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
