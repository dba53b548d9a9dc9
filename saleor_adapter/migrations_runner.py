"""Migrating from a process that goes on to serve or work: the one safe way here.

Saleor 2.10 patches Django's site manager with a process-wide cache
(``saleor/site/patch_sites.py``) that historical models share: a data migration that
asks for the current site leaves the *historical* Site in that cache, and every later
``Site.objects.get_current().settings`` in the process is a migration-time
``__fake__.SiteSettings`` without today's fields (``display_gross_prices``: checkout's
shipping step fails). ``migrate`` empties that cache afterwards.
"""

from __future__ import annotations


def migrate(verbosity: int = 1) -> None:
    """Apply every migration, then forget any site cached while migrating."""
    from django.contrib.sites.models import Site
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)
    Site.objects.clear_cache()
