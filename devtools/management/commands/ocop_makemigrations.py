"""``makemigrations`` for our apps only, never for Saleor's.

Our settings differ from the ones Saleor's migrations were made with (e.g. the default
``language_code`` of an order is "vi"), so plain ``makemigrations`` also writes a
migration into the installed Saleor package, and ours would depend on it: a file that
no other machine has. This command removes such files and points our new migrations at
the Saleor migration they replaced.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

# Found without importing it (only the adapter imports Saleor).
SALEOR_DIR = Path(importlib.util.find_spec("saleor").origin).resolve().parent


def saleor_migration_files() -> set[Path]:
    return set(SALEOR_DIR.glob("*/migrations/0*.py"))


class Command(BaseCommand):
    help = "makemigrations for the OCOP apps, without touching the installed Saleor."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="fail if changes are missing")

    def handle(self, *args, **options):
        configs = [
            config
            for config in apps.get_app_configs()
            if config.name in settings.OCOP_APPS and "site-packages" not in config.path
        ]
        ours = [Path(config.path) / "migrations" for config in configs]
        before_saleor = saleor_migration_files()
        before_ours = {path for folder in ours for path in folder.glob("0*.py")}
        call_command(
            "makemigrations",
            *[config.label for config in configs],
            dry_run=options["check"],
            check_changes=options["check"],
        )
        replaced = {}
        for stray in saleor_migration_files() - before_saleor:
            app_label = stray.parent.parent.name
            parent = re.search(rf"\('{app_label}', '([^']+)'\)", stray.read_text()).group(1)
            replaced[(app_label, stray.stem)] = parent
            stray.unlink()
            self.stdout.write(f"Removed {stray} (a Saleor migration our settings would cause)")
        for new in {path for folder in ours for path in folder.glob("0*.py")} - before_ours:
            text = new.read_text()
            for (app_label, name), parent in replaced.items():
                text = text.replace(f"('{app_label}', '{name}')", f"('{app_label}', '{parent}')")
            new.write_text(text)
