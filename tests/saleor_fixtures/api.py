"""A GraphQL client for Saleor's API, as a storefront or the dashboard would call it."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from graphql_jwt.shortcuts import get_token
from saleor.account.models import User


class ApiClient:
    """Posts GraphQL documents to /graphql/, optionally as a logged-in user (JWT)."""

    def __init__(self, user: User | None = None):
        self.client = Client()
        self.user = user

    def auth_headers(self) -> dict:
        if self.user is None:
            return {}
        return {"HTTP_AUTHORIZATION": f"JWT {get_token(self.user)}"}

    def post(self, path: str, **kwargs):
        return self.client.post(path, **kwargs)

    def execute(self, query: str, variables: dict | None = None) -> dict:
        """The whole GraphQL response body (``data`` and ``errors``)."""
        response = self.client.post(
            "/graphql/",
            data=json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
            **self.auth_headers(),
        )
        assert response.status_code == 200, response.content
        return response.json()

    def post_graphql(self, query: str, variables: dict | None = None) -> dict:
        """The ``data`` of a response that must have no errors."""
        content = self.execute(query, variables)
        assert "errors" not in content, content["errors"]
        return content["data"]


def grant(user: User, *codenames: str) -> User:
    """Give ``user`` Saleor permissions by codename (e.g. ``manage_plugins``)."""
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    # Django caches permissions on the instance.
    for cache in ("_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(cache, None)
    return user


@pytest.fixture
def api_client() -> ApiClient:
    return ApiClient()


@pytest.fixture
def staff_user(db) -> User:
    return User.objects.create_user(
        email="nhanvien@ocop.test", password="mat-khau-staff-1", is_staff=True
    )


@pytest.fixture
def staff_api_client(staff_user) -> ApiClient:
    return ApiClient(staff_user)
