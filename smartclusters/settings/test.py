"""Test settings. SQLite unless DATABASE_URL is set (CI sets PostgreSQL)."""

import os
from urllib.parse import urlsplit

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# The unit suite never depends on a shared cache; integration tests build their own.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# One process: the page cache is on, so every test of a public page runs through it.
PAGE_CACHE = True
# A shared fragment that shows something of the person fails its test.
SHARED_FRAGMENTS_STRICT = True
MEDIA_ROOT = BASE_DIR / ".pytest-media"  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the finders, as in development; no collectstatic needed.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Unit tests exercise services with tasks run in-process; the integration tests
# (marked ``services``) start a real worker against the real Redis instead.
CELERY_TASK_ALWAYS_EAGER = True
# Admin tests log staff in without TOTP; the tests of the rule turn it on.
STAFF_REQUIRE_MFA = False

# With Redis (integration tests), SQLite's test database is a file, not memory:
# the Celery worker is another process and must see the same rows.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and REDIS_URL:  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".pytest-db.sqlite3")}  # noqa: F405


def redis_url_for_worker(url: str, worker: int) -> str:
    """``url`` with its database number moved up by ``worker`` (of 16: 15 wraps to 0)."""
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    return parts._replace(path=f"/{(base + worker) % 16}").geturl()


# Each pytest-xdist worker (gw0, gw1...) has a test database of its own (pytest-django adds
# the suffix) and a Redis database of its own: the Celery workers, gunicorn and caches that
# its tests start never meet another worker's. os.environ carries it to those processes.
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _XDIST_WORKER.startswith("gw"):  # noqa: F405
    REDIS_URL = redis_url_for_worker(REDIS_URL, int(_XDIST_WORKER[2:]))  # noqa: F405
    os.environ["REDIS_URL"] = REDIS_URL
    if "CELERY_BROKER_URL" not in os.environ:
        CELERY_BROKER_URL = REDIS_URL
