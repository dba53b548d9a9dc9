"""Settings of the OCOP marketplace: Saleor 2.10's settings plus our apps and plugins.

Every secret and address comes from the environment; see README "Configuration".
"""

import logging
from datetime import timedelta
import os

import plugins.saleor_compat  # noqa: F401  (must run before Saleor is imported)
from storefront_config import services

if not os.environ.get("SECRET_KEY") and os.environ.get("DEBUG", "True") == "True":
    os.environ["SECRET_KEY"] = services.development_secret_key()

from saleor.settings import *  # noqa: F403
from saleor.settings import INSTALLED_APPS, LOGGING, PLUGINS, TEMPLATES, get_bool_from_env

import dj_database_url
from celery.schedules import crontab

logger = logging.getLogger("storefront_config.settings")

ROOT_URLCONF = "storefront_config.urls"
WSGI_APPLICATION = "storefront_config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        services.database_url(), conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", 600))
    )
}

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

# Sender of Saleor's e-mails (templates in storefront_config/templates/templated_email/);
# EMAIL_URL says how mail leaves (the console when unset). See services.default_from_email.
DEFAULT_FROM_EMAIL = services.default_from_email(os.environ, EMAIL_HOST_USER)

OCOP_APPS = [
    "marketplace",
    "catalog_sync",
    "storefront_config",
    "portal",
    "django.contrib.sessions",
    "payments_vn",
    "fairs",
]
INSTALLED_APPS = INSTALLED_APPS + OCOP_APPS

OCOP_PLUGINS = [
    "plugins.ocop.plugin.OCOPPlugin",
    "plugins.payments.cod.CashOnDeliveryGatewayPlugin",
    "plugins.payments.vietqr.VietQRGatewayPlugin",
]
# Shared secret the bank signs its transfer notifications with (payments_vn.views).
OCOP_BANK_WEBHOOK_SECRET = os.environ.get("OCOP_BANK_WEBHOOK_SECRET", "")
PLUGINS = PLUGINS + OCOP_PLUGINS

# Files the shop writes (uploads, generated images) stay out of site-packages.
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(services.DEVDATA_DIR / "media"))
STATIC_ROOT = os.environ.get("STATIC_ROOT", str(services.DEVDATA_DIR / "static"))
TEMPLATES[0]["DIRS"] = [str(services.REPO_ROOT / "storefront_config" / "templates")]

# Celery: Redis when reachable; eager execution only as an explicit, logged fallback.
CELERY_BROKER_URL = services.broker_url() or ""
CELERY_TASK_ALWAYS_EAGER = get_bool_from_env("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
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
        for name in ["marketplace", "plugins", "catalog_sync", "storefront_config", "fairs"]
    }
)

# Saleor 2.10's own models still use django.contrib.postgres JSONField.
SILENCED_SYSTEM_CHECKS = ["fields.W904"]

CELERY_BEAT_SCHEDULE = {
    "ocop-unpublish-expired-products": {
        "task": "catalog_sync.tasks.unpublish_expired_products",
        "schedule": crontab(hour=0, minute=5),
    },
    # Routes orders and sends notifications whose after-commit task was lost.
    "ocop-route-pending-orders": {
        "task": "marketplace.tasks.route_pending_orders",
        "schedule": 120.0,
    },
}

# --- Storefront pages (storefront_config/pages.py, cart.py, staff.py, search.py) -------
# Search engine behind storefront_config.search.ProductSearch (a dotted path).
STOREFRONT_SEARCH_ENGINE = os.environ.get(
    "STOREFRONT_SEARCH_ENGINE", "storefront_config.search.PostgresProductSearch"
)
# How long each worker keeps the order of a list or search (ids only; 0 turns it off).
STOREFRONT_SEARCH_CACHE_SECONDS = int(os.environ.get("STOREFRONT_SEARCH_CACHE_SECONDS", 60))
# Static files (one CSS file) served by WhiteNoise from the apps' static folders, so a
# WSGI server (gunicorn in `make demo`) needs no collectstatic step.
MIDDLEWARE = [
    MIDDLEWARE[0],
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[1:],
]
WHITENOISE_USE_FINDERS = True
os.makedirs(STATIC_ROOT, exist_ok=True)  # WhiteNoise also serves collected files from here
WHITENOISE_MAX_AGE = 3600
# Parse each template once per process (the explicit loader list Saleor sets would
# otherwise re-read templates on every request while DEBUG is on).
TEMPLATES[0]["OPTIONS"]["loaders"] = [
    ("django.template.loaders.cached.Loader", TEMPLATES[0]["OPTIONS"]["loaders"])
]
# Saleor marks missing template variables loudly in DEBUG; the storefront's templates
# use `default` filters and must render the same with DEBUG on or off.
TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = ""

# --- GraphQL request limits (plugins/graphql/limits.py, checked before execution) -----
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

# --- Sign-in throttling (django-axes 5, storefront_config/sign_in_throttle.py) --------
# Every password sign-in goes through authenticate(): the portal (/htx/), the fair pages
# (/tinh/), the storefront's staff page and GraphQL tokenCreate. AxesStandaloneBackend
# refuses a locked-out client before the password is checked. It comes after Saleor's
# JWT backend, so requests carrying a valid JWT are not throttled, and before the
# password backend.
INSTALLED_APPS += ["axes.apps.AppConfig"]  # the AppConfig path: Django 3.1 needs it
AUTHENTICATION_BACKENDS = [
    "graphql_jwt.backends.JSONWebTokenBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Innermost, so it sees the view's answer: it swaps a locked-out sign-in's answer for
# AXES_LOCKOUT_CALLABLE's (the area's login page, or one GraphQL error), HTTP 429.
MIDDLEWARE = [*MIDDLEWARE, "axes.middleware.AxesMiddleware"]
AXES_HANDLER = "storefront_config.sign_in_throttle.AccountAndAddressHandler"
AXES_USERNAME_CALLABLE = "storefront_config.sign_in_throttle.account_name"
AXES_LOCKOUT_CALLABLE = "storefront_config.sign_in_throttle.lockout_response"
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
