"""A real ``tickerwire serve`` (granian) in a child process, on its own SQLite store, for tests of what the
Django test client cannot show: chunked bodies, several worker processes sharing one limit.

Ports come from ``TICKERWIRE_TEST_PORTS`` (``first-last``, e.g. ``8200-8249`` where ports are shared
between sessions), else from the operating system. Only loopback is used.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
STARTUP_SECONDS = 120


def free_port() -> int:
    """Return a free loopback port, from ``TICKERWIRE_TEST_PORTS`` when it is set."""
    spec = os.environ.get("TICKERWIRE_TEST_PORTS", "")
    candidates = range(int(spec.split("-")[0]), int(spec.split("-")[1]) + 1) if spec else [0]
    for port in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise RuntimeError(f"no free port in TICKERWIRE_TEST_PORTS={spec}")


def server_env(home: Path, **settings: str) -> dict[str, str]:
    """Return the environment of a server process storing under ``home`` (never the test's own database)."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "TICKERWIRE_CACHE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update({"TICKERWIRE_HOME": str(home), "TICKERWIRE_ENRICH": "0", "TICKERWIRE_EMBEDDINGS": "none",
                "PYTHONPATH": str(REPO_ROOT), **settings})
    return env


def create_key(env: dict[str, str], source: str) -> str:
    """Create an API key in the server's store with ``tickerwire apikey create``; return the token."""
    done = subprocess.run([sys.executable, "-m", "tickerwire", "apikey", "create", source], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@contextmanager
def live_server(env: dict[str, str], workers: int = 1) -> Iterator[str]:
    """Run ``tickerwire serve`` with ``env`` and ``workers`` processes; yield its base address."""
    port = free_port()
    log = Path(env["TICKERWIRE_HOME"]) / "serve.log"
    Path(env["TICKERWIRE_HOME"]).mkdir(parents=True, exist_ok=True)
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "tickerwire", "serve", "--port", str(port), "--workers", str(workers)],
            cwd=REPO_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"tickerwire serve exited with {process.returncode}:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(base + "/robots.txt", timeout=5):
                    break
            except (OSError, urllib.error.URLError):
                if time.monotonic() > deadline:
                    pytest.fail(f"tickerwire serve did not answer within {STARTUP_SECONDS}s:\n{log.read_text()}")
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
