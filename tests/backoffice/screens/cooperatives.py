"""Platform staff's cooperatives section (backoffice.cooperatives)."""

from django.urls import reverse

from tests.backoffice.roles import ROLES
from tests.backoffice.screens import SIGN_IN, Cell, platform_only


def _action(name: str):
    return lambda world: reverse(
        "backoffice-cooperative-action", args=[world.catalog.tai_hoan.pk, name]
    )


CELLS = [
    Cell(
        "areas",
        lambda world: reverse("backoffice-areas"),
        # Every staff account sees the areas it has; a customer has none
        {**dict.fromkeys(ROLES, 200), "anonymous": SIGN_IN, "customer": 403},
    ),
    Cell("cooperatives list", lambda world: reverse("backoffice-cooperatives"), platform_only()),
    Cell(
        "cooperative page",
        lambda world: reverse("backoffice-cooperative", args=[world.catalog.tai_hoan.pk]),
        platform_only(),
    ),
    Cell(
        "cooperative suspend",
        _action("tam-ngung"),
        platform_only(302),
        method="post",
        data=lambda world: {"reason": "Kiểm tra chất lượng / Quality check"},
    ),
    Cell(
        "shop settings",
        lambda world: reverse("storefront-configuration"),
        platform_only(),
    ),
    Cell("audit log", lambda world: reverse("backoffice-audit"), platform_only()),
]
