"""GraphQL for province trade fairs (a mobile app does what /tinh/hoi-cho/ does).

Every resolver starts from ``fairs.access`` (the caller's own provinces' fairs, or all
for platform staff with MANAGE_ORDERS); anonymous callers and accounts without a
province get empty lists and nulls, and another province's fair is answered exactly
like a missing one. Input is checked by the web pages' own forms (``fairs.forms``) and
saved through ``fairs.editing``, so the API and the pages refuse the same things with
the same Vietnamese + English messages, reported as ``fairErrors`` (field, code,
message). Report figures are ``fairs.reports``' own, never recomputed here.
"""

from __future__ import annotations

import datetime

import graphene
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from graphene.utils.str_converters import to_camel_case

from common.units import province_name
from fairs import access, editing, links, qr, reports
from fairs.access import NOT_FOUND
from fairs.forms import BoothForm, FairForm
from fairs.models import Booth, FairProduct
from marketplace.models import Producer
from saleor_adapter.graphql.cooperative import _pk

MAX_PAGE = 100


class FairError(graphene.ObjectType):
    field = graphene.String(description="The input field (camelCase); null: the whole input.")
    code = graphene.String(
        required=True,
        description="not_found, permission_denied, required, max_length, invalid, "
        "invalid_choice or slug.",
    )
    message = graphene.String(required=True, description="Vietnamese / English.")


class FairProvince(graphene.ObjectType):
    code = graphene.String(required=True, description="Two digits, e.g. 19.")
    name = graphene.String(required=True)


# -- links and QR codes ---------------------------------------------------------------


def _qr_url(fair_id: int, kind: str, item: int, fmt: str) -> str:
    path = reverse(
        "fairs:qr", kwargs={"pk": str(fair_id), "kind": kind, "item": str(item), "fmt": fmt}
    )
    return links.absolute_url(path)


class _Linked:
    """Fields shared by everything that has a printed link: the public URL and its QR
    code. The image URLs are the staff pages' own (a signed-in /tinh/ session opens
    them); ``qrSvg`` carries the same image inline for callers that only hold a JWT."""

    url = graphene.String(required=True, description="The absolute short link (/f/…).")
    qr_svg_url = graphene.String(required=True, description="Staff page; needs /tinh/ login.")
    qr_png_url = graphene.String(required=True, description="Staff page; needs /tinh/ login.")
    qr_svg = graphene.String(required=True, description="The link's QR code, SVG markup.")

    kind = ""  # "fair", "booth" or "product", as in the staff QR URLs

    @staticmethod
    def fair_of(root):
        raise NotImplementedError

    @staticmethod
    def path_of(root) -> str:
        raise NotImplementedError

    @classmethod
    def resolve_url(cls, root, info):
        return links.absolute_url(cls.path_of(root))

    @classmethod
    def resolve_qr_svg_url(cls, root, info):
        return _qr_url(cls.fair_of(root).pk, cls.kind, root.pk, "svg")

    @classmethod
    def resolve_qr_png_url(cls, root, info):
        return _qr_url(cls.fair_of(root).pk, cls.kind, root.pk, "png")

    @classmethod
    def resolve_qr_svg(cls, root, info):
        return qr.svg(links.absolute_url(cls.path_of(root)))


# -- fairs, booths, featured products -------------------------------------------------


class FairCooperative(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)

    @staticmethod
    def resolve_id(root, info):
        return graphene.Node.to_global_id("FairCooperative", root.pk)


class FairBooth(_Linked, graphene.ObjectType):
    id = graphene.ID(required=True)
    code = graphene.String(required=True, description="The stand's number, e.g. A12.")
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    producer_id = graphene.ID(description="A FairCooperative id.")
    producer_name = graphene.String()

    kind = "booth"

    @staticmethod
    def fair_of(root):
        return root.fair

    @staticmethod
    def path_of(root) -> str:
        return links.booth_path(root)

    @staticmethod
    def resolve_id(root, info):
        return graphene.Node.to_global_id("FairBooth", root.pk)

    @staticmethod
    def resolve_producer_id(root, info):
        if root.producer_id is None:
            return None
        return graphene.Node.to_global_id("FairCooperative", root.producer_id)

    @staticmethod
    def resolve_producer_name(root, info):
        return root.producer.name if root.producer_id else None


class FairProductType(_Linked, graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    stars = graphene.Int(description="The certificate in force; null without one.")
    product_id = graphene.ID(required=True, description="Saleor's Product id.")
    producer_name = graphene.String(required=True)
    booth = graphene.Field(FairBooth, description="Null: shown for the whole fair.")
    booth_code = graphene.String(required=True, description="The booth's stand number or ''.")

    kind = "product"

    class Meta:
        name = "FairProduct"

    @staticmethod
    def fair_of(root):
        return root.fair

    @staticmethod
    def path_of(root) -> str:
        return links.product_path(root)

    @staticmethod
    def resolve_id(root, info):
        return graphene.Node.to_global_id("FairProduct", root.pk)

    @staticmethod
    def resolve_name(root, info):
        return root.ocop_product.product.name

    @staticmethod
    def resolve_stars(root, info):
        certificate = root.ocop_product.current_certificate
        return certificate.stars if certificate is not None else None

    @staticmethod
    def resolve_product_id(root, info):
        return graphene.Node.to_global_id("Product", root.ocop_product.product_id)

    @staticmethod
    def resolve_producer_name(root, info):
        return root.ocop_product.producer.name

    @staticmethod
    def resolve_booth(root, info):
        # Taken from the fair's already loaded booths (each knows its fair for its
        # link), rather than one more query per product.
        return next((b for b in root.fair.booths.all() if b.pk == root.booth_id), None)

    @staticmethod
    def resolve_booth_code(root, info):
        booth = FairProductType.resolve_booth(root, info)
        return booth.code if booth is not None else ""


# -- the report -----------------------------------------------------------------------


class FairReportDay(graphene.ObjectType):
    date = graphene.Date(required=True)
    visits = graphene.Int(required=True)
    unique_visitors = graphene.Int(required=True)
    carts = graphene.Int(required=True)
    orders = graphene.Int(required=True)
    revenue = graphene.Int(required=True, description="VND")

    @staticmethod
    def resolve_date(root, info):
        return datetime.date.fromisoformat(root.key)

    @staticmethod
    def resolve_unique_visitors(root, info):
        return root.visitors

    @staticmethod
    def resolve_revenue(root, info):
        return int(root.revenue)


class FairReportRow(graphene.ObjectType):
    key = graphene.String(
        required=True,
        description="Booth or product: its slug ('' for the whole fair or a product not "
        "featured); cooperative: its id number.",
    )
    label = graphene.String(required=True)
    visits = graphene.Int(required=True)
    unique_visitors = graphene.Int(required=True)
    carts = graphene.Int(required=True)
    orders = graphene.Int(required=True)
    units = graphene.Int(required=True)
    revenue = graphene.Int(
        required=True,
        description="VND; booths: the orders' totals; cooperatives and products: goods.",
    )
    featured = graphene.Boolean(required=True, description="Taking part / featured.")

    @staticmethod
    def resolve_unique_visitors(root, info):
        return root.visitors

    @staticmethod
    def resolve_revenue(root, info):
        return int(root.revenue)


class FairReportOrder(graphene.ObjectType):
    number = graphene.String(required=True, description="Saleor's order number.")
    created = graphene.DateTime(required=True)
    status = graphene.String(required=True, description="Saleor's order status.")
    status_label = graphene.String(required=True)
    total = graphene.Int(required=True, description="VND")
    booth_name = graphene.String()
    booth_code = graphene.String()
    visited_at = graphene.DateTime(required=True)

    @staticmethod
    def from_row(row: dict) -> FairReportOrder:
        return FairReportOrder(
            number=str(row["number"]), created=row["created"], status=row["status"],
            status_label=row["status_label"], total=int(row["total"]),
            booth_name=row["booth_label"], booth_code=row["booth_code"] or None,
            visited_at=row["visited_at"],
        )  # fmt: skip


class FairReport(graphene.ObjectType):
    """``fairs.reports.build_report``, as on /tinh/hoi-cho/<id>/bao-cao/ and its CSV."""

    visits = graphene.Int(required=True)
    unique_visitors = graphene.Int(required=True)
    carts = graphene.Int(required=True)
    orders = graphene.Int(required=True, description="Credited, neither cancelled nor draft.")
    cancelled_orders = graphene.Int(required=True)
    goods = graphene.Int(required=True, description="VND")
    shipping = graphene.Int(required=True, description="VND")
    discount = graphene.Int(required=True, description="VND")
    revenue = graphene.Int(required=True, description="VND: goods + shipping − discounts.")
    conversion_percent = graphene.Float(required=True, description="Orders per visitor, %.")
    by_day = graphene.List(graphene.NonNull(FairReportDay), required=True)
    by_booth = graphene.List(graphene.NonNull(FairReportRow), required=True)
    by_cooperative = graphene.List(graphene.NonNull(FairReportRow), required=True)
    by_product = graphene.List(graphene.NonNull(FairReportRow), required=True)
    credited_orders = graphene.List(graphene.NonNull(FairReportOrder), required=True)

    @staticmethod
    def from_report(report: reports.FairReport) -> FairReport:
        t = report.totals
        return FairReport(
            visits=t.visits, unique_visitors=t.visitors, carts=t.carts, orders=t.orders,
            cancelled_orders=t.cancelled_orders, goods=int(t.goods), shipping=int(t.shipping),
            discount=int(t.discount), revenue=int(t.revenue),
            conversion_percent=float(t.conversion_percent),
            by_day=report.by_day, by_booth=report.by_booth,
            by_cooperative=report.by_cooperative, by_product=report.by_product,
            credited_orders=[FairReportOrder.from_row(row) for row in report.orders],
        )  # fmt: skip


class Fair(_Linked, graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    province_code = graphene.String(required=True)
    province_name = graphene.String(required=True)
    venue = graphene.String(required=True)
    description = graphene.String(required=True)
    starts_on = graphene.Date(required=True)
    ends_on = graphene.Date(required=True)
    is_over = graphene.Boolean(required=True, description="Ended before today.")
    is_upcoming = graphene.Boolean(required=True, description="Starts after today.")
    cooperatives = graphene.List(graphene.NonNull(FairCooperative), required=True)
    booths = graphene.List(graphene.NonNull(FairBooth), required=True)
    products = graphene.List(graphene.NonNull(FairProductType), required=True)
    report = graphene.Field(
        FairReport, required=True, description="Built when asked, one fair at a time."
    )

    kind = "fair"

    @staticmethod
    def fair_of(root):
        return root

    @staticmethod
    def path_of(root) -> str:
        return links.fair_path(root)

    @staticmethod
    def resolve_id(root, info):
        return graphene.Node.to_global_id("Fair", root.pk)

    @staticmethod
    def resolve_province_name(root, info):
        return province_name(root.province_code)

    @staticmethod
    def resolve_is_over(root, info):
        return root.is_over(timezone.localdate())

    @staticmethod
    def resolve_is_upcoming(root, info):
        return root.is_upcoming(timezone.localdate())

    @staticmethod
    def resolve_cooperatives(root, info):
        return list(root.cooperatives.all())

    @staticmethod
    def resolve_booths(root, info):
        return list(root.booths.all())

    @staticmethod
    def resolve_products(root, info):
        return list(root.featured.all())

    @staticmethod
    def resolve_report(root, info):
        return FairReport.from_report(reports.build_report(root))


def _fairs(user) -> QuerySet:
    """The caller's fairs with what the types read, in a fixed number of queries
    whatever the number of fairs (the report is the exception: built per fair)."""
    return access.fairs_for(user).prefetch_related(
        Prefetch("cooperatives", queryset=Producer.objects.order_by("name", "pk")),
        Prefetch("booths", queryset=Booth.objects.select_related("producer")),
        Prefetch(
            "featured",
            queryset=FairProduct.objects.select_related(
                "ocop_product__product",
                "ocop_product__producer",
                "ocop_product__current_certificate",
            ),
        ),
    )


class FairQueries(graphene.ObjectType):
    fairs = graphene.List(
        graphene.NonNull(Fair),
        required=True,
        province=graphene.String(description="A province code, e.g. 19."),
        first=graphene.Int(default_value=20),
        offset=graphene.Int(default_value=0),
        description="The caller's provinces' fairs (all for platform staff), latest first.",
    )
    fair = graphene.Field(Fair, id=graphene.ID(required=True))
    fair_provinces = graphene.List(
        graphene.NonNull(FairProvince),
        required=True,
        description="The provinces the caller may create fairs in.",
    )

    @staticmethod
    def resolve_fairs(root, info, province=None, first=20, offset=0):
        first, offset = max(min(first, MAX_PAGE), 0), max(offset, 0)
        queryset = _fairs(info.context.user)
        if province:
            queryset = queryset.filter(province_code=province.strip())
        return list(queryset.order_by("-starts_on", "-pk")[offset : offset + first])

    @staticmethod
    def resolve_fair(root, info, id):
        pk = _pk(id, "Fair")
        return _fairs(info.context.user).filter(pk=pk).first() if pk else None

    @staticmethod
    def resolve_fair_provinces(root, info):
        return [
            FairProvince(code=code, name=name)
            for code, name in access.province_choices(info.context.user)
        ]


# -- mutations ------------------------------------------------------------------------


# Dates come in as text and are read by the web form, so a malformed one is a field
# error in Vietnamese and English (fairErrors) like any other, not a GraphQL error.
DATE_INPUT = "YYYY-MM-DD (or DD/MM/YYYY)."


class FairCreateInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    province = graphene.String(required=True, description="A code from fairProvinces.")
    venue = graphene.String(required=True)
    starts_on = graphene.String(required=True, description=DATE_INPUT)
    ends_on = graphene.String(required=True, description=DATE_INPUT)
    slug = graphene.String(description="Empty: derived from the name.")
    description = graphene.String()


class FairUpdateInput(graphene.InputObjectType):
    """Only the fields given change. The province is fixed at creation."""

    name = graphene.String()
    venue = graphene.String()
    starts_on = graphene.String(description=DATE_INPUT)
    ends_on = graphene.String(description=DATE_INPUT)
    slug = graphene.String(description="A changed slug keeps resolving (it may be printed).")
    description = graphene.String()


class FairBoothInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    code = graphene.String(description="The stand's number, e.g. A12.")
    slug = graphene.String(description="Empty: derived from the code and name.")
    producer = graphene.ID(description="A FairCooperative id of the fair's cooperatives.")


def _not_found(field: str) -> FairError:
    return FairError(field=field, code="not_found", message=NOT_FOUND)


def _form_data(input: dict) -> dict:
    """GraphQL input as the web form receives it: only the fields given."""
    return {key: value for key, value in input.items() if value is not None}


def _form_errors(form) -> list[FairError]:
    errors = []
    for name, items in form.errors.as_data().items():
        field = None if name == NON_FIELD_ERRORS else to_camel_case(name)
        for item in items:
            # Errors the forms add as plain text carry no code of their own.
            code = item.code or "invalid"
            errors.extend(FairError(field=field, code=code, message=m) for m in item.messages)
    return errors


def _editing_error(error: editing.FairError) -> FairError:
    return FairError(
        field=to_camel_case(error.field) if error.field else None,
        code="slug" if error.field == "slug" else "invalid",
        message=error.message,
    )


class FairCreate(graphene.Mutation):
    fair = graphene.Field(Fair)
    fair_errors = graphene.List(graphene.NonNull(FairError), required=True)

    class Arguments:
        input = FairCreateInput(required=True)

    @classmethod
    def mutate(cls, root, info, input):
        user = info.context.user
        if not access.is_fair_staff(user):
            refused = FairError(field=None, code="permission_denied", message=access.NOT_FAIR_STAFF)
            return cls(fair=None, fair_errors=[refused])
        form = FairForm(_form_data(input), province_choices=access.province_choices(user))
        if not form.is_valid():
            return cls(fair=None, fair_errors=_form_errors(form))
        try:
            fair = editing.save_fair(user, form.cleaned_data)
        except editing.FairError as error:
            return cls(fair=None, fair_errors=[_editing_error(error)])
        return cls(fair=_fairs(user).get(pk=fair.pk), fair_errors=[])


class FairUpdate(graphene.Mutation):
    fair = graphene.Field(Fair)
    fair_errors = graphene.List(graphene.NonNull(FairError), required=True)

    class Arguments:
        id = graphene.ID(required=True)
        input = FairUpdateInput(required=True)

    @classmethod
    def mutate(cls, root, info, id, input):
        user = info.context.user
        pk = _pk(id, "Fair")
        fair = access.fairs_for(user).filter(pk=pk).first() if pk else None
        if fair is None:
            return cls(fair=None, fair_errors=[_not_found("id")])
        # As the edit page: the current values, the given ones over them, the
        # province fixed.
        data = {**FairForm.initial_for(fair), **_form_data(input), "province": fair.province_code}
        choices = [(fair.province_code, province_name(fair.province_code))]
        form = FairForm(data, province_choices=choices)
        if not form.is_valid():
            return cls(fair=None, fair_errors=_form_errors(form))
        try:
            editing.save_fair(user, form.cleaned_data, fair)
        except editing.FairError as error:
            return cls(fair=None, fair_errors=[_editing_error(error)])
        return cls(fair=_fairs(user).get(pk=fair.pk), fair_errors=[])


class FairBoothCreate(graphene.Mutation):
    booth = graphene.Field(FairBooth)
    fair = graphene.Field(Fair)
    fair_errors = graphene.List(graphene.NonNull(FairError), required=True)

    class Arguments:
        fair_id = graphene.ID(required=True)
        input = FairBoothInput(required=True)

    @classmethod
    def mutate(cls, root, info, fair_id, input):
        user = info.context.user
        pk = _pk(fair_id, "Fair")
        fair = access.fairs_for(user).filter(pk=pk).first() if pk else None
        if fair is None:
            return cls(booth=None, fair=None, fair_errors=[_not_found("fairId")])
        data = _form_data(input)
        if data.get("producer"):
            # An id that is not a FairCooperative becomes a value no producer has, so
            # the form refuses it like an unknown cooperative.
            data["producer"] = _pk(data["producer"], "FairCooperative") or "-"
        form = BoothForm(data, fair=fair)
        if not form.is_valid():
            return cls(booth=None, fair=None, fair_errors=_form_errors(form))
        try:
            booth = editing.save_booth(fair, form.cleaned_data)
        except editing.FairError as error:
            return cls(booth=None, fair=None, fair_errors=[_editing_error(error)])
        return cls(booth=booth, fair=_fairs(user).get(pk=fair.pk), fair_errors=[])


class FairMutations(graphene.ObjectType):
    fair_create = FairCreate.Field()
    fair_update = FairUpdate.Field()
    fair_booth_create = FairBoothCreate.Field()
