"""The database mark for tests whose data must be committed (threads, subprocesses)."""

from __future__ import annotations

import pytest
from django.conf import settings

# ``available_apps`` makes the teardown flush TRUNCATE ... CASCADE, which PostgreSQL needs because the
# search index table (created by raw SQL, so unknown to flush) references articles_article.
committed_db = pytest.mark.django_db(transaction=True, available_apps=list(settings.INSTALLED_APPS))
