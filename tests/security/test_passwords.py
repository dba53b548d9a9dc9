"""A failed sign-in costs the same whether the account has a real password or not
(CVE-2024-39329, saleor_adapter/saleor_compat.py)."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from saleor.account.models import User


class CountingHasher(MD5PasswordHasher):
    """Django's MD5 hasher, counting the hashes it computes."""

    algorithm = "counting_md5"
    computed = 0

    def encode(self, password, salt):
        CountingHasher.computed += 1
        return super().encode(password, salt)


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = ["tests.security.test_passwords.CountingHasher"]
    CountingHasher.computed = 0
    return CountingHasher


@pytest.mark.django_db
@pytest.mark.parametrize("stored", ["unusable", "empty", "real"])
def test_a_wrong_password_is_hashed_once_whatever_the_account_holds(counting_hasher, stored):
    # Given an account whose password is unusable (staff created without one), empty, or real
    user = User.objects.create_user("nhan.vien@example.vn", "mat-khau-that")
    if stored == "unusable":
        user.set_unusable_password()
    elif stored == "empty":
        user.password = ""
    counting_hasher.computed = 0

    # When someone signs in with a wrong password
    accepted = user.check_password("doan-mo")

    # Then it is refused after exactly one hash, as for any other account
    assert (accepted, counting_hasher.computed) == (False, 1)


@pytest.mark.django_db
def test_the_right_password_still_signs_in(counting_hasher):
    user = User.objects.create_user("nhan.vien@example.vn", "mat-khau-that")
    assert user.check_password("mat-khau-that") is True
