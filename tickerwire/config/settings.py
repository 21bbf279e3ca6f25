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
DEVELOPMENT_SECRET_KEY = "tickerwire-insecure-development-key-change-me"
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
                 if h.strip()]

# Production behind TLS (TICKERWIRE_HTTPS=1; `tickerwire check` runs Django's deploy checks with it): HTTPS
# only, HSTS, cookies sent over HTTPS only, and the proxy's X-Forwarded-Proto believed (deploy/nginx.conf
# sets it; the app must then be reachable through the proxy only). SECRET_KEY and ALLOWED_HOSTS must come
# from the environment.
HTTPS = os.environ.get("TICKERWIRE_HTTPS", "") == "1"
if HTTPS:
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "TICKERWIRE_HTTPS=1 needs SECRET_KEY set in the environment to 50 or more random characters, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    if "ALLOWED_HOSTS" not in os.environ or not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "TICKERWIRE_HTTPS=1 needs ALLOWED_HOSTS set in the environment to the site's host names, "
            "comma-separated (e.g. news.example.org), not '*'"
        )
    SECURE_SSL_REDIRECT = True
    # Probes on the private network ask over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("TICKERWIRE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("TICKERWIRE_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
    # Preloading is a request to the browsers' built-in lists, hard to take back: opt in with
    # TICKERWIRE_HSTS_PRELOAD=1; until then the check that asks for it is silenced, not failed.
    SECURE_HSTS_PRELOAD = os.environ.get("TICKERWIRE_HSTS_PRELOAD", "") == "1"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# No page may be framed (clickjacking): X-Frame-Options for old browsers, CSP frame-ancestors for the rest.
X_FRAME_OPTIONS = "DENY"
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
    # Reader accounts (before allauth: its templates override allauth's) and comments.
    "tickerwire.accounts",
    "tickerwire.comments",
    "allauth",
    "allauth.account",
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
    "tickerwire.delivery.content_security.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tickerwire.delivery.static_middleware.StaticFilesMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "tickerwire.api.middleware.RejectNulInQuery",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Keeps the script-readable "signed in" marker in step with the session (tickerwire.accounts).
    "tickerwire.accounts.middleware.ReaderMarkerMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "tickerwire.api.middleware.ShareAnonymousReads",
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
    else:
        # A connection kept between requests is checked before reuse, so after a database restart the next
        # request reconnects instead of failing (the failed one got a 503: tickerwire.ops.views.server_error).
        config["CONN_HEALTH_CHECKS"] = True
    config["TEST"] = {"NAME": os.environ.get("TICKERWIRE_TEST_DB_NAME") or None}
    return config


DATABASES = {"default": _database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_cache_url = (os.environ.get("TICKERWIRE_CACHE_URL") or os.environ.get("CACHE_URL")
              or os.environ.get("REDIS_URL") or "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url,
         "KEY_PREFIX": os.environ.get("TICKERWIRE_CACHE_KEY_PREFIX", "")}
        if _cache_url.startswith("redis")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tickerwire",
              "OPTIONS": {"MAX_ENTRIES": 5000}}
    )
}
# Sessions (reader sign-in) are read from the shared cache at scale and kept in the database for durability.
SESSION_ENGINE = ("django.contrib.sessions.backends.cached_db" if _cache_url.startswith("redis")
                  else "django.contrib.sessions.backends.db")
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

# A withdraw/kill notice naming a story we do not hold waits this long for it: the story, arriving later, is
# stored withdrawn (a wire can send the notice first, or a feed can list it before the original).
TICKERWIRE_NOTICE_WAIT_HOURS = float(os.environ.get("TICKERWIRE_NOTICE_WAIT_HOURS", "168"))

# Polling registered sources (tickerwire.sources). The User-Agent names Tickerwire and where to reach us.
TICKERWIRE_CONTACT_URL = os.environ.get("TICKERWIRE_CONTACT_URL", "") or SITE_URL or "https://tickerwire.invalid/contact"
# Off: feeds on private, loopback, link-local and reserved addresses are refused (SSRF guard); tests turn it on.
TICKERWIRE_POLL_ALLOW_PRIVATE = os.environ.get("TICKERWIRE_POLL_ALLOW_PRIVATE", "") == "1"
TICKERWIRE_POLL_WORKERS = int(os.environ.get("TICKERWIRE_POLL_WORKERS", "16"))
TICKERWIRE_POLL_PER_HOST = int(os.environ.get("TICKERWIRE_POLL_PER_HOST", "4"))
TICKERWIRE_POLL_TIMEOUT_SECONDS = float(os.environ.get("TICKERWIRE_POLL_TIMEOUT_SECONDS", "20"))
TICKERWIRE_POLL_RETRIES = int(os.environ.get("TICKERWIRE_POLL_RETRIES", "2"))
TICKERWIRE_POLL_RETRY_BASE_SECONDS = float(os.environ.get("TICKERWIRE_POLL_RETRY_BASE_SECONDS", "1"))
# A server's Retry-After (429, 503) up to this many seconds is waited out within the poll; a longer one
# ends the poll, and the source is not polled again before it has passed.
TICKERWIRE_POLL_MAX_RETRY_AFTER_SECONDS = float(os.environ.get("TICKERWIRE_POLL_MAX_RETRY_AFTER_SECONDS", "30"))
TICKERWIRE_POLL_MAX_REDIRECTS = int(os.environ.get("TICKERWIRE_POLL_MAX_REDIRECTS", "5"))
TICKERWIRE_POLL_MAX_BYTES = int(os.environ.get("TICKERWIRE_POLL_MAX_BYTES", str(16 * 1024 * 1024)))
# A source failing this many polls in a row is paused, its last error shown by `tickerwire sources show`.
TICKERWIRE_POLL_MAX_FAILURES = int(os.environ.get("TICKERWIRE_POLL_MAX_FAILURES", "5"))

# Watchlists and alerts (tickerwire.alerts). Email (console in the demo, SMTP from EMAIL_HOST) is set up
# with the reader accounts below.
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

# Content-Security-Policy (tickerwire.delivery.content_security, which says why not django-csp): every
# script, style, font and image from this origin, nothing inline, no framing. The site's pages load site.js
# and site.css only (JSON-LD is a data block, which CSP does not govern); the API docs load Swagger UI from
# django-ninja's static files, its settings read from a JSON block by swagger-ui-init.js, its icons drawn
# from data: URIs.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

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

# Who may scrape /metrics (addresses or networks, comma-separated; the client address as limits.clients reads it).
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
# The time one search may spend in the database before it is stopped (tickerwire.search.backends).
TICKERWIRE_SEARCH_BUDGET_SECONDS = float(os.environ.get("TICKERWIRE_SEARCH_BUDGET_SECONDS", "2"))
TICKERWIRE_API_INGEST_RATE = os.environ.get("TICKERWIRE_API_INGEST_RATE", "600/min")
# Proxies whose X-Forwarded-For hop is believed (addresses or networks, comma-separated); a client's own
# header is never read without one (tickerwire.limits.clients).
TICKERWIRE_TRUSTED_PROXIES = [item.strip() for item in os.environ.get("TICKERWIRE_TRUSTED_PROXIES", "").split(",")
                              if item.strip()]
TICKERWIRE_API_READ_RATE = os.environ.get("TICKERWIRE_API_READ_RATE", "1200/min")

# ---- Reader accounts (django-allauth) --------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",  # the desk's staff sign in by user name at /desk/
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_ADAPTER = "tickerwire.accounts.adapter.ReaderAccountAdapter"
# allauth counts these in Django's cache (shared by every process on Redis). login_failed is the lockout:
# after TICKERWIRE_LOGIN_FAILURES failed sign-ins for one email address in the window, that address is
# refused until the window ends, whatever the password.
TICKERWIRE_LOGIN_FAILURES = os.environ.get("TICKERWIRE_LOGIN_FAILURES", "5/15m")
ACCOUNT_RATE_LIMITS = {
    "login": os.environ.get("TICKERWIRE_LOGIN_RATE", "30/m/ip"),
    "login_failed": f"10/m/ip,{TICKERWIRE_LOGIN_FAILURES}/key",
    "signup": os.environ.get("TICKERWIRE_SIGNUP_RATE", "10/h/ip"),
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
# Messages live in the session, never in a cookie of their own on an anonymous page.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Email: printed to the console in the demo; SMTP from the environment when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get("TICKERWIRE_EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "1") == "1"
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "") == "1"
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(HOME / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Tickerwire <noreply@tickerwire.invalid>")


def _words(name: str, default: str) -> list[str]:
    return [word.strip().lower() for word in os.environ.get(name, default).split(",") if word.strip()]


# ---- Comments (tickerwire.comments) ---------------------------------------------------------------
TICKERWIRE_COMMENTS_PAGE_SIZE = int(os.environ.get("TICKERWIRE_COMMENTS_PAGE_SIZE", "20"))
TICKERWIRE_COMMENTS_EDIT_SECONDS = int(os.environ.get("TICKERWIRE_COMMENTS_EDIT_SECONDS", "300"))
TICKERWIRE_COMMENTS_MAX_CHARS = int(os.environ.get("TICKERWIRE_COMMENTS_MAX_CHARS", "3000"))
# Rate limits (tickerwire.limits.ratelimit, counted in the shared cache): per user and per client address.
TICKERWIRE_COMMENTS_POST_RATE = os.environ.get("TICKERWIRE_COMMENTS_POST_RATE", "1/30s")
TICKERWIRE_COMMENTS_POST_IP_RATE = os.environ.get("TICKERWIRE_COMMENTS_POST_IP_RATE", "30/10min")
TICKERWIRE_COMMENTS_REPORT_RATE = os.environ.get("TICKERWIRE_COMMENTS_REPORT_RATE", "10/h")
TICKERWIRE_COMMENTS_REPORT_IP_RATE = os.environ.get("TICKERWIRE_COMMENTS_REPORT_IP_RATE", "30/h")
TICKERWIRE_COMMENTS_LIKE_RATE = os.environ.get("TICKERWIRE_COMMENTS_LIKE_RATE", "60/min")
# Site-wide closing hours in TICKERWIRE_COMMENTS_TZ, e.g. "22:00-06:00" (empty: always open).
TICKERWIRE_COMMENTS_CLOSED_HOURS = os.environ.get("TICKERWIRE_COMMENTS_CLOSED_HOURS", "")
TICKERWIRE_COMMENTS_TZ = os.environ.get("TICKERWIRE_COMMENTS_TZ", "UTC")
# Pre-publication rules (tickerwire.comments.rules), applied in a fixed order.
TICKERWIRE_COMMENTS_PREMODERATE_FIRST = int(os.environ.get("TICKERWIRE_COMMENTS_PREMODERATE_FIRST", "1"))
TICKERWIRE_COMMENTS_BANNED_WORDS = _words("TICKERWIRE_COMMENTS_BANNED_WORDS", "scumbag,retard")
TICKERWIRE_COMMENTS_SUSPECT_WORDS = _words("TICKERWIRE_COMMENTS_SUSPECT_WORDS", "idiot,scam,fraud,moron")
TICKERWIRE_COMMENTS_SPAM_PHRASES = _words(
    "TICKERWIRE_COMMENTS_SPAM_PHRASES",
    "to the moon,guaranteed returns,guaranteed profit,100x,1000x,can't lose,cannot lose,risk-free profit,"
    "buy now before,next 10x,get rich quick,double your money,insider tip,load up now,pump it",
)
TICKERWIRE_COMMENTS_MAX_CASHTAGS = int(os.environ.get("TICKERWIRE_COMMENTS_MAX_CASHTAGS", "3"))
TICKERWIRE_COMMENTS_REPEAT_HOURS = int(os.environ.get("TICKERWIRE_COMMENTS_REPEAT_HOURS", "24"))
# This many reports from different readers put a comment in the reported queue.
TICKERWIRE_COMMENTS_REPORT_THRESHOLD = int(os.environ.get("TICKERWIRE_COMMENTS_REPORT_THRESHOLD", "2"))
ACCOUNT_SIGNUP_FORM_CLASS = "tickerwire.accounts.forms.SignupExtra"

# Failed authentications (missing, wrong or revoked API key) allowed per client IP and per key prefix; past
# either, that IP or key gets 429 until the window ends (tickerwire.api.throttles).
TICKERWIRE_API_AUTH_FAILURES_PER_IP = os.environ.get("TICKERWIRE_API_AUTH_FAILURES_PER_IP", "20/10min")
TICKERWIRE_API_AUTH_FAILURES_PER_KEY = os.environ.get("TICKERWIRE_API_AUTH_FAILURES_PER_KEY", "50/10min")
