"""Verify settings: one env-driven module (healthchecks style).

Every value comes from the environment with a development default; helpers
fail loudly on values they cannot parse instead of silently falling back.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VERIFY_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true/false).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None


def env_float(name: str, default: float | None) -> float | None:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number.") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")
    SECRET_KEY = "dev-only-insecure-secret-key-do-not-use-in-production"  # noqa: S105 (DEBUG only)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "verify.accounts",
    "articles",
    # Login protection (see the block near the end of this file).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "verify.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "verify.accounts.middleware.SessionIdleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "verify.middleware.HtmxLoginRedirectMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Login protection: OTP state on request.user, the admins' two-factor gate,
    # and axes last (its docs: it turns a lock-out into the lock-out page).
    "django_otp.middleware.OTPMiddleware",
    "verify.accounts.middleware.AdminTwoFactorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "verify.urls"
WSGI_APPLICATION = "verify.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

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
                "django.template.context_processors.csp",
                "articles.context_processors.verify",
            ],
        },
    },
]

# Database: PostgreSQL from DATABASE_URL, else the embedded SQLite file.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    if urlparse(DATABASE_URL).scheme not in {"postgres", "postgresql", "pgsql", "sqlite"}:
        raise ImproperlyConfigured(f"DATABASE_URL scheme not supported: {DATABASE_URL!r}")
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # A session left idle inside a transaction (a killed worker whose socket
        # lingers) must not hold row locks for ever: PostgreSQL ends it.
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
            f"-c idle_in_transaction_session_timeout={env_int('PG_IDLE_IN_TRANSACTION_TIMEOUT_MS', 60_000)}"
        )
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(VAR_DIR / "verify.sqlite3")),
            # WAL lets the web process read while a worker writes; IMMEDIATE
            # takes the write lock at BEGIN so two writers queue on the busy
            # timeout instead of failing with "database is locked" mid-transaction.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # Integration tests hand this file to real worker processes, so the
            # test database must live on disk, never in memory.
            "TEST": {"NAME": env_str("SQLITE_TEST_PATH", str(VAR_DIR / "test-verify.sqlite3"))},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: REDIS_URL, or the private server started by `python -m verify.run`.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL and urlparse(REDIS_URL).scheme not in {"redis", "rediss", "unix"}:
    raise ImproperlyConfigured(f"REDIS_URL must be redis://, rediss:// or unix://, got {REDIS_URL!r}")


def _broker_url(url: str) -> str:
    if url.startswith("unix://"):
        # kombu spells a unix socket as redis+socket://
        return "redis+socket://" + url[len("unix://") :]
    return url


CELERY_BROKER_URL = _broker_url(REDIS_URL) if REDIS_URL else "memory://"
CELERY_RESULT_BACKEND = None  # job state lives in our own models
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "verify")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 270)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Run by `celery -A verify beat` (one process; `make run` starts it).
CELERY_BEAT_SCHEDULE = {
    "purge-old-uploads": {"task": "articles.purge_old_uploads", "schedule": 3600.0},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    # Scan for messages held by dead workers every 10 s (kombu's default throttle
    # scans one tick in ten, leaving them stranded for minutes after a crash).
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": 3,
    "socket_timeout": 5,
    "max_retries": 2,
}

# --- Fault tolerance (issue 9) ---------------------------------------------
# A web request that sends a task spends at most about CELERY_PUBLISH_TIMEOUT
# on a missing broker: one connect attempt bounded by the socket timeouts, one
# quick retry, then the error is logged and the job stays queued in the database
# for the sweeper (articles/services/faults.py) to send once the broker is back.
CELERY_PUBLISH_TIMEOUT = env_float("CELERY_PUBLISH_TIMEOUT", 3.0)
CELERY_BROKER_CONNECTION_TIMEOUT = CELERY_PUBLISH_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS |= {
    "socket_connect_timeout": CELERY_PUBLISH_TIMEOUT,
    "socket_timeout": CELERY_PUBLISH_TIMEOUT,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# Sweeper: every VERIFY_SWEEP_INTERVAL seconds (beat, or `manage.py sweep_jobs`
# from cron) re-send queued work whose last message is older than
# VERIFY_SWEEP_QUEUED_AGE, and requeue running work whose worker has not written
# a heartbeat for VERIFY_WORKER_STALE_AGE seconds (or restarted since it took it).
VERIFY_SWEEP_INTERVAL = env_float("VERIFY_SWEEP_INTERVAL", 30.0)
VERIFY_SWEEP_QUEUED_AGE = env_float("VERIFY_SWEEP_QUEUED_AGE", 120.0)
VERIFY_WORKER_HEARTBEAT_INTERVAL = env_float("VERIFY_WORKER_HEARTBEAT_INTERVAL", 5.0)
VERIFY_WORKER_STALE_AGE = env_float("VERIFY_WORKER_STALE_AGE", 60.0)
CELERY_BEAT_SCHEDULE["sweep-jobs"] = {"task": "articles.sweep_jobs", "schedule": VERIFY_SWEEP_INTERVAL}
# --- end of fault tolerance --------------------------------------------------

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "articles:dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
if DEBUG:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Email (Django 6.1 MAILERS): console in development; tests use the file backend.
MAILERS = {
    "default": {
        "BACKEND": env_str(
            "MAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend",
        ),
        "OPTIONS": {},
    }
}
if MAILERS["default"]["BACKEND"].endswith("filebased.EmailBackend"):
    MAILERS["default"]["OPTIONS"]["file_path"] = env_str("MAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "verify@localhost")

# Paste limit: text beyond this gets a form error. Requests beyond Django's own
# limit (a little above it) get the friendly 413 page from verify.views.
VERIFY_MAX_PASTE_CHARS = env_int("VERIFY_MAX_PASTE_CHARS", 1_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
# Uploads: per file, per request (checked from Content-Length before parsing), files per request.
VERIFY_MAX_UPLOAD_BYTES = env_int("VERIFY_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
VERIFY_MAX_REQUEST_BYTES = env_int("VERIFY_MAX_REQUEST_BYTES", 100 * 1024 * 1024)
VERIFY_MAX_UPLOAD_FILES = env_int("VERIFY_MAX_UPLOAD_FILES", 50)
DATA_UPLOAD_MAX_NUMBER_FILES = VERIFY_MAX_UPLOAD_FILES + 1
FILE_UPLOAD_HANDLERS = [
    "verify.uploads.RequestSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
VERIFY_BULK_MAX_ROWS = env_int("VERIFY_BULK_MAX_ROWS", 10_000)
VERIFY_MAX_URLS_PER_JOB = env_int("VERIFY_MAX_URLS_PER_JOB", 200)
# Uploaded files of failed items are kept this long for a retry, then deleted.
VERIFY_IMPORT_RETENTION_DAYS = env_int("VERIFY_IMPORT_RETENTION_DAYS", 7)

# Newsroom defaults: copied into the NewsroomSettings row when it is first made.
VERIFY_NEWSROOM_NAME = env_str("VERIFY_NEWSROOM_NAME", "Verify newsroom")
VERIFY_BASE_URL = env_str("VERIFY_BASE_URL", "http://127.0.0.1:8000")
# Unset: the threshold chosen with the check-worthiness model (see train_checkworthiness).
# Bulk export zips are deleted this long after they are built.
VERIFY_EXPORT_RETENTION_HOURS = env_int("VERIFY_EXPORT_RETENTION_HOURS", 24)
VERIFY_CLAIM_THRESHOLD = env_float("VERIFY_CLAIM_THRESHOLD", None)
VERIFY_SELF_ASSIGN = env_bool("VERIFY_SELF_ASSIGN", True)
VERIFY_TWO_PERSON_RULE = env_bool("VERIFY_TWO_PERSON_RULE", True)
VERIFY_SHOW_REVIEWER_NAMES = env_bool("VERIFY_SHOW_REVIEWER_NAMES", False)

# URL and feed imports (articles.importing.fetch). VERIFY_FETCH_ALLOW lists
# "host:port" pairs exempt from the public-address check, for a test's local
# server only: with it, an import could reach this machine or the private
# network, so production refuses to start with it set.
VERIFY_FETCH_TIMEOUT = env_float("VERIFY_FETCH_TIMEOUT", 10.0)
VERIFY_FETCH_MAX_BYTES = env_int("VERIFY_FETCH_MAX_BYTES", 5 * 1024 * 1024)
VERIFY_FETCH_ALLOW = env_list("VERIFY_FETCH_ALLOW", "")
VERIFY_FETCH_USER_AGENT = env_str("VERIFY_FETCH_USER_AGENT", "Verify/0.1 (claim verification for newsrooms)")
if VERIFY_FETCH_ALLOW and not DEBUG:
    raise ImproperlyConfigured(
        "VERIFY_FETCH_ALLOW exempts hosts from the SSRF address check and is for tests only; "
        "unset it when DEBUG is false."
    )

# Security. No inline scripts anywhere: htmx is vendored and configured through
# a <meta> tag, so script-src needs only 'self'.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)


# --- Production and login protection (issue 9) ------------------------------
# Everything `check --deploy` looks at, the login lock-out, two-factor, sessions
# and logs. README "Production" and "Login protection" list the variables.

# HTTPS. Behind a TLS-terminating proxy set TLS_PROXY=true: Django then trusts
# its X-Forwarded-Proto (the proxy must overwrite it, never pass a client's
# through), and SECURE_SSL_REDIRECT may be turned off when the proxy redirects.
TLS_PROXY = env_bool("TLS_PROXY", False)
if TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# The container healthcheck calls /health/ over plain HTTP on loopback.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Reverting a record from its history in the admin would bypass the claim lifecycle (statuses,
# open assignments and the stored counts move together): history is for reading and diffs.
SIMPLE_HISTORY_REVERT_DISABLED = True

SILENCED_SYSTEM_CHECKS = []
if not SECURE_HSTS_PRELOAD:
    # Preloading puts the whole domain on the browsers' HTTPS-only list for
    # months; that is the operator's decision, not a default (SECURE_HSTS_PRELOAD).
    SILENCED_SYSTEM_CHECKS.append("security.W021")
if TLS_PROXY and not SECURE_SSL_REDIRECT:
    # The TLS proxy redirects http:// itself; Django only ever sees https.
    SILENCED_SYSTEM_CHECKS.append("security.W008")
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Covering indexes (INCLUDE columns) speed PostgreSQL up; SQLite builds the same
    # indexes on their key columns, which is all it needs at its scale.
    SILENCED_SYSTEM_CHECKS.append("models.W040")

# Password-reset and welcome mails in production: SMTP (mail.E001 refuses the console backend).
if MAILERS["default"]["BACKEND"].endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env_str("SMTP_HOST", "localhost"),
        "port": env_int("SMTP_PORT", 587),
        "username": env_str("SMTP_USER"),
        "password": env_str("SMTP_PASSWORD"),
        "use_tls": env_bool("SMTP_USE_TLS", True),
        "timeout": 10,  # a web request must not hang on a slow mail server
    }

# Sessions end after SESSION_COOKIE_AGE seconds without a request. Not
# SESSION_SAVE_EVERY_REQUEST, which writes the session row on every request
# (each htmx poll too): verify.accounts.middleware.SessionIdleMiddleware pushes
# the expiry forward at most once per VERIFY_SESSION_REFRESH_SECONDS, so a
# session ends between AGE and AGE + REFRESH seconds after the last request.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
VERIFY_SESSION_REFRESH_SECONDS = env_int("VERIFY_SESSION_REFRESH_SECONDS", 60)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"]["min_length"] < 12:
    raise ImproperlyConfigured("PASSWORD_MIN_LENGTH must be at least 12.")

# Lock-out (django-axes): AXES_FAILURE_LIMIT wrong passwords for one username
# from one address lock that pair, and only that pair, for AXES_COOLOFF_MINUTES;
# the same user from another address, or another user from this one, still logs in.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked pair before the password is checked
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "verify.accounts.lockout.client_ip"
# Behind a proxy the client is the address the proxy appended to X-Forwarded-For;
# 0 reads REMOTE_ADDR (no proxy: a client-sent header would let it pick its address).
VERIFY_PROXY_COUNT = env_int("VERIFY_PROXY_COUNT", 1 if TLS_PROXY else 0)

# Two-factor (django-otp TOTP): required for admins (the Admin role or
# superusers) when on, optional for everyone else. On by default in production;
# off under DEBUG so that `make run`'s demo admin logs in with a password alone.
VERIFY_REQUIRE_ADMIN_OTP = env_bool("VERIFY_REQUIRE_ADMIN_OTP", not DEBUG)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Verify")

# Logs: one JSON object a line in production (LOG_FORMAT=json), each carrying
# the request id (X-Request-ID from the proxy, or a new uuid, echoed back).
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: use json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "verify.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "verify.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint logs a line per step and per page of every PDF at INFO.
    "loggers": {"django.db.backends": {"level": "INFO"}, "weasyprint.progress": {"level": "WARNING"}},
}
