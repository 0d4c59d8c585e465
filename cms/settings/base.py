"""Settings shared by every environment; values that differ come from the environment."""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _
from redis.backoff import NoBackoff
from redis.retry import Retry

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "accounts",
    "places",
    "cms",
    "courses",
    "quizzes",
    "certificates",
    "audit",
    "cohorts",
    "attendance",
    "registration",
    "progress",
    "imports",
    "reports",
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.apps.UsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "django_htmx",
    "csp",
    "ninja",  # the API docs from our own static files, not a CDN
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cms.headers.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # First of all ours: control characters and broken encodings never reach static files, sessions or views.
    "cms.middleware.RequestEdgeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "cms.headers.PrivateNoStoreMiddleware",  # pages about people are never cached (cms/headers.py)
    "cms.ratelimits.RateLimitMiddleware",  # a limit that escapes a view is a 429 (see cms/ratelimits.py)
    "registration.access.LearningOnlyWithCardMiddleware",  # a login card opens learning only
    "django_htmx.middleware.HtmxMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "courses.context_processors.catalogue_url",
            ],
        },
    },
]

# Database: one URL; the default is a SQLite file so `make run` needs no service.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DB_SERVER_SIDE_BINDING", True):
    # Parameters bound by the server: psycopg then prepares the statements a connection runs often, and
    # PostgreSQL stops re-planning the same few queries of every quiz submission. Set DB_SERVER_SIDE_BINDING=0
    # behind a connection pooler in transaction mode that cannot keep prepared statements (PgBouncer < 1.21).
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that does not answer costs a request a few seconds, then the 503 page (cms/outage.py).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
# Every request is one transaction: a failure half-way saves nothing.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis when REDIS_URL is set, through a backend that turns an outage into cache misses (cms/cache.py): short
# socket timeouts and no retries, so a dead Redis costs a request a few milliseconds, never an error page.
CACHES = {
    "default": (
        {
            "BACKEND": "cms.cache.ResilientRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.5")),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
                "retry": Retry(NoBackoff(), 0),
            },
        }
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Sessions are read from Redis when there is one, and kept in the database too: restarting Redis logs nobody out.
if os.environ.get("REDIS_URL"):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# Internationalisation: Vietnamese first, English second.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
# Our catalogue first, then hand-kept Vietnamese for third-party strings (allauth has none).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale-vendor"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# Static files: hashed names, compressed, served by whitenoise in every configuration.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Files only a permission-checked view may hand out (certificate PDFs). Never inside MEDIA_ROOT or
# STATIC_ROOT, so no file-serving route can reach them, however its path is spelt (cms.checks refuses).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "cms.storage.HashedStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 3600

# Wagtail
WAGTAIL_SITE_NAME = "Bình dân học vụ số"
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = [
    "csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip",
    "mp3", "m4a", "ogg", "wav", "mp4", "webm",  # lesson narration and self-hosted video
]

# Accounts (django-allauth): residents log in by phone, staff may use email.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"phone", "email"}
ACCOUNT_SIGNUP_FIELDS = ["phone*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_FORMS = {
    "login": "accounts.login_forms.LoginForm",
    "reset_password": "accounts.login_forms.EmailPasswordResetForm",
}
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_CHANGE = True
# Six digits: what people expect from an SMS code, easy to type on a phone keypad.
ACCOUNT_PHONE_VERIFICATION_CODE_FORMAT = {"numeric": True, "dashed": False, "length": 6}
ACCOUNT_PREVENT_ENUMERATION = False  # people need to hear "this number already has an account"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = True
# Per-number limits are strict (each SMS costs money and can be abused); per-IP limits are
# generous because a whole class signs up from one commune hall's Wi-Fi.
ACCOUNT_RATE_LIMITS = {
    "login": "60/m/ip",
    "login_failed": "30/m/ip,5/5m/key",
    "signup": "30/m/ip",
    "verify_phone": "1/30s/key,5/h/key,120/h/ip",
    "reset_password_by_sms": "3/10m/key,120/h/ip",
}
# The project's own limits (cms.ratelimits.consume), in the same notation; GETs count too.
RATE_LIMITS = {
    "verify_certificate": "30/m/ip",
    # A login card's secret is guessed like a password: 5 tries per card; per connection generously, since a
    # class of forty signs in together behind one Wi-Fi address (a card number and its secret are ~60 bits).
    "login_card": "5/5m/key,120/m/ip",
    # Per cohort, and per sender: a trainer cannot multiply the limit by opening many cohorts of the same people.
    "cohort_message": "5/h/key,15/h/user",
}

# The trainer's cohort report (progress.selectors): when a member and course show "help needed".
HELP_NEEDED_WRONG_ANSWERS = 4  # wrong answers on one quiz not passed yet (Kolibri's rule)
HELP_NEEDED_IDLE_DAYS = 14  # no activity for this long with the course unfinished
DIFFICULT_QUESTION_BELOW = 80  # % of the cohort's members who answered it right
# Attendance (mod_attendance's defaults): members below this rate after this many sessions are flagged.
ATTENDANCE_FLAG_BELOW = 70
ATTENDANCE_FLAG_AFTER_SESSIONS = 5
CHECK_IN_WINDOW_SECONDS = 30  # the class QR code changes this often

# Email (staff password reset): SMTP from the environment; dev settings print mail to the console instead.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Bình dân học vụ số <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# SMS: a pluggable backend; the default writes to the log.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "accounts.sms.LogBackend")
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
SMS_SENDER = os.environ.get("SMS_SENDER", "BDHVS")
SMS_FILE_PATH = os.environ.get("SMS_FILE_PATH", str(BASE_DIR / "var" / "sms.jsonl"))

# Consent texts are versioned; bump the version whenever their wording changes.
CONSENT_TEXT_VERSION = "2025-07-01"
MINIMUM_SELF_SIGNUP_AGE = 16

# Celery: with no broker the tasks run in-process (the embedded default).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A safety net: a worker process is replaced after this many tasks, so that memory kept by native libraries
# (WeasyPrint's Pango, qpdf) cannot add up over weeks. bench/certificates.py measures the growth per PDF.
CELERY_WORKER_MAX_TASKS_PER_CHILD = int(os.environ.get("CELERY_WORKER_MAX_TASKS_PER_CHILD", "1000"))
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task is acknowledged when it has run (acks late). If its pool process is killed, the worker puts it back in
# the queue at once (reject on worker lost); if the whole worker dies (kill -9, power cut), Redis keeps it among
# the unacknowledged messages until the visibility timeout has passed and a live worker's next sweep restores
# it: at worst CELERY_VISIBILITY_TIMEOUT + CELERY_UNACKED_RESTORE_SECONDS after it was handed out (5.5 minutes).
# A task running longer than the visibility timeout would be handed to a second worker meanwhile, so no task may:
# the hard time limit is half of it, and a course re-render works in slices (certificates.services).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "300")),
    "unacked_restore_interval": int(os.environ.get("CELERY_UNACKED_RESTORE_SECONDS", "30")),
    "unacked_restore_throttle": 1,  # sweep on every interval (kombu's default sweeps on every tenth)
    # A broker that is down costs a request about a second (see below), never a request hanging on a dead host.
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
}
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", "0")) or max(
    1, CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] // 2)
# A broker or result store that is down costs a request about a second, then the task is dropped or run in
# process (cms.celery.ProjectTask): never an error page, never a request hanging on a dead host.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
CELERY_REDIS_SOCKET_TIMEOUT = 2
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "django_tasks": {"level": "WARNING"},
                "pikepdf": {"level": "WARNING"}},  # it announces its logger bridge at INFO in every process
}
CSRF_FAILURE_VIEW = "cms.views.csrf_failure"

# Content-Security-Policy (django-csp), enforced in every environment so that development shows violations early.
# The public site: no inline script or style at all, everything from our own origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [SELF],  # Wagtail's preview shows our pages in a same-origin frame
    },
}
# The Wagtail and Django admin screens (cms/headers.py): their scripts still need a few loosenings, listed in README.
ADMIN_URL_PREFIXES = ("/admin/", "/django-admin/")
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [SELF, NONCE],  # the nonce is sent only when a template asks for request.csp_nonce
        "style-src": [SELF, UNSAFE_INLINE],  # the page editor's React/Draftail inject <style> and style attributes
        "img-src": [SELF, "data:", "blob:"],
        "frame-src": [SELF],
    },
}
# Permissions-Policy (django-permissions-policy): no page here uses the camera, microphone or location. A page that
# scans a QR code would allow the camera for itself alone with @permissions_policy_override({"camera": "self"}).
PERMISSIONS_POLICY = {
    "camera": [], "geolocation": [], "microphone": [], "payment": [], "usb": [], "serial": [], "hid": [],
    "bluetooth": [], "midi": [], "display-capture": [], "browsing-topics": [], "interest-cohort": [],
}
# The admin fetches nothing from the internet: no Gravatar avatars, no check for new Wagtail releases.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Certificates: beat re-queues PDFs still missing after a few minutes (e.g. a worker died mid-render).
# The broker redelivers what a dead worker held (above); the sweeper is for renders the broker itself lost
# (Redis restarted without its data, or down when the render was queued): at worst 10 + 5 minutes.
CELERY_BEAT_SCHEDULE = {
    "certificates-sweep-missing-pdfs": {"task": "certificates.tasks.sweep_missing_pdfs",
                                        "schedule": float(os.environ.get("CERTIFICATES_SWEEP_SECONDS", "300"))},
    # Participation statistics: fold what changed into the summary rows, and each night recompute the last
    # STATS_RECONCILE_DAYS days from the raw rows (the schedule's times are in CELERY_TIMEZONE, local time).
    "reports-roll-up": {"task": "reports.tasks.roll_up",
                        "schedule": float(os.environ.get("STATS_ROLLUP_SECONDS", "300"))},
    "reports-reconcile": {"task": "reports.tasks.reconcile", "schedule": crontab(hour=2, minute=30)},
}
# Age bands of the statistics: (key, lowest age, highest age or None); age = the year of the day counted minus
# the year of birth. Learners without a year of birth are counted under "".
STATS_AGE_BANDS = [("0-15", 0, 15), ("16-29", 16, 29), ("30-44", 30, 44), ("45-59", 45, 59), ("60+", 60, None)]
STATS_RECONCILE_DAYS = 7
# A run folds rows stamped up to this long before its previous run again: a transaction that took its
# timestamp before the previous run but committed after it is still counted (recomputing a day is idempotent).
STATS_ROLLUP_OVERLAP_SECONDS = 600
CERTIFICATES_PDF_MISSING_AFTER_MINUTES = int(os.environ.get("CERTIFICATES_PDF_MISSING_AFTER_MINUTES", "10"))
# A course re-render renders for at most this long per task, then queues the rest: well under the time limit.
CERTIFICATES_RENDER_SLICE_SECONDS = min(60, CELERY_TASK_TIME_LIMIT // 2)
# Production switch: with AWS_STORAGE_BUCKET_NAME set, certificate PDFs go to that private S3 bucket
# (django-storages; credentials from the usual AWS_* variables). Downloads still pass the permission view.
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["certificates"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "location": "private-certificates",
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": True,  # re-rendering replaces the one PDF under its deterministic name
        },
    }
