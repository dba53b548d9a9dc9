"""GraphQL for cooperatives (a mobile app does what the portal does).

Every resolver starts from ``marketplace.access`` (the caller's own cooperatives, or
all for platform staff with MANAGE_ORDERS); anonymous callers get empty lists and
nulls. Mutations call ``marketplace.lifecycle`` / ``marketplace.listings`` and report
refusals as ``cooperativeErrors`` (field, code, Vietnamese message).
"""

from __future__ import annotations

import graphene
from graphql_relay import from_global_id

from common.inputs import whole_number
from marketplace import access, lifecycle, listings
from marketplace.models import CooperativeOrderStatus

MAX_PAGE = 100


def _pk(global_id: str, type_name: str) -> int | None:
    """The primary key in a global id of ``type_name``; None for anything else (garbage,
    another type, "CooperativeOrder:²"), which callers answer like an id naming nothing."""
    try:
        kind, pk = from_global_id(global_id)
    except Exception:  # graphql_relay raises several kinds for garbage
        return None
    return whole_number(pk) if kind == type_name else None


CooperativeOrderStatusEnum = graphene.Enum(
    "CooperativeOrderStatusEnum",
    [(value.upper(), value) for value in CooperativeOrderStatus.values],
)


class CooperativeError(graphene.ObjectType):
    field = graphene.String()
    code = graphene.String(required=True)
    message = graphene.String(required=True)


class CooperativeOrderLine(graphene.ObjectType):
    product_name = graphene.String(required=True)
    sku = graphene.String(required=True)
    quantity = graphene.Int(required=True)
    unit_price = graphene.Int(required=True, description="VND")
    total = graphene.Int(required=True, description="VND")

    @staticmethod
    def resolve_unit_price(root, info):
        return int(root.unit_price_amount)

    @staticmethod
    def resolve_total(root, info):
        return int(root.total_amount)


class CooperativeShippingAddress(graphene.ObjectType):
    name = graphene.String()
    phone = graphene.String()
    street_address_1 = graphene.String()
    street_address_2 = graphene.String()
    city = graphene.String()
    country_area = graphene.String()
    postal_code = graphene.String()


class CooperativeOrder(graphene.ObjectType):
    id = graphene.ID(required=True)
    number = graphene.String(required=True)
    order_number = graphene.String(required=True)
    status = graphene.Field(CooperativeOrderStatusEnum, required=True)
    producer_name = graphene.String(required=True)
    subtotal = graphene.Int(required=True)
    shipping = graphene.Int(required=True)
    total = graphene.Int(required=True)
    currency = graphene.String(required=True)
    customer_name = graphene.String()
    customer_email = graphene.String()
    shipping_address = graphene.Field(CooperativeShippingAddress)
    carrier = graphene.String()
    tracking_number = graphene.String()
    reason = graphene.String()
    created_at = graphene.DateTime(required=True)
    lines = graphene.List(graphene.NonNull(CooperativeOrderLine), required=True)
    available_actions = graphene.List(graphene.NonNull(graphene.String), required=True)
    attention_reason = graphene.String(
        description="Platform staff only: why the order needs a person (a part rejected "
        "or cancelled); null when it does not."
    )

    @staticmethod
    def resolve_id(root, info):
        return graphene.Node.to_global_id("CooperativeOrder", root.pk)

    @staticmethod
    def resolve_attention_reason(root, info):
        routing = lifecycle.attention_for(info.context.user, root)
        return routing.attention_reason if routing else None

    @staticmethod
    def resolve_order_number(root, info):
        return str(root.order_id)

    @staticmethod
    def resolve_producer_name(root, info):
        return root.producer.name

    @staticmethod
    def resolve_subtotal(root, info):
        return int(root.subtotal_amount)

    @staticmethod
    def resolve_shipping(root, info):
        return int(root.shipping_amount)

    @staticmethod
    def resolve_total(root, info):
        return int(root.total_amount)

    @staticmethod
    def resolve_shipping_address(root, info):
        address = root.order.shipping_address
        if address is None:
            return None
        return CooperativeShippingAddress(
            name=root.customer_name, phone=root.customer_phone,
            street_address_1=address.street_address_1, street_address_2=address.street_address_2,
            city=address.city, country_area=address.country_area, postal_code=address.postal_code,
        )  # fmt: skip

    @staticmethod
    def resolve_lines(root, info):
        return list(root.lines.all())

    @staticmethod
    def resolve_available_actions(root, info):
        return lifecycle.actions_for(info.context.user, root)


class CooperativeListing(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    producer_name = graphene.String(required=True)
    price = graphene.Int(required=True)
    stock = graphene.Int(required=True)
    allocated = graphene.Int(required=True)
    published = graphene.Boolean(required=True)
    certified = graphene.Boolean(required=True)

    @staticmethod
    def from_listing(item):
        return CooperativeListing(
            id=graphene.Node.to_global_id("CooperativeListing", item.ocop_product.pk),
            name=item.ocop_product.product.name, producer_name=item.ocop_product.producer.name,
            price=int(item.price), stock=item.stock, allocated=item.allocated,
            published=item.published, certified=item.certified,
        )  # fmt: skip


class CooperativeLedgerEntry(graphene.ObjectType):
    id = graphene.ID(required=True)
    kind = graphene.String(required=True)
    cooperative_order_number = graphene.String(required=True)
    gross = graphene.Int(required=True)
    commission_rate_percent = graphene.Float(required=True)
    commission = graphene.Int(required=True)
    shipping = graphene.Int(required=True)
    net = graphene.Int(required=True)
    paid = graphene.Boolean(required=True)
    created_at = graphene.DateTime(required=True)

    @staticmethod
    def from_entry(entry):
        return CooperativeLedgerEntry(
            id=graphene.Node.to_global_id("CooperativeLedgerEntry", entry.pk), kind=entry.kind,
            cooperative_order_number=entry.cooperative_order.number,
            gross=int(entry.gross_amount),
            commission_rate_percent=float(entry.commission_rate_percent),
            commission=int(entry.commission_amount), shipping=int(entry.shipping_amount),
            net=int(entry.net_amount), paid=entry.payout_batch_id is not None,
            created_at=entry.created_at,
        )  # fmt: skip


def _orders(user):
    return (
        access.cooperative_orders_for(user)
        .select_related("producer", "order__shipping_address")
        .prefetch_related("lines")
    )


class CooperativeQueries(graphene.ObjectType):
    cooperative_orders = graphene.List(
        graphene.NonNull(CooperativeOrder),
        required=True,
        status=CooperativeOrderStatusEnum(),
        search=graphene.String(),
        first=graphene.Int(default_value=20),
        offset=graphene.Int(default_value=0),
        description="The caller's cooperatives' orders, newest first.",
    )
    cooperative_order = graphene.Field(CooperativeOrder, id=graphene.ID(required=True))
    cooperative_listings = graphene.List(graphene.NonNull(CooperativeListing), required=True)
    cooperative_ledger = graphene.List(
        graphene.NonNull(CooperativeLedgerEntry),
        required=True,
        first=graphene.Int(default_value=50),
        offset=graphene.Int(default_value=0),
    )

    @staticmethod
    def resolve_cooperative_orders(root, info, status=None, search=None, first=20, offset=0):
        first, offset = max(min(first, MAX_PAGE), 0), max(offset, 0)
        queryset = _orders(info.context.user)
        if status:
            queryset = queryset.filter(status=status)
        search = (search or "").strip()[:100]
        if search:
            queryset = queryset.filter(_search_filter(search))
        return list(queryset.order_by("-created_at", "-id")[offset : offset + first])

    @staticmethod
    def resolve_cooperative_order(root, info, id):
        pk = _pk(id, "CooperativeOrder")
        return _orders(info.context.user).filter(pk=pk).first() if pk else None

    @staticmethod
    def resolve_cooperative_listings(root, info):
        return [
            CooperativeListing.from_listing(item)
            for item in listings.listings(access.listings_for(info.context.user))
        ]

    @staticmethod
    def resolve_cooperative_ledger(root, info, first=50, offset=0):
        first, offset = max(min(first, MAX_PAGE), 0), max(offset, 0)
        entries = (
            access.ledger_for(info.context.user)
            .select_related("cooperative_order")
            .order_by("-created_at", "-id")[offset : offset + first]
        )
        return [CooperativeLedgerEntry.from_entry(entry) for entry in entries]


def _search_filter(search: str):
    from django.db.models import Q

    from marketplace.models import CooperativeOrderLine as LineModel

    line_orders = LineModel.objects.filter(
        Q(product_name__icontains=search) | Q(sku__icontains=search)
    ).values("cooperative_order_id")
    return (
        Q(number__icontains=search)
        | Q(customer_name__icontains=search)
        | Q(customer_email__icontains=search)
        | Q(customer_phone__icontains=search)
        | Q(pk__in=line_orders)
    )


class _OrderStep(graphene.Mutation):
    cooperative_order = graphene.Field(CooperativeOrder)
    cooperative_errors = graphene.List(graphene.NonNull(CooperativeError), required=True)

    class Meta:
        abstract = True

    step = None

    @classmethod
    def mutate(cls, root, info, id, **kwargs):
        pk = _pk(id, "CooperativeOrder")
        user = info.context.user
        try:
            if pk is None:
                raise lifecycle.NotFound()
            cls.step(user, pk, **kwargs)
        except lifecycle.LifecycleError as error:
            return cls(
                cooperative_order=None,
                cooperative_errors=[
                    CooperativeError(field=error.field, code=error.code, message=error.message)
                ],
            )
        return cls(cooperative_order=_orders(user).get(pk=pk), cooperative_errors=[])


class CooperativeOrderAccept(_OrderStep):
    class Arguments:
        id = graphene.ID(required=True)

    step = staticmethod(lifecycle.accept)


class CooperativeOrderPack(_OrderStep):
    class Arguments:
        id = graphene.ID(required=True)

    step = staticmethod(lifecycle.pack)


class CooperativeOrderDeliver(_OrderStep):
    class Arguments:
        id = graphene.ID(required=True)

    step = staticmethod(lifecycle.deliver)


class CooperativeOrderReject(_OrderStep):
    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String(required=True)

    step = staticmethod(lifecycle.reject)


class CooperativeOrderCancel(_OrderStep):
    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String(required=True)

    step = staticmethod(lifecycle.cancel)


class CooperativeOrderShip(_OrderStep):
    class Arguments:
        id = graphene.ID(required=True)
        carrier = graphene.String(required=True)
        tracking_number = graphene.String(required=True)

    step = staticmethod(lifecycle.ship)


class CooperativeOrderResolveAttention(_OrderStep):
    """Platform staff: the flagged order was dealt with; ``note`` says how."""

    class Arguments:
        id = graphene.ID(required=True)
        note = graphene.String(required=True)

    step = staticmethod(lifecycle.resolve_attention)


class CooperativeListingUpdate(graphene.Mutation):
    listing = graphene.Field(CooperativeListing)
    cooperative_errors = graphene.List(graphene.NonNull(CooperativeError), required=True)

    class Arguments:
        id = graphene.ID(required=True)
        price = graphene.Int()
        stock = graphene.Int()
        published = graphene.Boolean()

    @classmethod
    def mutate(cls, root, info, id, price=None, stock=None, published=None):
        pk = _pk(id, "CooperativeListing")
        not_found = CooperativeError(
            field="id", code="not_found", message="Không tìm thấy sản phẩm."
        )
        if pk is None:
            return cls(listing=None, cooperative_errors=[not_found])
        try:
            item = listings.update_listing(
                info.context.user, pk, price=price, stock=stock, published=published
            )
        except LookupError:
            return cls(listing=None, cooperative_errors=[not_found])
        except listings.ListingError as error:
            return cls(
                listing=None,
                cooperative_errors=[
                    CooperativeError(field=error.field, code=error.code, message=error.message)
                ],
            )
        return cls(listing=CooperativeListing.from_listing(item), cooperative_errors=[])


class CooperativeMutations(graphene.ObjectType):
    cooperative_order_accept = CooperativeOrderAccept.Field()
    cooperative_order_reject = CooperativeOrderReject.Field()
    cooperative_order_pack = CooperativeOrderPack.Field()
    cooperative_order_ship = CooperativeOrderShip.Field()
    cooperative_order_deliver = CooperativeOrderDeliver.Field()
    cooperative_order_cancel = CooperativeOrderCancel.Field()
    cooperative_order_resolve_attention = CooperativeOrderResolveAttention.Field()
    cooperative_listing_update = CooperativeListingUpdate.Field()
