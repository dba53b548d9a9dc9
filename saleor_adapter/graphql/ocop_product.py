"""OCOP facts on Saleor's ``Product`` type, and an ``ocopProducts`` listing with facets.

Saleor 2.10 has no schema extension hooks, so the ``ocop`` field is added to its
``Product`` type before our schema is built (saleor_adapter/graphql/schema.py). The facts of a
whole page are loaded with one query through a per-request DataLoader.
"""

from __future__ import annotations

import graphene
from django.db.models import F
from graphql.error import GraphQLError
from saleor.graphql.core.dataloaders import DataLoader
from saleor.graphql.core.fields import PrefetchingConnectionField
from saleor.graphql.core.types import SortInputObjectType
from saleor.graphql.product.types import Product
from saleor.product import models as product_models

from common.badges import badge_url
from common.groups import GROUPS
from common.units import OriginError, resolve_province_code
from marketplace.catalogue import STAR_LEVELS, listed_product_ids, ocop_facts


class OcopIssuingLevel(graphene.Enum):
    CENTRAL = "central"
    PROVINCE = "province"
    DISTRICT = "district"


class OcopCertificate(graphene.ObjectType):
    decision_number = graphene.String(required=True, description="e.g. 3981/QĐ-UBND")
    decision_date = graphene.Date(required=True)
    expiry_date = graphene.Date(required=True)
    issuing_authority = graphene.String(required=True)
    level = graphene.Field(OcopIssuingLevel, required=True)
    legal_basis = graphene.String(required=True)
    score = graphene.Int()
    is_valid = graphene.Boolean(required=True, description="In force today.")

    @staticmethod
    def resolve_level(root, _info):
        return root.issuing_level


class OcopProducer(graphene.ObjectType):
    name = graphene.String(required=True)
    type = graphene.String(
        required=True, description="cooperative, cooperative_group, enterprise or household"
    )
    province = graphene.String(required=True)

    @staticmethod
    def resolve_type(root, _info):
        return root.producer_type


class OcopOrigin(graphene.ObjectType):
    commune = graphene.String(required=True, description="Current commune (since 1 July 2025).")
    province = graphene.String(required=True, description="Current province.")
    province_code = graphene.String(required=True)
    legacy_commune = graphene.String(description="Commune as written on the certificate.")
    legacy_district = graphene.String(description="District as written on the certificate.")
    legacy_province = graphene.String(description="Province as written on the certificate.")

    @staticmethod
    def resolve_legacy_commune(root, _info):
        return root.legacy_commune or None

    @staticmethod
    def resolve_legacy_district(root, _info):
        return root.legacy_district or None

    @staticmethod
    def resolve_legacy_province(root, _info):
        return root.legacy_province or None


class OcopProductInfo(graphene.ObjectType):
    stars = graphene.Int(required=True)
    badge_url = graphene.String(description="SVG star badge; null when the certificate expired.")
    product_group = graphene.String(required=True)
    certificate = graphene.Field(OcopCertificate, required=True)
    producer = graphene.Field(OcopProducer, required=True)
    origin = graphene.Field(OcopOrigin, required=True)

    @staticmethod
    def resolve_badge_url(root, info):
        if not root.shows_badge:
            return None
        return info.context.build_absolute_uri(badge_url(root.stars))


class OcopFactsByProductIdLoader(DataLoader):
    context_key = "ocop_facts_by_product_id"

    def batch_load(self, keys):
        facts = ocop_facts(keys)
        return [facts.get(key) for key in keys]


def resolve_ocop(root: product_models.Product, info):
    return OcopFactsByProductIdLoader(info.context).load(root.pk)


Product._meta.fields["ocop"] = graphene.Field(
    OcopProductInfo,
    description="OCOP certification: stars, badge, certificate, producer and origin.",
    resolver=resolve_ocop,
)


class OcopProductOrderField(graphene.Enum):
    STARS = ["ocop_stars", "name", "slug"]
    NAME = ["name", "slug"]
    PRICE = ["minimal_variant_price_amount", "name", "slug"]

    @property
    def description(self):
        return f"Sort OCOP products by {self.name.lower()}."

    @staticmethod
    def qs_with_stars(queryset):
        return queryset.annotate(ocop_stars=F("ocop__current_certificate__stars"))


class OcopProductOrder(SortInputObjectType):
    field = graphene.Argument(OcopProductOrderField, required=True)

    class Meta:
        sort_enum = OcopProductOrderField
        type_name = "OCOP products"


def _bad_argument(vi: str, en: str) -> GraphQLError:
    return GraphQLError(f"{vi} / {en}")


class OcopProductQueries(graphene.ObjectType):
    ocop_products = PrefetchingConnectionField(
        Product,
        min_stars=graphene.Int(description="Only products with at least this many stars (3–5)."),
        province=graphene.String(description="Province of the producer: name or 2-digit code."),
        product_group=graphene.Int(description="OCOP product group, 1–6 (Decision 148)."),
        sort_by=OcopProductOrder(description="Sort products, e.g. by stars."),
        description=(
            "Sản phẩm OCOP đang bán / OCOP products on sale: published, with a "
            "certificate in force today."
        ),
    )

    def resolve_ocop_products(self, _info, min_stars=None, province=None, product_group=None, **_):
        if min_stars is not None and min_stars not in (1, 2, *STAR_LEVELS):
            raise _bad_argument(
                "Số sao tối thiểu phải từ 1 đến 5", "minStars must be between 1 and 5"
            )
        province_code = None
        if province is not None:
            try:
                province_code = resolve_province_code(province)
            except OriginError:
                raise _bad_argument(
                    f"Không tìm thấy tỉnh/thành phố {province[:60]!r}",
                    f"unknown province {province[:60]!r}",
                ) from None
        if product_group is not None and product_group not in {g.code for g in GROUPS}:
            raise _bad_argument(
                "Nhóm sản phẩm OCOP phải từ 1 đến 6", "productGroup must be between 1 and 6"
            )
        listed = listed_product_ids(
            min_stars=min_stars, province_code=province_code, product_group=product_group
        )
        return product_models.Product.objects.filter(pk__in=listed)
