"""A local HTTP server on 127.0.0.1 whose answers each test scripts, and feeds written for these tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Answer:
    """One scripted response: status, headers, body, a delay, or a streamed body of ``stream_bytes``."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    stream_bytes: int = 0
    etag: str = ""


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


class FeedServer:
    """Serve ``routes`` (path -> Answer, or a callable returning one); record every request it gets."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Answer | Callable[[Seen], Answer]] = {
            "/robots.txt": Answer(b"User-agent: *\nDisallow: /private/\n", headers={"Content-Type": "text/plain"}),
        }
        self.requests: list[Seen] = []
        self.streamed = 0
        # Requests being answered right now, per Host header, and the most ever at once.
        self.in_flight: dict[str, int] = {}
        self.most_in_flight: dict[str, int] = {}
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                seen = Seen(self.path, {k.lower(): v for k, v in self.headers.items()})
                server.requests.append(seen)
                route = server.routes.get(self.path.split("?")[0])
                answer = route(seen) if callable(route) else route
                if answer is None:
                    answer = Answer(b"not here", status=404)
                if answer.delay:
                    host = seen.headers.get("host", "").split(":")[0]
                    with server.lock:
                        server.in_flight[host] = server.in_flight.get(host, 0) + 1
                        server.most_in_flight[host] = max(server.most_in_flight.get(host, 0), server.in_flight[host])
                    time.sleep(answer.delay)
                    with server.lock:
                        server.in_flight[host] -= 1
                if answer.etag and seen.headers.get("if-none-match") == answer.etag:
                    self.send_response(304)
                    self.send_header("ETag", answer.etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                if answer.etag:
                    self.send_header("ETag", answer.etag)
                try:
                    if answer.stream_bytes:
                        self.send_header("Connection", "close")
                        self.end_headers()
                        chunk = b"<item>" + b"x" * 65530
                        while server.streamed < answer.stream_bytes:
                            self.wfile.write(chunk)
                            server.streamed += len(chunk)
                        self.close_connection = True
                        return
                    self.send_header("Content-Length", str(len(answer.body)))
                    self.end_headers()
                    self.wfile.write(answer.body)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def hits(self, path: str) -> int:
        return sum(1 for seen in self.requests if seen.path == path)

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


@pytest.fixture
def polling(settings: pytest.FixtureRequest) -> None:
    """Let the poller reach the local server, with short timeouts, quick retries and no embeddings."""
    settings.TICKERWIRE_POLL_ALLOW_PRIVATE = True
    settings.TICKERWIRE_POLL_TIMEOUT_SECONDS = 0.5
    settings.TICKERWIRE_POLL_RETRIES = 1
    settings.TICKERWIRE_POLL_RETRY_BASE_SECONDS = 0.01
    settings.TICKERWIRE_POLL_MAX_FAILURES = 3
    settings.TICKERWIRE_POLL_WORKERS = 4
    settings.TICKERWIRE_CONTACT_URL = "https://news.example.org/contact"
    settings.TICKERWIRE_ENRICH = False


STORIES = {
    "ore": (
        "Harbor Mining lifts copper output forecast",
        "Harbor Mining said on Monday it expects to produce more copper this year than it had planned, "
        "as a new crusher at its northern mine runs ahead of schedule and the weather stays mild.",
    ),
    "bank": (
        "Lakeside Bank trims branch hours in rural towns",
        "Lakeside Bank will open fewer hours at twenty branches in small towns from next month, the lender "
        "said, adding that most of its customers there now pay their bills and move money on the phone.",
    ),
    "rail": (
        "Prairie Rail freight volumes rise for a third month",
        "Prairie Rail carried more grain and lumber in October than a year earlier, the railroad said, "
        "the third monthly gain in a row as farmers shipped a large harvest to ports on the coast.",
    ),
}


def rss_feed(items: list[tuple[str, str, str]], *, base: str = "https://news.example.org") -> bytes:
    """Return an RSS 2.0 feed of (guid, headline, text) items, each linking to ``base``/stories/guid."""
    when = format_datetime(datetime(2026, 11, 30, 14, 0, tzinfo=UTC))
    entries = "".join(
        f"<item><guid>{base}/stories/{guid}</guid><link>{base}/stories/{guid}</link><title>{headline}</title>"
        f"<pubDate>{when}</pubDate><description>{text}</description></item>"
        for guid, headline, text in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Example Business Wire</title>'
        f"<link>{base}/</link><description>Test feed</description>{entries}</channel></rss>"
    ).encode()


def story_page(headline: str, paragraphs: list[str], *, canonical: str) -> bytes:
    """Return an article web page with a headline, a date and paragraphs of text."""
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{headline}</title>'
        f'<link rel="canonical" href="{canonical}"><meta property="article:published_time" '
        f'content="2026-11-30T14:00:00+00:00"></head><body><header><nav><a href="/">Home</a></nav></header>'
        f"<article><h1>{headline}</h1>{body}</article><footer>Example News</footer></body></html>"
    ).encode()


XML = {"Content-Type": "application/rss+xml; charset=utf-8"}
