"""``tickerwire poll --once`` rounds against a local server whose feeds change, fail and misbehave."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

import pytest

from tests.sources.conftest import STORIES, XML, Answer, FeedServer, rss_feed, story_page
from tickerwire.articles.models import Article, Quarantine, Section
from tickerwire.cli import main
from tickerwire.sources.actions import do_add_source
from tickerwire.sources.models import PolledSource

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("polling")]

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def poll(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(["poll", "--once"])
    out = capsys.readouterr().out
    return status, out


def show(capsys: pytest.CaptureFixture[str], polled: PolledSource) -> str:
    assert main(["sources", "show", str(polled.pk)]) == 0
    return capsys.readouterr().out


def items(*names: str) -> list[tuple[str, str, str]]:
    return [(name, *STORIES[name]) for name in names]


def test_rounds_store_new_stories_answer_304_with_nothing_and_revise_changed_ones(
    feed_server: FeedServer, capsys, clock
) -> None:
    """New items are stored once; a 304 stores nothing; a changed item is a revision, a new one is new."""
    feed_server.routes["/feed.xml"] = Answer(rss_feed(items("ore", "bank")), headers=XML, etag='"v1"')
    clock(START)
    assert main(["sources", "add", feed_server.url("/feed.xml"), "--format", "rss", "--every", "5m",
                 "--name", "Example Wire"]) == 0
    polled = PolledSource.objects.get()
    status, out = poll(capsys)
    assert status == 0 and "2 seen, 2 new" in out
    assert sorted(Article.objects.values_list("headline", flat=True)) == sorted(
        [STORIES["ore"][0], STORIES["bank"][0]])

    clock(START + timedelta(minutes=1))  # not due yet: nothing is fetched
    before = feed_server.hits("/feed.xml")
    poll(capsys)
    assert feed_server.hits("/feed.xml") == before

    clock(START + timedelta(minutes=6))  # due; the feed has not changed, so the server answers 304
    status, out = poll(capsys)
    assert "not modified" in out and feed_server.requests[-1].headers["if-none-match"] == '"v1"'
    assert Article.objects.count() == 2
    assert "last status:       not modified" in show(capsys, polled)

    changed = ("ore", STORIES["ore"][0], STORIES["ore"][1] + " The company also raised its dividend.")
    feed_server.routes["/feed.xml"] = Answer(
        rss_feed([changed, *items("bank", "rail")]), headers=XML, etag='"v2"'
    )
    clock(START + timedelta(minutes=12))
    status, out = poll(capsys)
    assert "3 seen, 1 new, 1 revised" in out
    assert Article.objects.count() == 3  # no duplicates
    ore = Article.objects.get(uri="https://news.example.org/stories/ore")
    assert ore.revision_count == 2 and "dividend" in ore.body[0]["text"]
    text = show(capsys, polled)
    assert "items new:         1 last poll, 3 in all" in text and "etag:              \"v2\"" in text
    assert Article.objects.filter(source__name="Example Wire").count() == 3


def test_a_failing_source_backs_off_then_is_paused_with_its_error_shown(feed_server: FeedServer, capsys, clock) -> None:
    """500s are retried within a poll, each failed poll doubles the wait, and the third in a row pauses it."""
    feed_server.routes["/down.xml"] = Answer(b"oops", status=500)
    clock(START)
    polled = do_add_source(feed_server.url("/down.xml"), fmt="rss", interval_seconds=300)
    now = START
    waits = []
    for round_number in (1, 2, 3):
        status, out = poll(capsys)
        assert status == 1 and "HTTP 500" in out
        assert feed_server.hits("/down.xml") == 2 * round_number  # one retry per poll
        polled.refresh_from_db()
        assert polled.failures == round_number
        waits.append((polled.next_poll_at - now).total_seconds())
        now = polled.next_poll_at + timedelta(seconds=1)
        clock(now)
    assert 0.8 * 600 <= waits[0] <= 600 and 0.8 * 1200 <= waits[1] <= 1200
    assert polled.paused
    text = show(capsys, polled)
    assert "state:             paused" in text and "3 failed polls in a row" in text
    assert f"HTTP 500 from {feed_server.url('/down.xml')}" in text
    poll(capsys)  # paused: not polled again
    assert feed_server.hits("/down.xml") == 6
    assert main(["sources", "resume", str(polled.pk)]) == 0
    feed_server.routes["/down.xml"] = Answer(rss_feed(items("rail")), headers=XML)
    status, out = poll(capsys)
    assert status == 0 and "1 new" in out
    polled.refresh_from_db()
    assert polled.failures == 0 and not polled.paused and "HTTP 500" in polled.last_error


@pytest.mark.parametrize(
    ("route", "answer", "error"),
    [
        ("/slow.xml", Answer(rss_feed(items("ore")), headers=XML, delay=1.5), "timed out"),
        ("/loop", Answer(status=302, headers={"Location": "/loop2", "Content-Length": "0"}), "more than 5 redirects"),
        ("/gone.xml", Answer(b"no", status=404), "HTTP 404"),
        ("/private/feed.xml", Answer(rss_feed(items("ore")), headers=XML), "robots.txt"),
        ("/photo.xml", Answer(b"\x89PNG....", headers={"Content-Type": "image/png"}), "content type image/png"),
    ],
)
def test_failures_are_recorded_and_shown(feed_server: FeedServer, capsys, route: str, answer: Answer,
                                         error: str) -> None:
    """Timeouts, redirect loops, 404s, robots.txt refusals and wrong types fail the poll and show why."""
    feed_server.routes[route] = answer
    feed_server.routes["/loop2"] = Answer(status=302, headers={"Location": "/loop", "Content-Length": "0"})
    polled = do_add_source(feed_server.url(route), fmt="rss", interval_seconds=300)
    status, out = poll(capsys)
    assert status == 1 and error in out
    assert error in show(capsys, polled)
    assert Article.objects.count() == 0
    if route.startswith("/private/"):
        assert feed_server.hits(route) == 0


def test_garbage_goes_to_the_quarantine_with_source_and_url(feed_server: FeedServer, capsys) -> None:
    """Bytes that are no feed are kept in the quarantine under the source's name and the URL."""
    garbage = random.Random(13).randbytes(3000)
    feed_server.routes["/junk.xml"] = Answer(garbage, headers={"Content-Type": "application/rss+xml"})
    polled = do_add_source(feed_server.url("/junk.xml"), fmt="rss", interval_seconds=300, name="Junk Feed")
    status, out = poll(capsys)
    assert status == 1
    row = Quarantine.objects.get()
    assert row.path == feed_server.url("/junk.xml") and row.source_name == "Junk Feed"
    assert bytes(row.raw) == garbage
    assert "could not parse the feed" in show(capsys, polled)


def test_a_50_mb_body_is_cut_off_not_read_whole(feed_server: FeedServer, capsys, settings) -> None:
    """The body is streamed and reading stops at the cap: the server never gets to send most of it."""
    settings.TICKERWIRE_POLL_MAX_BYTES = 1024 * 1024
    feed_server.routes["/huge.xml"] = Answer(stream_bytes=50 * 1024 * 1024, headers=XML)
    polled = do_add_source(feed_server.url("/huge.xml"), fmt="rss", interval_seconds=300)
    status, out = poll(capsys)
    assert status == 1 and "stopped reading" in out
    assert feed_server.streamed < 20 * 1024 * 1024
    row = Quarantine.objects.get()
    assert row.path == polled.url and "stopped reading" in row.reason


def test_a_body_not_in_its_declared_charset_is_quarantined(feed_server: FeedServer, capsys) -> None:
    """A feed declared UTF-8 whose bytes are Latin-1 is refused with the reason, and kept."""
    latin = rss_feed([("cafe", "Caf\u00e9 chain opens forty stores", STORIES["rail"][1])]).decode().encode("latin-1")
    feed_server.routes["/latin.xml"] = Answer(latin, headers=XML)
    polled = do_add_source(feed_server.url("/latin.xml"), fmt="rss", interval_seconds=300)
    status, out = poll(capsys)
    assert status == 1 and "not valid utf-8" in out
    assert bytes(Quarantine.objects.get().raw) == latin
    assert "not valid utf-8" in show(capsys, polled)


def test_fetch_articles_revises_each_new_item_with_its_page(feed_server: FeedServer, capsys, clock) -> None:
    """With --fetch-articles each new item's page is fetched once; its text revises the item's story."""
    base = feed_server.url("")
    feed_server.routes["/feed.xml"] = Answer(rss_feed(items("ore", "bank"), base=base), headers=XML)
    paragraphs = [STORIES["ore"][1], "Shares of the miner rose in early trading after the update, and two "
                  "analysts raised their price targets, saying the new equipment should cut costs next year."]
    feed_server.routes["/stories/ore"] = Answer(
        story_page(STORIES["ore"][0], paragraphs, canonical=f"{base}/stories/ore"),
        headers={"Content-Type": "text/html; charset=utf-8"},
    )
    feed_server.routes["/stories/bank"] = Answer(b"\x00\x01 not a page \xff" * 50,
                                                 headers={"Content-Type": "text/html"})
    clock(START)
    assert main(["sources", "add", feed_server.url("/feed.xml"), "--format", "rss", "--every", "5m",
                 "--fetch-articles"]) == 0
    status, out = poll(capsys)
    assert status == 0 and "2 seen, 2 new, 1 revised" in out
    ore = Article.objects.get(uri=f"{base}/stories/ore")
    assert ore.revision_count == 2 and "analysts raised" in json.dumps(ore.body)
    assert Article.objects.count() == 2
    bad = Quarantine.objects.get(path=f"{base}/stories/bank")
    assert bad.source_name == feed_server.url("/feed.xml")
    clock(START + timedelta(minutes=6))
    poll(capsys)
    assert feed_server.hits("/stories/ore") == 1 and Article.objects.count() == 2


def test_section_and_time_zone_are_the_sources_own(feed_server: FeedServer, capsys) -> None:
    """A source's section files items naming none; its zone reads their undated times."""
    Section.objects.get_or_create(name="Commodities", defaults={"slug": "commodities", "position": 13})
    item = {"uri": "urn:test:ore-1", "type": "text", "headline": STORIES["ore"][0],
            "versioncreated": "2026-11-30T09:30:00", "body_text": STORIES["ore"][1]}
    feed_server.routes["/items.json"] = Answer(
        json.dumps([item]).encode(), headers={"Content-Type": "application/json"}
    )
    assert main(["sources", "add", feed_server.url("/items.json"), "--format", "ninjs", "--section", "Commodities",
                 "--time-zone", "America/New_York"]) == 0
    status, out = poll(capsys)
    assert status == 0, out
    article = Article.objects.get()
    assert article.published_at == datetime(2026, 11, 30, 14, 30, tzinfo=UTC)
    assert article.primary_section is not None and article.primary_section.name == "Commodities"


def test_user_agent_names_tickerwire_and_the_contact_url(feed_server: FeedServer, capsys) -> None:
    feed_server.routes["/feed.xml"] = Answer(rss_feed(items("rail")), headers=XML)
    do_add_source(feed_server.url("/feed.xml"), fmt="rss", interval_seconds=300)
    poll(capsys)
    agents = {seen.headers["user-agent"] for seen in feed_server.requests}
    assert len(agents) == 1
    agent = agents.pop()
    assert agent.startswith("Tickerwire/") and "https://news.example.org/contact" in agent
    assert [seen.path for seen in feed_server.requests] == ["/robots.txt", "/feed.xml"]


def test_sources_are_polled_concurrently_within_the_per_host_limit(feed_server: FeedServer, capsys, settings) -> None:
    """Six slow feeds on two hosts with six workers: two at a time per host, both hosts at once."""
    settings.TICKERWIRE_POLL_WORKERS = 6
    settings.TICKERWIRE_POLL_PER_HOST = 2
    settings.TICKERWIRE_POLL_TIMEOUT_SECONDS = 5
    for number in range(3):
        feed_server.routes[f"/slow{number}.xml"] = Answer(
            rss_feed([(f"s{number}", *STORIES["rail"])]), headers=XML, delay=0.3
        )
        for host in ("127.0.0.1", "localhost"):
            do_add_source(feed_server.url(f"/slow{number}.xml", host=host), fmt="rss", interval_seconds=300)
    status, out = poll(capsys)
    assert status == 0 and out.count("\tok\t") == 6
    assert feed_server.most_in_flight == {"127.0.0.1": 2, "localhost": 2}
    # Each host's robots.txt is fetched once, however many of its feeds start at once (the two hosts'
    # origins differ by name, so two fetches in all).
    assert feed_server.hits("/robots.txt") == 2


def test_a_sitemap_fetches_each_listed_page_once_until_its_lastmod_changes(
    feed_server: FeedServer, capsys, clock
) -> None:
    """Pages listed in a sitemap are fetched and stored; only a page whose lastmod changed is fetched again."""
    base = feed_server.url("")

    def sitemap(ore_lastmod: str) -> Answer:
        urls = "".join(
            f"<url><loc>{base}/stories/{name}</loc><lastmod>{lastmod}</lastmod></url>"
            for name, lastmod in (("ore", ore_lastmod), ("bank", "2026-11-30"))
        )
        return Answer(('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                       f"{urls}</urlset>").encode(), headers={"Content-Type": "application/xml"})

    for name in ("ore", "bank"):
        feed_server.routes[f"/stories/{name}"] = Answer(
            story_page(STORIES[name][0], [STORIES[name][1], STORIES["rail"][1]], canonical=f"{base}/stories/{name}"),
            headers={"Content-Type": "text/html; charset=utf-8"},
        )
    feed_server.routes["/sitemap.xml"] = sitemap("2026-11-30")
    clock(START)
    do_add_source(feed_server.url("/sitemap.xml"), fmt="sitemap", interval_seconds=300)
    status, out = poll(capsys)
    assert status == 0 and "2 seen, 2 new" in out
    assert Article.objects.count() == 2
    feed_server.routes["/sitemap.xml"] = sitemap("2026-12-01")
    feed_server.routes["/stories/ore"] = Answer(
        story_page(STORIES["ore"][0], [STORIES["ore"][1], "The miner also named a new finance chief, who joins "
                   "from a rival company in the spring and will lead the plan to sell two older mines."],
                   canonical=f"{base}/stories/ore"),
        headers={"Content-Type": "text/html; charset=utf-8"},
    )
    clock(START + timedelta(minutes=6))
    status, out = poll(capsys)
    assert "2 seen, 0 new, 1 revised" in out
    assert feed_server.hits("/stories/ore") == 2 and feed_server.hits("/stories/bank") == 1
    assert Article.objects.count() == 2 and Article.objects.get(uri=f"{base}/stories/ore").revision_count == 2


def test_an_item_that_is_not_language_is_quarantined_and_the_rest_stored(feed_server: FeedServer, capsys) -> None:
    """A polled item failing the not-language check goes to the quarantine like any other input."""
    mash = " ".join("qzxv wrtpl kjhgf mnbvc" for _ in range(20))
    feed_server.routes["/mixed.xml"] = Answer(
        rss_feed([*items("ore"), ("mash", "Xkq zzpt vrrw qlmn", mash)]), headers=XML
    )
    polled = do_add_source(feed_server.url("/mixed.xml"), fmt="rss", interval_seconds=300, name="Mixed Feed")
    status, out = poll(capsys)
    assert status == 0 and "2 seen, 1 new, 0 revised, 1 quarantined" in out
    row = Quarantine.objects.get()
    assert (row.path, row.source_name, row.item_index) == (polled.url, "Mixed Feed", 1)
    assert "not language" in row.reason
    assert Article.objects.get().headline == STORIES["ore"][0]


def test_the_same_bytes_from_a_server_without_validators_are_not_parsed_again(
    feed_server: FeedServer, capsys, clock
) -> None:
    """No ETag or Last-Modified: a body identical to the last one is recorded as unchanged, nothing stored."""
    feed_server.routes["/plain.xml"] = Answer(rss_feed(items("ore")), headers=XML)
    clock(START)
    polled = do_add_source(feed_server.url("/plain.xml"), fmt="rss", interval_seconds=300)
    assert "1 new" in poll(capsys)[1]
    clock(START + timedelta(minutes=6))
    status, out = poll(capsys)
    assert status == 0 and "unchanged bytes" in out and feed_server.hits("/plain.xml") == 2
    polled.refresh_from_db()
    assert polled.items_seen == 0 and polled.items_seen_total == 1
    assert "if-none-match" not in feed_server.requests[-1].headers
    # The server starts sending an ETag with the same bytes: it is learnt, and the next poll is conditional.
    feed_server.routes["/plain.xml"] = Answer(rss_feed(items("ore")), headers=XML, etag='"e1"')
    clock(START + timedelta(minutes=12))
    assert "unchanged bytes" in poll(capsys)[1]
    clock(START + timedelta(minutes=18))
    assert "not modified" in poll(capsys)[1]
    assert feed_server.requests[-1].headers["if-none-match"] == '"e1"'


def test_an_article_page_that_failed_to_fetch_is_fetched_on_the_next_poll(
    feed_server: FeedServer, capsys, clock
) -> None:
    """A page answering 500 is not marked done: the same feed is parsed again next time and the page retried."""
    base = feed_server.url("")
    feed_server.routes["/feed.xml"] = Answer(rss_feed(items("rail"), base=base), headers=XML)
    feed_server.routes["/stories/rail"] = Answer(b"busy", status=503)
    clock(START)
    do_add_source(feed_server.url("/feed.xml"), fmt="rss", interval_seconds=300, fetch_articles=True)
    assert "1 new, 0 revised" in poll(capsys)[1]
    feed_server.routes["/stories/rail"] = Answer(
        story_page(STORIES["rail"][0], [STORIES["rail"][1], STORIES["bank"][1]], canonical=f"{base}/stories/rail"),
        headers={"Content-Type": "text/html; charset=utf-8"},
    )
    clock(START + timedelta(minutes=6))
    status, out = poll(capsys)
    assert "1 revised" in out
    assert Article.objects.get().revision_count == 2


@pytest.mark.parametrize(("robots", "polled_ok"), [(Answer(b"", status=404), True),
                                                   (Answer(b"down", status=503), False)])
def test_a_missing_robots_txt_allows_and_an_unreachable_one_forbids(
    feed_server: FeedServer, capsys, robots: Answer, polled_ok: bool
) -> None:
    """RFC 9309: robots.txt answering 4xx allows everything; 5xx means do not crawl for now."""
    feed_server.routes["/robots.txt"] = robots
    feed_server.routes["/feed.xml"] = Answer(rss_feed(items("bank")), headers=XML)
    polled = do_add_source(feed_server.url("/feed.xml"), fmt="rss", interval_seconds=300)
    status, out = poll(capsys)
    assert (status == 0) is polled_ok
    assert feed_server.hits("/feed.xml") == (1 if polled_ok else 0)
    if not polled_ok:
        assert "robots.txt of" in show(capsys, polled) and "HTTP 503" in show(capsys, polled)


def test_a_moved_feed_is_followed(feed_server: FeedServer, capsys) -> None:
    """A redirect within the limit is followed to the feed, which is stored as usual."""
    feed_server.routes["/old.xml"] = Answer(status=301, headers={"Location": "/new.xml", "Content-Length": "0"})
    feed_server.routes["/new.xml"] = Answer(rss_feed(items("ore", "rail")), headers=XML)
    do_add_source(feed_server.url("/old.xml"), fmt="rss", interval_seconds=300)
    status, out = poll(capsys)
    assert status == 0 and "2 new" in out and feed_server.hits("/new.xml") == 1


def test_a_feed_carrying_another_sources_story_cannot_revise_it(feed_server: FeedServer, capsys, clock) -> None:
    """Two polled sources with the same item guid: the first owns the story; the second's changed copy is refused."""
    feed_server.routes["/a.xml"] = Answer(rss_feed(items("ore")), headers=XML)
    changed = ("ore", "Ore story rewritten by another feed", STORIES["ore"][1] + " Another feed added this.")
    feed_server.routes["/b.xml"] = Answer(rss_feed([changed]), headers=XML)
    clock(START)
    assert main(["sources", "add", feed_server.url("/a.xml"), "--format", "rss", "--name", "Feed A"]) == 0
    poll(capsys)
    assert main(["sources", "add", feed_server.url("/b.xml"), "--format", "rss", "--name", "Feed B"]) == 0
    poll(capsys)
    ore = Article.objects.get()
    assert (ore.source.name, ore.headline, ore.revision_count) == ("Feed A", STORIES["ore"][0], 1)
    assert list(ore.revisions.values_list("made_by", flat=True)) == [
        f"poller:{PolledSource.objects.get(source__name='Feed A').pk}"]
    assert not Quarantine.objects.exists()


def test_a_source_under_review_has_its_polled_stories_arrive_held(feed_server: FeedServer, capsys) -> None:
    """Per source: an operator reviews a new feed's stories before they publish."""
    feed_server.routes["/feed.xml"] = Answer(rss_feed(items("ore")), headers=XML)
    polled = do_add_source(feed_server.url("/feed.xml"), fmt="rss", interval_seconds=60, name="New Feed")
    assert main(["desk", "arrive-held", "New Feed", "on"]) == 0
    status, out = poll(capsys)
    assert status == 0 and "1 seen, 1 new" in out
    assert list(Article.objects.values_list("source__name", "status")) == [("New Feed", "held")]
    assert polled.source.name == "New Feed"


def test_retry_after_is_waited_out_when_short_and_keeps_the_source_off_when_long(
    feed_server: FeedServer, capsys, clock, settings
) -> None:
    """429 with Retry-After: 1 is retried after a second; 503 with an hour's Retry-After is not polled for an hour."""
    import time

    settings.TICKERWIRE_POLL_TIMEOUT_SECONDS = 3
    answers = iter([Answer(b"slow down", status=429, headers={"Retry-After": "1"}),
                    Answer(rss_feed(items("ore")), headers=XML)])
    feed_server.routes["/busy.xml"] = lambda _seen: next(answers)
    clock(START)
    polled = do_add_source(feed_server.url("/busy.xml"), fmt="rss", interval_seconds=300)
    started = time.monotonic()
    status, out = poll(capsys)
    assert status == 0 and "1 new" in out and feed_server.hits("/busy.xml") == 2
    assert time.monotonic() - started >= 1.0  # the retry waited the second the server asked for

    feed_server.routes["/busy.xml"] = Answer(b"maintenance", status=503, headers={"Retry-After": "3600"})
    clock(START + timedelta(minutes=6))
    status, out = poll(capsys)
    assert status == 1 and "Retry-After: 3600 s" in out
    assert feed_server.hits("/busy.xml") == 3  # an hour is too long to wait within the poll: no retry now
    polled.refresh_from_db()
    assert polled.next_poll_at >= START + timedelta(minutes=6, seconds=3600)
    clock(START + timedelta(minutes=30))  # the back-off alone would poll again by now; the server said not yet
    poll(capsys)
    assert feed_server.hits("/busy.xml") == 3
    assert "Retry-After: 3600 s" in show(capsys, polled)


def test_a_round_is_one_function_a_worker_can_call_with_a_long_lived_poller(feed_server: FeedServer, clock) -> None:
    """poll_round claims and polls what is due; the same poller keeps robots.txt answers between rounds."""
    from tickerwire.sources.poller import Poller, poll_round

    feed_server.routes["/feed.xml"] = Answer(rss_feed(items("ore")), headers=XML, etag='"r1"')
    clock(START)
    do_add_source(feed_server.url("/feed.xml"), fmt="rss", interval_seconds=300)
    with Poller() as poller:
        [first] = poll_round(poller=poller)
        assert (first.status, first.new) == ("ok", 1)
        assert poll_round(poller=poller) == []  # nothing due: nothing claimed or fetched
        clock(START + timedelta(minutes=6))
        [second] = poll_round(poller=poller)
        assert second.status == "not modified"
    assert feed_server.hits("/robots.txt") == 1 and feed_server.hits("/feed.xml") == 2


def test_a_polled_story_over_the_story_size_cap_is_quarantined(feed_server: FeedServer, capsys, settings) -> None:
    """The story-size check applies to polled input as to any other: a page and a feed item over the cap."""
    settings.TICKERWIRE_MAX_STORY_BYTES = 4000
    long_text = " ".join(["Harbor Mining said output rose at its northern mine again this week."] * 80)
    feed_server.routes["/big.html"] = Answer(
        story_page("Harbor Mining lifts output", [long_text], canonical="https://news.example.org/big"),
        headers={"Content-Type": "text/html; charset=utf-8"},
    )
    feed_server.routes["/feed.xml"] = Answer(rss_feed([*items("ore"), ("long", "Harbor Mining report", long_text)]),
                                             headers=XML)
    page = do_add_source(feed_server.url("/big.html"), fmt="html", interval_seconds=300, name="Page Source")
    feed = do_add_source(feed_server.url("/feed.xml"), fmt="rss", interval_seconds=300, name="Feed Source")
    poll(capsys)
    rows = {row.source_name: row for row in Quarantine.objects.all()}
    assert set(rows) == {"Page Source", "Feed Source"}
    assert rows["Page Source"].path == page.url and "too large" in rows["Page Source"].reason
    assert rows["Feed Source"].path == feed.url and rows["Feed Source"].item_index == 1
    assert "too large" in rows["Feed Source"].reason
    assert list(Article.objects.values_list("headline", flat=True)) == [STORIES["ore"][0]]
