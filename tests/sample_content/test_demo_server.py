"""`tickerwire demo` end to end: a real granian server serving the sample content and its static files."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tickerwire.sample_content import sample_files

STARTUP_SECONDS = 240  # loading 15,000 tickers and embedding 41 stories is slow on a busy 2-core machine


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def wait_until_serving(url: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            pytest.fail(f"demo exited with {process.returncode} before serving:\n{output}")
        try:
            fetch(url)
            return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"demo did not answer on {url} within {STARTUP_SECONDS}s")


@pytest.mark.slow
def test_demo_serves_pages_and_static_files_then_stops_cleanly(tmp_path: Path) -> None:
    """The demo loads the sample content into a fresh SQLite home, serves it with granian, and exits 0 on Ctrl+C."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}  # never the shared database
    env["TICKERWIRE_HOME"] = str(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "tickerwire", "demo", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base + "/", process)
        # Browsers keep connections open between pages: idle ones must not hold up other readers.
        idle = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(4)]
        for connection in idle:
            connection.request("GET", "/robots.txt")
            connection.getresponse().read()
        status, _type, page = fetch(base + "/")
        assert status == 200
        assert b"Orbweave" in page
        status, content_type, _css = fetch(base + "/static/site/site.css")
        assert (status, content_type.split(";")[0]) == (200, "text/css")
        assert (tmp_path / "static" / "site" / "site.css").exists()
        for connection in idle:
            connection.close()
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    files = sample_files()
    originals = sum(sample.revision_of is None for sample in files)
    assert f"{len(files)} files: {originals} new, {len(files) - originals} revised" in output
    assert f"Tickerwire demo: {base}/" in output
