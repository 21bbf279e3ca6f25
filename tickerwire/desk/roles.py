"""The desk's roles as Django groups: editor, community manager, admin.

- editor: every story action (``desk.edit_stories``), and reading and changing stories in the admin;
- community manager: comments only (the permissions of a ``comments`` app, when one is installed);
- admin: users, groups and settings (``auth``, API keys, polled sources), not the newsroom's work.

Permissions are checked server-side by the actions (:func:`tickerwire.desk.actions.may_edit`) and the admin.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

EDITOR, COMMUNITY_MANAGER, ADMIN = "editor", "community manager", "admin"

# Group name -> (app label, codename or None for all of the app's permissions).
ROLE_PERMISSIONS: dict[str, list[tuple[str, str | None]]] = {
    EDITOR: [
        ("desk", "edit_stories"), ("desk", "view_auditentry"),
        ("articles", "view_article"), ("articles", "change_article"), ("articles", "view_revision"),
        ("articles", "view_wirenotice"), ("articles", "view_source"), ("articles", "view_section"),
        ("articles", "view_quarantine"), ("articles", "view_pin"),
    ],
    COMMUNITY_MANAGER: [("comments", None)],
    ADMIN: [("auth", None), ("api", None), ("sources", None)],
}


def ensure_roles() -> dict[str, int]:
    """Create or update the groups with exactly their permissions; return how many each has."""
    counts: dict[str, int] = {}
    with transaction.atomic():
        for name, wanted in ROLE_PERMISSIONS.items():
            group, _created = Group.objects.get_or_create(name=name)
            permissions = []
            for app_label, codename in wanted:
                found = Permission.objects.filter(content_type__app_label=app_label)
                permissions += list(found if codename is None else found.filter(codename=codename))
            group.permissions.set(permissions)
            counts[name] = len(permissions)
    return counts
