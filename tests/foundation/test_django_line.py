"""Saleor 2.10 on Django 3.2 LTS: the pinned versions are the installed ones, the
models need no migration that is not in the tree, and Django's checks are quiet."""

import re
from importlib.metadata import version

import django
import django_countries
from django.apps import apps
from django.core import checks
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.questioner import NonInteractiveMigrationQuestioner
from django.db.migrations.state import ProjectState
from django.utils import translation

from devtools import services


def pinned(name: str) -> str:
    text = (services.REPO_ROOT / "requirements" / "base.txt").read_text()
    return re.search(rf"^{re.escape(name)}==(\S+)$", text, re.MULTILINE).group(1)


def test_the_installed_django_and_django_countries_are_the_pinned_ones():
    assert (django.get_version(), pinned("Django")) == ("3.2.25", "3.2.25")
    assert (version("django-countries"), pinned("django-countries")) == ("7.2.1", "7.2.1")
    assert django_countries.__name__ == "django_countries"


def test_the_models_need_no_new_migration():
    # Given the migrations in the tree (ours) and in the installed Saleor and Django
    loader = MigrationLoader(None, ignore_no_migrations=True)
    detector = MigrationAutodetector(
        loader.project_state(),
        ProjectState.from_apps(apps),
        NonInteractiveMigrationQuestioner(dry_run=True),
    )

    # When Django compares them with the models (untranslated, as makemigrations does)
    with translation.override(None):
        changes = detector.changes(graph=loader.graph)

    # Then the only difference is the one our settings make in Saleor's order (its
    # default language is "vi"; ocop_makemigrations never writes it into Saleor)
    assert {
        app: [operation.describe() for migration in found for operation in migration.operations]
        for app, found in changes.items()
    } == {"order": ["Alter field language_code on order"]}


def test_django_checks_raise_no_warning_about_primary_keys():
    assert [m.id for m in checks.run_checks() if m.id == "models.W042"] == []
