"""``tickerwire check`` and the production settings TICKERWIRE_HTTPS=1 turns on, each in a fresh process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SECRET = "k3Jq9-production-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz"


def run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {key: value for key, value in os.environ.items()
            if key not in ("DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "TICKERWIRE_HTTPS", "DJANGO_SETTINGS_MODULE",
                           "DJANGO_ALLOW_ASYNC_UNSAFE")}  # the browser tests set it; a deployment must not
    return subprocess.run([sys.executable, *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
                          env={**base, "TICKERWIRE_HOME": str(tmp_path), "PYTHONPATH": str(REPO_ROOT), **env},
                          check=False)


def test_check_is_clean_with_the_production_settings(tmp_path: Path) -> None:
    done = run(tmp_path, "-m", "tickerwire", "check", SECRET_KEY=SECRET, ALLOWED_HOSTS="news.example.org")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout
    assert "WARNINGS" not in done.stdout + done.stderr


def test_check_refuses_production_without_a_secret_key_or_hosts(tmp_path: Path) -> None:
    no_key = run(tmp_path, "-m", "tickerwire", "check", ALLOWED_HOSTS="news.example.org")
    assert no_key.returncode == 2 and "needs SECRET_KEY" in no_key.stderr
    no_hosts = run(tmp_path, "-m", "tickerwire", "check", SECRET_KEY=SECRET)
    assert no_hosts.returncode == 2 and "needs ALLOWED_HOSTS" in no_hosts.stderr


def test_development_settings_fail_the_deploy_check(tmp_path: Path) -> None:
    """Without TICKERWIRE_HTTPS Django's deploy check still warns (the command switches it on)."""
    done = run(tmp_path, "-m", "django", "check", "--deploy", "--fail-level", "WARNING",
               DJANGO_SETTINGS_MODULE="tickerwire.config.settings")
    assert done.returncode == 1 and "security.W004" in done.stderr


PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
client = Client()
plain = client.get("/robots.txt", HTTP_HOST="news.example.org")
proxied = client.get("/robots.txt", HTTP_HOST="news.example.org", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location", "")],
    "proxied": [proxied.status_code, proxied.get("Strict-Transport-Security", "")],
    "health": client.get("/healthz", HTTP_HOST="news.example.org").status_code,
    "cookies": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE],
}))
"""


def test_https_settings_redirect_send_hsts_and_secure_cookies(tmp_path: Path) -> None:
    done = run(tmp_path, "-c", PROBE, TICKERWIRE_HTTPS="1", SECRET_KEY=SECRET, ALLOWED_HOSTS="news.example.org",
               DJANGO_SETTINGS_MODULE="tickerwire.config.settings")
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["plain"] == [301, "https://news.example.org/robots.txt"]
    assert seen["proxied"] == [200, "max-age=31536000; includeSubDomains"]
    assert seen["health"] != 301  # probes on the private network are not redirected
    assert seen["cookies"] == [True, True]
