"""The back office's tests keep what staff upload (registry files) in the test's own
folder, never in .devdata/media."""

import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"
