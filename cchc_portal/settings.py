"""One settings module, driven by the environment.

With no variables set the portal runs embedded: SQLite in ``var/``, Celery tasks executed
eagerly in-process, DEBUG on. Production sets ``DJANGO_DEBUG=0`` with ``DATABASE_URL``
(PostgreSQL), ``CELERY_BROKER_URL`` (Redis), ``SECRET_KEY`` and ``ALLOWED_HOSTS``.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# With DEBUG on, a missing page shows Django's technical 404 instead of the portal's page.
DEBUG_TECHNICAL_404 = env.bool("DEBUG_TECHNICAL_404", default=False)

# Only DEBUG falls back to a throw-away key; production refuses to start without one.
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key" if DEBUG else environ.Env.NOTSET)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "bootstrap",  # django-bootstrap-static: Bootstrap 5 under static/bootstrap/
    # Before org: org/admin.py replaces django-otp's device admin.
    "django_otp",  # optional two-step login (TOTP) for administrators and committee members
    "django_otp.plugins.otp_totp",
    "org",
    "audit",
    "procedures",
    "dossiers",
    "reports",
    "committee",
    "committee.parindex",
    "cchc_portal",  # project-wide commands (load_demo)
    "axes",  # login lockout after repeated failures
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "org.middleware.PortalLocaleMiddleware",
    # With DEBUG on (the demo), the portal's 404 page instead of Django's technical one.
    "cchc_portal.error_pages.DebugNotFoundPageMiddleware",
    "org.middleware.NulRefusingMiddleware",
    "org.middleware.ControlCharacterRefusingMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "org.middleware.SecondFactorRequiredMiddleware",
    "org.middleware.PersonalDataNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cchc_portal.urls"
WSGI_APPLICATION = "cchc_portal.wsgi.application"

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
                "org.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite file for the embedded default, DATABASE_URL (PostgreSQL) in production.
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections were worth 4x on page throughput (DESIGN §6).
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # JIT compiling the statistics aggregates cost 2–2.7 s per query at 1 M dossiers against
    # 0.2 s of execution; the portal's queries are short, so it never pays off.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
else:
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if env.str("REDIS_URL", default=""):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env.str("REDIS_URL"),
            # A stopped or hung Redis costs a request at most ~1 s per cache call; every use
            # of the cache (rate limits, debounce, markers) carries on without it.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Government accounts: at least 10 characters (Django's default is 8).
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)  # one office day
# Shared office PCs: closing the browser ends the session.
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)

# Two-step login: the name shown in the authenticator app; roles that may switch it on.
OTP_TOTP_ISSUER = "CCHC Portal"
TWO_FACTOR_ROLES = env.list("TWO_FACTOR_ROLES", default=["administrator", "committee_member"])

# Content-Security-Policy (django-csp): scripts only from our own static files, or inline with
# the per-request nonce (`nonce="{{ request.csp_nonce }}"`); no inline event handlers. Inline
# style attributes stay allowed (progress bars' widths, Swagger UI's <style>): they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Login lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username from
# one address, that pair is locked for AXES_COOLOFF_TIME; a success resets the count. Admins
# unlock early with `python manage.py axes_reset_username NAME`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "org.views.login_locked_out"
# The same client address as the lookup rate limit (honours TRUSTED_PROXY_COUNT).
AXES_CLIENT_IP_CALLABLE = "dossiers.ratelimit.client_ip"

# Vietnamese first; English on request. Data (unit and procedure names) stays Vietnamese.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON nested deeper than any payload of ours answers 400 instead of a RecursionError.
    "DEFAULT_PARSER_CLASSES": [
        "cchc_portal.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CCHC Portal API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "status" field; each choice set gets its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "DossierStatusEnum": "dossiers.models.DossierStatus",
    },
}

# Celery: a real Redis broker when CELERY_BROKER_URL is set; otherwise tasks run eagerly
# in-process so that `make run` needs no services.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=env.str("REDIS_URL", default=""))
# No result backend unless one is asked for: the portal never reads a task's return value, and
# a backend on the broker made every apply_async wait ~19 s for its retries when Redis was down.
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=10 * 60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=12 * 60)
# A task is acknowledged only after it ran, and re-queued if its worker dies (DESIGN §6).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_TASK_TIME_LIMIT + 5 * 60,
    "socket_connect_timeout": 1,
}
# Publishing from a request gives up within ~1 s when the broker cannot be reached (one quick
# retry, then the caller's fallback: marks for the sweep, a queued job for its sweep).
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    # Applicant e-mails of steps whose task was never queued (broker down) or ran out of
    # retries: sent once, within 3 days; older ones are given up with a log line.
    "applicant-notices-catch-up": {
        "task": "dossiers.tasks.applicant_notices_catch_up",
        "schedule": crontab(minute="*/5"),
    },
    "calendar-review-reminder": {
        "task": "org.tasks.calendar_review_reminder",
        "schedule": crontab(day_of_month=1, month_of_year=12, hour=8, minute=0),
    },
    # Unit leaders' morning digest of dossiers due soon, newly overdue, needing an apology.
    "overdue-watch-daily": {
        "task": "dossiers.tasks.overdue_watch_daily",
        "schedule": crontab(hour=7, minute=0),
    },
    # Statistics: recompute the periods containing today (overdue follows the clock, by date) and
    # drain any change the signal-driven refresh missed.
    "rollups-sweep": {
        "task": "reports.tasks.rollups_sweep",
        "schedule": crontab(minute="*/15"),
    },
    # Export jobs left queued (broker outage) or running (killed worker) are sent again.
    "export-jobs-sweep": {
        "task": "reports.tasks.export_jobs_sweep",
        "schedule": crontab(minute="*/5"),
    },
    # Catalogue import jobs too (the same rule, cchc_portal.jobs).
    "procedure-import-jobs-sweep": {
        "task": "procedures.tasks.procedure_import_jobs_sweep",
        "schedule": crontab(minute="*/5"),
    },
    # Export files are kept EXPORT_JOBS_KEEP_DAYS days, then deleted with their jobs.
    "export-jobs-cleanup": {
        "task": "reports.tasks.export_jobs_cleanup",
        "schedule": crontab(hour=2, minute=30),
    },
    # Committee tasks: reminders 7, 3 and 1 working days before the deadline and on the day
    # it passes (each sent once, however often the job runs).
    "committee-task-reminders": {
        "task": "committee.tasks.task_reminders_send",
        "schedule": crontab(hour=7, minute=30),
    },
    # Dossiers partitioned by year of receipt (docs/partitioning.md): next year's partition
    # exists well ahead. A no-op on the plain table.
    "dossier-partitions-ensure": {
        "task": "dossiers.tasks.dossier_partitions_ensure",
        "schedule": crontab(day_of_month=1, hour=3, minute=15),
    },
}
EXPORT_JOBS_KEEP_DAYS = env.int("EXPORT_JOBS_KEEP_DAYS", default=7)
# The rollup sweep marks again the cells changed in the last ROLLUPS_REPAIR_HOURS hours whose
# rows are older than the change (a lost stale mark); older losses need rollups_rebuild.
ROLLUPS_REPAIR_HOURS = env.int("ROLLUPS_REPAIR_HOURS", default=48)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# Working calendar (DESIGN §3): office hours as "HH:MM-HH:MM" blocks, Monday to Friday.
OFFICE_HOURS = env.list("OFFICE_HOURS", default=["07:00-11:30", "13:30-17:00"])
# Intake (DESIGN §3 "Today and the past"): a received time more than this many working days
# before today needs a reason, kept on the RECEIVED event and in the audit trail.
INTAKE_BACKDATE_WORKING_DAYS = env.int("INTAKE_BACKDATE_WORKING_DAYS", default=3)

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="cchc-portal@localhost")
# One variable for the whole mail server, e.g. EMAIL_URL=smtp+tls://user:password@host:587
# (django-environ's email_url); it overrides EMAIL_BACKEND above. Tests use locmem regardless.
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
# A stuck mail server must not hold a Celery worker for minutes.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=15)

# Absolute links in e-mails (the public lookup page) start with this.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
# Hooks called after each applicant notification (SMS, Zalo…): dotted paths to callables
# notify(dossier, event_kind, message); see dossiers.notifications.
DOSSIER_NOTIFIERS = env.list("DOSSIER_NOTIFIERS", default=[])

# Public lookup (/tra-cuu/): lookups per client address, "N/s|m|h|d".
LOOKUP_RATE_LIMIT = env.str("LOOKUP_RATE_LIMIT", default="10/m")
# Failed lookups of one dossier code from browsers that never gave its right digits; over it
# the code is under attack (see LOOKUP_CODE_NETWORK_RATE_LIMIT), nobody is locked out.
LOOKUP_CODE_RATE_LIMIT = env.str("LOOKUP_CODE_RATE_LIMIT", default="20/h")
# Once a code is under attack, each network (IPv4 /24, IPv6 /48) may try it only this often;
# the window is also how long the code stays under attack. A browser that gave the right
# digits is not limited on that code.
LOOKUP_CODE_NETWORK_RATE_LIMIT = env.str("LOOKUP_CODE_NETWORK_RATE_LIMIT", default="3/d")
# Reverse proxies in front of the portal that append to X-Forwarded-For; 0 = trust only
# REMOTE_ADDR (anyone can forge the header when nothing in front rewrites it).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Demo data is loaded by `make run` only; production settings refuse it.
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="cchc-demo")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "client_errors_one_line": {"()": "cchc_portal.log_filters.ClientErrorsWithoutTraceback"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # A 403 or 400 is a warning line, not a traceback: a probe would otherwise flood the log.
        "django.request": {"filters": ["client_errors_one_line"]},
        # Lockouts are warnings; its start-up banner and every failed attempt are not.
        "axes": {"level": "WARNING"},
    },
}

if not DEBUG:
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Browsers remember to use HTTPS; one year as recommended once TLS works everywhere.
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    # Cookies never travel over plain HTTP; the session cookie is not readable by scripts.
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    X_FRAME_OPTIONS = "DENY"
    SECURE_CONTENT_TYPE_NOSNIFF = True
