import pytest

from tests.routing.marketplace import Catalog, build_catalog


@pytest.fixture
def catalog(db, tmp_path) -> Catalog:
    """The routing catalogue with the shop's default: shipping priced per parcel."""
    return build_catalog(tmp_path)
