"""WSGI entry point for production servers (granian): Django behind the in-memory hot-page cache."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tickerwire.config.settings")
django_application = get_wsgi_application()

from tickerwire.delivery.page_cache import PageCacheApp  # noqa: E402 - needs the settings configured above

application = PageCacheApp(django_application)
