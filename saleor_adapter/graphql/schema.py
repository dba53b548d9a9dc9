"""The shop's GraphQL schema: Saleor 2.10's, extended with the OCOP parts."""

from graphene_federation import build_schema
from saleor.graphql.api import Mutation as SaleorMutation
from saleor.graphql.api import Query as SaleorQuery

from saleor_adapter.graphql.catalog_import import CatalogImportMutations, CatalogImportQueries
from saleor_adapter.graphql.checkout_guard import CheckoutComplete
from saleor_adapter.graphql.cooperative import CooperativeMutations, CooperativeQueries
from saleor_adapter.graphql.fairs import FairMutations, FairQueries
from saleor_adapter.graphql.ocop_product import OcopProductQueries
from saleor_adapter.graphql.payment_ledger import PaymentCapture, PaymentRefund, PaymentVoid
from saleor_adapter.graphql.publication_guard import (
    ProductBulkPublish,
    ProductCreate,
    ProductUpdate,
)


class Query(OcopProductQueries, CatalogImportQueries, CooperativeQueries, FairQueries, SaleorQuery):
    pass


class Mutation(CatalogImportMutations, CooperativeMutations, FairMutations, SaleorMutation):
    product_create = ProductCreate.Field()
    product_update = ProductUpdate.Field()
    product_bulk_publish = ProductBulkPublish.Field()
    checkout_complete = CheckoutComplete.Field()
    payment_capture = PaymentCapture.Field()
    payment_refund = PaymentRefund.Field()
    payment_void = PaymentVoid.Field()


schema = build_schema(Query, mutation=Mutation)
