"""Settings of the OCOP marketplace: Saleor 2.10's settings plus our apps and plugins.

Every secret and address comes from the environment; see README "Configuration" and
"Security". Production is the default: ``DEBUG`` is off unless set, and every service
must be named. ``OCOP_DEV=1`` (``make demo`` and the tests set it) marks a development
machine, where services are found or started and a local secret key is generated.
"""

import logging
import os
from datetime import timedelta
from urllib.parse import urlsplit

from config import environment

# Saleor reads DEBUG with a default of True (tracebacks, settings and every URL pattern
# shown to anyone); here it is off unless set, and written back in the one spelling
# Saleor's literal_eval reads.
DEBUG = environment.env_flag(os.environ, "DEBUG")
os.environ["DEBUG"] = str(DEBUG)
OCOP_DEVELOPMENT = environment.is_development(os.environ)
if OCOP_DEVELOPMENT:
    # The one import of the dev tools (embedded PostgreSQL, service probing, a local
    # secret): production never reaches it. .importlinter names it as the exception.
    from devtools import services

    os.environ.setdefault("SECRET_KEY", services.development_secret_key())
    os.environ.setdefault("OCOP_STAMP_KEY", services.development_secret_key("stamp_key"))
    DATABASE_URL = services.database_url()
    BROKER_URL = services.broker_url()
    # Saleor refuses, with DEBUG off, to send account e-mails while the storefront hosts
    # are its defaults; a development machine's are loopback.
    os.environ.setdefault("ALLOWED_CLIENT_HOSTS", "localhost,127.0.0.1,[::1]")
else:
    for name, example in [
        ("SECRET_KEY", "<50 random characters>"),
        # Signs the serials of printed OCOP stamps (verification.stamps): changing it
        # makes every stamp already printed read as forged.
        ("OCOP_STAMP_KEY", "<50 random characters>"),
        ("ALLOWED_HOSTS", "shop.example.vn"),
        ("ALLOWED_CLIENT_HOSTS", "shop.example.vn"),
    ]:
        environment.require(os.environ, name, example)
    DATABASE_URL = environment.database_url()
    BROKER_URL = environment.broker_url()

from saleor_adapter.host_settings import *  # noqa: F403
from saleor_adapter.host_settings import (
    INSTALLED_APPS,
    LOGGING,
    MEDIA_URL,
    MIDDLEWARE,
    PLUGINS,
    STATIC_URL,
    TEMPLATES,
    get_bool_from_env,
)

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger("config.settings")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", 600)),
    )
}
# Every table was created with 32-bit ids (Saleor 2.10's and ours); Django 3.2 would
# otherwise warn on every model and make BigAutoField migrations for new ones.
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

# Shop locale: Vietnam, dong, Vietnamese first with English available.
DEFAULT_COUNTRY = os.environ.get("DEFAULT_COUNTRY", "VN")
DEFAULT_CURRENCY = os.environ.get("DEFAULT_CURRENCY", "VND")
# Amount columns keep the precision Saleor's migrations created (2 places): deriving it
# from VND (0) would make Django see unmigrated changes in Saleor's own apps. VND
# amounts stay whole: Saleor rounds money with the currency's own fraction (babel).
DEFAULT_DECIMAL_PLACES = 2
AVAILABLE_CURRENCIES = [DEFAULT_CURRENCY]
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "vi")
STOREFRONT_LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Ho_Chi_Minh")

# Sender of Saleor's e-mails (templates in saleor_adapter/templates/templated_email/);
# EMAIL_URL says how mail leaves (the console when unset). See environment.default_from_email.
DEFAULT_FROM_EMAIL = environment.default_from_email(os.environ, EMAIL_HOST_USER)

OCOP_APPS = [
    # Registers the implementations of the domain's ports (marketplace.ports) at start.
    "saleor_adapter.apps.SaleorAdapterConfig",
    "marketplace",
    "catalog_sync",
    "storefront.apps.StorefrontConfig",
    "backoffice.apps.BackofficeConfig",
    "django.contrib.sessions",
    "payments_vn",
    "fairs",
    "verification",
]
if OCOP_DEVELOPMENT:
    # The demo and the migrations helper (management commands): development only.
    OCOP_APPS.append("devtools.apps.DevtoolsConfig")
INSTALLED_APPS = INSTALLED_APPS + OCOP_APPS

OCOP_PLUGINS = [
    "saleor_adapter.ocop.plugin.OCOPPlugin",
    "saleor_adapter.payments.cod.CashOnDeliveryGatewayPlugin",
    "saleor_adapter.payments.vietqr.VietQRGatewayPlugin",
]
# Shared secret the bank signs its transfer notifications with (payments_vn.views).
OCOP_BANK_WEBHOOK_SECRET = os.environ.get("OCOP_BANK_WEBHOOK_SECRET", "")
# The key of the stamps' HMAC signatures (verification.stamps); required in production.
OCOP_STAMP_KEY = os.environ.get("OCOP_STAMP_KEY", "")
PLUGINS = PLUGINS + OCOP_PLUGINS

# Files the shop writes (uploads, generated images) stay out of site-packages.
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(environment.DEVDATA_DIR / "media"))
STATIC_ROOT = os.environ.get("STATIC_ROOT", str(environment.DEVDATA_DIR / "static"))
# Saleor's e-mails render from templated_email/ (the wheel ships none): the adapter's.
TEMPLATES[0]["DIRS"] = [str(environment.REPO_ROOT / "saleor_adapter" / "templates")]

# Celery: Redis when reachable; eager execution only as an explicit, logged fallback on
# a development machine. Production names its broker, or says CELERY_TASK_ALWAYS_EAGER.
CELERY_BROKER_URL = BROKER_URL or ""
CELERY_TASK_ALWAYS_EAGER = get_bool_from_env(
    "CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL and OCOP_DEVELOPMENT
)
if not CELERY_BROKER_URL and not CELERY_TASK_ALWAYS_EAGER:
    raise ImproperlyConfigured(
        "No Celery broker: set CELERY_BROKER_URL (or REDIS_URL), e.g. "
        "CELERY_BROKER_URL=redis://redis:6379/0, or CELERY_TASK_ALWAYS_EAGER=True to run "
        "tasks inside the web process."
    )
if CELERY_TASK_ALWAYS_EAGER and not os.environ.get("CELERY_TASK_ALWAYS_EAGER"):
    logger.warning("No Celery broker reachable: tasks run eagerly in the web process.")
# Eager tasks run inside the request that queued them (Saleor queues e-mails inside
# checkoutComplete's transaction): a failing side task, such as a mail server that is
# down, is logged by Celery and must not undo the order or the bank capture around it.
CELERY_TASK_EAGER_PROPAGATES = get_bool_from_env("CELERY_TASK_EAGER_PROPAGATES", False)
CELERY_TIMEZONE = TIME_ZONE

LOGGING["loggers"].update(
    {
        name: {"handlers": ["console"], "level": "INFO", "propagate": False}
        for name in [
            "marketplace",
            "saleor_adapter",
            "catalog_sync",
            "storefront",
            "backoffice",
            "fairs",
            "payments_vn",
        ]
    }
)

# opensearch-py logs every request at INFO: only its warnings (a failed request).
LOGGING["loggers"]["opensearch"] = {"handlers": ["console"], "level": "WARNING", "propagate": False}

# Saleor 2.10's own models still use django.contrib.postgres JSONField.
SILENCED_SYSTEM_CHECKS = ["fields.W904"]

# A registry import (catalog_sync.tasks) is stopped after this long and marked failed;
# a run left "running" longer (its worker was killed) is closed by the sweeper below.
OCOP_IMPORT_RUN_TIME_LIMIT_SECONDS = int(os.environ.get("OCOP_IMPORT_RUN_TIME_LIMIT_SECONDS", 3600))

CELERY_BEAT_SCHEDULE = {
    "ocop-unpublish-expired-products": {
        "task": "catalog_sync.tasks.unpublish_expired_products",
        "schedule": crontab(hour=0, minute=5),
    },
    # Closes registry imports whose worker died mid-run (catalog_sync.tasks).
    "ocop-close-stalled-import-runs": {
        "task": "catalog_sync.tasks.close_stalled_import_runs",
        "schedule": 600.0,
    },
    # Routes orders and sends notifications whose after-commit task was lost.
    "ocop-route-pending-orders": {
        "task": "marketplace.tasks.route_pending_orders",
        "schedule": 120.0,
    },
    # Reminds cooperatives of parts not accepted in time, then flags them for staff.
    "ocop-follow-up-unaccepted-parts": {
        "task": "marketplace.tasks.follow_up_unaccepted_parts",
        "schedule": 900.0,
    },
    # Certificate expiry reminders, 90 and 30 days ahead, once each (verification.tasks).
    "ocop-certificate-reminders": {
        "task": "verification.tasks.send_certificate_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # Stamps checked too often or in too many places: flagged to their province.
    "ocop-flag-copied-stamps": {
        "task": "verification.tasks.flag_copied_stamps",
        "schedule": 600.0,
    },
    # Indexes products marked for search whose after-commit task was lost (or whose
    # engine was down): storefront.tasks.
    "ocop-index-dirty-products": {
        "task": "storefront.tasks.sweep_search_outbox",
        "schedule": 60.0,
    },
}

# --- Storefront pages (storefront/pages.py, cart.py, staff.py, search.py) -------
# Search engine behind storefront.search.ProductSearch: OCOP_SEARCH_ENGINE names one
# (postgres, the default, or opensearch); STOREFRONT_SEARCH_ENGINE, a dotted path, wins.
SEARCH_ENGINES = {
    "postgres": "storefront.search.PostgresProductSearch",
    "opensearch": "storefront.opensearch_engine.OpenSearchProductSearch",
}
OCOP_SEARCH_ENGINE = os.environ.get("OCOP_SEARCH_ENGINE", "postgres").strip().lower()
if OCOP_SEARCH_ENGINE not in SEARCH_ENGINES:
    raise ImproperlyConfigured(
        f"OCOP_SEARCH_ENGINE must be one of {', '.join(SEARCH_ENGINES)}, not {OCOP_SEARCH_ENGINE!r}"
    )
STOREFRONT_SEARCH_ENGINE = (
    os.environ.get("STOREFRONT_SEARCH_ENGINE") or (SEARCH_ENGINES[OCOP_SEARCH_ENGINE])
)
# OpenSearch (or Elasticsearch 7.x): its URL, the alias the shop reads and writes
# (`manage.py ocop_search_index --rebuild` moves it to a new index), and how long a
# search may wait for it before PostgreSQL answers instead.
OCOP_OPENSEARCH_URL = os.environ.get("OCOP_OPENSEARCH_URL", "").rstrip("/")
OCOP_SEARCH_INDEX = os.environ.get("OCOP_SEARCH_INDEX", "ocop-products")
OCOP_OPENSEARCH_TIMEOUT_SECONDS = float(os.environ.get("OCOP_OPENSEARCH_TIMEOUT_SECONDS", 2))
# How long each worker keeps a rendered list or search page (0 turns it off).
STOREFRONT_SEARCH_CACHE_SECONDS = int(os.environ.get("STOREFRONT_SEARCH_CACHE_SECONDS", 60))
# Saleor's list starts with Django's SecurityMiddleware (HSTS, nosniff, Referrer-Policy,
# the HTTPS redirect); after it: the request size limit, the static files, and the
# headers every page gets (config.middleware). Static files (one CSS file, one
# script) are served by WhiteNoise from the apps' static folders, so a WSGI server
# (gunicorn in `make demo`) needs no collectstatic step.
assert MIDDLEWARE[0] == "django.middleware.security.SecurityMiddleware"
MIDDLEWARE = [
    MIDDLEWARE[0],
    "config.middleware.request_size_limit",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.security_headers",
    *MIDDLEWARE[1:],
    "storefront.middleware.storefront_configuration_once_per_request",
]
WHITENOISE_USE_FINDERS = True
if OCOP_DEVELOPMENT:
    os.makedirs(STATIC_ROOT, exist_ok=True)  # WhiteNoise also serves collected files here
WHITENOISE_MAX_AGE = 3600
# Parse each template once per process (the explicit loader list Saleor sets would
# otherwise re-read templates on every request while DEBUG is on).
TEMPLATES[0]["OPTIONS"]["loaders"] = [
    ("django.template.loaders.cached.Loader", TEMPLATES[0]["OPTIONS"]["loaders"])
]
# Saleor marks missing template variables loudly in DEBUG; the storefront's templates
# use `default` filters and must render the same with DEBUG on or off.
TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = ""

# --- Security (README "Security", docs/security.md) -----------------------------------
# Request sizes, checked before a view runs. What a request may hold when it is not a
# file: the largest real one is a GraphQL mutation with a product description (tens of
# kB); 1 MiB leaves room and bounds what one request makes a worker parse and hold.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# Form fields per request: the largest form, the shop settings page (34 province boxes
# and 8 other fields), sends under 45.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
# Files per request: an upload is one registry file (ocopRegistryImport) or one product
# image (Saleor's productImageCreate). Django's own default is 100 (CVE-2023-24580).
DATA_UPLOAD_MAX_NUMBER_FILES = 5
# Uploads above this are spooled to a temporary file instead of held in a worker's memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# Any request body: a registry file may be 20 MiB (saleor_adapter.graphql.catalog_import), plus
# the multipart framing. A larger Content-Length is answered 413 before it is read; the
# reverse proxy in front should refuse the same (client_max_body_size in nginx).
OCOP_MAX_REQUEST_BYTES = int(os.environ.get("OCOP_MAX_REQUEST_BYTES", 21 * 1024 * 1024))

# Headers. Pages may not be framed (clickjacking); other sites get no referrer, since
# order pages carry their token in the URL.
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
CSRF_COOKIE_HTTPONLY = True  # no script of ours reads it
CSRF_FAILURE_VIEW = "storefront.pages.csrf_failure"
# The name error pages show: they cannot read the shop's settings from the database.
OCOP_SHOP_NAME = os.environ.get("OCOP_SHOP_NAME", environment.DEFAULT_SHOP_NAME)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


# Content-Security-Policy of every HTML page (config.middleware): scripts only
# from our own static files; styles may be inline (the portal's and the fair pages' page
# styles and style attributes), images also as data: URIs; nothing may frame a page.
_asset_origins = " ".join(sorted({o for o in map(_origin, [MEDIA_URL, STATIC_URL]) if o}))
OCOP_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        f"script-src 'self' {_asset_origins}".strip(),
        f"style-src 'self' 'unsafe-inline' {_asset_origins}".strip(),
        f"img-src 'self' data: {_asset_origins}".strip(),
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)

# Behind HTTPS (the reverse proxy terminates TLS and sets X-Forwarded-Proto), one switch:
# OCOP_HTTPS=1 makes every cookie Secure, sends HSTS, redirects plain HTTP and trusts the
# proxy's X-Forwarded-Proto (which Saleor trusts always; without HTTPS nothing may claim
# it). SECURE_SSL_REDIRECT=False keeps the redirect to the proxy.
OCOP_HTTPS = environment.env_flag(os.environ, "OCOP_HTTPS")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if OCOP_HTTPS else None
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = OCOP_HTTPS
SECURE_SSL_REDIRECT = OCOP_HTTPS and environment.env_flag(os.environ, "SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = (
    int(os.environ.get("SECURE_HSTS_SECONDS", 365 * 24 * 3600)) if OCOP_HTTPS else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = environment.env_flag(os.environ, "SECURE_HSTS_INCLUDE_SUBDOMAINS")
if not OCOP_HTTPS and not OCOP_DEVELOPMENT:
    logger.warning("OCOP_HTTPS is not set: cookies are not marked Secure and no HSTS is sent.")

# Cache: Redis through django-redis when CACHE_URL or REDIS_URL names it (Saleor's own
# reading maps redis:// to a Django 4 backend), else each process's memory.
CACHES = {"default": environment.cache_config(os.environ)}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# Logged values (request paths, GraphQL errors) cannot forge log lines (CVE-2025-48432).
LOGGING["filters"]["escape_control_characters"] = {
    "()": "saleor_adapter.saleor_compat.EscapeControlCharacters"
}
LOGGING["handlers"]["console"]["filters"] = ["escape_control_characters"]

# --- GraphQL request limits (saleor_adapter/graphql/limits.py, checked before execution) -----
# Measured 2026-12-01 on the 458 distinct queries the test suite sends (storefront cart
# and checkout, portal, fairs, OCOP API, imports): at most 536 bytes, 6 levels of
# brackets, depth 6, 0 aliases, 45 fields, cost 1,701 (`fairs` at its default 20 per
# page). A dashboard-like list of 100 products with their attributes costs 8,801, the
# storefront benchmark's page of 24 products 1,321; 100 categories × 100 products cost
# 30,301. The standard introspection query (playground, codegen): 1,443 bytes, 8
# brackets, depth 13, 181 fields. Each limit leaves room over the legitimate ones; a
# refused query gets one error and HTTP 400 (codes in README "Security").
GRAPHQL_LIMITS = {
    "max_query_bytes": 16_384,  # UTF-8 bytes of one operation's text
    "max_nesting": 40,  # { ( [ nested, counted before parsing (the parser recurses)
    "max_depth": 15,  # fields nested, fragments resolved; also the longest fragment chain
    "max_aliases": 30,  # e.g. 100 aliased tokenCreate in one operation
    "max_fields": 1_000,  # fields after expanding fragments (fragment "bombs")
    # Estimated objects: a field costs 1 plus its children times first/last (else the
    # argument's default, else page_size) for paginated fields, times list_size for lists.
    "max_cost": 20_000,
    # Signed-in staff (a valid staff JWT): the dashboard lists 100 warehouses with 100
    # shipping zones each (Saleor's test_query_warehouses estimates 91,401).
    "max_cost_staff": 250_000,
    "page_size": GRAPHENE["RELAY_CONNECTION_MAX_LIMIT"],
    "list_size": 5,
    # JSON-array batches: Saleor's dashboard (Apollo BatchHttpLink) sends at most 10.
    "max_batch": 20,
}
# Introspection (__schema, __type) for anyone only when this is on (default: DEBUG);
# otherwise only for active staff sending a valid JWT. See README "GraphQL limits".
GRAPHQL_PUBLIC_INTROSPECTION = get_bool_from_env("GRAPHQL_PUBLIC_INTROSPECTION", DEBUG)

# --- JWT lifetime (django-graphql-jwt 0.3.0; Saleor's payload handler kept) -----------
# Saleor 2.10 signs tokens that never expire unless JWT_VERIFY_EXPIRATION is set. There
# is no server-side revocation in this version (a password change or a disabled account
# does not cancel issued tokens), so a token lives 15 minutes: long enough for a
# dashboard page, short enough that a leaked token is soon useless. Clients keep a
# session alive with `tokenRefresh(token)` before it expires (an expired token cannot
# be refreshed), up to 8 hours after signing in: a working day, like the storefront's
# staff cookie; then they sign in again.
GRAPHQL_JWT = {
    **GRAPHQL_JWT,
    "JWT_VERIFY_EXPIRATION": get_bool_from_env("JWT_VERIFY_EXPIRATION", True),
    "JWT_EXPIRATION_DELTA": timedelta(minutes=int(os.environ.get("JWT_EXPIRATION_MINUTES", 15))),
    "JWT_ALLOW_REFRESH": True,
    "JWT_REFRESH_EXPIRATION_DELTA": timedelta(
        hours=int(os.environ.get("JWT_REFRESH_EXPIRATION_HOURS", 8))
    ),
}

# --- Sign-in throttling (django-axes 5, config/sign_in_throttle.py) --------
# Every password sign-in goes through authenticate(): the back office's one sign-in
# (/dang-nhap/: /htx/, /tinh/, the shop settings) and GraphQL tokenCreate. AxesStandaloneBackend
# refuses a locked-out client before the password is checked. It comes after Saleor's
# JWT backend, so requests carrying a valid JWT are not throttled, and before the
# password backend.
INSTALLED_APPS += ["axes.apps.AppConfig"]
AUTHENTICATION_BACKENDS = [
    "graphql_jwt.backends.JSONWebTokenBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Innermost, so it sees the view's answer: it swaps a locked-out sign-in's answer for
# AXES_LOCKOUT_CALLABLE's (the area's login page, or one GraphQL error), HTTP 429.
MIDDLEWARE = [*MIDDLEWARE, "axes.middleware.AxesMiddleware"]

# Audit log (config/audit.py): the writes staff make through the back office and the
# API, with before and after. Saleor's orders keep their own events (OrderEvent, with
# the staff user); the marketplace's parts of an order are logged here.
INSTALLED_APPS += ["auditlog"]
MIDDLEWARE = [*MIDDLEWARE, "config.audit.audit_actor"]
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    "marketplace.Producer",
    "marketplace.OcopProduct",
    "marketplace.Certificate",
    {"model": "marketplace.CooperativeSettings", "mask_fields": ["webhook_secret"]},
    "marketplace.CooperativeMembership",
    "marketplace.PayoutAccountChange",
    "marketplace.OrderRouting",
    "marketplace.CooperativeOrder",
    "marketplace.PayoutBatch",
    # Who erased a customer's personal data, when and why (no personal data in it).
    "marketplace.CustomerErasure",
    # Refunds owed: the shopper's bank details arrive, staff record the bank reference.
    {"model": "marketplace.PartRefund", "mask_fields": ["bank_account_number"]},
    "verification.StampBatch",
    "verification.StampFlag",
    "verification.FakeReport",
    "verification.ProvinceTarget",
    "fairs.ProvinceStaff",
    "fairs.Fair",
    "fairs.Booth",
    "fairs.FairProduct",
    "payments_vn.BankTransaction",
    "storefront_config.StorefrontConfiguration",
    # Who uploaded which registry file, and how each run ended (the report itself is
    # the run's summary, kept on the run; its progress counter is no one's change).
    {"model": "catalog_sync.ImportRun", "exclude_fields": ["summary", "rows_written"]},
    "product.Product",
    "product.ProductVariant",
    "product.ProductImage",
    "site.SiteSettings",
    {"model": "plugins.PluginConfiguration", "mask_fields": ["configuration"]},
    {
        "model": "account.User",
        "exclude_fields": ["password", "last_login", "updated_at", "private_metadata"],
    },
)
AUDITLOG_DISABLE_REMOTE_ADDR = False
AXES_HANDLER = "config.sign_in_throttle.AccountAndAddressHandler"
AXES_USERNAME_CALLABLE = "config.sign_in_throttle.account_name"
AXES_LOCKOUT_CALLABLE = "config.sign_in_throttle.lockout_response"
# 5 failures of one account from one address lock that pair for 15 minutes; the owner
# signing in from elsewhere is not locked out by someone else's guesses.
AXES_LOCK_OUT_BY_COMBINATION_USER_AND_IP = True
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
# 20 failures on any accounts from one address lock the address: one client trying
# many accounts. High enough for a cooperative office sharing one address.
SIGN_IN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_ADDRESS_FAILURE_LIMIT", 20))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", 15)))
# A sign-in refused during the lock checks no password, so it is not counted and does
# not restart the 15 minutes: the counts are password checks that failed.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True  # a successful sign-in clears that pair's count
AXES_HTTP_RESPONSE_CODE = 429
# The client's address: Saleor's REAL_IP_ENVIRON (REMOTE_ADDR unless a proxy is set up;
# then the proxy must overwrite that header), the right-most entry of a list (the one
# the nearest proxy wrote, not one the client sent).
AXES_META_PRECEDENCE_ORDER = (REAL_IP_ENVIRON,)
AXES_PROXY_ORDER = "right-most"
AXES_ENABLE_ADMIN = False  # Saleor 2.10 has no Django admin
AXES_DISABLE_ACCESS_LOG = True  # failures are kept for the cool-off only, not every sign-in
