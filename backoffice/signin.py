"""The one sign-in of every staff area: the cooperative portal (/htx/), the provinces'
fair pages (/tinh/) and the shop settings (/cau-hinh-cua-hang/).

One login page, one Django session (applied to the back office's views only: Saleor's
API keeps its JWT), one decorator (``backoffice.security.signed_in_area``) that takes
who may enter each area. Signing in once opens every area the account may use; the
areas page lists them. The old per-area login URLs redirect here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode

from backoffice.security import signed_in_area, web
from backoffice.shop_settings import may_configure
from fairs import access as fair_access
from marketplace import access


@dataclass(frozen=True)
class Area:
    url_name: str
    name: str
    may_enter: object  # user → bool


AREAS = (
    # Platform staff start from what needs someone today.
    Area("backoffice-today", "Hôm nay / Today", access.sees_all),
    Area("portal:order_list", "Cổng hợp tác xã / Cooperative portal", access.is_portal_user),
    Area("fairs:fair_list", "Hội chợ của tỉnh / Province fairs", fair_access.is_fair_staff),
    Area("storefront-configuration", "Cấu hình cửa hàng / Shop settings", may_configure),
    Area("backoffice-orders", "Đơn hàng / Orders", access.sees_all),
    Area("backoffice-cooperatives", "Hợp tác xã / Cooperatives", access.sees_all),
    Area("backoffice-transfers", "Chuyển khoản cần xem / Bank transfers", access.sees_all),
    Area("backoffice-payouts", "Chi trả / Payouts", access.sees_all),
    Area("backoffice-imports", "Nhập danh mục / Catalogue imports", access.sees_all),
    Area("backoffice-products", "Sản phẩm / Products", access.sees_all),
    Area("backoffice-audit", "Nhật ký thay đổi / Audit log", access.sees_all),
    Area("backoffice-provinces", "Tài khoản của tỉnh / Provincial staff", access.sees_all),
    Area("backoffice-customers", "Khách hàng / Customers", access.sees_all),
)


def areas_of(user) -> list[Area]:
    return [area for area in AREAS if area.may_enter(user)]


class LoginView(auth_views.LoginView):
    template_name = "backoffice/login.html"
    redirect_authenticated_user = True

    def get_success_url(self):
        url = self.get_redirect_url()
        if url:
            return url
        mine = areas_of(self.request.user)
        # One area: straight in. Several (or none, to be told so): the list.
        return reverse(mine[0].url_name) if len(mine) == 1 else reverse("backoffice-areas")


login = web(LoginView.as_view())
# An invited member's first password (marketplace.cooperatives.invite_member): Django's
# one-time token link; afterwards they sign in on the one sign-in page.
set_password = web(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="backoffice/set_password.html",
        success_url=reverse_lazy("backoffice-login"),
        post_reset_login=False,
    )
)
logout = web(auth_views.LogoutView.as_view(next_page="backoffice-login"))


def old_login(request):
    """/htx/dang-nhap/, /tinh/dang-nhap/, /cau-hinh-cua-hang/dang-nhap/ → the one login."""
    query = urlencode({"next": request.GET["next"]}) if request.GET.get("next") else ""
    url = reverse("backoffice-login")
    return HttpResponseRedirect(f"{url}?{query}" if query else url)


@signed_in_area(
    may_enter=lambda user: bool(areas_of(user)),
    refusal="Tài khoản của bạn không dùng khu quản trị nào / Your account has no back-office area.",
)
def areas(request):
    return TemplateResponse(
        request,
        "backoffice/areas.html",
        {
            "user": request.user,
            "areas": [
                {"name": area.name, "url": reverse(area.url_name)}
                for area in areas_of(request.user)
            ],
        },
    )
