"""Settings of the OCOP marketplace: Saleor 2.10's settings plus our apps and plugins.

Every secret and address comes from the environment; see README "Configuration".
"""

import logging
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
