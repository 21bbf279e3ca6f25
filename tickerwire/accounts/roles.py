"""Reader roles: reader (every verified account), community manager (the desk's group of that name) and admin.

The groups and their permissions are the desk's (:mod:`tickerwire.desk.roles`, ``tickerwire desk roles``);
the community manager group holds every permission of the ``comments`` app, of which
``comments.moderate_comments`` is the one the moderation page and actions check.
"""

from __future__ import annotations

from typing import Any

from tickerwire.desk.roles import ADMIN, COMMUNITY_MANAGER

READER = "reader"
MODERATE_PERMISSION = "comments.moderate_comments"


def is_community_manager(user: Any) -> bool:
    """Return whether ``user`` may moderate comments (community managers and admins)."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.has_perm(MODERATE_PERMISSION))


def role_of(user: Any) -> str:
    """Return the reader-facing role: ``admin``, ``community manager`` or ``reader``."""
    if user.is_superuser or user.groups.filter(name=ADMIN).exists():
        return ADMIN
    if is_community_manager(user):
        return COMMUNITY_MANAGER
    return READER
