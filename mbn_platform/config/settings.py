"""Django settings for MBN, read from the environment (design brief §5).

Development, the demo and the test suite need no variable at all: without
``DATABASE_URL`` the embedded PostgreSQL started by ``make demo``/``make test``
(``mbn_platform.devdb``) is used, without ``REDIS_URL`` Celery uses kombu's
filesystem transport. Production (``MBN_ENV=production``) refuses to start
without a real ``SECRET_KEY`` and a ``DATABASE_URL``.
"""

from __future__ import annotations

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from mbn_platform.config import (
    api_settings,
    apps_settings,
    cache_settings,
    celery_settings,
    connectors_settings,
    storage_settings,
)
from mbn_platform.config.documents_settings import documents_limits
from mbn_platform.config.oidc_keys import saml_keypair, signing_key
from mbn_platform.config.push_settings import web_push
from mbn_platform.config.retention import retention_days
from mbn_platform.config.security import PERMISSIONS_POLICY_DENIED, content_security_policy

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

MBN_ENV = env.str("MBN_ENV", default="development")
if MBN_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"MBN_ENV must be development, test or production, not {MBN_ENV!r}")
PRODUCTION = MBN_ENV == "production"

DEBUG = (
    env.bool("DEBUG", default=False) if PRODUCTION else env.bool("DEBUG", default=MBN_ENV == "development")
)

_DEV_SECRET = "dev-only-insecure-secret-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default="" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY == _DEV_SECRET):
    raise ImproperlyConfigured("Production needs a real SECRET_KEY (at least 50 random characters).")

# The portal on the base domain, each establishment on a subdomain. Development and the demo use
# mbn.localhost: browsers resolve *.localhost to loopback with no DNS set-up and accept a cookie for
# ".mbn.localhost" (never for plain "localhost"): one sign-in for every school. Tests keep localhost.
_base_default = "mbn.localhost" if MBN_ENV == "development" else "localhost"
MBN_BASE_DOMAIN = env.str("MBN_BASE_DOMAIN", default=_base_default).lower().strip(".")
# The loopback names `runserver` prints redirect to the portal (instead of a 400).
MBN_PORTAL_REDIRECT_HOSTS = [] if PRODUCTION or MBN_BASE_DOMAIN == "localhost" else ["127.0.0.1", "localhost"]
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS",
    default=[MBN_BASE_DOMAIN, f".{MBN_BASE_DOMAIN}", "testserver", *MBN_PORTAL_REDIRECT_HOSTS],
)

# The session is valid on every school subdomain: its cookie is set on the parent domain.
# Browsers refuse a Domain attribute of plain "localhost": there, cookies stay host-only.
_cookie_domain_default = None if MBN_BASE_DOMAIN == "localhost" else f".{MBN_BASE_DOMAIN}"
SESSION_COOKIE_DOMAIN = env.str("SESSION_COOKIE_DOMAIN", default=_cookie_domain_default) or None
CSRF_COOKIE_DOMAIN = SESSION_COOKIE_DOMAIN
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10
CSRF_TRUSTED_ORIGINS = env.list(
    "CSRF_TRUSTED_ORIGINS",
    default=[f"https://*.{MBN_BASE_DOMAIN}", f"https://{MBN_BASE_DOMAIN}"]
    + ([] if PRODUCTION else [f"http://*.{MBN_BASE_DOMAIN}:8000", f"http://{MBN_BASE_DOMAIN}:8000"]),
)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# HSTS on every HTTPS response (browsers ignore it over plain HTTP, as in the demo), for the
# schools' subdomains too.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp) and Permissions-Policy: mbn_platform/config/security.py.
CONTENT_SECURITY_POLICY = content_security_policy(base_domain=MBN_BASE_DOMAIN, production=PRODUCTION)
PERMISSIONS_POLICY = PERMISSIONS_POLICY_DENIED

# Keys encrypting secrets at rest (mbn_platform/kernel/encryption.py), newest first.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
if not FIELD_ENCRYPTION_KEYS:
    if PRODUCTION:
        raise ImproperlyConfigured("Production needs FIELD_ENCRYPTION_KEYS (Fernet keys, newest first).")
    from mbn_platform.kernel.encryption import key_from_secret

    FIELD_ENCRYPTION_KEYS = [key_from_secret(SECRET_KEY)]

# --- Applications (mbn_platform/config/apps_settings.py: shared or tenant, never both) ----------
SHARED_APPS = apps_settings.SHARED_APPS
TENANT_APPS = apps_settings.TENANT_APPS
INSTALLED_APPS = apps_settings.INSTALLED_APPS

TENANT_MODEL = "tenants.Establishment"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_URLCONF = "mbn_platform.config.urls_public"
ROOT_URLCONF = "mbn_platform.config.urls_tenant"
# New establishments are cloned from this migrated template schema instead of replaying migrations.
TENANT_BASE_SCHEMA = "t_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
# Set the search_path once per schema switch, not before every query.
TENANT_LIMIT_SET_CALLS = True

AUTH_USER_MODEL = "identity.User"
AUTHENTICATION_BACKENDS = ["shared_apps.identity.backends.EmailOrLoginBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

MIDDLEWARE = [
    # Security headers first: every response carries them, probes and static files included.
    "django.middleware.security.SecurityMiddleware",
    "mbn_platform.config.csp_headers.PlainPolicyCSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "mbn_platform.config.probes.ProbeMiddleware",
    # Static files need no establishment and no database.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mbn_platform.config.probes.StaticNotFoundMiddleware",
    "mbn_platform.kernel.middleware.request_context.RequestContextMiddleware",
    "tenants.middleware.EstablishmentMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # An API token (Authorization: Bearer) is checked here, before the session tracking,
    # impersonation, membership and second-factor checks, which then apply to it too.
    "shared_apps.connectors.tokens.BearerTokenMiddleware",
    # NUL bytes in the path or the query string: refused before any view reads them.
    "mbn_platform.kernel.middleware.bad_input.BadInputMiddleware",
    "shared_apps.identity.middleware.SessionTrackingMiddleware",
    # Before the membership check: an agent's requests act as the person they impersonate.
    "shared_apps.support.middleware.ImpersonationMiddleware",
    "mbn_platform.kernel.middleware.membership.MembershipMiddleware",
    "shared_apps.identity.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "mbn_platform.kernel.middleware.errors.ApplicationErrorMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "mbn_platform" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mbn_platform.config.context_processors.platform",
            ],
        },
    },
]

WSGI_APPLICATION = "mbn_platform.config.wsgi.application"
ASGI_APPLICATION = "mbn_platform.config.asgi.application"

# --- Database -----------------------------------------------------------------------------------
_database_url = env.str("DATABASE_URL", default="")
if not _database_url and not PRODUCTION:
    from mbn_platform import devdb

    _database_url = devdb.running_url() or ""
if not _database_url:
    if PRODUCTION:
        raise ImproperlyConfigured("Production needs DATABASE_URL.")
    # No database configured and no embedded server running: commands that need no database
    # (ruff, mypy, `mbn help`, collectstatic) still work; the first query explains what to do.
    _database_url = "postgres://postgres@127.0.0.1:1/mbn-not-configured"
DATABASES = {"default": env.db_url_config(_database_url)}
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
# Every backend caches catalog entries for each table it touches; with hundreds of schemas that
# memory grows without bound, so connections get a finite lifetime (design brief §3).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {})
DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 10)
DATABASES["default"].setdefault("TEST", {})
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: keys are prefixed with the establishment's schema --------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {"default": cache_settings.default_cache(REDIS_URL)}  # mbn_platform/config/cache_settings.py
CACHES["platform"] = {**CACHES["default"], "KEY_PREFIX": "mbn-platform"}  # region-wide keys
CACHES["default"]["KEY_FUNCTION"] = "django_tenants.cache.make_key"
CACHES["default"]["KEY_PREFIX"] = "mbn"
# What every web process must see at once (sessions, the generations of cached per-person data:
# mbn_platform/kernel/generations.py) is cached only in a cache the processes share (Redis);
# without one (development, the demo without REDIS_URL) sessions stay in the database and the
# per-person data is computed again by each request.
MBN_SHARED_CACHE = bool(REDIS_URL)
# Sessions written to the database first, then cached in Redis (the database is the record: a
# Redis restarted empty loses no session; while it is away they are read from the database),
# region-wide keys: one session for the portal and every school's subdomain (docs/performance.md).
SESSION_ENGINE = "django.contrib.sessions.backends." + ("cached_db" if MBN_SHARED_CACHE else "db")
SESSION_CACHE_ALIAS = "platform"
# How long a web process keeps the establishments' generation it read (hosts, statuses), and a
# person's (account, roles): a suspension, a revoked role or membership reaches every process
# within this time; the process that made the change sees it at once (docs/performance.md).
MBN_ESTABLISHMENTS_HOLD_SECONDS = env.float("MBN_ESTABLISHMENTS_HOLD_SECONDS", default=1.0)
MBN_PEOPLE_HOLD_SECONDS = env.float("MBN_PEOPLE_HOLD_SECONDS", default=1.0)
# How long a guardian's "what is new" of a school is held for the family view and a child's page
# (shared_apps/identity/family_news.py); the guardian's own acts forget it at once; 0: never held.
MBN_FAMILY_NEWS_HOLD_SECONDS = env.float("MBN_FAMILY_NEWS_HOLD_SECONDS", default=60.0)
# A daily page held for its reader while nothing it read changes (mbn_platform/kernel/held_pages.py),
# at most this long (what depends on the clock alone, or on another person's account, may lag
# that much); 0: never held.
MBN_PAGE_HOLD_SECONDS = env.float("MBN_PAGE_HOLD_SECONDS", default=60.0)

# --- Celery -------------------------------------------------------------------------------------
CELERY_STATE_DIR = Path(env.str("MBN_STATE_DIR", default=str(BASE_DIR / ".state")))
# Redis when REDIS_URL is set; else a broker that needs no server (kombu's filesystem transport).
CELERY_BROKER_URL, CELERY_RESULT_BACKEND, CELERY_BROKER_TRANSPORT_OPTIONS = celery_settings.broker(
    redis_url=REDIS_URL,
    state_dir=CELERY_STATE_DIR,
    visibility_timeout=env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_RETRY_DELAY = 10
CELERY_TIMEZONE = "Europe/Paris"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="mbn")
CELERY_BEAT_SCHEDULE = celery_settings.BEAT_SCHEDULE  # mbn_platform/config/celery_settings.py

# --- Internationalisation: French by default, English available ---------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "mbn_platform" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static files and storage ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / ".state" / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / ".state" / "media")))
S3_BUCKET = env.str("S3_BUCKET", default="")
S3_SETTINGS = storage_settings.s3_settings(env, bucket=S3_BUCKET)
STORAGES = storage_settings.storages(s3_settings=S3_SETTINGS, production=PRODUCTION)
DOCUMENTS_LIMITS = documents_limits(env)  # quotas and largest file of the document libraries
# Establishment archives (`mbn establishment_export`, tenants/offboarding.py): the backups bucket
# (kept 400 days, object lock; the exports bucket expires objects after a week), reached with
# the endpoint and credentials of S3_SETTINGS; without it, a local folder.
S3_BACKUPS_BUCKET = env.str("S3_BACKUPS_BUCKET", default="")
EXPORTS_ROOT = Path(env.str("EXPORTS_ROOT", default=str(BASE_DIR / ".state" / "exports")))
# The académies' AAF feeds whose location is a folder (development, the demo) are under this root.
AAF_FEEDS_ROOT = Path(env.str("AAF_FEEDS_ROOT", default=str(BASE_DIR / ".state" / "aaf")))
# Seconds a feed run waits between two establishments (room for the database's other work).
AAF_APPLY_PAUSE_SECONDS = env.float("AAF_APPLY_PAUSE_SECONDS", default=0.0)
WHITENOISE_USE_FINDERS = not PRODUCTION
# Files browsers ask for at the root of every host (/favicon.ico), served before any tenant lookup.
WHITENOISE_ROOT = BASE_DIR / "mbn_platform" / "static_root"
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# --- Passwords and sign-in --------------------------------------------------------------------------
# Long passwords, none of the 20,000 most common (leaked) ones, none close to the person's names.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# scrypt (memory-hard, in the standard library) for new hashes; older PBKDF2 hashes are upgraded
# on the person's next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
if MBN_ENV == "test":
    # Hashing cost is not what the tests measure.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PASSWORD_RESET_TIMEOUT = 60 * 60  # a reset link is valid for one hour
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"no-reply@{MBN_BASE_DOMAIN}")
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587 if PRODUCTION else 25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=PRODUCTION)
EMAIL_TIMEOUT = 10
# Notifications (docs/notifications.md): e-mails per SMTP batch, the SMS gateway (empty URL: no
# text message is sent), the local mail catcher's folder (the demo; its page for operators).
NOTIFICATIONS_EMAIL_BATCH = env.int("NOTIFICATIONS_EMAIL_BATCH", default=50)
NOTIFICATIONS_RETENTION_DAYS = env.int("NOTIFICATIONS_RETENTION_DAYS", default=365)
# Europe/Paris, "start-end"; each person may set their own.
NOTIFICATIONS_QUIET_HOURS = tuple(env.str("NOTIFICATIONS_QUIET_HOURS", default="20:00-07:00").split("-", 1))
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = env.str("SMS_GATEWAY_TOKEN", default="")
SMS_SENDER = env.str("SMS_SENDER", default="MBN")
# Web Push, the MBN app's channel (VAPID key, push services): mbn_platform/config/push_settings.py.
WEB_PUSH = web_push(env, production=PRODUCTION, state_dir=CELERY_STATE_DIR, contact=DEFAULT_FROM_EMAIL)
MAIL_CATCHER_DIR = env.str("MAIL_CATCHER_DIR", default="")
# The port of absolute links in e-mails and letters when the site is not on 80/443 (the demo: 8000).
MBN_URL_PORT = env.str("MBN_URL_PORT", default="")
# Lockout (shared_apps/identity/lockout.py): this many failures of one account within the window
# lock it for SIGN_IN_LOCKOUT_SECONDS; one address is refused after SIGN_IN_MAX_FAILURES_PER_IP.
SIGN_IN_MAX_FAILURES = env.int("SIGN_IN_MAX_FAILURES", default=5)
SIGN_IN_FAILURE_WINDOW_SECONDS = env.int("SIGN_IN_FAILURE_WINDOW_SECONDS", default=15 * 60)
SIGN_IN_LOCKOUT_SECONDS = env.int("SIGN_IN_LOCKOUT_SECONDS", default=15 * 60)
SIGN_IN_MAX_FAILURES_PER_IP = env.int("SIGN_IN_MAX_FAILURES_PER_IP", default=200)
# How many proxies in front of the application append to X-Forwarded-For (1: the load balancer
# in production); the client's address is the entry that many places from the right.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if PRODUCTION else 0)
# Support impersonation (shared_apps/support): how long one lasts before it ends by itself.
IMPERSONATION_MINUTES = env.int("IMPERSONATION_MINUTES", default=30)
# Billing (shared_apps/billing): the VAT rate of new contracts (each contract keeps its own).
BILLING_VAT_RATE = env.str("BILLING_VAT_RATE", default="0.20")

# Retention (shared_apps/privacy, docs/privacy.md): mbn_platform/config/retention.py.
PRIVACY_RETENTION_DAYS = retention_days(env)
# The help page's request form: requests an hour from one address (shared_apps/support/contact.py).
SUPPORT_CONTACT_PER_HOUR = env.int("SUPPORT_CONTACT_PER_HOUR", default=5)

# --- API: mbn_platform/config/api_settings.py -------------------------------------------------
REST_FRAMEWORK = api_settings.rest_framework(env, num_proxies=TRUSTED_PROXY_COUNT)
SPECTACULAR_SETTINGS = api_settings.SPECTACULAR_SETTINGS
# --- OpenID Connect provider and API tokens (shared_apps/connectors): config/connectors_settings.py
OIDC_RSA_PRIVATE_KEY = signing_key(
    env.str("OIDC_RSA_PRIVATE_KEY", default=""), production=PRODUCTION, state_dir=CELERY_STATE_DIR
)
# django-oauth-toolkit's own tables (the connectors app adds its rules beside them).
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"  # noqa: S105
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"  # noqa: S105
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"  # noqa: S105
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
OAUTH2_PROVIDER = connectors_settings.oauth2_provider(
    env, private_key=OIDC_RSA_PRIVATE_KEY, production=PRODUCTION
)
# --- SAML identity provider for the GAR (shared_apps/connectors/saml.py) -------------------------
SAML_IDP_KEY_FILE, SAML_IDP_CERT_FILE = saml_keypair(
    env.str("SAML_IDP_KEY_FILE", default=""),
    env.str("SAML_IDP_CERT_FILE", default=""),
    production=PRODUCTION,
    state_dir=CELERY_STATE_DIR,
)
# The GAR's metadata file and its entry (resources page); LTI 1.3's key; the GAR's nightly export.
GAR_SP_METADATA_FILE, GAR_ENTRY_URL, XMLSEC_BINARY = connectors_settings.gar_sign_in(env)
LTI_PRIVATE_KEY, GAR_EXPORT = connectors_settings.lti_and_gar_export(
    env, production=PRODUCTION, state_dir=CELERY_STATE_DIR
)

# --- Observability --------------------------------------------------------------------------------
SENTRY_DSN = env.str("SENTRY_DSN", default="")
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = api_settings.logging_config(LOG_LEVEL)

if os.environ.get("MBN_SKIP_SENTRY") != "1":
    from mbn_platform.kernel.sentry import sentry_init

    sentry_init(dsn=SENTRY_DSN, environment=env.str("SENTRY_ENVIRONMENT", default=MBN_ENV))
