"""Browser test fixtures: Debian's chromium through Playwright, axe-core, and a stored set of stories.

Nothing is downloaded by Playwright: the browser is ``/usr/bin/chromium`` (Debian package ``chromium``).
axe-core comes from npm (``package.json`` at the project root), installed into the git-ignored
``node_modules`` on first use. Without either, the tests skip, unless ``TICKERWIRE_REQUIRE_BROWSER=1``
(CI), when they fail.
"""

from __future__ import annotations

import importlib
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings

from tests.site.stories import BRAMBLE, ORBIS, QUILL, file_under, ingest, story_draft, tag, tagged_story
from tickerwire.articles.models import Article

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "screenshots"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
PHONE, DESKTOP = 390, 1280


def unavailable(reason: str) -> None:
    """Skip the test for a missing tool, or fail when CI requires the browser tests to run."""
    if os.environ.get("TICKERWIRE_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + " (TICKERWIRE_REQUIRE_BROWSER=1)")
    pytest.skip(reason)


def axe_script() -> Path:
    """Return axe.min.js, running ``npm install`` once when it is not installed yet."""
    if not AXE.exists():
        try:
            subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent"], cwd=ROOT, check=True,
                           timeout=300, capture_output=True)
        except (OSError, subprocess.SubprocessError) as error:
            unavailable(f"axe-core is not installed and `npm install` failed: {error}")
    return AXE


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        unavailable("/usr/bin/chromium is missing: install the Debian package `chromium`")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread, which makes Django refuse ORM
    # calls (fixture set-up and teardown) as "async-unsafe" although they run synchronously.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield launched
            launched.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class SiteStories:
    """The stories stored for a browser test."""

    article: Article  # tagged ORBW and QFM, revised once, with key figures
    business: list[Article]  # 24 Business stories, newest first (two section pages)
    technology: Article


def restore_sections() -> None:
    """Re-create the 14 sections with the data migration's own code (the flush between tests empties them)."""
    migration = importlib.import_module("tickerwire.articles.migrations.0002_sections")
    migration.create_sections(django_apps, None)


@pytest.fixture
def site_stories(transactional_db: None) -> SiteStories:
    restore_sections()
    business = [tagged_story(n, ORBIS, day=1 + n % 25) for n in range(22)]
    technology = tagged_story(30, QUILL, section="Technology", day=26,
                              extra_paragraph="Hinge sensors shipped early to the northern plant.")
    file_under(technology, "Technology")  # as the section classifier files it (search filters on this)
    article = ingest(story_draft(40, day=27, extra_paragraph="Hinge orders doubled."))
    article = ingest(story_draft(40, day=27, extra_paragraph="Hinge orders doubled, ORBW said, and QFM agreed."))
    tag(article, ORBIS, sentiment=0.5)
    tag(article, QUILL, sentiment=-0.3)
    tagged_story(41, BRAMBLE, day=27)
    Article.objects.filter(pk=article.pk).update(figures=[
        {"value": 14.0, "unit": "%", "text": "14%", "metric": "orders", "sentence": "Orders rose 14%.",
         "direction": "rise", "change": "14%", "period": "first quarter"},
    ])
    business.append(article)
    ordered = list(Article.objects.filter(source_section="Business").order_by("-published_at", "-id"))
    return SiteStories(article=Article.objects.get(pk=article.pk), business=ordered, technology=technology)


# The live server reads committed data; available_apps makes PostgreSQL's flush between tests
# TRUNCATE ... CASCADE past the search index table.
browser_db = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=list(settings.INSTALLED_APPS)),
]
