"""In a real browser: the site's pages and the API docs run under the Content-Security-Policy with no violation."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import DESKTOP, SiteStories, browser_db

pytestmark = browser_db

# Recorded before any page script runs: every securitypolicyviolation event of the document.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push([event.violatedDirective, event.blockedURI, event.sourceFile, event.lineNumber]);
});
"""


def violations_on(browser: Any, url: str, ready: str) -> tuple[dict[str, str], list[Any], list[str]]:
    """Open ``url``, wait for ``ready`` (a selector); return its headers, CSP violations and CSP console errors."""
    context = browser.new_context(viewport={"width": DESKTOP, "height": 900})
    try:
        page = context.new_page()
        page.add_init_script(RECORD_VIOLATIONS)
        console: list[str] = []
        page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        page.wait_for_selector(ready, timeout=15_000)
        page.wait_for_load_state("networkidle")
        found = page.evaluate("window.__cspViolations")
        return response.headers, found, [text for text in console if "Content Security Policy" in text]
    finally:
        context.close()


@pytest.mark.parametrize(("path", "ready"), [("article", "article h1"), ("/", "main"),
                                             ("/api/v1/docs", ".opblock")])
def test_pages_and_api_docs_run_with_no_csp_violation(browser: Any, live_server: Any, site_stories: SiteStories,
                                                      path: str, ready: str) -> None:
    """The article page, the home page and Swagger UI load under the policy; nothing is blocked."""
    target = site_stories.article.get_absolute_url() if path == "article" else path
    headers, violations, console = violations_on(browser, live_server.url + target, ready)
    policy = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert headers["x-frame-options"] == "DENY"
    assert violations == [] and console == []


def test_a_page_cannot_be_framed(browser: Any, live_server: Any, site_stories: SiteStories) -> None:
    """A page of another origin framing the site gets nothing: frame-ancestors 'none' blocks it."""
    context = browser.new_context()
    try:
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda message: console.append(message.text))
        host = live_server.url.replace("127.0.0.1", "localhost")
        page.set_content(f'<iframe id="f" src="{host}/"></iframe>')
        page.wait_for_timeout(1500)
        frame = page.frame_locator("#f")
        assert frame.locator("main").count() == 0
        assert any("frame-ancestors" in text or "X-Frame-Options" in text for text in console), console
    finally:
        context.close()
