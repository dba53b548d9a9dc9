"""URLs of the shop: Saleor's API and feeds, then our own pages.

Saleor's own ``saleor.urls`` ends, in DEBUG, with a catch-all home view whose
template is not shipped in the wheel; we route Saleor's views one by one instead,
so an unknown URL is a 404, not a 500.
"""

import re

from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve

from backoffice import (
    audit,
    cooperatives,
    customers,
    imports,
    orders,
    payouts,
    products,
    provinces,
    shop_settings,
    signin,
    today,
    transfers,
)
from payments_vn.views import bank_notification
from saleor_adapter.saleor_urls import saleor_urlpatterns
from storefront import accounts, cart, pages, payments, views

urlpatterns = [
    *saleor_urlpatterns,
    path("", views.home, name="home"),
    path("healthz/", views.health, name="health"),
    path("payments/vietqr/notify/", bank_notification, name="vietqr-bank-notification"),
    path("htx/", include("backoffice.urls")),
    # Province trade fairs: short links /f/…, staff pages /tinh/hoi-cho/….
    path("", include("config.fair_urls")),
    # Product verification /xac-minh/…, its province staff pages /tinh/xac-minh/….
    path("", include("config.verification_urls")),
    path("badges/<str:style>/ocop-<int:stars>-sao.svg", views.badge, name="ocop-badge"),
    # Storefront pages (Vietnamese URLs; English is a language switch, not other URLs).
    path("san-pham/", pages.product_list, name="storefront-products"),
    path("san-pham/<slug:slug>/", pages.product_detail, name="storefront-product"),
    path("tim-kiem/", pages.product_list, name="storefront-search"),
    path("tim-kiem/goi-y/", pages.suggest, name="storefront-suggest"),
    path("ngon-ngu/<str:code>/", pages.set_language, name="storefront-language"),
    path("gio-hang/", cart.cart_view, name="storefront-cart"),
    path("gio-hang/them/", cart.cart_add, name="storefront-cart-add"),
    path("gio-hang/cap-nhat/", cart.cart_update, name="storefront-cart-update"),
    path("thanh-toan/", cart.checkout_address, name="storefront-checkout"),
    path("thanh-toan/giao-hang/", cart.checkout_delivery, name="storefront-checkout-delivery"),
    path("don-hang/<uuid:token>/", cart.order_confirmation, name="storefront-order"),
    path("don-hang/<uuid:token>/hoan-tien/", cart.refund_details, name="storefront-order-refund"),
    path(
        "don-hang/<uuid:token>/vietqr.<str:kind>",
        payments.vietqr_image,
        name="storefront-order-vietqr",
    ),
    # Shopper accounts (storefront.accounts): Saleor's accounts, the storefront's session.
    path("tai-khoan/", accounts.account, name="storefront-account"),
    path("tai-khoan/dang-ky/", accounts.signup, name="storefront-account-signup"),
    path("tai-khoan/kich-hoat/", accounts.activate, name="storefront-account-activate"),
    path("tai-khoan/dang-nhap/", accounts.signin, name="storefront-account-login"),
    path("tai-khoan/dang-xuat/", accounts.signout, name="storefront-account-logout"),
    path(
        "tai-khoan/quen-mat-khau/",
        accounts.password_reset_request,
        name="storefront-account-password-forgotten",
    ),
    path(
        "tai-khoan/dat-lai-mat-khau/",
        accounts.password_reset,
        name="storefront-account-password-reset",
    ),
    path("tai-khoan/dia-chi/them/", accounts.address_add, name="storefront-account-address-add"),
    path(
        "tai-khoan/dia-chi/xoa/", accounts.address_delete, name="storefront-account-address-delete"
    ),
    path("tra-cuu-don-hang/", accounts.order_lookup, name="storefront-order-lookup"),
    # The back office: one sign-in for every staff area (backoffice.signin).
    path("dang-nhap/", signin.login, name="backoffice-login"),
    path("dang-xuat/", signin.logout, name="backoffice-logout"),
    path("quan-tri/", signin.areas, name="backoffice-areas"),
    path("quan-tri/hom-nay/", today.today, name="backoffice-today"),
    path("quan-tri/nhat-ky/", audit.audit_log, name="backoffice-audit"),
    path("quan-tri/chuyen-khoan/", transfers.transfer_list, name="backoffice-transfers"),
    path("quan-tri/chuyen-khoan/<int:pk>/", transfers.transfer_detail, name="backoffice-transfer"),
    path(
        "quan-tri/chuyen-khoan/<int:pk>/<slug:action>/",
        transfers.transfer_action,
        name="backoffice-transfer-action",
    ),
    path("quan-tri/hop-tac-xa/", cooperatives.cooperative_list, name="backoffice-cooperatives"),
    path(
        "quan-tri/hop-tac-xa/<int:pk>/",
        cooperatives.cooperative_detail,
        name="backoffice-cooperative",
    ),
    path(
        "quan-tri/hop-tac-xa/<int:pk>/<slug:action>/",
        cooperatives.cooperative_action,
        name="backoffice-cooperative-action",
    ),
    path("quan-tri/chi-tra/", payouts.payout_overview, name="backoffice-payouts"),
    path("quan-tri/chi-tra/chay/", payouts.payout_run, name="backoffice-payout-run"),
    path("quan-tri/chi-tra/<int:pk>/", payouts.payout_batch, name="backoffice-payout"),
    path(
        "quan-tri/chi-tra/<int:pk>/tep-ngan-hang.csv",
        payouts.payout_file,
        name="backoffice-payout-file",
    ),
    path(
        "quan-tri/chi-tra/<int:pk>/da-tra/", payouts.payout_mark_paid, name="backoffice-payout-paid"
    ),
    path("quan-tri/nhap-danh-muc/", imports.import_overview, name="backoffice-imports"),
    path("quan-tri/nhap-danh-muc/<int:pk>/", imports.import_run, name="backoffice-import"),
    path(
        "quan-tri/nhap-danh-muc/<int:pk>/trang-thai.json",
        imports.import_status,
        name="backoffice-import-status",
    ),
    path(
        "quan-tri/nhap-danh-muc/<int:pk>/dong-bi-tu-choi.csv",
        imports.import_rejections,
        name="backoffice-import-rejections",
    ),
    path("quan-tri/tinh/", provinces.province_staff, name="backoffice-provinces"),
    path(
        "quan-tri/tinh/moi/",
        provinces.province_staff_invite,
        name="backoffice-province-staff-invite",
    ),
    path(
        "quan-tri/tinh/<int:pk>/thu-hoi/",
        provinces.province_staff_revoke,
        name="backoffice-province-staff-revoke",
    ),
    path("quan-tri/khach-hang/", customers.customer_list, name="backoffice-customers"),
    path("quan-tri/khach-hang/<int:pk>/", customers.customer_detail, name="backoffice-customer"),
    path(
        "quan-tri/khach-hang/<int:pk>/xoa-du-lieu/",
        customers.customer_erase,
        name="backoffice-customer-erase",
    ),
    path("quan-tri/don-hang/", orders.order_list, name="backoffice-orders"),
    path("quan-tri/don-hang/<int:pk>/", orders.order_detail, name="backoffice-order"),
    path(
        "quan-tri/don-hang/<int:pk>/<slug:action>/",
        orders.order_action,
        name="backoffice-order-action",
    ),
    path("quan-tri/san-pham/", products.product_list, name="backoffice-products"),
    path("quan-tri/san-pham/<int:pk>/", products.product_detail, name="backoffice-product"),
    path(
        "quan-tri/san-pham/<int:pk>/<slug:action>/",
        products.staff_product_action,
        name="backoffice-product-action",
    ),
    path(
        "dang-nhap/dat-mat-khau/<uidb64>/<token>/",
        signin.set_password,
        name="backoffice-set-password",
    ),
    path("cau-hinh-cua-hang/", shop_settings.configuration, name="storefront-configuration"),
    # Login pages of the areas before they shared one (bookmarks, printed guides).
    path("cau-hinh-cua-hang/dang-nhap/", signin.old_login, name="storefront-staff-login"),
]

handler400 = "storefront.pages.bad_request"
handler403 = "storefront.pages.permission_denied"
handler404 = "storefront.pages.page_not_found"
handler500 = "storefront.pages.server_error"

# Uploaded files on a development machine (make demo runs with DEBUG off); production
# serves MEDIA_URL from its web server or object storage.
if settings.OCOP_DEVELOPMENT and not settings.MEDIA_URL.startswith(("http:", "https:")):
    urlpatterns.append(
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    )
