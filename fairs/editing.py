"""Changes to fairs, booths and featured products, with the rules forms cannot check
alone: province scope, free slugs, and nothing deleted that a report still counts."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from fairs import access, links
from fairs.models import Booth, Fair, FairProduct, RetiredSlug


class FairError(Exception):
    """A change refused, on ``field`` (None: the whole form), in Vietnamese + English."""

    def __init__(self, field: str | None, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def _slug(instance, raw: str, suggestion_source: str, taken: set[str]) -> None:
    try:
        if raw:
            links.assign_slug(instance, raw)
        elif not instance.slug:
            links.assign_slug(instance, links.suggest_slug(suggestion_source, taken))
    except links.SlugError as error:
        raise FairError("slug", error.message) from None


@transaction.atomic
def save_fair(user, data: dict, fair: Fair | None = None) -> Fair:
    """Create a fair (``fair`` None) or change one. The province is chosen at creation
    and fixed after: the fair's cooperatives and staff belong to it."""
    creating = fair is None
    if creating:
        allowed = access.province_codes(user)
        if allowed is not None and data["province"] not in allowed:
            raise FairError(
                "province",
                "Bạn chỉ tạo được hội chợ của tỉnh mình / "
                "You can only create fairs of your own province.",
            )
        fair = Fair(province_code=data["province"], created_by=user)
    fair.name = data["name"]
    fair.venue = data["venue"]
    fair.starts_on = data["starts_on"]
    fair.ends_on = data["ends_on"]
    fair.description = data.get("description", "")
    fair.updated_at = timezone.now()
    taken = links.taken_fair_slugs() if not data.get("slug") else set()
    _slug(fair, data.get("slug", ""), f"{data['name']}", taken)
    fair.save()
    return fair


@transaction.atomic
def set_cooperatives(fair: Fair, producers) -> None:
    wanted = {p.pk for p in producers}
    allowed = set(access.producers_for_fair(fair).values_list("pk", flat=True))
    if not wanted <= allowed:
        raise FairError(
            "cooperatives",
            "Chỉ mời được hợp tác xã của tỉnh tổ chức / "
            "Only cooperatives of the fair's province can take part.",
        )
    current = set(fair.cooperatives.values_list("pk", flat=True))
    leaving = current - wanted
    in_use = (
        FairProduct.objects.filter(fair=fair, ocop_product__producer_id__in=leaving).exists()
        or Booth.objects.filter(fair=fair, producer_id__in=leaving).exists()
    )
    if in_use:
        raise FairError(
            "cooperatives",
            "Hợp tác xã còn gian hàng hoặc sản phẩm trưng bày: gỡ chúng trước / "
            "A cooperative still has a booth or featured products: remove them first.",
        )
    fair.cooperatives.set(wanted)


@transaction.atomic
def save_booth(fair: Fair, data: dict, booth: Booth | None = None) -> Booth:
    booth = booth or Booth(fair=fair)
    producer = data.get("producer")
    if producer is not None and not fair.cooperatives.filter(pk=producer.pk).exists():
        raise FairError(
            "producer",
            "Hợp tác xã này không tham gia hội chợ / This cooperative is not taking part.",
        )
    booth.name, booth.code, booth.producer = data["name"], data.get("code", ""), producer
    source = f"{booth.code} {booth.name}" if booth.code else booth.name
    taken = links.taken_slugs_in(fair, RetiredSlug.Kind.BOOTH) if not data.get("slug") else set()
    _slug(booth, data.get("slug", ""), source, taken)
    booth.save()
    return booth


@transaction.atomic
def save_fair_product(
    fair: Fair, data: dict, fair_product: FairProduct | None = None
) -> FairProduct:
    if fair_product is None:
        ocop_product = data["ocop_product"]
        if not access.products_for_fair(fair).filter(pk=ocop_product.pk).exists():
            raise FairError(
                "ocop_product",
                "Sản phẩm không thuộc hợp tác xã tham gia / "
                "The product is not from a participating cooperative.",
            )
        if FairProduct.objects.filter(fair=fair, ocop_product=ocop_product).exists():
            raise FairError(
                "ocop_product",
                "Sản phẩm đã có trong hội chợ / The product is already featured.",
            )
        fair_product = FairProduct(fair=fair, ocop_product=ocop_product)
    booth = data.get("booth")
    if booth is not None and booth.fair_id != fair.pk:
        raise FairError("booth", "Gian hàng không thuộc hội chợ / Not a booth of this fair.")
    fair_product.booth = booth
    taken = links.taken_slugs_in(fair, RetiredSlug.Kind.PRODUCT) if not data.get("slug") else set()
    _slug(fair_product, data.get("slug", ""), fair_product.ocop_product.product.name, taken)
    fair_product.save()
    return fair_product


def _retire(kind: str, fair: Fair, instance) -> None:
    # A deleted link may be printed: its slug stays taken and resolves to nothing.
    RetiredSlug.objects.get_or_create(
        kind=kind, fair=fair, slug=instance.slug, defaults={"target_id": instance.pk}
    )


@transaction.atomic
def delete_booth(booth: Booth) -> None:
    if booth.visits.exists() or booth.carts.exists() or booth.orders.exists():
        raise FairError(
            None,
            "Gian hàng đã có lượt truy cập nên được giữ cho báo cáo (có thể đổi tên) / "
            "The booth has visits and is kept for the report (it can be renamed).",
        )
    if booth.products.exists():
        raise FairError(
            None,
            "Gian hàng còn sản phẩm trưng bày: chuyển chúng trước / "
            "The booth still has featured products: move them first.",
        )
    _retire(RetiredSlug.Kind.BOOTH, booth.fair, booth)
    booth.delete()


@transaction.atomic
def delete_fair_product(fair_product: FairProduct) -> None:
    if fair_product.visits.exists() or fair_product.orders.exists():
        raise FairError(
            None,
            "Sản phẩm đã có lượt truy cập nên được giữ cho báo cáo / "
            "The product has visits and is kept for the report.",
        )
    _retire(RetiredSlug.Kind.PRODUCT, fair_product.fair, fair_product)
    fair_product.delete()
