"""Article pages as static files for the web server in front (``TICKERWIRE_SNAPSHOT_DIR``).

Behind nginx (deploy/nginx.conf), an anonymous reader's request for an article page is answered from a file
at ``<dir>/news/<yyyy>/<mm>/<dd>/<slug>-<id>/index.html`` when one exists (``try_files``), and passed to the
application otherwise. Serving a file is nginx's cheapest path: a ``proxy_cache`` hit costs it about a third
more CPU on this page (bench/pages.py). The application writes the file when it renders and caches the page
(:class:`~tickerwire.delivery.page_cache.PageCacheMiddleware`), so a file is always a page Django sent:

- the write is atomic (a temporary file renamed over the old one), so nginx never serves half a page;
- after the rename the page's mark is checked again (group generation and revision ETag): a render that
  raced a new revision removes its own file, whichever of the two finished first;
- storing a story or refreshing its related list removes its file (:mod:`tickerwire.delivery.purge`),
  before and after a slug change;
- :func:`sweep` removes files older than ``TICKERWIRE_SNAPSHOT_SECONDS`` (default 60, the article page's
  ``max-age``), so what no purge covers (a related story's new headline) is as fresh as in ``proxy_cache``.
  Each server process sweeps in a background thread (:func:`start_sweeper`), and ``tickerwire serve``
  empties the folder at start, because new code may render pages differently.

With no folder configured (the embedded default) nothing here writes anything.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import threading
import time
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

# Only canonical article paths become files: their parts are digits and a slug, so a path cannot leave the
# folder, and nginx looks up exactly this name (``$uri`` + ``index.html``).
ARTICLE_PATH = re.compile(r"^/news/\d{4}/\d{2}/\d{2}/[a-z0-9]+(?:-[a-z0-9]+)*/$")
INDEX = "index.html"


def snapshot_root() -> Path | None:
    """Return the folder nginx serves article snapshots from, or None when snapshots are off."""
    folder = str(getattr(settings, "TICKERWIRE_SNAPSHOT_DIR", "") or "")
    return Path(folder) if folder else None


def snapshot_seconds() -> int:
    """Return how long a snapshot may be served before :func:`sweep` removes it."""
    return int(getattr(settings, "TICKERWIRE_SNAPSHOT_SECONDS", 60))


def snapshot_file(path: str) -> Path | None:
    """Return the file that holds the page at ``path``, or None (snapshots off, or not an article path)."""
    root = snapshot_root()
    if root is None or not ARTICLE_PATH.match(path):
        return None
    return root / path.strip("/") / INDEX


def write_snapshot(path: str, body: bytes, modified: float | None = None) -> Path | None:
    """Write the page at ``path`` atomically, dated ``modified``; return its file.

    Return None when nothing was written: snapshots are off, ``path`` is no article page, or the file
    already holds the page rendered at ``modified`` (so a server with no nginx in front, which sees every
    request, costs one ``stat`` per hit rather than a write).
    """
    target = snapshot_file(path)
    if target is None or (modified is not None and _is_dated(target, modified)):
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(body)
        os.chmod(temporary, 0o644)  # nginx's workers run as another user
        if modified is not None:
            os.utime(temporary, (modified, modified))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def _is_dated(target: Path, modified: float) -> bool:
    try:
        return abs(target.stat().st_mtime - modified) < 1e-3
    except FileNotFoundError:
        return False


def remove_snapshots(paths: list[str]) -> int:
    """Remove the files of these pages (those that exist); return how many went."""
    removed = 0
    for path in paths:
        target = snapshot_file(path)
        if target is None:
            continue
        try:
            target.unlink()
            removed += 1
        except FileNotFoundError:
            pass
    return removed


def sweep(max_age: float | None = None, now: float | None = None) -> int:
    """Remove snapshots (and abandoned temporary files) older than ``max_age`` seconds; return how many."""
    root = snapshot_root()
    if root is None or not root.is_dir():
        return 0
    limit = (time.time() if now is None else now) - (snapshot_seconds() if max_age is None else max_age)
    removed = 0
    for folder, _dirs, files in os.walk(root):
        for name in files:
            target = Path(folder, name)
            try:
                if target.stat().st_mtime < limit:
                    target.unlink()
                    removed += 1
            except FileNotFoundError:  # another process swept or purged it first
                continue
    return removed


def clear_snapshots() -> None:
    """Remove every snapshot (new code may render pages differently)."""
    root = snapshot_root()
    if root is None or not root.exists():
        return
    # Rename first: nginx stops finding the old pages at once, and a slow delete cannot race new writes.
    doomed = root.with_name(f".{root.name}-old-{os.getpid()}-{time.time_ns()}")
    try:
        root.rename(doomed)
    except OSError:  # e.g. the folder is a mount point, or its parent is not ours: empty it in place
        for child in root.iterdir():
            if child.is_dir():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)
        return
    shutil.rmtree(doomed, ignore_errors=True)


_sweeper_lock = threading.Lock()
_sweeper: threading.Thread | None = None


def start_sweeper() -> bool:
    """Start this process's sweeping thread once (when snapshots are on); return whether one runs."""
    global _sweeper
    if snapshot_root() is None or snapshot_seconds() <= 0:
        return False
    with _sweeper_lock:
        if _sweeper is None or not _sweeper.is_alive():
            _sweeper = threading.Thread(target=_sweep_forever, name="tickerwire-snapshot-sweeper", daemon=True)
            _sweeper.start()
    return True


def _sweep_forever() -> None:
    interval = max(1.0, snapshot_seconds() / 6)
    while True:
        time.sleep(interval)
        try:
            sweep()
        except OSError as exc:  # a full or read-only disk must not end the thread
            logger.warning("sweeping article snapshots failed: %s", exc)
