"""Settings shared by every environment; dev, test and production refine them."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "import_export",
    "axes",
    "glossary",
    "quiz",
]

MIDDLEWARE = [
    # First, so that every log line of a request carries its id.
    "glossary.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Junk (a NUL byte, an admin filter that names nothing) is a 400, before anything reads it.
    "glossary.http.JunkRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # A visitor's public page from the cache, with every header above and nothing below.
    "glossary.page_cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in reader's public page from the cache, with their account links, as soon as
    # it is known who they are.
    "glossary.page_cache.SignedInReaderMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Late, so that its 503 passes through the others (security headers, CSP).
    "glossary.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into our lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["django_htmx.templatetags.django_htmx"],
        },
    },
]

# Connections are kept for a minute and checked before each request reuses one, so a
# restarted database costs no failed request (docs/operations.md).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers write to one file: each write transaction takes the write lock
    # when it begins, so a reader that starts writing never fails with "database is locked"
    # (it waits its turn), and readers go on while someone writes (WAL).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
    }

# The cache and the sessions are shared by every server (docs/operations.md, "Several servers").
# With REDIS_URL, the cache lives in Redis and sessions are cached there in front of the
# database ("cached_db": a Redis flush or restart logs nobody out). Without it, the cache is a
# database table (`manage.py createcachetable` makes it) and sessions stay in the database:
# still one store for every server, never a per-process memory cache.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache sharing its Redis client, and a Redis that does not answer
            # is a cache miss, not an error page (glossary/redis_cache.py).
            "BACKEND": "glossary.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "termwise",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    # cached_db, with each process keeping the sessions it read until Redis says they
    # changed (glossary/sessions.py).
    SESSION_ENGINE = "glossary.sessions"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
            # Room for a page per term and then some (glossary/page_cache.py); Django's
            # default of 300 would have the page cache throw pages away as it fills them.
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Logins are throttled by django-axes, on the site and in the admin alike (docs/operations.md,
# "Lock-outs"): after AXES_FAILURE_LIMIT wrong passwords for one username from one address,
# that pair is locked out for the cool-off period; an admin can unlock it sooner.
# Django's ModelBackend, reading the signed-in user with a query compiled once per process
# (glossary/backends.py). A session started under another backend's name signs in again.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "glossary.backends.ModelBackend",
]
# Failures and lock-outs are rows in the database (django-axes' default handler, named here so
# that nobody swaps in its cache handler): every server sees the same count.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "glossary.http.locked_out"

LOGIN_URL = "login"
# Unused by the site's login page, which lands each role where its work is (quiz.roles).
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Fixtures hold the published content; load_content reads them from here.
CONTENT_DIR = BASE_DIR / "fixtures"

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Editors' workspace: import and export in the admin, all or nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# One line per event on stderr, each with the id of its request (glossary/logs.py); errors
# are also mailed to ADMINS when there are any (production reads them from the environment).
ADMINS: list[str] = []
REQUEST_ID_HEADER: str | None = None  # the header a trusted proxy puts its request id in
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "glossary.logs.RequestIdFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "skip_unavailable": {"()": "glossary.logs.SkipUnavailable"},
    },
    "formatters": {
        "line": {
            "()": "glossary.logs.OneLineFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s request_id=%(request_id)s %(message)s",
            "datefmt": "%Y-%m-%dT%H:%M:%SZ",
        },
        "mail": {"format": "Request id: %(request_id)s\n%(message)s"},
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "filters": ["request_id"],
            "formatter": "line",
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["request_id", "require_debug_false", "skip_unavailable"],
            "formatter": "mail",
        },
    },
    "root": {"handlers": ["stderr"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
    },
}

# Mail (password reset, error mail) goes to the console; production sends it by SMTP.
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
EMAIL_SUBJECT_PREFIX = "[Termwise] "
DEFAULT_FROM_EMAIL = "Termwise <termwise@localhost>"
