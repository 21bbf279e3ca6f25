"""The guarded HTTP client every poll uses (httpx; no Django).

Safety is checked where it cannot be bypassed: the SSRF guard is httpcore's network backend, so the
address of every connection (the first request, each redirect hop, robots.txt) is resolved and checked
before the socket opens, and the checked address is the one connected to (no second lookup to rebind).
Bodies are streamed and dropped at ``max_bytes``; the declared content type and charset are checked.
"""

from __future__ import annotations

import email.utils
import functools
import ipaddress
import random
import socket
import ssl
import threading
import time
import urllib.robotparser
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

REFUSED = "refused address"
RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
# Content types each format may arrive as (a missing type is accepted; sniffing and parsing decide).
ACCEPTED_TYPES: dict[str, tuple[str, ...]] = {
    "rss": ("xml", "rss", "atom", "text/plain"),
    "atom": ("xml", "rss", "atom", "text/plain"),
    "sitemap": ("xml", "text/plain"),
    "ninjs": ("json", "text/plain"),
    "html": ("text/html", "xhtml"),
}
SCHEMES = ("http", "https")
ROBOTS_MAX_BYTES = 500 * 1024


class FetchRefused(Exception):
    """A URL or address the poller will not fetch (scheme, SSRF guard, robots.txt); never retried."""


def address_refused(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Say whether an address is off limits to the poller: anything not globally routable, or multicast."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def check_url(url: str) -> None:
    """Raise :class:`FetchRefused` for a URL that is not http(s) with a host."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES:
        raise FetchRefused(f"only http and https URLs are polled, not {parts.scheme or 'no scheme'}: {url}")
    if not parts.hostname:
        raise FetchRefused(f"the URL names no host: {url}")


def refused_address(host: str, addresses: Iterable[str]) -> str:
    """Return why ``host`` may not be polled (one of its addresses is off limits), or "" when it may."""
    for address in addresses:
        if address_refused(ipaddress.ip_address(address.split("%")[0])):
            return (f"{REFUSED}: {host} is {address}, a private, loopback, link-local or reserved address "
                    "(set TICKERWIRE_POLL_ALLOW_PRIVATE=1 to allow)")
    return ""


def check_destination(url: str, *, allow_private: bool) -> None:
    """Raise :class:`FetchRefused` for a URL that is not http(s), or whose host is off limits today.

    Checked when a source is registered, so the operator hears it at once; the connection-time guard
    (:class:`GuardedBackend`) still checks every request, as a name can resolve elsewhere later. A host
    that does not resolve now is accepted here (its polls fail, and show why, until it does).
    """
    check_url(url)
    if allow_private:
        return
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        infos = socket.getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)
    except (OSError, ValueError):
        return
    refusal = refused_address(host, (str(info[4][0]) for info in infos))
    if refusal:
        raise FetchRefused(refusal)


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's socket backend, refusing private, loopback, link-local and reserved addresses.

    ``connections`` counts the sockets it opened, so a test can show a refused source opened none.
    """

    def __init__(self, *, allow_private: bool) -> None:
        self.allow_private = allow_private
        self.connections = 0
        self._lock = threading.Lock()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        """Resolve ``host``, refuse it if any of its addresses is off limits, then connect to a checked one."""
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if not self.allow_private:
            refusal = refused_address(host, addresses)
            if refusal:
                raise httpcore.ConnectError(refusal)
        last: Exception | None = None
        for address in addresses:
            try:
                stream = super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                last = exc
                continue
            with self._lock:
                self.connections += 1
            return stream
        raise last or httpcore.ConnectError(f"no address for {host}")


@dataclass(frozen=True)
class FetchPolicy:
    """How the client behaves: limits, retries and who it says it is."""

    user_agent: str = "Tickerwire/1.0 (+https://tickerwire.invalid/contact)"
    timeout: float = 20.0
    retries: int = 2
    retry_base: float = 1.0
    max_redirects: int = 5
    max_bytes: int = 16 * 1024 * 1024
    allow_private: bool = False
    workers: int = 16
    robots_ttl: float = 3600.0
    # A Retry-After (429, 503) up to this long is waited out within the poll; a longer one ends the poll,
    # and the source is not polled again before it has passed.
    max_retry_after: float = 30.0


@dataclass
class Fetched:
    """What one GET came to: ``status`` ok (``body`` set), not_modified, or error (``error`` set)."""

    url: str
    status: Literal["ok", "not_modified", "error"]
    final_url: str = ""
    http_status: int | None = None
    body: bytes = b""
    content_type: str = ""
    charset: str = ""
    etag: str = ""
    last_modified: str = ""
    error: str = ""
    retryable: bool = False
    oversize: bool = False
    attempts: int = 0
    elapsed: float = 0.0
    problems: list[str] = field(default_factory=list)
    retry_after: float | None = None  # seconds the server asked us to wait (Retry-After on a 429 or 503)


class Fetcher:
    """One shared, thread-safe client: connection pool, SSRF guard, robots.txt cache, caps and retries."""

    def __init__(self, policy: FetchPolicy) -> None:
        self.policy = policy
        self.backend = GuardedBackend(allow_private=policy.allow_private)
        context = _ssl_context()
        transport = httpx.HTTPTransport(verify=context, trust_env=False)
        # httpx builds its httpcore pool itself; give it the guarded backend so every socket is checked.
        transport._pool = httpcore.ConnectionPool(
            max_connections=policy.workers * 2,
            max_keepalive_connections=policy.workers * 2,
            network_backend=self.backend,
            ssl_context=context,
        )
        self.client = httpx.Client(
            transport=transport,
            trust_env=False,
            follow_redirects=True,
            max_redirects=policy.max_redirects,
            timeout=httpx.Timeout(policy.timeout),
            headers={"User-Agent": policy.user_agent},
        )
        self._robots: dict[str, tuple[float, urllib.robotparser.RobotFileParser | str]] = {}
        self._robots_lock = threading.Lock()
        self._robots_loading: dict[str, threading.Lock] = {}

    def close(self) -> None:
        """Close the pooled connections."""
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def get(self, url: str, *, fmt: str, etag: str = "", last_modified: str = "") -> Fetched:
        """GET ``url`` if robots.txt allows it, conditionally, retrying transient failures with back-off."""
        try:
            check_url(url)
            self.check_robots(url)
        except FetchRefused as exc:
            return Fetched(url=url, status="error", error=str(exc))
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            result = self._get_once(url, fmt=fmt, headers=headers)
            result.attempts = attempt
            asked = result.retry_after
            if not result.retryable or attempt > self.policy.retries or (asked or 0) > self.policy.max_retry_after:
                result.elapsed = time.monotonic() - started
                return result
            time.sleep(max(asked or 0.0, backoff_delay(attempt, self.policy.retry_base)))

    def _get_once(self, url: str, *, fmt: str, headers: dict[str, str]) -> Fetched:
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                return self._read(url, fmt, response)
        except httpx.TooManyRedirects:
            return Fetched(url=url, status="error", error=f"more than {self.policy.max_redirects} redirects")
        except httpx.TimeoutException as exc:
            return Fetched(url=url, status="error", error=f"timed out ({type(exc).__name__})", retryable=True)
        except httpx.UnsupportedProtocol as exc:
            return Fetched(url=url, status="error", error=f"only http and https URLs are polled: {exc}")
        except httpx.HTTPError as exc:
            message = str(exc) or type(exc).__name__
            refused = message.startswith(REFUSED)
            retryable = isinstance(exc, httpx.TransportError) and not refused  # not a bad gzip, say
            return Fetched(url=url, status="error", error=message, retryable=retryable)

    def _read(self, url: str, fmt: str, response: httpx.Response) -> Fetched:
        final_url = str(response.url)
        base = Fetched(url=url, status="error", final_url=final_url, http_status=response.status_code)
        if response.status_code == 304:
            _read_capped(response, 64 * 1024)  # drain the (empty) body so the connection goes back to the pool
            base.status = "not_modified"
            return base
        if response.status_code >= 400 or response.status_code < 200:
            base.error = f"HTTP {response.status_code} from {final_url}"
            base.retryable = response.status_code in RETRYABLE_STATUS
            if response.status_code in (429, 503):
                base.retry_after = retry_after_seconds(response.headers.get("retry-after", ""))
                if base.retry_after is not None:
                    base.error += f" (Retry-After: {base.retry_after:.0f} s)"
            return base
        base.content_type, base.charset = content_type(response.headers.get("content-type", ""))
        base.etag = response.headers.get("etag", "")[:500]
        base.last_modified = response.headers.get("last-modified", "")[:100]
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.policy.max_bytes:
            base.error = (
                f"response of {int(declared):,} bytes is over {self.policy.max_bytes:,} (TICKERWIRE_POLL_MAX_BYTES)"
            )
            base.oversize = True
            return base
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            if size > self.policy.max_bytes:
                base.body = b"".join(chunks)
                base.error = (
                    f"response over {self.policy.max_bytes:,} bytes (TICKERWIRE_POLL_MAX_BYTES): stopped reading"
                )
                base.oversize = True
                return base
        base.body = b"".join(chunks)
        base.status = "ok"
        base.problems = body_problems(fmt, base.content_type, base.charset, base.body)
        return base

    def check_robots(self, url: str) -> None:
        """Raise :class:`FetchRefused` when the host's robots.txt disallows our User-Agent at ``url``.

        As RFC 9309 says: a robots.txt that is missing (4xx) allows everything, one that cannot be fetched
        (5xx, network error) disallows everything for now. Each host's answer is kept ``robots_ttl`` seconds.
        """
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._robots_lock:
            cached = self._robots.get(origin)
            loading = self._robots_loading.setdefault(origin, threading.Lock())
        if cached is None or time.monotonic() - cached[0] > self.policy.robots_ttl:
            with loading:  # one fetch of a host's robots.txt, however many threads want it at once
                with self._robots_lock:
                    cached = self._robots.get(origin)
                if cached is None or time.monotonic() - cached[0] > self.policy.robots_ttl:
                    cached = (time.monotonic(), self._load_robots(origin))
                    with self._robots_lock:
                        self._robots[origin] = cached
        rules = cached[1]
        if isinstance(rules, str):
            raise FetchRefused(rules)
        if not rules.can_fetch(self.policy.user_agent, url):
            raise FetchRefused(f"robots.txt of {origin} disallows {url}")

    def _load_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | str:
        robots_url = urljoin(origin, "/robots.txt")
        parser = urllib.robotparser.RobotFileParser(robots_url)
        try:
            with self.client.stream("GET", robots_url) as response:
                status = response.status_code
                text = _read_capped(response, ROBOTS_MAX_BYTES) if status < 400 else b""
        except httpx.HTTPError as exc:
            if str(exc).startswith(REFUSED):
                return str(exc)
            return f"robots.txt of {origin} could not be fetched ({exc or type(exc).__name__}): not polling it for now"
        if status >= 500:
            return f"robots.txt of {origin} answered HTTP {status}: not polling it for now"
        parser.parse(text.decode("utf-8", "replace").splitlines())
        return parser


@functools.lru_cache(maxsize=1)
def _ssl_context() -> ssl.SSLContext:
    """Return the certificate-verifying TLS context, loaded once per process (loading costs ~30 ms)."""
    return httpx.create_ssl_context(trust_env=False)


def _read_capped(response: httpx.Response, limit: int) -> bytes:
    """Return at most ``limit`` bytes of a streamed body, closing it there (RFC 9309 reads the first 500 KiB)."""
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= limit:
            break
    return b"".join(chunks)[:limit]


def content_type(header: str) -> tuple[str, str]:
    """Return the media type and charset of a Content-Type header, both lower case ('' when absent)."""
    media, _, params = header.partition(";")
    charset = ""
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.strip().lower(), charset


def body_problems(fmt: str, media: str, charset: str, body: bytes) -> list[str]:
    """Return why a body is not what its format needs: a wrong content type, or text not in its charset."""
    problems = []
    if media and not any(token in media for token in ACCEPTED_TYPES.get(fmt, ())):
        problems.append(f"content type {media} is not {fmt}")
    if charset:
        try:
            body.decode(charset)
        except LookupError:
            problems.append(f"unknown charset {charset}")
        except UnicodeDecodeError as exc:
            problems.append(f"the body is not valid {charset} as declared (byte {exc.start})")
    return problems


def retry_after_seconds(header: str, *, now: float | None = None) -> float | None:
    """Return the wait a Retry-After header asks for (delay-seconds or an HTTP date), or None if it is unusable."""
    text = header.strip()
    if not text:
        return None
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def backoff_delay(attempt: int, base: float, cap: float = 60.0) -> float:
    """Return the wait before retry ``attempt``: exponential, with full jitter so retries do not march in step."""
    return random.uniform(0.5, 1.0) * min(cap, base * 2 ** (attempt - 1))

