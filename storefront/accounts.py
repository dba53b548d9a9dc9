"""Shopper accounts, through Saleor's own account model and GraphQL mutations.

Sign-up (``accountRegister``: Saleor e-mails the activation link, our template in
saleor_adapter/templates/templated_email/account/confirm.email), activation
(``confirmAccount``: the guest orders placed with that e-mail become the account's),
sign-in (``tokenCreate``, so django-axes throttles it exactly like every other sign-in:
config/sign_in_throttle.py), sign-out, password reset (``requestPasswordReset`` and
``setPassword``), the account page (``me``: order history linking to each order's page,
saved addresses — ``accountAddressCreate`` / ``accountAddressDelete`` — on the 34
current provinces) and, for guests, finding an order by its number and phone.

The mutations run in process against Saleor's schema (``storefront.cart.execute``),
with the signed-in shopper as the request's user. The session keeps the shopper under
the storefront's own key (``storefront.customers``): a staff member signing in here is
a customer, never a back-office session. Every form answers bad input with a field
error in Vietnamese and English, never a server error.
"""

from __future__ import annotations

import logging

import graphene
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from common.errors import bilingual
from common.inputs import whole_number
from common.phones import national_phone
from saleor_adapter import storefront_data
from storefront import customers
from storefront.cart import CART_COOKIE, AddressForm, cart_token, checkout_id, execute
from storefront.pages import page_context, provinces, storefront_view

logger = logging.getLogger(__name__)

REQUIRED = bilingual("Thông tin này là bắt buộc.", "This field is required.")
BAD_EMAIL = bilingual("Email không hợp lệ.", "Enter a valid e-mail address.")
TOO_LONG = bilingual(
    "Quá dài (tối đa %(limit_value)d ký tự).", "Too long (at most %(limit_value)d characters)."
)
MIN_PASSWORD = 8
ORDER_HISTORY_SIZE = 50
LOOKUP_FAILURE_LIMIT = 10  # wrong number/phone pairs per address per cool-off
LOOKUP_COOL_OFF_SECONDS = 15 * 60

# Saleor's account error codes, in the shopper's words.
ACCOUNT_ERRORS = {
    "UNIQUE": bilingual(
        "Email này đã có tài khoản. Hãy đăng nhập hoặc đặt lại mật khẩu.",
        "This e-mail already has an account. Sign in or reset the password.",
    ),
    "INVALID_CREDENTIALS": bilingual(
        "Email hoặc mật khẩu không đúng (tài khoản mới cần được kích hoạt qua email trước).",
        "Wrong e-mail or password (a new account must first be activated from the e-mail).",
    ),
    "PASSWORD_TOO_SHORT": bilingual(
        f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự.",
        f"The password needs at least {MIN_PASSWORD} characters.",
    ),
    "PASSWORD_TOO_SIMILAR": bilingual(
        "Mật khẩu quá giống email.", "The password is too similar to the e-mail."
    ),
    "PASSWORD_TOO_COMMON": bilingual("Mật khẩu quá phổ biến.", "The password is too common."),
    "PASSWORD_ENTIRELY_NUMERIC": bilingual(
        "Mật khẩu không được chỉ gồm chữ số.", "The password cannot be entirely numeric."
    ),
    "INVALID": bilingual("Thông tin này không hợp lệ.", "This value is not valid."),
    "REQUIRED": REQUIRED,
    "NOT_FOUND": bilingual(
        "Liên kết không hợp lệ hoặc đã hết hạn.", "The link is invalid or has expired."
    ),
}
FIELD_OF_ERROR = {"email": "email", "password": "password", "token": "__all__"}
GENERIC_ERROR = bilingual(
    "Có lỗi khi xử lý yêu cầu. Vui lòng thử lại.", "Something went wrong. Please try again."
)


def _add_account_errors(form: forms.Form, errors: list[dict]) -> None:
    for error in errors:
        message = ACCOUNT_ERRORS.get(error.get("code") or "", GENERIC_ERROR)
        if error.get("code") == "INVALID" and error.get("field") == "token":
            message = ACCOUNT_ERRORS["NOT_FOUND"]
        field = FIELD_OF_ERROR.get(error.get("field") or "")
        field = field if field in form.fields else None
        if message not in form.errors.get(field or "__all__", []):
            form.add_error(field, message)


class BilingualForm(forms.Form):
    """Django's field errors in Vietnamese and English (Django puts a validator's
    message under its code: ``error_messages`` is enough)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = REQUIRED
            field.error_messages["max_length"] = TOO_LONG
            field.error_messages["null_characters_not_allowed"] = bilingual(
                "Không được chứa ký tự NUL.", "Must not contain the NUL character."
            )
            if isinstance(field, forms.EmailField):
                field.error_messages["invalid"] = BAD_EMAIL


class SignInForm(BilingualForm):
    email = forms.EmailField(max_length=254)
    password = forms.CharField(max_length=128, strip=False, widget=forms.PasswordInput)


class PasswordsMixin:
    def clean(self):
        data = super().clean()
        password, again = data.get("password"), data.get("password_again")
        if password and len(password) < MIN_PASSWORD:
            self.add_error("password", ACCOUNT_ERRORS["PASSWORD_TOO_SHORT"])
        elif password and again is not None and password != again:
            self.add_error(
                "password_again",
                bilingual("Hai mật khẩu không khớp.", "The two passwords do not match."),
            )
        return data


class SignUpForm(PasswordsMixin, BilingualForm):
    email = forms.EmailField(max_length=254)
    password = forms.CharField(max_length=128, strip=False, widget=forms.PasswordInput)
    password_again = forms.CharField(max_length=128, strip=False, widget=forms.PasswordInput)


class ResetRequestForm(BilingualForm):
    email = forms.EmailField(max_length=254)


class SetPasswordForm(PasswordsMixin, BilingualForm):
    email = forms.EmailField(max_length=254, widget=forms.HiddenInput)
    token = forms.CharField(max_length=100, widget=forms.HiddenInput)
    password = forms.CharField(max_length=128, strip=False, widget=forms.PasswordInput)
    password_again = forms.CharField(max_length=128, strip=False, widget=forms.PasswordInput)


class SavedAddressForm(AddressForm):
    """The checkout's address form without the e-mail: the 34 current provinces."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["email"]
        for field in self.fields.values():
            field.error_messages["required"] = REQUIRED
        self.fields["province"].error_messages["invalid_choice"] = bilingual(
            "Vui lòng chọn một trong 34 tỉnh/thành phố.", "Choose one of the 34 provinces."
        )


class LookupForm(BilingualForm):
    number = forms.CharField(max_length=20)
    phone = forms.CharField(max_length=20)

    def clean_number(self) -> int:
        number = whole_number(self.cleaned_data["number"].strip().lstrip("#"))
        if number is None or number < 1:
            raise forms.ValidationError(
                bilingual(
                    "Mã đơn hàng là một số, ví dụ 1024.", "The order number is a number, e.g. 1024."
                )
            )
        return number

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"]
        if len(national_phone(phone)) < 9 or any(
            not (char.isascii() and (char.isdigit() or char in " +.-()")) for char in phone
        ):
            raise forms.ValidationError(
                bilingual(
                    "Số điện thoại không hợp lệ, ví dụ 0912 345 678.",
                    "Invalid phone number, e.g. 0912 345 678.",
                )
            )
        return phone


# -- GraphQL documents ------------------------------------------------------------------

ERRORS = "accountErrors { field code message }"
REGISTER = f"""mutation Register($input: AccountRegisterInput!) {{
  accountRegister(input: $input) {{ requiresConfirmation {ERRORS} }} }}"""
CONFIRM = f"""mutation Confirm($email: String!, $token: String!) {{
  confirmAccount(email: $email, token: $token) {{ user {{ id }} {ERRORS} }} }}"""
TOKEN_CREATE = f"""mutation SignIn($email: String!, $password: String!) {{
  tokenCreate(email: $email, password: $password) {{ user {{ id }} {ERRORS} }} }}"""
RESET_REQUEST = f"""mutation Reset($email: String!, $redirectUrl: String!) {{
  requestPasswordReset(email: $email, redirectUrl: $redirectUrl) {{ {ERRORS} }} }}"""
SET_PASSWORD = f"""mutation SetPassword($email: String!, $token: String!, $password: String!) {{
  setPassword(email: $email, token: $token, password: $password) {{ user {{ id }} {ERRORS} }} }}"""
ATTACH_CART = """mutation Attach($id: ID!) {
  checkoutCustomerAttach(checkoutId: $id) { checkoutErrors { field code message } } }"""
ME = """query Me($first: Int!) { me { email
  addresses { id firstName lastName streetAddress1 city countryArea postalCode phone }
  orders(first: $first) { edges { node {
    number token created status paymentStatus total { gross { amount } } } } } } }"""
ADDRESS_CREATE = f"""mutation AddressCreate($input: AddressInput!, $type: AddressTypeEnum) {{
  accountAddressCreate(input: $input, type: $type) {{ address {{ id }} {ERRORS} }} }}"""
ADDRESS_DELETE = f"""mutation AddressDelete($id: ID!) {{
  accountAddressDelete(id: $id) {{ {ERRORS} }} }}"""


def _absolute(name: str) -> str:
    """A link Saleor puts in its e-mails: on the shop's public domain (Saleor checks it
    against ALLOWED_CLIENT_HOSTS)."""
    from marketplace import ports

    return ports.orders().absolute_url(reverse(name))


def _form_page(request, template: str, status: int = 200, **context) -> TemplateResponse:
    return TemplateResponse(
        request, f"storefront/account/{template}", page_context(request, **context), status=status
    )


def _message(request, title: str, message: str, status: int = 200, **context):
    return _form_page(request, "message.html", status, title=title, message=message, **context)


def web(view):
    """A storefront account page: session, CSRF, the shopper's language."""
    return customers.with_session(csrf_protect(storefront_view(view)))


# -- sign-up, activation ------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@web
def signup(request):
    if customers.customer(request) is not None:
        return HttpResponseRedirect(reverse("storefront-account"))
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        result = execute(
            request,
            REGISTER,
            {"input": {
                "email": form.cleaned_data["email"],
                "password": form.cleaned_data["password"],
                "redirectUrl": _absolute("storefront-account-activate"),
            }},
        )["accountRegister"]  # fmt: skip
        if not result["accountErrors"]:
            return _message(
                request,
                bilingual("Kiểm tra email của bạn", "Check your e-mail"),
                bilingual(
                    f"Chúng tôi đã gửi liên kết kích hoạt tới {form.cleaned_data['email']}. "
                    "Mở liên kết để dùng tài khoản; các đơn hàng bạn đã đặt bằng email này "
                    "sẽ hiện trong tài khoản.",
                    "We sent an activation link. Open it to use your account; the orders "
                    "you placed with this e-mail will appear in it.",
                ),
            )
        _add_account_errors(form, result["accountErrors"])
    return _form_page(request, "signup.html", status=400 if form.is_bound else 200, form=form)


@require_http_methods(["GET", "HEAD"])
@web
def activate(request):
    email, token = request.GET.get("email", ""), request.GET.get("token", "")
    form = ResetRequestForm({"email": email})  # reads the e-mail as every form does
    valid_link = form.is_valid() and 0 < len(token) <= 100 and "\x00" not in token
    if valid_link:
        result = execute(request, CONFIRM, {"email": form.cleaned_data["email"], "token": token})
        result = result["confirmAccount"]
        if not result["accountErrors"]:
            user = storefront_data.active_customer(_pk_of(result["user"]["id"]))
            if user is not None:
                storefront_data.attach_guest_orders(user)
            return _message(
                request,
                bilingual("Tài khoản đã được kích hoạt", "Your account is active"),
                bilingual(
                    "Bạn có thể đăng nhập. Các đơn hàng đã đặt bằng email này nay thuộc "
                    "tài khoản của bạn.",
                    "You can sign in. The orders placed with this e-mail are now in your account.",
                ),
                link=reverse("storefront-account-login"),
            )
    return _message(
        request,
        bilingual("Không kích hoạt được", "Could not activate"),
        ACCOUNT_ERRORS["NOT_FOUND"],
        status=400,
    )


def _pk_of(global_id: str) -> int | None:
    try:
        _kind, pk = graphene.Node.from_global_id(global_id)
    except Exception:  # graphene raises several kinds for garbage
        return None
    return whole_number(pk)


# -- sign-in, sign-out --------------------------------------------------------------


def _safe_next(request) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("storefront-account")


@require_http_methods(["GET", "HEAD", "POST"])
@web
def signin(request):
    if customers.customer(request) is not None and request.method != "POST":
        return HttpResponseRedirect(reverse("storefront-account"))
    form = SignInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # tokenCreate authenticates through Django (django-axes counts and locks it);
        # the JWT it issues is not used: the storefront keeps the account in its session.
        result = execute(
            request,
            TOKEN_CREATE,
            {"email": form.cleaned_data["email"], "password": form.cleaned_data["password"]},
        )["tokenCreate"]
        user_id = _pk_of(result["user"]["id"]) if result.get("user") else None
        user = storefront_data.active_customer(user_id) if user_id else None
        if not result["accountErrors"] and user is not None:
            customers.sign_in(request, user)
            _attach_cart(request, user)
            # Guest orders placed with the account's (confirmed) e-mail since it was
            # activated are the account's too.
            storefront_data.attach_guest_orders(user)
            return HttpResponseRedirect(_safe_next(request))
        _add_account_errors(form, result["accountErrors"] or [{"code": "INVALID_CREDENTIALS"}])
    return _form_page(
        request,
        "signin.html",
        status=400 if form.is_bound else 200,
        form=form,
        next=request.POST.get("next") or request.GET.get("next", ""),
    )


def _attach_cart(request, user) -> None:
    """The cart filled before signing in becomes the account's (its order too)."""
    token = cart_token(request)
    if token is None:
        return
    request.user = user
    try:
        execute(request, ATTACH_CART, {"id": checkout_id(token)})
    except Exception:  # a cart that cannot be attached stays a guest cart
        logger.warning("Could not attach cart %s to the signed-in shopper", token)


def locked_out_page(request, message: str, status: int):
    """The sign-in page with django-axes' refusal (config.sign_in_throttle)."""
    view = storefront_view(
        lambda request: _form_page(
            request, "signin.html", status=status, form=SignInForm(), locked_out=message
        )
    )
    return view(request)


@require_POST
@web
def signout(request):
    customers.sign_out(request)
    response = HttpResponseRedirect(reverse("home"))
    # The cart belonged to the account: the next shopper on this browser starts afresh.
    response.delete_cookie(CART_COOKIE, samesite="Lax")
    return response


# -- password reset -----------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@web
def password_reset_request(request):
    form = ResetRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # The same answer whether the e-mail has an account or not (no enumeration).
        execute(
            request,
            RESET_REQUEST,
            {"email": form.cleaned_data["email"],
             "redirectUrl": _absolute("storefront-account-password-reset")},
        )  # fmt: skip
        return _message(
            request,
            bilingual("Kiểm tra email của bạn", "Check your e-mail"),
            bilingual(
                "Nếu email này có tài khoản, chúng tôi đã gửi liên kết đặt lại mật khẩu.",
                "If this e-mail has an account, we sent a link to reset the password.",
            ),
        )
    return _form_page(
        request, "reset_request.html", status=400 if form.is_bound else 200, form=form
    )


@require_http_methods(["GET", "HEAD", "POST"])
@web
def password_reset(request):
    if request.method == "POST":
        form = SetPasswordForm(request.POST)
    else:
        form = SetPasswordForm(
            initial={"email": request.GET.get("email", "")[:254],
                     "token": request.GET.get("token", "")[:100]}
        )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        result = execute(
            request,
            SET_PASSWORD,
            {key: form.cleaned_data[key] for key in ("email", "token", "password")},
        )["setPassword"]
        user_id = _pk_of(result["user"]["id"]) if result.get("user") else None
        user = storefront_data.active_customer(user_id) if user_id else None
        if not result["accountErrors"] and user is not None:
            customers.sign_in(request, user)
            return HttpResponseRedirect(reverse("storefront-account"))
        _add_account_errors(form, result["accountErrors"] or [{"code": "NOT_FOUND"}])
    return _form_page(
        request, "reset_password.html", status=400 if form.is_bound else 200, form=form
    )


# -- the account page: order history, saved addresses --------------------------------


def _account_page(request, user, address_form=None, status=200):
    me = execute(request, ME, {"first": ORDER_HISTORY_SIZE})["me"] or {}
    orders = [edge["node"] for edge in (me.get("orders") or {}).get("edges", [])]
    return _form_page(
        request,
        "home.html",
        status=status,
        customer=user,
        orders=orders,
        addresses=me.get("addresses") or [],
        form=address_form or SavedAddressForm(),
        provinces=provinces(),
    )


@require_http_methods(["GET", "HEAD"])
@web
def account(request):
    user = customers.customer(request)
    if user is None:
        return HttpResponseRedirect(reverse("storefront-account-login"))
    return _account_page(request, user)


@require_POST
@web
def address_add(request):
    user = customers.customer(request)
    if user is None:
        return HttpResponseRedirect(reverse("storefront-account-login"))
    form = SavedAddressForm(request.POST)
    if form.is_valid():
        # The first address saved is the default: Saleor starts each new cart from it.
        first = user.default_shipping_address_id is None
        result = execute(
            request,
            ADDRESS_CREATE,
            {"input": form.saleor_address(), "type": "SHIPPING" if first else None},
        )
        errors = result["accountAddressCreate"]["accountErrors"]
        if not errors:
            return HttpResponseRedirect(reverse("storefront-account"))
        form.add_error(
            None,
            bilingual(
                "Không lưu được địa chỉ này (kiểm tra số điện thoại và tỉnh/thành phố).",
                "The address could not be saved (check the phone number and province).",
            ),
        )
    return _account_page(request, user, form, status=400)


@require_POST
@web
def address_delete(request):
    user = customers.customer(request)
    if user is None:
        return HttpResponseRedirect(reverse("storefront-account-login"))
    address = (request.POST.get("address") or "")[:100]
    kind_pk = None
    try:
        kind_pk = graphene.Node.from_global_id(address)
    except Exception:
        kind_pk = None
    if kind_pk and kind_pk[0] == "Address" and whole_number(kind_pk[1]) is not None:
        # Saleor refuses another account's address (accountErrors): nothing changes.
        execute(request, ADDRESS_DELETE, {"id": address})
    return HttpResponseRedirect(reverse("storefront-account"))


# -- a guest finds an order: its number and phone -------------------------------------


def _client_address(request) -> str:
    return str(request.META.get(settings.REAL_IP_ENVIRON, "") or "").split(",")[-1].strip()


@require_http_methods(["GET", "HEAD", "POST"])
@web
def order_lookup(request):
    form = LookupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        key = f"ocop:order-lookup:{_client_address(request)[:64]}"
        if (cache.get(key) or 0) >= LOOKUP_FAILURE_LIMIT:
            form.is_valid()
            form.add_error(
                None,
                bilingual(
                    "Tra cứu tạm bị khoá vì sai quá nhiều lần; hãy thử lại sau 15 phút.",
                    "Lookup locked after too many failed attempts; try again in 15 minutes.",
                ),
            )
            return _form_page(request, "lookup.html", status=429, form=form)
        if form.is_valid():
            token = storefront_data.order_token_for_lookup(
                form.cleaned_data["number"], form.cleaned_data["phone"]
            )
            if token is not None:
                return HttpResponseRedirect(reverse("storefront-order", args=[token]))
            try:
                cache.add(key, 0, LOOKUP_COOL_OFF_SECONDS)
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, LOOKUP_COOL_OFF_SECONDS)
            form.add_error(
                None,
                bilingual(
                    "Không tìm thấy đơn hàng với mã và số điện thoại này.",
                    "No order with this number and phone number.",
                ),
            )
    return _form_page(request, "lookup.html", status=400 if form.is_bound else 200, form=form)
