"""A cooperative's profile in the portal (backoffice.team: /htx/ho-so/)."""

from django.urls import reverse

from tests.backoffice.screens import Cell, any_cooperative, cooperative_a

CELLS = [
    Cell("portal profile", lambda world: reverse("portal:profile"), any_cooperative()),
    Cell(
        "portal profile of cooperative A",
        lambda world: f"{reverse('portal:profile')}?htx={world.catalog.tai_hoan.pk}",
        cooperative_a(),
    ),
    Cell(
        "portal profile save",
        lambda world: reverse("portal:profile_save"),
        cooperative_a(302, owner_only=True),
        method="post",
        data=lambda world: {
            "htx": world.catalog.tai_hoan.pk,
            "story": "Miến dong làm tay / Hand-made glass noodles",
            "contact_phone": "0912345678",
        },
    ),
]
