"""Settings shared by every environment. Values come from the environment
(django-environ); the defaults serve a laptop: SQLite, console e-mail, no Redis.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False)

# ------------------------------------------------------------------------------
# GENERAL
# ------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="insecure-local-development-key-change-me")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
# The name e-mails and pages give the site (the Sites entry follows it, see core/sites.py).
SITE_NAME = env("SITE_NAME", default="Smart Clusters")
SITE_ID = 1

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# ------------------------------------------------------------------------------
# DATABASES
# ------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets a worker write while the web process reads (the zero-setup default).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ------------------------------------------------------------------------------
# URLS
# ------------------------------------------------------------------------------
ROOT_URLCONF = "smartclusters.urls"
WSGI_APPLICATION = "smartclusters.wsgi.application"

# ------------------------------------------------------------------------------
# APPS
# ------------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.sites",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.forms",
]
THIRD_PARTY_APPS = [
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "django_countries",
    "import_export",
    "csp",
]
LOCAL_APPS = [
    "core",
    "accounts",
    "clusters",
    "notifications",
    "practices",
    "actionplan",
    "exchange",
    "portal",
    "demo",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

# ------------------------------------------------------------------------------
# AUTHENTICATION
# ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"  # "Your work" (portal)
LOGOUT_REDIRECT_URL = "home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-allauth: e-mail is the login, verification is mandatory, rate limits stay on
# (allauth's defaults; they need a shared cache, see CACHES).
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Smart Clusters] "
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Smart Clusters"
# Staff must have TOTP to open any page but its setup (accounts.middleware); local relaxes it.
STAFF_REQUIRE_MFA = env.bool("STAFF_REQUIRE_MFA", default=True)
# An idle staff session ends after this many seconds; members keep SESSION_COOKIE_AGE.
STAFF_SESSION_IDLE_SECONDS = env.int("STAFF_SESSION_IDLE_SECONDS", default=30 * 60)

# ------------------------------------------------------------------------------
# MIDDLEWARE
# ------------------------------------------------------------------------------
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public pages for anonymous visitors from the shared cache: a hit skips all below.
    "core.pagecache.middleware.PageCacheMiddleware",
    # Compress, then (inside) hash the uncompressed body into an ETag and answer 304s.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffMfaRequiredMiddleware",
    "accounts.middleware.StaffSessionIdleTimeoutMiddleware",
]

# ------------------------------------------------------------------------------
# STATIC AND MEDIA
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Files only some people may see (practice attachments): no public URL.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880
PRACTICE_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
PRACTICE_ATTACHMENTS_MAX = 5

# ------------------------------------------------------------------------------
# TEMPLATES
# ------------------------------------------------------------------------------
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
                "notifications.context_processors.unread_notifications",
            ],
        },
    }
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# ------------------------------------------------------------------------------
# SECURITY
# ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# A strict Content-Security-Policy: no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# ------------------------------------------------------------------------------
# E-MAIL
# ------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Smart Clusters <noreply@smartclusters.eu>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 10

# ------------------------------------------------------------------------------
# CACHE, REDIS AND CELERY
# ------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Fails soft: an outage logs a warning and reads as a miss (core/cache.py).
            "BACKEND": "core.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "TIMEOUT": 300,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Without a broker, tasks run in-process so the zero-service set-up still works.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 120
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3, "socket_timeout": 5}
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="celery")
# Publishing fails fast when the broker is down: the outbox sweep delivers later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}

# ------------------------------------------------------------------------------
# PAGE CACHE (core/pagecache): public pages for anonymous visitors
# ------------------------------------------------------------------------------
# Only with a shared cache: per-process caches (LocMem) would not see another process's
# writes. PAGE_CACHE=0 measures the pages as rendered (the benchmark's miss path).
PAGE_CACHE = env.bool("PAGE_CACHE", default=bool(REDIS_URL))
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
# The pages that may be stored (URL names); a page is stored only when it holds nothing of
# one visitor (see core/pagecache/middleware.py).
PAGE_CACHE_URL_NAMES = {
    *("home", "clusters:directory", "clusters:detail", "practices:repository"),
    *("practices:detail", "actionplan:plan", "actionplan:action"),
    *("exchange:index", "exchange:call", "exchange:offer"),
}
# Shared fragments (core/pagecache/fragments.py): the parts of a public page that are the
# same for every signed-in person, under the pages' generation; only with the page cache.
SHARED_FRAGMENTS = env.bool("SHARED_FRAGMENTS", default=True)
# Pages never stored whole whose shared fragments are kept too (the secretariat's queues).
SHARED_FRAGMENT_URL_NAMES = {"dashboard", "exchange:decisions"}
# A fragment that uses something of the person raises instead of being left unstored.
SHARED_FRAGMENTS_STRICT = env.bool("SHARED_FRAGMENTS_STRICT", default=False)
# Tables no public page reads: writing them keeps the stored pages (a login, a session,
# an e-mail, a notification). tests/core/test_page_cache_tables.py checks that the public
# pages read none of them.
PAGE_CACHE_PRIVATE_TABLES = frozenset(
    {
        "django_session",
        "django_admin_log",
        "account_emailaddress",
        "account_emailconfirmation",
        "mfa_authenticator",
        "core_auditevent",
        "notifications_notification",
        "notifications_preference",
        "notifications_digestschedule",
        "notifications_digestsent",
        "actionplan_calendarfeed",
        "actionplan_actionfollow",
        "clusters_clusterfollow",
        "exchange_applicationmessage",
        "exchange_referencecounter",
    }
)
# Statements that change nothing a public page shows: the time of a person's last login.
PAGE_CACHE_PRIVATE_WRITES = ('UPDATE "accounts_user" SET "last_login" = %s WHERE ',)

# ------------------------------------------------------------------------------
# RATE LIMITS (django-ratelimit; per client IP, see core/ratelimit.py)
# ------------------------------------------------------------------------------
RATELIMIT_RATES = {
    "search": env("RATELIMIT_SEARCH", default="60/m"),
    "export": env("RATELIMIT_EXPORT", default="20/m"),
    "feed": env("RATELIMIT_FEED", default="60/m"),
    "readyz": env("RATELIMIT_READYZ", default="60/m"),
    # Messages to a cluster's managers (clusters:contact), per signed-in sender.
    "contact": env("RATELIMIT_CONTACT", default="10/h"),
    # Messages that e-mail other people (an exchange application's thread), per person.
    "message": env("RATELIMIT_MESSAGE", default="20/h"),
    # Invitations to a cluster's team send e-mail to other people: per manager.
    "invite": env("RATELIMIT_INVITE", default="20/h"),
}
# An invitation to a cluster's team expires after this many days.
TEAM_INVITATION_DAYS = env.int("TEAM_INVITATION_DAYS", default=14)
# A cache outage lets requests through rather than refusing everyone.
RATELIMIT_FAIL_OPEN = True
# Behind a reverse proxy, the request header in which the proxy puts the client's address
# (compose: X-Real-IP, which Caddy sets). Unset, or absent from a request (a health check
# from inside the container): the connection's address. One setting for both the rate
# limits here and allauth's (login, signup, password reset).
CLIENT_IP_HEADER = env("CLIENT_IP_HEADER", default=None)
RATELIMIT_IP_META_KEY = "core.ratelimit.client_ip"
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = CLIENT_IP_HEADER

# ------------------------------------------------------------------------------
# NOTIFICATIONS
# ------------------------------------------------------------------------------
# Absolute links in e-mails (sent from workers, where there is no request).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=6)
NOTIFICATIONS_RETRY_BASE_SECONDS = env.float("NOTIFICATIONS_RETRY_BASE_SECONDS", default=30.0)
NOTIFICATIONS_RETRY_MAX_SECONDS = env.float("NOTIFICATIONS_RETRY_MAX_SECONDS", default=3600.0)
# A pending e-mail older than this with no retry scheduled is queued again by the sweep.
NOTIFICATIONS_STALE_SECONDS = env.int("NOTIFICATIONS_STALE_SECONDS", default=120)
# A delivery that finds its row held by another worker tries again this soon, this often.
NOTIFICATIONS_LOCKED_RETRY_SECONDS = env.float("NOTIFICATIONS_LOCKED_RETRY_SECONDS", default=2.0)
NOTIFICATIONS_LOCKED_RETRIES = env.int("NOTIFICATIONS_LOCKED_RETRIES", default=10)
# The hour (site time, 0-23) of the daily digest for people who did not choose one.
NOTIFICATIONS_DIGEST_HOUR = env.int("NOTIFICATIONS_DIGEST_HOUR", default=7)

# ------------------------------------------------------------------------------
# ADMIN AND IMPORT/EXPORT
# ------------------------------------------------------------------------------
ADMIN_URL = env("ADMIN_URL", default="admin/")
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# ------------------------------------------------------------------------------
# LOGGING
# ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(asctime)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"level": env("LOG_LEVEL", default="INFO"), "handlers": ["console"]},
}

# ------------------------------------------------------------------------------
# PROJECT
# ------------------------------------------------------------------------------
DEMO_PASSWORD = env("DEMO_PASSWORD", default="smartclusters-demo")
CLUSTERS_PER_PAGE = 24
