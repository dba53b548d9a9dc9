import os

import pytest
from hypothesis import settings

from tests.bad_input.world import world_for_module

# On CI the same examples every run (a new bug is found on a developer's machine, where
# examples vary and failures are kept in .hypothesis/, not as a red build by chance).
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with world_for_module(django_db_blocker, tmp_path_factory.mktemp("registry")) as built:
        yield built
