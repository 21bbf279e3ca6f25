"""What the HTTP benchmarks share: a loaded store, the app server (granian), nginx (static and caching
proxy), and ``wrk``.

Stories are Reuters-21578 wire copy from ``../shared/data`` (train split, then the unused stories), stored
through the real ingest action (``ingest_bytes``: enrichment receivers and the search index included unless
``enrich=False``). Past the corpus's ~18,000 stories, further passes re-ingest it with the headline marked
``(set N)``, which gives each copy a new identity key. Servers listen on free loopback ports only; ``wrk``
runs are bounded by duration and connections.

Needs the Debian packages ``wrk`` and ``nginx`` (``nginx-light`` is enough).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data" / "reuters21578"
PYTHON = REPO / ".venv" / "bin" / "python"
DEPLOY_NGINX_CONF = REPO / "deploy" / "nginx.conf"
# Debian's /etc/nginx/nginx.conf runs one worker per core; the baseline and the production set-up alike.
NGINX_WORKERS = "auto"

# wrk's summary prints 50/75/90/99 only; this script makes it print the percentiles we report.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  for _, p in pairs({50, 95, 99}) do
    io.write(string.format("PCT %d %d\\n", p, latency:percentile(p)))
  end
  io.write(string.format("STATUS_ERRORS %d\\n", summary.errors.status))
  io.write(string.format("SOCKET_ERRORS %d\\n", summary.errors.connect + summary.errors.read
                         + summary.errors.write + summary.errors.timeout))
end
"""


@dataclass
class WrkResult:
    name: str
    url: str
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int
    # CPU the serving processes spent per request (user + system), when they are this harness's own:
    # unlike requests/s it hardly moves with what else the shared machine is doing.
    server_cpu_us: float | None = None


# The process behind each server this harness started, by base address, for its CPU time.
_SERVER_PIDS: dict[str, int] = {}
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_tree_cpu_seconds(pid: int) -> float:
    """Return the user + system CPU seconds of a process and its live descendants (Linux /proc)."""
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            stat = Path(f"/proc/{current}/stat").read_text()
            fields = stat[stat.rindex(")") + 2:].split()
            total += (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue  # the process ended meanwhile
    return total


def server_cpu_seconds(url: str) -> float | None:
    """Return the CPU seconds so far of the harness server answering ``url``, or None if it is not ours."""
    for base, pid in _SERVER_PIDS.items():
        if url.startswith(base):
            return process_tree_cpu_seconds(pid)
    return None


def machine_load() -> str:
    """Return the load averages (other work shares the CPU; every report states it)."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} CPUs"


def free_port() -> int:
    """Return a free loopback port: any, or the first free one of ``TICKERWIRE_BENCH_PORTS`` ("8100-8149")
    when set (a shared machine hands each user a range)."""
    span = os.environ.get("TICKERWIRE_BENCH_PORTS", "")
    candidates = [0]
    if span:
        low, _, high = span.partition("-")
        candidates = [port for port in range(int(low), int(high or low) + 1) if port not in _PORTS_GIVEN]
    for port in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            _PORTS_GIVEN.add(int(sock.getsockname()[1]))
            return int(sock.getsockname()[1])
    raise SystemExit(f"no free port in TICKERWIRE_BENCH_PORTS={span}")


# Ports handed out by this process: a server may not have bound its port yet when the next one is asked for.
_PORTS_GIVEN: set[int] = set()


def wait_for(url: str, seconds: float = 60.0) -> None:
    """Return once ``url`` answers, or exit with a message after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server at {url} did not answer within {seconds:.0f}s")


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[bytes, dict[str, str]]:
    """Return the body and headers of a GET."""
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=60) as response:
        return response.read(), dict(response.headers.items())


def store_env(home: Path, database_url: str | None = None, **extra: str) -> dict[str, str]:
    """Return the environment of a process using the store under ``home``: its SQLite file, or the database
    at ``database_url`` when given (the DATABASE_URL of the calling environment is never inherited)."""
    env = dict(os.environ, TICKERWIRE_HOME=str(home), DJANGO_SETTINGS_MODULE="tickerwire.config.settings",
               TICKERWIRE_LOG_LEVEL="ERROR", **extra)
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


_LOADER = """
import json, sys, time
sys.path.insert(0, {repo!r})
from tickerwire.cli import setup_django, migrate_quietly
setup_django(); migrate_quietly()
from tickerwire.articles.models import Article
from tickerwire.articles.actions.ingest import IngestOutcome, ingest_bytes
from lab.reuters21578 import case_from_record
have = first = Article.objects.count()
start = time.perf_counter()
copy = skipped = 0
while have < {count}:
    before = have
    for name in ("train.jsonl", "unused.jsonl"):
        with open({data!r} + "/" + name, encoding="utf-8") as handle:
            for line in handle:
                if have >= {count}:
                    break
                case = case_from_record(json.loads(line))
                if case is None:
                    continue
                if not copy and skipped < {skip}:
                    skipped += 1
                    continue
                wire = case.wire
                if copy:
                    title, rest = wire.split("\\n", 1)
                    wire = f"{{title}} (set {{copy + 1}})\\n{{rest}}"
                results = ingest_bytes(wire.encode("utf-8"), fmt="wire", source_name="Reuters", path=name)
                have += sum(isinstance(r, IngestOutcome) and r.status == "new" for r in results)
    copy += 1
    if copy > 1 and have == before:
        break
print(json.dumps({{"stored": have, "added": have - first, "seconds": time.perf_counter() - start}}))
"""


@dataclass
class LoadReport:
    """What one :func:`load_stories` run did: stories in the store after it, stories it added, seconds."""

    stored: int
    added: int
    seconds: float

    @property
    def stories_per_second(self) -> float | None:
        return self.added / self.seconds if self.added and self.seconds else None


def load_stories(home: Path, count: int, *, enrich: bool = True, repo: Path = REPO,
                 database_url: str | None = None, **env: str) -> int:
    """Migrate the store under ``home`` and ingest corpus stories until it holds ``count``; return how many."""
    return load_stories_report(home, count, enrich=enrich, repo=repo, database_url=database_url, **env).stored


def load_stories_report(home: Path, count: int, *, enrich: bool = True, repo: Path = REPO,
                        database_url: str | None = None, skip: int = 0, **env: str) -> LoadReport:
    """Like :func:`load_stories` (into the database at ``database_url`` when given, with ``env`` added to
    the loader's environment), returning what this run added and how long it took.

    ``skip`` passes over the corpus's first ``skip`` stories on the first pass (a store already holding
    them, or copies of them, goes on with the next ones).
    """
    if not SHARED_DATA.exists():
        raise SystemExit(f"{SHARED_DATA} is absent: the corpus is needed to load stories")
    home.mkdir(parents=True, exist_ok=True)
    code = _LOADER.format(repo=str(repo), count=count, data=str(SHARED_DATA), skip=skip)
    process_env = store_env(home, database_url, TICKERWIRE_ENRICH="1" if enrich else "0",
                            **{"PYTHONPATH": str(repo), **env})
    out = subprocess.run([str(PYTHON), "-c", code], env=process_env, check=True, capture_output=True, text=True)
    report = json.loads(out.stdout.strip().splitlines()[-1])
    where = redacted_url(database_url) if database_url else str(home)
    print(f"store {where}: {report['stored']} stories ({report['seconds']:.0f}s to load this run)", flush=True)
    return LoadReport(int(report["stored"]), int(report["added"]), float(report["seconds"]))


def redacted_url(url: str) -> str:
    """Return a database URL without its password, for printing."""
    return re.sub(r"(//[^/:@]*:)[^/@]*@", r"\1***@", url)


@contextmanager
def app_server(home: Path, port: int, workers: int, threads: int = 2, *, repo: Path = REPO,
               **env: str) -> Iterator[str]:
    """Serve the site from the store under ``home`` with ``tickerwire serve`` (granian) of the checkout
    ``repo``; yield its base address."""
    command = [str(repo / ".venv" / "bin" / "python"), "-m", "tickerwire", "serve", "--port", str(port),
               "--workers", str(workers), "--threads", str(threads)]
    process = subprocess.Popen(command, cwd=repo, env=store_env(home, PYTHONPATH=str(repo), **env),
                               stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    _SERVER_PIDS[base] = process.pid
    try:
        wait_for(base + "/robots.txt")
        yield base
    finally:
        _SERVER_PIDS.pop(base, None)
        process.terminate()
        process.wait(timeout=30)


def _nginx_binary() -> str:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise SystemExit("nginx is missing: install the Debian package `nginx-light`")
    return nginx


def _nginx_main_conf(prefix: Path, http_block: str, workers: str) -> str:
    """Return a self-contained nginx.conf (foreground, files under ``prefix``) around ``http_block``."""
    return f"""
worker_processes {workers};
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {prefix}/tmp; proxy_temp_path {prefix}/tmp; fastcgi_temp_path {prefix}/tmp;
  uwsgi_temp_path {prefix}/tmp; scgi_temp_path {prefix}/tmp;
  default_type text/html;
{http_block}
}}
"""


@contextmanager
def _nginx(http_block_for: object, wait_path: str, workers: str) -> Iterator[tuple[str, Path]]:
    """Run nginx in the foreground of a child process; yield its base address and prefix folder."""
    with tempfile.TemporaryDirectory(prefix="tw-nginx-") as folder:
        prefix = Path(folder)
        for sub in ("logs", "tmp", "cache", "www"):
            (prefix / sub).mkdir()
        # nginx's workers drop root privileges: they must be able to read and write here.
        for path in (prefix, *prefix.iterdir()):
            path.chmod(0o777)
        port = free_port()
        http_block = http_block_for(prefix, port)  # type: ignore[operator]
        conf = prefix / "nginx.conf"
        conf.write_text(_nginx_main_conf(prefix, http_block, workers))
        process = subprocess.Popen([_nginx_binary(), "-p", str(prefix), "-c", str(conf)])
        base = f"http://127.0.0.1:{port}"
        _SERVER_PIDS[base] = process.pid
        try:
            wait_for(base + wait_path)
            yield base, prefix
        finally:
            _SERVER_PIDS.pop(base, None)
            process.terminate()
            process.wait(timeout=30)


@contextmanager
def nginx_static(html: bytes, workers: str = NGINX_WORKERS) -> Iterator[str]:
    """Serve ``html`` as the static file ``/article.html``; yield its address (the baseline)."""

    def block(prefix: Path, port: int) -> str:
        page = prefix / "www" / "article.html"
        page.write_bytes(html)
        page.chmod(0o644)
        # The same file-descriptor cache as deploy/nginx.conf, so the baseline is tuned alike.
        return (f"  server {{ listen 127.0.0.1:{port}; root {prefix / 'www'}; "
                "open_file_cache max=10000 inactive=60s; }")

    with _nginx(block, "/article.html", workers) as (base, _prefix):
        yield base + "/article.html"


# The values deploy/nginx.conf is written with, and what the bench puts in their place.
_DEPLOY_PLACEHOLDERS = ("listen 80;", "server 127.0.0.1:8000;", "/var/cache/nginx/tickerwire",
                        "/srv/tickerwire/var/static/", "/srv/tickerwire/var/snapshots")


def deploy_conf_for(prefix: Path, port: int, app_base: str, static_root: Path, snapshot_root: Path) -> str:
    """Return ``deploy/nginx.conf`` with its listen address, upstream and folders pointed at this run."""
    text = DEPLOY_NGINX_CONF.read_text()
    replacements = dict(zip(_DEPLOY_PLACEHOLDERS, (
        f"listen 127.0.0.1:{port};", f"server {app_base.removeprefix('http://').rstrip('/')};",
        str(prefix / "cache"), f"{static_root}/", str(snapshot_root),
    ), strict=True))
    for old, new in replacements.items():
        if text.count(old) != 1:
            raise SystemExit(f"{DEPLOY_NGINX_CONF} no longer has exactly one {old!r}: update bench/http_harness.py")
        text = text.replace(old, new)
    return text


@contextmanager
def nginx_proxy(app_base: str, static_root: Path, snapshot_root: Path, workers: str = NGINX_WORKERS) -> Iterator[str]:
    """Run the production set-up: ``deploy/nginx.conf`` in front of the app; yield its address.

    ``snapshot_root`` is the app's ``TICKERWIRE_SNAPSHOT_DIR``: nginx's workers must be able to read it.
    """

    def block(prefix: Path, port: int) -> str:
        return deploy_conf_for(prefix, port, app_base, static_root, snapshot_root)

    with _nginx(block, "/robots.txt", workers) as (base, _prefix):
        yield base


def rotation_script(paths: list[str]) -> str:
    """Return wrk Lua that requests ``paths`` in turn (each connection starting at its own place)."""
    quoted = ", ".join(json.dumps(path) for path in paths)
    return f"""
paths = {{{quoted}}}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, paths[(counter % #paths) + 1])
end
"""


def run_wrk(name: str, url: str, duration: int, connections: int, threads: int = 2,
            paths: list[str] | None = None) -> WrkResult:
    """Drive ``url`` with wrk for ``duration`` seconds over ``connections`` connections.

    With ``paths``, requests go to each path of ``url``'s server in turn instead of ``url`` itself.
    """
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is missing: install the Debian package `wrk`")
    cpu_before = server_cpu_seconds(url)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="tw-wrk-") as script:
        script.write(WRK_SCRIPT + (rotation_script(paths) if paths else ""))
        script.flush()
        out = subprocess.run(
            [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "-s", script.name, url],
            check=True, capture_output=True, text=True,
        ).stdout
    cpu_after = server_cpu_seconds(url)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if rps is None:
        raise SystemExit(f"wrk printed no rate for {url}:\n{out}")
    done = re.search(r"^\s*(\d+) requests in", out, re.M)
    server_cpu_us = None
    if cpu_before is not None and cpu_after is not None and done and int(done.group(1)):
        server_cpu_us = (cpu_after - cpu_before) / int(done.group(1)) * 1e6
    percentiles = {int(p): int(us) / 1000 for p, us in re.findall(r"^PCT (\d+) (\d+)$", out, re.M)}
    status_errors = re.search(r"^STATUS_ERRORS (\d+)$", out, re.M)
    socket_errors = re.search(r"^SOCKET_ERRORS (\d+)$", out, re.M)
    return WrkResult(
        name, url, float(rps.group(1)), percentiles.get(50, 0.0), percentiles.get(95, 0.0),
        percentiles.get(99, 0.0), int(status_errors.group(1)) if status_errors else 0,
        int(socket_errors.group(1)) if socket_errors else 0, server_cpu_us,
    )


def table(results: list[WrkResult], baseline: WrkResult) -> str:
    """Return the results as a table with each one's ratio to the baseline's requests/s."""
    lines = [f"{'page':<34}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'vs nginx':>10}{'non-2xx':>9}"
             f"{'sock err':>9}{'cpu us/req':>11}"]
    for result in [*results, baseline]:
        ratio = result.requests_per_second / baseline.requests_per_second
        cpu = f"{result.server_cpu_us:>11.1f}" if result.server_cpu_us is not None else f"{'-':>11}"
        lines.append(
            f"{result.name:<34}{result.requests_per_second:>9.0f}{result.p50_ms:>9.1f}{result.p95_ms:>9.1f}"
            f"{result.p99_ms:>9.1f}{ratio:>10.3f}{result.non_2xx:>9}{result.socket_errors:>9}{cpu}"
        )
    return "\n".join(lines)
