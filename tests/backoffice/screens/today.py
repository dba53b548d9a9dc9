"""Platform staff's Today page (backoffice.today)."""

from django.urls import reverse

from tests.backoffice.screens import Cell, platform_only

CELLS = [
    Cell("today", lambda world: reverse("backoffice-today"), platform_only()),
]
