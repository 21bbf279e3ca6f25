"""Readers, community managers and stories for the accounts and comments tests."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tickerwire.accounts.actions import create_profile
from tickerwire.desk.roles import COMMUNITY_MANAGER, ensure_roles

PASSWORD = "correct horse battery staple 7"


def make_reader(name: str, *, verified: bool = True, role: str | None = None) -> Any:
    """Create a reader with a verified email ``<name>@example.test``, a display name, and optionally a role."""
    user = get_user_model().objects.create_user(username=name, email=f"{name}@example.test", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    create_profile(user, name.capitalize())
    if role is not None:
        ensure_roles()
        user.groups.add(Group.objects.get(name=role))
        user = get_user_model().objects.get(pk=user.pk)  # forget cached permissions
    return user


def make_manager(name: str = "carol") -> Any:
    return make_reader(name, role=COMMUNITY_MANAGER)
