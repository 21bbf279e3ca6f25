"""Django settings, read from the environment so one build serves SQLite and PostgreSQL alike.

``DATABASE_URL`` picks the database (``sqlite:///path`` or ``postgres://...``); without it the database
is a SQLite file under ``TICKERWIRE_HOME`` (default ``./var``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
HOME = Path(os.environ.get("TICKERWIRE_HOME", "var")).resolve()
if HOME.exists() and not HOME.is_dir():
    raise ImproperlyConfigured(
        f"TICKERWIRE_HOME={HOME} is a file, not a folder: set TICKERWIRE_HOME to a folder "
        "(it is created when missing), or unset it for ./var"
    )

DEBUG = os.environ.get("TICKERWIRE_DEBUG", "") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY", "tickerwire-insecure-development-key-change-me")
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
SITE_NAME = os.environ.get("TICKERWIRE_SITE_NAME", "Tickerwire")
# The public address readers use, e.g. https://news.example.org; empty: each page names the host it was asked
# for (tickerwire.site.addresses). Set it behind a proxy so canonical links name one host.
SITE_URL = os.environ.get("TICKERWIRE_SITE_URL", "").strip().rstrip("/")

INSTALLED_APPS = [
    # The editors' desk is the admin, mounted at /desk/ (tickerwire.desk.admin).
    "django.contrib.admin",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "tickerwire.articles",
    "tickerwire.search",
    "tickerwire.site",
    "tickerwire.delivery",
    "tickerwire.api",
    "tickerwire.sources",
    "tickerwire.desk",
    "tickerwire.ops",
    # Watchlists and alerts: follows, "My news", email, digests and webhooks (consumes story events).
    "tickerwire.alerts",
    # django-ninja's templates and static files: the API docs load Swagger UI from this server, not a CDN.
    "ninja",
    "corsheaders",
    # Last: wires the story events to their consumers once every app is loaded (tickerwire.config.wiring).
    "tickerwire.config",
]

MIDDLEWARE = [
    # Outermost: times every request Django answers, cached pages included (tickerwire.ops.metrics).
    "tickerwire.ops.metrics.RequestMetricsMiddleware",
    # First: it stores pages as every other middleware leaves them, and answers cached ones before them.
    "tickerwire.delivery.page_cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "tickerwire.delivery.static_middleware.StaticFilesMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "tickerwire.api.middleware.RejectNulInQuery",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
]

ROOT_URLCONF = "tickerwire.config.urls"
WSGI_APPLICATION = "tickerwire.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def redacted(url: str) -> str:
    """Return a database URL with its password replaced by ``***``, for error messages."""
    return re.sub(r"(//[^/:@]*:)[^/@]*@", r"\1***@", url)


def _database_from_env() -> dict[str, object]:
    """Return the default database: ``DATABASE_URL`` or a SQLite file in WAL mode under the home folder."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        try:
            HOME.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ImproperlyConfigured(
                f"TICKERWIRE_HOME={HOME} cannot be made a folder ({exc.strerror}): set TICKERWIRE_HOME to a "
                "folder you can write to, or set DATABASE_URL"
            ) from None
        url = f"sqlite:///{HOME / 'tickerwire.sqlite3'}"
    try:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    except (ValueError, KeyError):  # UnknownSchemeError is a ValueError
        raise ImproperlyConfigured(
            f"DATABASE_URL={redacted(url)!r} is not a database URL: set it to "
            "sqlite:////path/to/tickerwire.sqlite3 or postgres://user:password@host:5432/name, or unset it "
            "for a SQLite file under TICKERWIRE_HOME"
        ) from None
    if not config.get("ENGINE"):
        raise ImproperlyConfigured(
            f"DATABASE_URL={redacted(url)!r} names no database engine: set it to "
            "sqlite:////path/to/tickerwire.sqlite3 or postgres://user:password@host:5432/name"
        )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Keep each worker thread's connection between requests: opening one and running the PRAGMAs
        # below costs ~2 ms, more than serving a cached page.
        config["CONN_MAX_AGE"] = 600
        config["OPTIONS"] = {
            # WAL lets readers (the site) run while a writer (ingest) commits; IMMEDIATE avoids
            # "database is locked" upgrades when two writers race.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
            "transaction_mode": "IMMEDIATE",
        }
    config["TEST"] = {"NAME": os.environ.get("TICKERWIRE_TEST_DB_NAME") or None}
    return config


DATABASES = {"default": _database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_cache_url = os.environ.get("TICKERWIRE_CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url,
         "KEY_PREFIX": os.environ.get("TICKERWIRE_CACHE_KEY_PREFIX", "")}
        if _cache_url.startswith("redis")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tickerwire",
              "OPTIONS": {"MAX_ENTRIES": 5000}}
    )
}
# Rendered pages for anonymous readers are cached this long at most (tickerwire.delivery.page_cache);
# a stored story invalidates its pages at once. 0 turns the page cache off.
TICKERWIRE_PAGE_CACHE_SECONDS = int(os.environ.get("TICKERWIRE_PAGE_CACHE_SECONDS", "30"))
# A page checked current is answered from process memory (before Django) for this long before it is checked
# again, so other processes see a purge within this time (tickerwire.delivery.page_cache.PageCacheApp).
TICKERWIRE_PAGE_RECHECK_SECONDS = float(os.environ.get("TICKERWIRE_PAGE_RECHECK_SECONDS", "1"))
# The caching proxy in front (deploy/nginx.conf), asked to refresh a stored story's pages; empty: none.
TICKERWIRE_PURGE_URL = os.environ.get("TICKERWIRE_PURGE_URL", "")
# Behind nginx: article pages are also written as static files under this folder for nginx to serve
# (tickerwire.delivery.snapshots, deploy/nginx.conf); empty: none. Files older than
# TICKERWIRE_SNAPSHOT_SECONDS are swept, like an expired proxy copy.
TICKERWIRE_SNAPSHOT_DIR = os.environ.get("TICKERWIRE_SNAPSHOT_DIR", "")
TICKERWIRE_SNAPSHOT_SECONDS = int(os.environ.get("TICKERWIRE_SNAPSHOT_SECONDS", "60"))

# Background work: in-process on the embedded default; a database queue worked by
# `tickerwire worker` processes when TICKERWIRE_TASKS=database.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if os.environ.get("TICKERWIRE_TASKS") == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# Enrich stories at ingest (tickers, sections, figures, sentiment, cluster; embedding and related stories
# in a background task). TICKERWIRE_ENRICH=0 turns it off, e.g. for a bulk load enriched afterwards.
TICKERWIRE_ENRICH = os.environ.get("TICKERWIRE_ENRICH", "1") != "0"

# Pluggable enrichment backends, chosen like Django's caches.
EMBEDDINGS = {
    "default": {
        "BACKEND": os.environ.get("TICKERWIRE_EMBEDDINGS", "tickerwire.enrich.embeddings.OnnxMiniLM"),
    }
}

# Zone for published times a source gives without one (wire text, many pages); stored times are UTC.
TICKERWIRE_SOURCE_TZ = os.environ.get("TICKERWIRE_SOURCE_TZ", "UTC")

# Polling registered sources (tickerwire.sources). The User-Agent names Tickerwire and where to reach us.
TICKERWIRE_CONTACT_URL = os.environ.get("TICKERWIRE_CONTACT_URL", "") or SITE_URL or "https://tickerwire.invalid/contact"
# Off: feeds on private, loopback, link-local and reserved addresses are refused (SSRF guard); tests turn it on.
TICKERWIRE_POLL_ALLOW_PRIVATE = os.environ.get("TICKERWIRE_POLL_ALLOW_PRIVATE", "") == "1"
TICKERWIRE_POLL_WORKERS = int(os.environ.get("TICKERWIRE_POLL_WORKERS", "16"))
TICKERWIRE_POLL_PER_HOST = int(os.environ.get("TICKERWIRE_POLL_PER_HOST", "4"))
TICKERWIRE_POLL_TIMEOUT_SECONDS = float(os.environ.get("TICKERWIRE_POLL_TIMEOUT_SECONDS", "20"))
TICKERWIRE_POLL_RETRIES = int(os.environ.get("TICKERWIRE_POLL_RETRIES", "2"))
TICKERWIRE_POLL_RETRY_BASE_SECONDS = float(os.environ.get("TICKERWIRE_POLL_RETRY_BASE_SECONDS", "1"))
TICKERWIRE_POLL_MAX_REDIRECTS = int(os.environ.get("TICKERWIRE_POLL_MAX_REDIRECTS", "5"))
TICKERWIRE_POLL_MAX_BYTES = int(os.environ.get("TICKERWIRE_POLL_MAX_BYTES", str(16 * 1024 * 1024)))
# A source failing this many polls in a row is paused, its last error shown by `tickerwire sources show`.
TICKERWIRE_POLL_MAX_FAILURES = int(os.environ.get("TICKERWIRE_POLL_MAX_FAILURES", "5"))

# Watchlists and alerts (tickerwire.alerts). Email goes to the console unless a backend is named
# (django.core.mail.backends.smtp.EmailBackend with Django's EMAIL_HOST settings in production).
EMAIL_BACKEND = os.environ.get("TICKERWIRE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("TICKERWIRE_FROM_EMAIL", "Tickerwire alerts <alerts@localhost>")
# At most this many immediate alert emails per reader per hour; the rest go into their next digest.
TICKERWIRE_ALERTS_PER_HOUR = int(os.environ.get("TICKERWIRE_ALERTS_PER_HOUR", "10"))
# Webhooks are HTTPS only; tests (and a local receiver) may allow plain http to a loopback address.
TICKERWIRE_ALERTS_WEBHOOK_ALLOW_HTTP_LOOPBACK = os.environ.get("TICKERWIRE_ALERTS_WEBHOOK_ALLOW_HTTP_LOOPBACK") == "1"
TICKERWIRE_ALERTS_WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("TICKERWIRE_ALERTS_WEBHOOK_TIMEOUT_SECONDS", "10"))
# A failed webhook is tried again after base * 2**(attempt-1) seconds, up to this many attempts in all.
TICKERWIRE_ALERTS_RETRY_BASE_SECONDS = float(os.environ.get("TICKERWIRE_ALERTS_RETRY_BASE_SECONDS", "30"))
TICKERWIRE_ALERTS_MAX_ATTEMPTS = int(os.environ.get("TICKERWIRE_ALERTS_MAX_ATTEMPTS", "6"))
# A delivery claimed longer ago than this by a sender that never finished is sent again by another.
TICKERWIRE_ALERTS_CLAIM_LEASE_SECONDS = float(os.environ.get("TICKERWIRE_ALERTS_CLAIM_LEASE_SECONDS", "300"))

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = HOME / "static"
# WhiteNoise serves the site's own CSS/JS from the app folders (no collectstatic needed for the demo);
# behind nginx, /static/ is served from STATIC_ROOT instead (docs/deploy.md).
WHITENOISE_USE_FINDERS = True
WHITENOISE_MAX_AGE = 3600

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "tickerwire.ops.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler",
                             **({"formatter": "json"} if os.environ.get("TICKERWIRE_LOG_FORMAT") == "json" else {})}},
    "root": {"handlers": ["console"], "level": os.environ.get("TICKERWIRE_LOG_LEVEL", "WARNING")},
}

# Who may scrape /metrics (addresses or networks, comma-separated; the client address as core.clients reads it).
TICKERWIRE_METRICS_ALLOW = [
    item.strip() for item in os.environ.get("TICKERWIRE_METRICS_ALLOW", "127.0.0.1/32,::1/128").split(",")
    if item.strip()
]

# JSON API: CORS for browsers on other origins, body limit and rate limits for ingestion.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOWED_ORIGINS = [o for o in os.environ.get("TICKERWIRE_CORS_ORIGINS", "").split(",") if o]
CORS_ALLOW_ALL_ORIGINS = os.environ.get("TICKERWIRE_CORS_ORIGINS", "") == "*"
TICKERWIRE_INGEST_MAX_BYTES = int(os.environ.get("TICKERWIRE_INGEST_MAX_BYTES", str(5 * 1024 * 1024)))
# Size caps of one story and of one input (see tickerwire.ingest.limits); checked before parsing.
TICKERWIRE_MAX_STORY_BYTES = int(os.environ.get("TICKERWIRE_MAX_STORY_BYTES", str(2 * 1024 * 1024)))
TICKERWIRE_MAX_INPUT_BYTES = int(os.environ.get("TICKERWIRE_MAX_INPUT_BYTES", str(64 * 1024 * 1024)))
TICKERWIRE_MAX_STORY_PARAGRAPHS = int(os.environ.get("TICKERWIRE_MAX_STORY_PARAGRAPHS", "2000"))
TICKERWIRE_API_INGEST_RATE = os.environ.get("TICKERWIRE_API_INGEST_RATE", "600/min")
# Proxies whose X-Forwarded-For hop is believed (addresses or networks, comma-separated); a client's own
# header is never read without one (tickerwire.limits.clients).
TICKERWIRE_TRUSTED_PROXIES = [item.strip() for item in os.environ.get("TICKERWIRE_TRUSTED_PROXIES", "").split(",")
                              if item.strip()]
TICKERWIRE_API_READ_RATE = os.environ.get("TICKERWIRE_API_READ_RATE", "1200/min")
