"""Settings, read from the environment (12-factor); see CONTRACT.md and the README's table.

With nothing set the product runs on SQLite with the django-q2 ORM broker and writes mail to
files under var/mail/. A real environment variable always wins over a `.env` file.
"""

import sys
import zoneinfo
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
TESTING = env.bool("TESTING", default="pytest" in sys.modules)

# Unset SECRET_KEY: a random key kept in var/secret_key, made on first use, so that a laptop or
# an acceptance run works with nothing set and no secret ever sits in the repository. Every
# machine of a multi-machine deployment must share one key: set SECRET_KEY there (the deploy
# check warns when it is not set; see shadowing/checks.py).
SECRET_KEY_FILE = VAR_DIR / "secret_key"
SECRET_KEY_FROM_ENVIRONMENT = bool(env.str("SECRET_KEY", default=""))
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    import os
    import secrets

    VAR_DIR.mkdir(exist_ok=True)
    try:  # O_EXCL: of two processes starting at once, one writes the key and both read it.
        fd = os.open(SECRET_KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as key_file:
            key_file.write(secrets.token_urlsafe(64))
    SECRET_KEY = SECRET_KEY_FILE.read_text().strip()

BASE_URL = env.str("BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Served over HTTPS (BASE_URL says so): secure cookies, HSTS and the redirect to HTTPS follow.
HTTPS = BASE_URL.startswith("https://")
# Unset ALLOWED_HOSTS: the host of BASE_URL and this machine's loopback names.
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS",
    default=[urlsplit(BASE_URL).hostname, "localhost", "127.0.0.1", "[::1]"]
    + (["testserver"] if TESTING else []),
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[BASE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_q",
    "shadowing",
    "debriefs",
    "barriers",
    "value",
    "reports",
    "stories",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "shadowing.organisation.middleware.SessionTimeoutMiddleware",
    "shadowing.organisation.middleware.PersonLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# The shadowing app's feature folders that hold templates.
SHADOWING_FEATURES = ("organisation", "programmes", "invitations")

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The site's frame (base.html, the home page) and each of the shadowing app's features'
        # own templates (docs/architecture.md); the other apps' come from APP_DIRS.
        "DIRS": [
            BASE_DIR / "templates",
            *(BASE_DIR / "shadowing" / feature / "templates" for feature in SHADOWING_FEATURES),
        ],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shadowing.context_processors.product",
            ],
        },
    },
]

# Databases -------------------------------------------------------------------------------------
# var/ holds what the embedded default writes: the SQLite file, mail files, rendered reports.
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'shadowing.sqlite3'}"),
}
_db = DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a generous busy timeout let the web server and the one worker share the file.
    _db.setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    _db.setdefault("CONN_HEALTH_CHECKS", True)
# Persistent connections on SQLite too: opening one runs the PRAGMAs above and closing the last
# one checkpoints the WAL, about 10 ms of every request otherwise (measured by
# benchmarks/bench_debrief_submit.py).
_db.setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work (django-q2) ---------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
Q_SYNC = env.bool("Q_SYNC", default=TESTING)
Q_CLUSTER = {
    "name": "shadowing",
    # One worker on SQLite ("database is locked" otherwise); more on a real database.
    "workers": env.int("Q_WORKERS", default=1 if _db["ENGINE"].endswith("sqlite3") else 2),
    # A task may run this long; it is retried after `retry` seconds, at most `max_attempts` times.
    "timeout": 300,
    "retry": 360,
    "max_attempts": 3,
    "catch_up": False,
    # Successful results kept for the admin (failures are always kept). django-q2 loads every
    # kept result, pickled arguments and all, at the end of each task to count them: 1,000
    # made each task read 1,000 rows (two thirds of the demo's load time); 100 is cheap.
    "save_limit": 100,
    "ack_failures": True,
    "sync": Q_SYNC,
    "label": "Background tasks",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Mail ------------------------------------------------------------------------------------------
# EMAIL_URL (django-environ's forms: smtp://, smtp+tls://, smtp+ssl://, filemail://,
# consolemail://, memorymail://, dummymail://) becomes Django 6.1's MAILERS["default"].
EMAIL_URL = env.str("EMAIL_URL", default=f"filemail://{VAR_DIR / 'mail'}")
_mail = environ.Env.email_url_config(EMAIL_URL)
_mail_options = {
    "host": _mail.get("EMAIL_HOST") or None,
    "port": _mail.get("EMAIL_PORT") or None,
    "username": _mail.get("EMAIL_HOST_USER") or None,
    "password": _mail.get("EMAIL_HOST_PASSWORD") or None,
    "use_tls": _mail.get("EMAIL_USE_TLS") or None,
    "use_ssl": _mail.get("EMAIL_USE_SSL") or None,
    "timeout": env.int("EMAIL_TIMEOUT", default=30),
}
# The folder mail files go to when EMAIL_URL is filemail:// ("" otherwise). django-environ
# drops the leading "/" of `filemail:///abs/path`; the URL's own path keeps it.
MAIL_FOLDER = ""
if _mail["EMAIL_BACKEND"].endswith("smtp.EmailBackend"):
    _backend_options = {k: v for k, v in _mail_options.items() if v is not None}
elif _mail["EMAIL_BACKEND"].endswith("filebased.EmailBackend"):
    MAIL_FOLDER = urlsplit(EMAIL_URL).path or str(VAR_DIR / "mail")
    _backend_options = {"file_path": MAIL_FOLDER}
else:
    _backend_options = {}
MAILERS = {"default": {"BACKEND": _mail["EMAIL_BACKEND"], "OPTIONS": _backend_options}}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="shadowing@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Authentication and sessions -------------------------------------------------------------------
AUTH_USER_MODEL = "shadowing.Person"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "shadowing:sign-in"
LOGIN_REDIRECT_URL = "shadowing:home"
LOGOUT_REDIRECT_URL = "shadowing:sign-in"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]

SIGN_IN_LINK_MINUTES = env.int("SIGN_IN_LINK_MINUTES", default=30)
SIGN_IN_LIMIT_PER_ADDRESS = env.int("SIGN_IN_LIMIT_PER_ADDRESS", default=5)  # per hour
SIGN_IN_LIMIT_PER_CLIENT = env.int("SIGN_IN_LIMIT_PER_CLIENT", default=20)  # per hour
# The per-client limit counts REMOTE_ADDR. Behind N reverse proxies that each append to
# X-Forwarded-For, set TRUSTED_PROXY_COUNT=N, or every visitor shares the proxy's address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=2 * 60 * 60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Security: HTTPS-only settings whenever BASE_URL is https:// -------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}
if HTTPS and not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Only a registrable domain that serves this header can be submitted to the preload list,
    # so the flag commits nobody who deploys on a subdomain; it keeps `check --deploy` clean.
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# Internationalisation -----------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr-ca", "Français (Canada)")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
# Where the programme's own day starts (its dates, backlog due dates, working days); a visit's
# day is its site's. See shadowing/clock.py.
PROGRAMME_TIME_ZONE = env.str("PROGRAMME_TIME_ZONE", default="America/Toronto")
try:
    zoneinfo.ZoneInfo(PROGRAMME_TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
    raise ImproperlyConfigured(
        f"PROGRAMME_TIME_ZONE={PROGRAMME_TIME_ZONE!r} is not an IANA time zone "
        "(for example America/Toronto)."
    ) from error
USE_I18N = True
USE_TZ = True
# One date, time and number format per language (config/formats/), thousands grouped.
FORMAT_MODULE_PATH = ["config.formats"]
USE_THOUSAND_SEPARATOR = True

# Static files ----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every start without it.
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
# The paper of PDF reports for people who chose none: "letter" (North America, Canada
# included) or "a4". MEDIA_ROOT/reports/ holds the rendered PDFs, served only through views
# that check permissions; web and worker machines must share MEDIA_ROOT (or its storage).
REPORT_PAPER_SIZE = env.str("REPORT_PAPER_SIZE", default="letter")
# After `collectstatic` (a deployment's build step) files are served compressed under hashed
# names; before it (a laptop, `make run`, tests) WhiteNoise serves them from the source folders.
STATIC_COLLECTED = (STATIC_ROOT / "staticfiles.json").is_file() and not TESTING
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_COLLECTED
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_COLLECTED

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# REST API ----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": [],
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Shadowing programme API",
    "DESCRIPTION": "Roster, programmes, pairings, debriefs and the barrier backlog.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several resources have a `status`; each choice set gets its own named enum.
    "ENUM_NAME_OVERRIDES": {
        "ProgrammeStatusEnum": "shadowing.programmes.models.ProgrammeStatus",
        "PairingStatusEnum": "shadowing.programmes.pairing_models.PairingStatus",
        "BacklogStatusEnum": "barriers.models.Status",
        "StoryConsentEnum": "stories.models.Consent",
        "ConsentAnswerEnum": [("given", "given"), ("refused", "refused")],
        "ImpactKindEnum": "value.models.Kind",
        "ValueEventKindEnum": "value.models.ValueEvent.EventKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django_q": {"level": "WARNING"}},
}
