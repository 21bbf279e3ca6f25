"""Mistakes in the environment get one line saying what to set, not a traceback: configuration, a port in
use, a folder with nothing to ingest. Each runs the real command, ``python -m tickerwire``."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def tickerwire(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``python -m tickerwire ARGS`` from this checkout with exactly the settings in ``env``.

    The command runs in a session of its own, ended whole if it outlives ``timeout`` (a server that did
    start must not leave its workers behind).
    """
    unset = ("DATABASE_URL", "TICKERWIRE_HOME", "DJANGO_SETTINGS_MODULE")
    base = {k: v for k, v in os.environ.items() if k not in unset}
    command = [sys.executable, "-m", "tickerwire", *args]
    with subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          env={**base, "PYTHONPATH": str(REPO_ROOT), **env}, start_new_session=True) as process:
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """Assert the command failed with status 2 and one stderr line (no traceback); return that line."""
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_home_that_is_a_file_is_named(tmp_path: Path) -> None:
    """TICKERWIRE_HOME pointing at a file says so and asks for a folder."""
    not_a_folder = tmp_path / "home.txt"
    not_a_folder.write_text("x")
    line = one_line_error(tickerwire("ingest", str(tmp_path), env={"TICKERWIRE_HOME": str(not_a_folder)}))
    assert f"TICKERWIRE_HOME={not_a_folder} is a file" in line and "set TICKERWIRE_HOME to a folder" in line


def test_garbage_database_url_is_named(tmp_path: Path) -> None:
    """A DATABASE_URL that is not a URL says so and shows the forms it takes."""
    line = one_line_error(tickerwire("search", "x", env={"TICKERWIRE_HOME": str(tmp_path), "DATABASE_URL": "garbage"}))
    assert "DATABASE_URL='garbage' is not a database URL" in line
    assert "postgres://" in line and "sqlite:///" in line


def test_unreachable_postgres_is_named_without_its_password(tmp_path: Path) -> None:
    """A PostgreSQL server nobody listens for is named (password hidden) with what to do."""
    with socket.socket() as reserved:  # a port certainly closed: bound here, never listening
        reserved.bind(("127.0.0.1", 0))
        port = reserved.getsockname()[1]
        url = f"postgres://postgres:s3cret@127.0.0.1:{port}/x"
        line = one_line_error(tickerwire("search", "x", env={"TICKERWIRE_HOME": str(tmp_path), "DATABASE_URL": url}))
    assert f"cannot use the database postgres://postgres:***@127.0.0.1:{port}/x" in line
    assert "s3cret" not in line and "set DATABASE_URL" in line


@pytest.fixture
def busy_port() -> Iterator[int]:
    """Yield a port held by a listening socket, as another ``tickerwire serve`` holds it: granian sets
    SO_REUSEPORT, which would let a second granian bind the same port and share its requests."""
    with socket.socket() as holder:
        holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


@pytest.mark.parametrize("command", ["serve", "demo"])
def test_serve_refuses_a_port_in_use_at_once(tmp_path: Path, busy_port: int, command: str) -> None:
    """serve (and demo) on a port another server listens on stop before doing any work, with one line."""
    started = time.monotonic()
    result = tickerwire(command, "--host", "127.0.0.1", "--port", str(busy_port),
                        env={"TICKERWIRE_HOME": str(tmp_path)}, timeout=30)
    elapsed = time.monotonic() - started
    line = one_line_error(result)
    assert f"port {busy_port} on 127.0.0.1 is already in use" in line and "--port" in line
    assert elapsed < 10, elapsed
    assert not (tmp_path / "tickerwire.sqlite3").exists()  # refused before migrating or loading anything


def test_ingest_of_an_empty_folder_says_no_input_was_found(tmp_path: Path) -> None:
    """A folder with no files to read (hidden ones are skipped) is named with what was looked for; status 1."""
    inbox = tmp_path / "inbox"
    (inbox / ".cache").mkdir(parents=True)
    (inbox / ".cache" / "stale.json").write_text("{}")
    (inbox / "empty-day").mkdir()
    result = tickerwire("ingest", str(inbox), env={"TICKERWIRE_HOME": str(tmp_path / "home")})
    assert result.returncode == 1, result.stderr
    assert f"{inbox}: no input found: looked for every file below it (**/*)" in result.stderr
    assert "hidden files and folders (.*) left out" in result.stderr
    assert "0 new" not in result.stderr and "Traceback" not in result.stderr
