"""The reader site in a real browser: every page type at phone and desktop widths, links, paging, search,
keyboard use, script-free reading, and no serious or critical axe-core accessibility violations."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS, SiteStories, axe_script, browser_db

pytestmark = browser_db


@pytest.fixture
def open_page(browser: Any, live_server: Any) -> Iterator[Any]:
    """Yield a function opening a site path in a fresh page of the given width."""
    contexts = []

    def open_at(path: str, width: int = DESKTOP, **options: Any) -> Any:
        # The tests inject axe-core as an inline script, which the site's policy rightly refuses
        # (tests/browser/test_csp_browser.py checks the policy itself).
        context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True, **options)
        contexts.append(context)
        page = context.new_page()
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, (path, response and response.status)
        return page

    yield open_at
    for context in contexts:
        context.close()


def check_accessibility(page: Any) -> None:
    """Run axe-core in the page and fail on any serious or critical violation."""
    page.add_script_tag(path=str(axe_script()))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    details = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in bad]
    assert not bad, details


def shoot(page: Any, name: str, width: int) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)


def page_paths(stories: SiteStories) -> dict[str, tuple[str, str]]:
    """Return each page type's path and the heading text it must show."""
    return {
        "home": ("/", "Latest financial news"),
        "section": ("/section/business/", "Business"),
        "article": (stories.article.get_absolute_url(), stories.article.headline),
        "ticker": ("/ticker/ORBW/", "ORBW Orbis Widgets Inc"),
        "search": ("/search?q=hinge", "Search"),
    }


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_every_page_type_renders_accessibly(open_page: Any, site_stories: SiteStories, width: int) -> None:
    """Home, section, article, ticker and search pages render their content, fit the screen and pass axe."""
    for name, (path, heading) in page_paths(site_stories).items():
        page = open_page(path, width)
        h1 = page.locator("h1").first
        assert heading in " ".join(h1.inner_text().split()), name
        # Nothing wider than the screen: no sideways scrolling of the whole page.
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
        shoot(page, name, width)
        check_accessibility(page)
    home = open_page("/", width)
    assert home.locator(".top-stories .teaser").count() == 6
    assert home.locator("nav[aria-label=Sections] a").count() == 14


def test_article_page_parts_and_ticker_link(open_page: Any, site_stories: SiteStories) -> None:
    """The article shows summary, byline, dateline, figures, history and related; a body ticker link
    leads to that ticker's page."""
    page = open_page(site_stories.article.get_absolute_url())
    assert page.locator(".summary li").count() == 2
    assert page.locator(".byline").inner_text() == "By Ada Sample and Ben Example"
    assert page.locator(".dateline").inner_text() == "ZENITH CITY, Mar 27 (Sample Wire) -"
    assert "14%" in page.locator(".key-figures").inner_text()
    assert page.locator(".history .diff ins").count() >= 1
    assert page.locator(".related-list li").count() == 1
    assert page.locator(".comments h2").inner_text() == "Comments (0)"
    page.locator(".story-body a.ticker-link", has_text="QFM").first.click()
    page.wait_for_url(re.compile(r"/ticker/QFM/$"))
    assert "QFM" in page.locator("h1").inner_text()
    assert page.locator(".story-list .teaser").count() == 2


def test_page_through_a_section(open_page: Any, site_stories: SiteStories) -> None:
    """Older and Newer links move through a section's pages in date order."""
    page = open_page("/section/business/")
    first_page = page.locator(".teaser-title").all_inner_texts()
    assert first_page == [a.headline for a in site_stories.business[:20]]
    page.get_by_role("link", name="Older →").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert page.locator(".teaser-title").all_inner_texts() == [a.headline for a in site_stories.business[20:]]
    assert "Page 2 of 2" in page.locator(".pagination").inner_text()
    page.get_by_role("link", name="← Newer").click()
    page.wait_for_url(re.compile(r"page=1"))
    assert page.locator(".teaser-title").first.inner_text() == site_stories.business[0].headline


def test_search_with_a_section_filter(open_page: Any, site_stories: SiteStories) -> None:
    """A search narrowed to a section shows only that section's matches, highlighted."""
    page = open_page("/search")
    page.get_by_label("Search for").fill("hinge")
    page.get_by_label("Section", exact=True).select_option("technology")
    page.get_by_role("button", name="Search", exact=True).last.click()
    page.wait_for_url(re.compile(r"section=technology"))
    titles = page.locator(".search-hit .teaser-title").all_inner_texts()
    assert titles == [site_stories.technology.headline]
    assert page.locator(".search-hit mark").first.inner_text().lower() == "hinge"
    shoot(page, "search-filtered", DESKTOP)


def test_times_follow_the_reader_zone_and_pages_work_without_script(
    open_page: Any, site_stories: SiteStories
) -> None:
    """With scripts, times show in the reader's zone; without, the UTC text and every link still work."""
    url = site_stories.article.get_absolute_url()
    tokyo = open_page(url, timezone_id="Asia/Tokyo", locale="en-GB")
    shown = tokyo.locator(".story-header time").first.inner_text()
    assert "UTC" not in shown and "Mar 2026" in shown  # en-GB medium date style: "27 Mar 2026"
    plain = open_page(url, java_script_enabled=False)
    assert plain.locator(".story-header time").first.inner_text().endswith("UTC")
    plain.locator(".story-body a.ticker-link").first.click()
    plain.wait_for_url(re.compile(r"/ticker/"))


def test_skip_link_is_first_and_moves_focus_to_main(open_page: Any, site_stories: SiteStories) -> None:
    """The first Tab stop is the skip link, which takes keyboard users past the header and menu."""
    page = open_page("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_accessibility_check_catches_violations(browser: Any) -> None:
    """The axe check fails on a page with a serious violation (an image without alt text), so a pass means
    something."""
    page = browser.new_page()
    try:
        page.set_content('<!doctype html><html lang="en"><title>t</title><main><img src="data:,"></main></html>')
        with pytest.raises(AssertionError, match="image-alt"):
            check_accessibility(page)
    finally:
        page.close()
