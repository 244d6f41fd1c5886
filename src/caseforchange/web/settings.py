"""Django settings: safe local defaults, hardened when ``CASEFORCHANGE_PRODUCTION`` is set.

Everything that differs between a laptop and a server comes from the environment:

- ``DATABASE_URL``: PostgreSQL (or any dj-database-url URL); SQLite in ``out/web`` otherwise.
  ``CASEFORCHANGE_PG_PREPARED=0`` stops the phone's statements being prepared on the server.
- ``CASEFORCHANGE_SECRET_KEY``, ``CASEFORCHANGE_DEBUG``, ``CASEFORCHANGE_ALLOWED_HOSTS``,
  ``CASEFORCHANGE_CSRF_TRUSTED_ORIGINS`` (behind an HTTPS proxy).
- ``CASEFORCHANGE_SERVE_LAN``, ``CASEFORCHANGE_PUBLIC_URL``, ``CASEFORCHANGE_CLIENT_IP_HEADER``:
  serving phones on a LAN or behind a reverse proxy (docs/web.md, "Deployment").
- ``CASEFORCHANGE_PRODUCTION=1``: refuse to start with DEBUG on or the development secret key,
  and send cookies only over HTTPS.
- ``CASEFORCHANGE_NODE_MODULES``: where ``npm ci`` put the NHS.UK frontend and HTMX.
- ``CASEFORCHANGE_EMAIL_*``: how invitations and password resets are sent (console otherwise).
- ``CASEFORCHANGE_OIDC_*``: optional single sign-on; ``CASEFORCHANGE_MFA_REQUIRED``: the second
  factor is required of administrators and programme leads (docs/web.md, "People").
- ``CASEFORCHANGE_JOBS``, ``CASEFORCHANGE_JOB_STALE_SECONDS``: the background job queue.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

WEB_DIR = Path(__file__).resolve().parent
#: The repository root when running from a checkout (src/caseforchange/web -> repo).
REPO_DIR = WEB_DIR.parents[2]

#: Used only on a developer's machine; production refuses to start with it.
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-caseforchange-key-do-not-use-in-production"


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def check_production(debug: bool, secret_key: str) -> None:
    """Refuse a production configuration that is unsafe.

    Raises:
        ImproperlyConfigured: when DEBUG is on, or the secret key is missing, the development
            key or too short to be secret.
    """
    if debug:
        raise ImproperlyConfigured("production settings refuse to start with DEBUG on")
    if not secret_key or secret_key == DEVELOPMENT_SECRET_KEY or len(secret_key) < 40:
        raise ImproperlyConfigured(
            "production settings need CASEFORCHANGE_SECRET_KEY: 40 or more random characters, "
            "not the development key"
        )


PRODUCTION = _flag("CASEFORCHANGE_PRODUCTION")
DEBUG = _flag("CASEFORCHANGE_DEBUG", default=not PRODUCTION)
SECRET_KEY = os.environ.get("CASEFORCHANGE_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
if PRODUCTION:
    check_production(DEBUG, SECRET_KEY)

CSRF_TRUSTED_ORIGINS = [
    o.strip()
    for o in os.environ.get("CASEFORCHANGE_CSRF_TRUSTED_ORIGINS", "").split(",")
    if o.strip()
]
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("CASEFORCHANGE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(
        ","
    )
    if h.strip()
]
#: ``make run HOST=0.0.0.0`` sets this: the machine's own names and addresses become allowed
#: hosts, so phones on the same wifi can reach the development server (never ``*``).
SERVE_LAN = _flag("CASEFORCHANGE_SERVE_LAN")
if SERVE_LAN:
    from caseforchange.web.lan import own_hosts

    ALLOWED_HOSTS += [h for h in own_hosts() if h not in ALLOWED_HOSTS]
#: The address phones use to reach the app (``https://workshop.trust.nhs.uk``), for the join
#: link and QR code; blank means the address the facilitator's browser used.
PUBLIC_URL = os.environ.get("CASEFORCHANGE_PUBLIC_URL", "").strip().rstrip("/")
#: The request header a trusted reverse proxy sets to the client's address (for example
#: ``X-Forwarded-For`` or ``X-Real-IP``); blank means the connection's own address. Set it only
#: behind a proxy that overwrites the header, or anyone can claim any address.
CLIENT_IP_HEADER = os.environ.get("CASEFORCHANGE_CLIENT_IP_HEADER", "").strip()

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "caseforchange.web.accounts",
    "caseforchange.web.programmes",
    "caseforchange.web.workshops",
    "caseforchange.web.consultation",
    "caseforchange.web.flow",
    "caseforchange.web.audit",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "caseforchange.web.jobs",
    "caseforchange.web.services",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "caseforchange.web.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "caseforchange.web.accounts.mfa.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "caseforchange.web.urls"
WSGI_APPLICATION = "caseforchange.web.wsgi.application"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "caseforchange.web.jinja2_env.environment",
            "context_processors": ["caseforchange.web.jinja2_env.page_context"],
        },
    },
]

DATA_DIR = Path(os.environ.get("CASEFORCHANGE_DATA_DIR", REPO_DIR / "out" / "web"))


def _database() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL")
    if url:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
        if config["ENGINE"] == "django.db.backends.postgresql" and _flag(
            "CASEFORCHANGE_PG_PREPARED", default=True
        ):
            # Let web/rawsql.py prepare the phone's statements on the server (Django's own
            # queries bind on the client and are never prepared). Behind PgBouncer in
            # transaction mode this needs PgBouncer 1.21+ with max_prepared_statements set,
            # or CASEFORCHANGE_PG_PREPARED=0.
            options = {**(config.get("OPTIONS") or {})}
            options["prepare_threshold"] = 5
            config["OPTIONS"] = options
        return config
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "caseforchange.sqlite3",
        # Many phones scoring at once must queue, not fail with "database is locked": WAL lets
        # readers run beside the writer, IMMEDIATE takes the write lock at BEGIN (no upgrade
        # deadlocks), and the timeout is how long a writer waits its turn.
        "OPTIONS": {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
        # Reuse each thread's connection: opening one runs the PRAGMAs above every time.
        "CONN_MAX_AGE": 60,
        "TEST": {"NAME": None},
    }


DATABASES = {"default": _database()}

#: Background jobs (docs/web.md, "Background work"): a queue kept in the database, worked by
#: ``manage.py jobs_worker`` (``make run`` starts one). ``CASEFORCHANGE_JOBS=immediate`` runs
#: each job inside the request that asks for it instead (the tests do).
JOBS_MODE = os.environ.get("CASEFORCHANGE_JOBS", "database").strip().lower()
if JOBS_MODE not in {"database", "immediate"}:
    raise ImproperlyConfigured("CASEFORCHANGE_JOBS is 'database' or 'immediate'")
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if JOBS_MODE == "immediate"
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}
#: How often a running job says it is alive, and after how long without a word it is taken
#: as lost and queued again (at most ``JOB_MAX_ATTEMPTS`` attempts in all).
JOB_HEARTBEAT_SECONDS = float(os.environ.get("CASEFORCHANGE_JOB_HEARTBEAT_SECONDS", "5"))
JOB_STALE_SECONDS = float(os.environ.get("CASEFORCHANGE_JOB_STALE_SECONDS", "60"))
JOB_MAX_ATTEMPTS = 3
#: Extra modules that register kinds of result (``jobs.registry.register``) when the app starts.
JOB_BUILDER_MODULES = [
    m.strip() for m in os.environ.get("CASEFORCHANGE_JOB_BUILDERS", "").split(",") if m.strip()
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "programmes:list"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    # Inert until CASEFORCHANGE_OIDC_ISSUER and _CLIENT_ID are set (accounts/oidc.py).
    "caseforchange.web.accounts.oidc.SingleSignOnBackend",
]

# Invitations and password resets: a signed link that works once, for this long.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("CASEFORCHANGE_INVITE_DAYS", "3")) * 24 * 60 * 60
DEFAULT_FROM_EMAIL = os.environ.get("CASEFORCHANGE_EMAIL_FROM", "caseforchange@localhost")
EMAIL_HOST = os.environ.get("CASEFORCHANGE_EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("CASEFORCHANGE_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("CASEFORCHANGE_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("CASEFORCHANGE_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = _flag("CASEFORCHANGE_EMAIL_TLS", default=True)
    EMAIL_TIMEOUT = 20
elif os.environ.get("CASEFORCHANGE_EMAIL_DIR"):
    # Each message a file in this folder: for a laptop, or to check what was sent.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["CASEFORCHANGE_EMAIL_DIR"]
else:
    # Development: the message (and its link) is printed where the server runs.
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Optional second factor (TOTP, django-otp): required of administrators and leads when set.
MFA_REQUIRED = _flag("CASEFORCHANGE_MFA_REQUIRED")
OTP_TOTP_ISSUER = "Case for change"

# Optional single sign-on by OpenID Connect (mozilla-django-oidc): off unless an issuer and a
# client id are set. Blank endpoints come from the issuer's discovery document.
OIDC_ISSUER = os.environ.get("CASEFORCHANGE_OIDC_ISSUER", "").strip()
OIDC_RP_CLIENT_ID = os.environ.get("CASEFORCHANGE_OIDC_CLIENT_ID", "").strip()
OIDC_RP_CLIENT_SECRET = os.environ.get("CASEFORCHANGE_OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("CASEFORCHANGE_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("CASEFORCHANGE_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("CASEFORCHANGE_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("CASEFORCHANGE_OIDC_JWKS_ENDPOINT", "")
OIDC_LABEL = os.environ.get("CASEFORCHANGE_OIDC_LABEL", "Sign in with your organisation account")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso_callback"
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=refused"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

NODE_MODULES = Path(os.environ.get("CASEFORCHANGE_NODE_MODULES", REPO_DIR / "node_modules"))
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
STATICFILES_DIRS = [
    WEB_DIR / "static",
    ("nhsuk", NODE_MODULES / "nhsuk-frontend" / "dist" / "nhsuk"),
    ("htmx", NODE_MODULES / "htmx.org" / "dist"),
]
# Serve straight from the finders (node_modules) without collectstatic, in every mode.
WHITENOISE_USE_FINDERS = True
# Re-scanning node_modules on every request is slow; opt in while editing static files.
WHITENOISE_AUTOREFRESH = _flag("CASEFORCHANGE_STATIC_AUTOREFRESH")

# Uploads: programme folders (zip), workbooks and YAML are small; refuse anything larger.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES + 64 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION or _flag("CASEFORCHANGE_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = 12 * 60 * 60
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = _flag("CASEFORCHANGE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

#: Failed join-code attempts allowed per browser in the window (an address gets ten times
#: that); see ``workshops/ratelimit.py`` and docs/web.md for the sum these limits bound.
JOIN_ATTEMPTS_LIMIT = int(os.environ.get("CASEFORCHANGE_JOIN_ATTEMPTS", "10"))
JOIN_ATTEMPTS_WINDOW_SECONDS = 10 * 60
#: Wrong typed codes allowed across the whole site in 24 hours, and at most this many sessions
#: open at once: 8,000 x 100 / 31^8 < 1 in a million (docs/web.md, "Join codes").
JOIN_GLOBAL_LIMIT = 8000
MAX_OPEN_SESSIONS = int(os.environ.get("CASEFORCHANGE_MAX_OPEN_SESSIONS", "100"))
#: Wrong passwords allowed per username and per address in the window before sign-in waits.
LOGIN_ATTEMPTS_LIMIT = 10
LOGIN_ATTEMPTS_WINDOW_SECONDS = 15 * 60
#: Password-reset e-mails per e-mail address in that window (an address gets five times it).
PASSWORD_RESET_LIMIT = 3

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
