"""Saleor's own product mutations, refusing to publish a product that holds no valid
OCOP certificate. Saleor 2.10 has no product-updated hook, so the guard replaces the
three mutations that can set ``isPublished`` (see README "Keeping the shop truthful")."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from saleor.core.permissions import ProductPermissions
from saleor.graphql.core.types.common import ProductError
from saleor.graphql.product.bulk_mutations.products import (
    ProductBulkPublish as SaleorProductBulkPublish,
)
from saleor.graphql.product.mutations.products import ProductCreate as SaleorProductCreate
from saleor.graphql.product.mutations.products import ProductUpdate as SaleorProductUpdate
from saleor.product import models
from saleor.product.error_codes import ProductErrorCode

from common.inputs import NUL_MESSAGE, fields_with_nul
from marketplace import search_outbox
from marketplace.certification import certified_product_ids
from saleor_adapter.ocop.plugin import marketplace_settings

NOT_CERTIFIED = (
    "Sản phẩm chưa có giấy chứng nhận OCOP còn hiệu lực nên không thể mở bán / "
    "This product has no valid OCOP certificate, so it cannot be published."
)


def _guard_enabled() -> bool:
    return marketplace_settings().hide_uncertified_products


def uncertified(product_ids: list[int]) -> set[int]:
    if not _guard_enabled():
        return set()
    return set(product_ids) - certified_product_ids(product_ids, timezone.localdate())


def _refuse_nul(data: dict) -> None:
    """Saleor's mutations write text straight to PostgreSQL, which refuses NUL."""
    fields = fields_with_nul(data)
    if fields:
        raise ValidationError(
            {f: ValidationError(NUL_MESSAGE, code=ProductErrorCode.INVALID) for f in fields}
        )


def _refuse_publishing(instance, cleaned_input: dict) -> None:
    if cleaned_input.get("is_published") and (instance.pk is None or uncertified([instance.pk])):
        raise ValidationError(
            {"is_published": ValidationError(NOT_CERTIFIED, code=ProductErrorCode.INVALID)}
        )


class _ProductMutationMeta:
    """Saleor's Meta for product mutations; graphene needs it restated on subclasses."""

    model = models.Product
    permissions = (ProductPermissions.MANAGE_PRODUCTS,)
    error_type_class = ProductError
    error_type_field = "product_errors"


class ProductCreate(SaleorProductCreate):
    class Meta(_ProductMutationMeta):
        description = "Creates a new product (unpublished unless it holds a valid certificate)."

    @classmethod
    def clean_input(cls, info, instance, data):
        _refuse_nul(data)
        cleaned_input = super().clean_input(info, instance, data)
        if _guard_enabled():
            _refuse_publishing(instance, cleaned_input)
        return cleaned_input

    @classmethod
    def save(cls, info, instance, cleaned_input):
        with transaction.atomic():
            super().save(info, instance, cleaned_input)
            search_outbox.mark_products([instance.pk])


class ProductUpdate(SaleorProductUpdate):
    class Meta(_ProductMutationMeta):
        description = "Updates an existing product; publishing needs a valid OCOP certificate."

    @classmethod
    def clean_input(cls, info, instance, data):
        _refuse_nul(data)
        cleaned_input = super().clean_input(info, instance, data)
        _refuse_publishing(instance, cleaned_input)
        return cleaned_input

    @classmethod
    def save(cls, info, instance, cleaned_input):
        with transaction.atomic():
            super().save(info, instance, cleaned_input)
            search_outbox.mark_products([instance.pk])


class ProductBulkPublish(SaleorProductBulkPublish):
    class Meta(_ProductMutationMeta):
        description = "Publish products; those without a valid OCOP certificate are refused."

    @classmethod
    def perform_mutation(cls, _root, info, ids, **data):
        from saleor.graphql.product.types import Product

        if not data.get("is_published") or not ids:
            with transaction.atomic():
                result = super().perform_mutation(_root, info, ids, **data)
                if ids:
                    nodes = cls.get_nodes_or_error(ids, "id", Product)
                    search_outbox.mark_products(p.pk for p in nodes)
            return result
        products = cls.get_nodes_or_error(ids, "id", Product)
        refused = uncertified([product.pk for product in products])
        allowed = [node_id for node_id, p in zip(ids, products, strict=True) if p.pk not in refused]
        with transaction.atomic():
            count, errors = super().perform_mutation(_root, info, allowed, **data)
            search_outbox.mark_products(p.pk for p in products if p.pk not in refused)
        blocked = {
            node_id: NOT_CERTIFIED
            for node_id, p in zip(ids, products, strict=True)
            if p.pk in refused
        }
        if blocked:
            error_dict = errors.error_dict if errors else {}
            errors = ValidationError({**error_dict, **blocked})
        return count, errors
