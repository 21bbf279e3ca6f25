"""Reader accounts: sign-up with email verification, sign-in and its lockout, reset, profile, settings, roles."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from tests.comments.helpers import PASSWORD, make_manager, make_reader
from tickerwire.accounts.actions import clean_display_name, profile_of
from tickerwire.accounts.middleware import MARKER
from tickerwire.accounts.roles import READER, is_community_manager, role_of
from tickerwire.desk.roles import ADMIN, COMMUNITY_MANAGER

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s]+/accounts/[^\s]+")


def sign_up(client: Client, email: str = "dana@example.test", name: str = "Dana R") -> None:
    response = client.post("/accounts/signup/", {
        "email": email, "display_name": name, "password1": PASSWORD, "password2": PASSWORD,
    })
    assert response.status_code == 302, response.content.decode()[:2000]


def test_sign_up_needs_the_emailed_link_before_the_reader_is_signed_in(client: Client) -> None:
    sign_up(client)
    user = get_user_model().objects.get(email="dana@example.test")
    assert profile_of(user).display_name == "Dana R"
    assert "_auth_user_id" not in client.session  # mandatory verification: not signed in yet
    assert len(mail.outbox) == 1
    link = LINK.search(mail.outbox[0].body)
    assert link and "confirm-email" in link.group(0)
    # Signing in before verifying only re-sends the link.
    client.post("/accounts/login/", {"login": "dana@example.test", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    path = "/" + link.group(0).split("/", 3)[3]
    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_sign_up_refuses_an_empty_display_name(client: Client) -> None:
    response = client.post("/accounts/signup/", {
        "email": "eve@example.test", "display_name": "   ", "password1": PASSWORD, "password2": PASSWORD,
    })
    assert response.status_code == 200
    assert not get_user_model().objects.filter(email="eve@example.test").exists()


def test_repeated_failed_sign_ins_lock_the_address_out(client: Client) -> None:
    make_reader("frank")
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": "frank@example.test", "password": "wrong"})
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    # Locked: even the right password is refused until the window ends.
    response = client.post("/accounts/login/", {"login": "frank@example.test", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)
    assert b"Too many failed login attempts" in response.content
    # Another address is not locked.
    make_reader("gina")
    other = Client()
    other.post("/accounts/login/", {"login": "gina@example.test", "password": PASSWORD})
    assert "_auth_user_id" in other.session


def test_sign_in_and_out(client: Client) -> None:
    user = make_reader("hana")
    response = client.post("/accounts/login/", {"login": "hana@example.test", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    # The marker the article page's script reads is set on the next page, and goes with the session.
    page = client.get("/accounts/settings/")
    assert page.cookies[MARKER].value == "1" and not page.cookies[MARKER]["httponly"]
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session
    assert client.get("/").cookies[MARKER].value == ""  # removed


def test_sign_out_is_a_post_with_the_csrf_token() -> None:
    make_reader("ivan")
    client = Client(enforce_csrf_checks=True)
    client.login(username="ivan", password=PASSWORD)
    assert client.post("/accounts/logout/").status_code == 403
    assert "_auth_user_id" in client.session


def test_password_reset_emails_a_link_that_sets_a_new_password(client: Client) -> None:
    make_reader("jo")
    client.post("/accounts/password/reset/", {"email": "jo@example.test"})
    assert len(mail.outbox) == 1
    link = LINK.search(mail.outbox[0].body)
    assert link and "password/reset/key" in link.group(0)
    path = "/" + link.group(0).split("/", 3)[3]
    response = client.get(path)
    assert response.status_code == 302  # allauth moves the key into the session
    response = client.post(response["Location"], {"password1": "a new long passphrase 9", "password2":
                                                  "a new long passphrase 9"})
    assert response.status_code == 302
    assert Client().login(username="jo", password="a new long passphrase 9")


def test_profile_page_shows_the_display_name_and_settings_change_it(client: Client) -> None:
    user = make_reader("kim")
    assert b"Kim" in client.get(f"/accounts/readers/{user.pk}/").content
    assert client.get("/accounts/settings/").status_code == 302  # sign in first
    client.force_login(user)
    response = client.post("/accounts/settings/", {"display_name": "  Kim   Lee ", "notify_replies": "on"})
    assert response.status_code == 302
    profile = profile_of(get_user_model().objects.get(pk=user.pk))
    assert (profile.display_name, profile.notify_replies, profile.notify_featured, profile.notify_rejected) == (
        "Kim Lee", True, False, False)
    assert b"Kim Lee" in client.get(f"/accounts/readers/{user.pk}/").content
    assert client.get("/accounts/readers/999999/").status_code == 404


def test_settings_refuse_a_cross_site_post() -> None:
    user = make_reader("lou")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post("/accounts/settings/", {"display_name": "Hacked"}).status_code == 403
    assert profile_of(user).display_name == "Lou"


def test_display_names_are_checked() -> None:
    assert clean_display_name(" A  B ") == "A B"
    for bad in ("", "   ", "x" * 61, "a\x00b"):
        with pytest.raises(ValueError):
            clean_display_name(bad)


def test_roles_reader_community_manager_admin() -> None:
    reader, manager = make_reader("mia"), make_manager("ned")
    admin = make_reader("ola", role=ADMIN)
    assert (role_of(reader), is_community_manager(reader)) == (READER, False)
    assert (role_of(manager), is_community_manager(manager)) == (COMMUNITY_MANAGER, True)
    assert role_of(admin) == ADMIN
    superuser = get_user_model().objects.create_superuser("root", "root@example.test", PASSWORD)
    assert role_of(superuser) == ADMIN and is_community_manager(superuser)
