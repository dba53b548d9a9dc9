"""The one shim Saleor 2.10.1 needs on Django 3.1.

Django 3.1 removed the alias ``django.forms.forms.BoundField`` that
``saleor/account/i18n.py`` still imports; restore it before Saleor is imported.
"""

import warnings

import django.forms.boundfield
import django.forms.forms

django.forms.forms.BoundField = django.forms.boundfield.BoundField

# django-countries 6 imports pkg_resources (hence setuptools<81); its deprecation
# notice says nothing actionable to a shop operator.
warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
