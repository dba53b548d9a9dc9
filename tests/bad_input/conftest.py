import pytest

from tests.bad_input.world import world_for_module


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with world_for_module(django_db_blocker, tmp_path_factory.mktemp("registry")) as built:
        yield built
