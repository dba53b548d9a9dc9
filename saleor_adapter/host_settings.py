"""Saleor 2.10's own settings, which the project's settings (``config.settings``) extend.

The compatibility shim runs first: Saleor's modules import a name Django 3.1 removed.
A Saleor 3 port starts from its settings here.
"""

from saleor.settings import *  # noqa: F403
from saleor.settings import (  # noqa: F401  (named: the project's settings extend these)
    INSTALLED_APPS,
    LOGGING,
    MEDIA_URL,
    MIDDLEWARE,
    PLUGINS,
    STATIC_URL,
    TEMPLATES,
    get_bool_from_env,
)

import saleor_adapter.saleor_compat  # noqa: F401  (must run before Saleor is imported)
