"""The polled sources in the admin do what the CLI does: checked adds (the SSRF guard too), pause, resume, remove."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from tickerwire.articles.models import Source
from tickerwire.desk.roles import ADMIN, EDITOR, ensure_roles
from tickerwire.sources.actions import do_add_source
from tickerwire.sources.models import PolledSource

pytestmark = pytest.mark.django_db
LIST = "/desk/sources/polledsource/"


def signed_in(role: str) -> Client:
    ensure_roles()
    user = User.objects.create_user(f"{role}-user", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return client


def add_form(url: str, **fields: str) -> dict[str, str]:
    return {"name": "", "url": url, "format": "rss", "every": "5m", "section": "", "time_zone": "UTC", **fields}


def change_form(polled: PolledSource, **fields: str) -> dict[str, str]:
    data = {"url": polled.url, "format": polled.format, "every": f"{polled.interval_seconds}s", "section": "",
            "time_zone": polled.time_zone}
    if polled.paused:
        data["paused"] = "on"
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/feed.xml", "http://10.0.0.1/feed.xml",
                                 "http://169.254.169.254/latest/meta-data/", "http://localhost/feed.xml"])
def test_a_source_on_a_private_address_is_refused_in_the_form(url: str, settings) -> None:
    settings.TICKERWIRE_POLL_ALLOW_PRIVATE = False
    response = signed_in(ADMIN).post(f"{LIST}add/", add_form(url))
    assert response.status_code == 200  # the form again, with the reason
    assert "a private, loopback, link-local or reserved address" in response.content.decode()
    assert not PolledSource.objects.exists()


def test_the_admin_refuses_what_the_cli_refuses(settings) -> None:
    settings.TICKERWIRE_POLL_ALLOW_PRIVATE = False
    client = signed_in(ADMIN)
    for fields, message in [
        ({"url": "ftp://news.example.org/feed"}, "only http and https"),
        ({"every": "10s"}, "under 30s"),
        ({"format": "html", "fetch_articles": "on"}, "needs --format rss or atom"),
        ({"section": "Astrology"}, "not one of the site&#x27;s sections"),
        ({"time_zone": "Mars/Olympus"}, "not an IANA zone"),
    ]:
        response = client.post(f"{LIST}add/", add_form(fields.pop("url", "https://news.example.org/feed"), **fields))
        assert response.status_code == 200 and message in response.content.decode(), message
    assert not PolledSource.objects.exists()


def test_add_pause_resume_and_remove_through_the_admin(settings) -> None:
    settings.TICKERWIRE_POLL_ALLOW_PRIVATE = True
    client = signed_in(ADMIN)
    response = client.post(f"{LIST}add/", add_form("http://127.0.0.1:9/feed.xml", name="Loopback Wire", every="2h"))
    assert response.status_code == 302, response.content.decode()[:3000]
    polled = PolledSource.objects.get()
    assert (polled.source.name, polled.interval_seconds, polled.source.kind, polled.paused) == (
        "Loopback Wire", 7200, "feed", False)
    assert polled.next_poll_at is not None  # due at once, as the CLI's add

    response = client.post(f"{LIST}{polled.pk}/change/", change_form(polled, paused="on", every="10m"))
    assert response.status_code == 302, response.content.decode()[:3000]
    polled.refresh_from_db()
    assert polled.paused and polled.interval_seconds == 600 and polled.paused_reason.startswith("paused in the admin")

    PolledSource.objects.filter(pk=polled.pk).update(failures=4)
    polled.refresh_from_db()
    assert client.post(f"{LIST}{polled.pk}/change/", change_form(polled, paused=None)).status_code == 302
    polled.refresh_from_db()
    assert not polled.paused and polled.failures == 0 and polled.paused_reason == ""  # resumed as the CLI does

    assert client.post(LIST, {"action": "pause", "_selected_action": [polled.pk]}).status_code == 302
    assert PolledSource.objects.get().paused
    assert client.post(LIST, {"action": "resume", "_selected_action": [polled.pk]}).status_code == 302
    assert not PolledSource.objects.get().paused

    response = client.post(f"{LIST}{polled.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not PolledSource.objects.exists() and Source.objects.filter(name="Loopback Wire").exists()


def test_an_edit_is_checked_as_an_add_is(settings) -> None:
    settings.TICKERWIRE_POLL_ALLOW_PRIVATE = True
    polled = do_add_source("http://127.0.0.1:9/feed.xml", fmt="rss", interval_seconds=300)
    settings.TICKERWIRE_POLL_ALLOW_PRIVATE = False
    response = signed_in(ADMIN).post(f"{LIST}{polled.pk}/change/", change_form(polled, url="http://10.0.0.1/x"))
    assert response.status_code == 200 and "reserved address" in response.content.decode()
    assert PolledSource.objects.get().url == "http://127.0.0.1:9/feed.xml"


def test_only_the_admin_role_manages_sources() -> None:
    do_add_source("https://news.example.org/feed", fmt="rss", interval_seconds=300)
    assert signed_in(ADMIN).get(LIST).status_code == 200
    editor = signed_in(EDITOR)
    assert editor.get(LIST).status_code == 403
    assert editor.post(f"{LIST}add/", add_form("https://news.example.org/other")).status_code == 403
    assert PolledSource.objects.count() == 1
