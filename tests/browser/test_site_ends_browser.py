"""In a real browser with every other origin blocked: the API docs render Swagger UI's operations, the
favicon loads, and the ticker chart's axis labels stay readable on a phone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS, SiteStories, browser_db

pytestmark = browser_db


@pytest.fixture
def offline_page(browser: Any, live_server: Any) -> Iterator[Any]:
    """Yield a function opening a path in a page that can reach only the live server (as with no internet);
    ``page.blocked`` lists every request to any other origin, which is refused."""
    contexts = []

    def open_at(path: str, width: int = DESKTOP) -> Any:
        context = browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.blocked = []

        def only_this_server(route: Any) -> None:
            if route.request.url.startswith(live_server.url):
                route.continue_()
            else:
                page.blocked.append(route.request.url)
                route.abort()

        page.route("**/*", only_this_server)
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        return page

    yield open_at
    for context in contexts:
        context.close()


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_api_docs_render_every_operation_offline(offline_page: Any, width: int) -> None:
    """Swagger UI, served by this server, draws the API's operations with no other origin reachable."""
    page = offline_page("/api/v1/docs", width)
    page.wait_for_selector(".opblock", timeout=15_000)
    paths = {" ".join(text.split()) for text in page.locator(".opblock-summary-path").all_inner_texts()}
    for expected in ("/api/v1/articles", "/api/v1/search", "/api/v1/tickers"):
        assert expected in paths, paths
    assert page.locator(".info .title").first.inner_text().startswith("Tickerwire API")
    assert page.blocked == []
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"api-docs-{width}.png"), full_page=False)


def test_favicon_loads_and_chart_labels_are_readable_on_a_phone(offline_page: Any,
                                                                 site_stories: SiteStories) -> None:
    """The linked favicon loads; at 390 px every chart label is drawn at 10.5 px or more, the axes are
    titled, every label lies inside the chart, and date labels do not overlap."""
    page = offline_page("/ticker/ORBW/", PHONE)
    icon = page.evaluate(
        "async () => { const r = await fetch(document.querySelector('link[rel=icon]').href); "
        "return [r.status, r.headers.get('content-type')]; }"
    )
    assert icon == [200, "image/svg+xml"]
    # A label's size on screen: its font size in chart units times the chart's scale on the page.
    sizes = page.evaluate(
        "() => { const svg = document.querySelector('.mention-chart svg');"
        " const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;"
        " return [...svg.querySelectorAll('.ticks text, .axis-titles text')]"
        ".map(t => parseFloat(getComputedStyle(t).fontSize) * scale); }"
    )
    assert len(sizes) >= 8
    assert min(sizes) >= 10.5, sizes
    titles = page.locator(".mention-chart .axis-titles text").all_text_contents()
    assert titles == ["Stories", "Sentiment", "Day (UTC)"]
    chart = page.locator(".mention-chart svg").bounding_box()
    labels = page.locator(".mention-chart .ticks text, .mention-chart .axis-titles text")
    for box in (labels.nth(i).bounding_box() for i in range(labels.count())):
        assert chart["x"] <= box["x"] and box["x"] + box["width"] <= chart["x"] + chart["width"] + 0.5, box
        assert chart["y"] <= box["y"] and box["y"] + box["height"] <= chart["y"] + chart["height"] + 0.5, box
    dates = [page.locator(".mention-chart .date-ticks text").nth(i).bounding_box()
             for i in range(page.locator(".mention-chart .date-ticks text").count())]
    for left, right in zip(dates, dates[1:], strict=False):
        assert left["x"] + left["width"] <= right["x"], (left, right)
    assert page.blocked == []
