"""Staff page to change the storefront's configuration without code.

Behind the one back-office sign-in (``backoffice.signin``): only active staff with
Saleor's ``site.manage_settings`` permission (or superusers) may change it.
"""

from __future__ import annotations

from django import forms
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backoffice.security import signed_in_area
from common.units import provinces
from saleor_adapter import storefront_data
from storefront.models import StorefrontConfiguration

PERMISSION = "site.manage_settings"
MAX_FEATURED = 24


def may_configure(user) -> bool:
    return bool(user and user.is_active and user.is_staff and user.has_perm(PERMISSION))


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

    def clean_featured_slugs(self) -> list:
        slugs = list(dict.fromkeys(self.cleaned_data["featured_slugs"].split()))
        if len(slugs) > MAX_FEATURED:
            raise forms.ValidationError(
                _("Tối đa %(max)s sản phẩm nổi bật.") % {"max": MAX_FEATURED}
            )
        products = storefront_data.products_by_slug(slugs)
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
@signed_in_area(
    may_enter=may_configure,
    refusal="Tài khoản của bạn không có quyền thay đổi cấu hình cửa hàng / "
    "Your account may not change the shop's settings.",
)
def configuration(request):
    instance = StorefrontConfiguration.load()
    saved = request.GET.get("da-luu") == "1"
    if request.method == "POST":
        form = ConfigurationForm(request.POST, instance=instance)
        if form.is_valid():
            form.save()
            return HttpResponseRedirect(reverse("storefront-configuration") + "?da-luu=1")
    else:
        form = ConfigurationForm(instance=instance)
    return TemplateResponse(
        request,
        "backoffice/shop_settings.html",
        {"form": form, "saved": saved, "user": request.user},
        status=400 if form.is_bound else 200,
    )
