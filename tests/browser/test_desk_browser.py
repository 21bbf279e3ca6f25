"""In a browser: an editor corrects a ticker tag and pins a story at the desk; a reader sees both."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, User

from tests.browser.conftest import DESKTOP, browser_db, restore_sections
from tests.site.stories import ORBIS, QUILL, tag, tagged_story
from tickerwire.desk.roles import EDITOR, ensure_roles

pytestmark = browser_db


@pytest.fixture
def desk_stories(transactional_db: None) -> dict[str, Any]:
    restore_sections()
    ensure_roles()
    editor = User.objects.create_user("ed", password="desk-pass-1", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITOR))
    old = tagged_story(1, ORBIS, day=1, headline="Orbis Widgets reopens the Lowmoor plant")
    tag(old, QUILL)
    newer = [tagged_story(n, QUILL, day=2 + n, headline=f"Quillfeather Mills mill news {n}") for n in range(2, 6)]
    return {"old": old, "newer": newer}


def test_an_editor_corrects_a_tag_and_pins_a_story_and_a_reader_sees_both(
    browser: Any, live_server: Any, desk_stories: dict[str, Any]
) -> None:
    old = desk_stories["old"]
    reader = browser.new_context(viewport={"width": DESKTOP, "height": 900}).new_page()
    reader.goto(live_server.url + "/")
    first = reader.locator("main a[href*='/news/']").first.inner_text()
    assert first != old.headline  # control: the old story does not lead before it is pinned
    reader.goto(live_server.url + old.get_absolute_url())
    assert QUILL.symbol in reader.locator(".ticker-list").inner_text()

    desk = browser.new_context(viewport={"width": DESKTOP, "height": 900}).new_page()
    desk.goto(f"{live_server.url}/desk/login/?next=/desk/articles/article/{old.pk}/change/")
    desk.fill("#id_username", "ed")
    desk.fill("#id_password", "desk-pass-1")
    desk.click("input[type=submit]")
    desk.wait_for_selector("#id_remove_tickers")
    desk.fill("#id_remove_tickers", QUILL.symbol)
    desk.select_option("#id_pin_on", "home")
    desk.click("input[name=_save]")
    assert "was changed successfully" in desk.wait_for_selector("ul.messagelist").inner_text()

    # The first reader's browser may keep the home page it was sent for its max-age (30 s); the page
    # cached on the server was purged, so a reader arriving now sees the pin at once.
    reader.context.close()
    reader = browser.new_context(viewport={"width": DESKTOP, "height": 900}).new_page()
    reader.goto(live_server.url + "/")
    assert reader.locator("main a[href*='/news/']").first.inner_text() == old.headline
    reader.goto(live_server.url + old.get_absolute_url())
    chips = reader.locator(".ticker-list").inner_text()
    assert ORBIS.symbol in chips and QUILL.symbol not in chips
    reader.context.close()
    desk.context.close()
