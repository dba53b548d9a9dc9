"""Staff page to change the storefront's configuration without code.

Saleor 2.10 has no Django admin and no session login (its staff use JWTs), so this page
signs staff in itself: e-mail and password checked by Django's auth backends, then a
signed, HTTP-only cookie holding the user id and Django's session hash of the password
(changing the password signs every browser out). Only active staff with Saleor's
``site.manage_settings`` permission (or superusers) may change the configuration.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate
from django.core import signing
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST
from saleor.account.models import User
from saleor.product.models import Product

from marketplace.inputs import whole_number
from storefront_config.models import StorefrontConfiguration
from storefront_config.pages import page_context, provinces, storefront_view

STAFF_COOKIE = "ocop_staff"
STAFF_SALT = "storefront_config.staff"
STAFF_MAX_AGE = 8 * 3600
PERMISSION = "site.manage_settings"
MAX_FEATURED = 24


def may_configure(user: User | None) -> bool:
    return bool(user and user.is_active and user.is_staff and user.has_perm(PERMISSION))


def signed_in_staff(request) -> User | None:
    value = request.get_signed_cookie(
        STAFF_COOKIE, default=None, salt=STAFF_SALT, max_age=STAFF_MAX_AGE
    )
    if not value or ":" not in value:
        return None
    user_id, session_hash = value.split(":", 1)
    pk = whole_number(user_id)
    user = User.objects.filter(pk=pk, is_active=True).first() if pk is not None else None
    if user is None or not signing.constant_time_compare(
        user.get_session_auth_hash(), session_hash
    ):
        return None
    return user


class LoginForm(forms.Form):
    email = forms.EmailField(max_length=254)
    password = forms.CharField(max_length=200, widget=forms.PasswordInput)


@require_http_methods(["GET", "HEAD", "POST"])
@csrf_protect
@storefront_view
def login(request):
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST":
        user = None
        if form.is_valid():
            user = authenticate(
                request, email=form.cleaned_data["email"], password=form.cleaned_data["password"]
            )
        if user is not None and user.is_active and user.is_staff:
            response = HttpResponseRedirect("/cau-hinh-cua-hang/")
            response.set_signed_cookie(
                STAFF_COOKIE,
                f"{user.pk}:{user.get_session_auth_hash()}",
                salt=STAFF_SALT,
                max_age=STAFF_MAX_AGE,
                httponly=True,
                samesite="Strict",
            )
            return response
        error = _("Email hoặc mật khẩu không đúng, hoặc tài khoản không phải nhân viên.")
    return TemplateResponse(
        request,
        "storefront/staff_login.html",
        page_context(request, form=form, error=error),
        status=400 if error else 200,
    )


@require_POST
@csrf_protect
def logout(request):
    response = HttpResponseRedirect("/")
    response.delete_cookie(STAFF_COOKIE, samesite="Strict")
    return response


class ConfigurationForm(forms.ModelForm):
    featured_slugs = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 6}))
    featured_provinces = forms.MultipleChoiceField(
        required=False, choices=(), widget=forms.CheckboxSelectMultiple
    )
    products_per_page = forms.IntegerField(min_value=4, max_value=96)

    class Meta:
        model = StorefrontConfiguration
        fields = ["shop_name", "tagline", "badge_style", "default_language", "products_per_page"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["featured_provinces"].choices = list(provinces())
        if not self.is_bound:
            self.initial["featured_provinces"] = self.instance.featured_province_codes
            if not self.instance._state.adding:
                self.initial["featured_slugs"] = "\n".join(
                    self.instance.featured_products.order_by("name").values_list("slug", flat=True)
                )

    def clean_featured_slugs(self) -> list[Product]:
        slugs = list(dict.fromkeys(self.cleaned_data["featured_slugs"].split()))
        if len(slugs) > MAX_FEATURED:
            raise forms.ValidationError(
                _("Tối đa %(max)s sản phẩm nổi bật.") % {"max": MAX_FEATURED}
            )
        products = {p.slug: p for p in Product.objects.filter(slug__in=slugs)}
        unknown = [slug for slug in slugs if slug not in products]
        if unknown:
            raise forms.ValidationError(
                _("Không có sản phẩm với mã: %(slugs)s") % {"slugs": ", ".join(unknown)}
            )
        return [products[slug] for slug in slugs]

    def save(self, commit=True):
        config = super().save(commit=False)
        config.featured_province_codes = self.cleaned_data["featured_provinces"]
        config.save()
        config.featured_products.set(self.cleaned_data["featured_slugs"])
        return config


@require_http_methods(["GET", "HEAD", "POST"])
@csrf_protect
@storefront_view
def configuration(request):
    user = signed_in_staff(request)
    if user is None:
        return HttpResponseRedirect("/cau-hinh-cua-hang/dang-nhap/")
    if not may_configure(user):
        return TemplateResponse(
            request,
            "storefront/not_found.html",
            page_context(
                request,
                title=_("Không có quyền"),
                message=_("Tài khoản của bạn không có quyền thay đổi cấu hình cửa hàng."),
            ),
            status=403,
        )
    instance = StorefrontConfiguration.load()
    saved = request.GET.get("da-luu") == "1"
    if request.method == "POST":
        form = ConfigurationForm(request.POST, instance=instance)
        if form.is_valid():
            form.save()
            return HttpResponseRedirect("/cau-hinh-cua-hang/?da-luu=1")
    else:
        form = ConfigurationForm(instance=instance)
    return TemplateResponse(
        request,
        "storefront/staff_configuration.html",
        page_context(request, form=form, saved=saved, staff=user),
        status=400 if form.is_bound else 200,
    )
