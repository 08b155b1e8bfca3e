"""Production settings. Refuses to start without a real secret, real hosts, Redis and the
site's public address.

The image's build (``bin/build``) runs ``collectstatic`` with these settings, before any
secret exists: it sets ``DJANGO_BUILD_COLLECTSTATIC=1``, which stands in build-only
placeholders and is refused for every command but ``manage.py collectstatic``.
"""

import sys
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.http.request import validate_host

from .base import *  # noqa: F403
from .base import env

SIGNING_KEY_MISSING = "SECRET_KEY must be set to a random value of 50+ characters."
SIGNING_KEY_PLACEHOLDER = (
    "SECRET_KEY is a placeholder (such as the one in .env.example), not a secret: set it to "
    'a random value of 50+ characters: python -c "import secrets; print(secrets.token_urlsafe(64))"'
)
ALLOWED_HOSTS_MISSING = "ALLOWED_HOSTS must name the hosts this site is served on."
REDIS_URL_MISSING = (
    "REDIS_URL must be set in production: Redis is the shared cache (rate limits, sessions "
    "of the login flow) and the Celery broker; without it each process would keep its own "
    "cache and run the background tasks inside the request."
)
SITE_URL_MISSING = (
    "SITE_URL must be set to the site's public address (https://<host>): e-mails link to it "
    "and the Sites entry takes its domain from it."
)
SITE_URL_NOT_ALLOWED = "SITE_URL's host must be one of ALLOWED_HOSTS."
SITE_URL_WITH_PATH = (
    "SITE_URL must be the scheme and host only, e.g. https://clusters.example.eu "
    "(no path, no trailing slash): it is the proxy's site address too."
)
BUILD_FLAG_OUTSIDE_COLLECTSTATIC = (
    "DJANGO_BUILD_COLLECTSTATIC is set: its placeholders serve only "
    "`manage.py collectstatic` in bin/build. Unset it to run the site."
)
# Words that mark a sample value, never a secret.
PLACEHOLDER_MARKS = ("change-me", "changeme", "change_me", "placeholder", "insecure")

DEBUG = False

BUILDING_STATIC = env.bool("DJANGO_BUILD_COLLECTSTATIC", default=False)
if BUILDING_STATIC:
    if Path(sys.argv[0]).name != "manage.py" or sys.argv[1:2] != ["collectstatic"]:
        raise ImproperlyConfigured(BUILD_FLAG_OUTSIDE_COLLECTSTATIC)
    # Never read from the environment, never usable: the flag allows collectstatic only.
    SECRET_KEY = "build-only-placeholder-" + "0123456789abcdef" * 3
    ALLOWED_HOSTS = ["build.invalid"]
    SITE_URL = "https://build.invalid"
else:
    SECRET_KEY = env("SECRET_KEY", default="")
    if not SECRET_KEY:
        raise ImproperlyConfigured(SIGNING_KEY_MISSING)
    if any(mark in SECRET_KEY.lower() for mark in PLACEHOLDER_MARKS) or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(SIGNING_KEY_PLACEHOLDER)
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(SIGNING_KEY_MISSING)

    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(ALLOWED_HOSTS_MISSING)

    if not REDIS_URL:  # noqa: F405 - read in base
        raise ImproperlyConfigured(REDIS_URL_MISSING)

    SITE_URL = env("SITE_URL", default="")
    site = urlsplit(SITE_URL)
    if site.scheme not in ("http", "https") or not site.hostname:
        raise ImproperlyConfigured(SITE_URL_MISSING)
    if site.path or site.query or site.fragment:
        raise ImproperlyConfigured(SITE_URL_WITH_PATH)
    if not validate_host(site.hostname, ALLOWED_HOSTS):
        raise ImproperlyConfigured(SITE_URL_NOT_ALLOWED)

CSRF_TRUSTED_ORIGINS = env.list(
    "CSRF_TRUSTED_ORIGINS", default=[f"https://{host}" for host in ALLOWED_HOSTS]
)
# Production never runs tasks inside the request (base does so without a broker).
CELERY_TASK_ALWAYS_EAGER = False

DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# No page but the TOTP setup for a staff account without TOTP (accounts.middleware).
STAFF_REQUIRE_MFA = True

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}
