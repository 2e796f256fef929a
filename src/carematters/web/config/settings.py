"""Django settings, from the environment only (WEB.md "Security baseline").

Two modes:
- local (the default, what `make run` uses): the database and a generated secret key live
  under `CAREMATTERS_VAR` (default `./var`), the site answers on localhost only;
- production (`CAREMATTERS_PRODUCTION=1`): refuses to start without `CAREMATTERS_SECRET_KEY`
  (or with one Django's deployment check calls weak) and `CAREMATTERS_ALLOWED_HOSTS`, and
  sends cookies over HTTPS only, with HSTS.

`DATABASE_URL` (e.g. `postgres://user@host:5432/name`) chooses PostgreSQL; without it the
embedded SQLite database `var/carematters.sqlite3` is used.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

WEB = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("CAREMATTERS_VAR", "var")).resolve()
PRODUCTION = os.environ.get("CAREMATTERS_PRODUCTION") == "1"
DEBUG = os.environ.get("CAREMATTERS_DEBUG") == "1" and not PRODUCTION


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when CAREMATTERS_PRODUCTION=1")
    return value


def _local_secret_key() -> str:
    """A secret key made once for this machine and kept in `var/secret-key` (mode 0600),
    so sessions survive a restart and no secret is ever in the repository."""
    path = VAR / "secret-key"
    if not path.exists():
        VAR.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


# Django's own deployment check (security.W009, django/core/checks/security/base.py)
# warns of a secret key shorter than 50 characters, with fewer than 5 different ones, or
# one `startproject` made ("django-insecure-..."): one that could be guessed lets anyone
# sign in as anyone (it signs sessions and password reset links). Production refuses it.
SECRET_KEY_LEAST_LENGTH = 50
SECRET_KEY_LEAST_DIFFERENT = 5
STARTPROJECT_KEY_PREFIX = "django-insecure-"


def _strong(name: str, key: str) -> str:
    """`key`, the value of the environment variable `name`; raises ImproperlyConfigured,
    naming the variable and not the key, if Django's deployment check would call it weak."""
    if (
        len(key) < SECRET_KEY_LEAST_LENGTH
        or len(set(key)) < SECRET_KEY_LEAST_DIFFERENT
        or key.startswith(STARTPROJECT_KEY_PREFIX)
    ):
        raise ImproperlyConfigured(
            f"{name} is too easy to guess: when CAREMATTERS_PRODUCTION=1 it must be at least "
            f"{SECRET_KEY_LEAST_LENGTH} characters long, with at least "
            f"{SECRET_KEY_LEAST_DIFFERENT} different characters, and not start with "
            f'"{STARTPROJECT_KEY_PREFIX}"; make one with: '
            "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    return key


if PRODUCTION:
    SECRET_KEY = _strong("CAREMATTERS_SECRET_KEY", _required("CAREMATTERS_SECRET_KEY"))
    ALLOWED_HOSTS = _required("CAREMATTERS_ALLOWED_HOSTS").split(",")
else:
    SECRET_KEY = os.environ.get("CAREMATTERS_SECRET_KEY") or _local_secret_key()
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "carematters.web.people",
    "carematters.web.audit",
    "carematters.web.casework",
    "carematters.web.session",
    "carematters.web.reviews",
    "carematters.web.approvals",
    "carematters.web.leaving",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "carematters.web.session.middleware.RenewalMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "carematters.web.config.urls"
WSGI_APPLICATION = "carematters.web.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "carematters.web.navigation.service_navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR / 'carematters.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets pages read while a form saves; a busy database waits rather than failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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
LOGIN_URL = "sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "sign-in"

# Pages kept in each server process's memory, by a fingerprint of everything they are
# made from (a team's tables: carematters.web.casework.views.team), never by who asks or
# when: nothing kept can go stale, and nothing is written to disk. A team's tables are at
# most a few hundred kilobytes, so 200 of them stay well under 100 MB a process.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "TIMEOUT": 24 * 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": 200},
    }
}

# Five wrong passwords for one user from one place lock that pair out for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "people/locked_out.html"

# The fewest letters and digits a reason for opening a record outside one's relationship
# to the child may have (carematters.web.people.actions.break_glass). The child's team
# manager reads the reason to judge whether opening the record was right (WEB.md
# "Break-glass"), and "x" or "....." tells them nothing; 10 is two short words ("police
# call"). Spaces and punctuation are not counted, so a row of dots is not a reason. The
# authority's choice, not the law's.
BREAK_GLASS_REASON_LEAST = 10


def _session_seconds() -> int:
    """How long an idle session lasts: `CAREMATTERS_SESSION_MINUTES` (30 unless set; a
    fraction of a minute is allowed, so a browser test can watch the warning and sign-out)."""
    text = os.environ.get("CAREMATTERS_SESSION_MINUTES", "30")
    try:
        seconds = round(float(text) * 60)
    except (ValueError, OverflowError):
        seconds = 0
    if seconds < 1:
        raise ImproperlyConfigured(
            f"CAREMATTERS_SESSION_MINUTES must be a number of minutes above 0, not {text!r}"
        )
    return seconds


# Signed out after 30 idle minutes: a request renews the session's expiry if it was last
# renewed a minute or more before (RenewalMiddleware), not on every request, and the page
# warns 2 minutes before the end (carematters.web.session).
SESSION_COOKIE_AGE = _session_seconds()
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "carematters.web.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("CAREMATTERS_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Joining the browsers' HSTS preload list binds the council's whole domain: its
    # decision, not the application's (so `check --deploy` is told not to ask).
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

# No inline script or style without this request's nonce (django-csp).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Where placements are, for their distance from home and whether they are out of area
# (carematters.web.casework.places): a postcode list as the validator's --postcodes takes
# (POSTCODE, LA, X, Y) and the authority's DfE code. Without a list, the demo's fictional
# map locates the synthetic record's postcodes.
POSTCODES = os.environ.get("CAREMATTERS_POSTCODES", "")
LA_CODE = os.environ.get("CAREMATTERS_LA_CODE", "")

# The authority's DfE code (e.g. 201), for the SSDA903 rules that need it when a recording
# form checks an entry; unset, those rules are not run.
CAREMATTERS_LA_CODE = os.environ.get("CAREMATTERS_LA_CODE", "").strip() or None

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"

# GOV.UK Frontend and MOJ Frontend, copied out of node_modules by `make static` into
# CAREMATTERS_STATIC_BUILD; `collectstatic` gathers them with the apps' own into var/static.
STATIC_URL = "/static/"
STATIC_ROOT = VAR / "static"
STATICFILES_DIRS = [
    WEB / "static",
    Path(os.environ.get("CAREMATTERS_STATIC_BUILD", "build/static")).resolve(),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
