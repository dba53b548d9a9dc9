"""Fair URLs: the short public links (/f/…), the privacy note, and the provincial staff
pages (/tinh/hoi-cho/…). Included at the site root by config.urls."""

from django.urls import path, re_path

from backoffice import fairs as staff_views
from backoffice import signin
from storefront import fair_pages as views

app_name = "fairs"

# Slugs are matched loosely here and checked in the view: a mistyped or misprinted
# link gets the friendly 404 page, not Django's.
SLUG = r"[^/]{1,200}"

urlpatterns = [
    re_path(rf"^f/(?P<fair_slug>{SLUG})/?$", views.fair_page, name="fair"),
    re_path(rf"^f/(?P<fair_slug>{SLUG})/g/(?P<booth_slug>{SLUG})/?$", views.booth_page,
            name="booth"),
    re_path(rf"^f/(?P<fair_slug>{SLUG})/p/(?P<product_slug>{SLUG})/?$", views.product_link,
            name="product"),
    re_path(r"^f(?:/(?P<rest>.*))?$", views.unknown_link, name="unknown"),
    path("hoi-cho/quyen-rieng-tu/", views.privacy, name="privacy"),
    # Provincial staff.
    path("tinh/", staff_views.home, name="staff_home"),
    path("tinh/dang-nhap/", signin.old_login, name="login"),
    path("tinh/hoi-cho/", staff_views.fair_list, name="fair_list"),
    path("tinh/hoi-cho/tao/", staff_views.fair_create, name="fair_create"),
    path("tinh/hoi-cho/<int:pk>/", staff_views.fair_detail, name="fair_detail"),
    path("tinh/hoi-cho/<int:pk>/sua/", staff_views.fair_edit, name="fair_edit"),
    path("tinh/hoi-cho/<int:pk>/hop-tac-xa/", staff_views.fair_cooperatives,
         name="fair_cooperatives"),
    path("tinh/hoi-cho/<int:pk>/gian-hang/", staff_views.booth_add, name="booth_add"),
    path("tinh/hoi-cho/<int:pk>/gian-hang/<int:item>/", staff_views.booth_edit,
         name="booth_edit"),
    path("tinh/hoi-cho/<int:pk>/gian-hang/<int:item>/xoa/", staff_views.booth_delete,
         name="booth_delete"),
    path("tinh/hoi-cho/<int:pk>/san-pham/", staff_views.product_add, name="product_add"),
    path("tinh/hoi-cho/<int:pk>/san-pham/<int:item>/", staff_views.product_edit,
         name="product_edit"),
    path("tinh/hoi-cho/<int:pk>/san-pham/<int:item>/xoa/", staff_views.product_delete,
         name="product_delete"),
    re_path(r"^tinh/hoi-cho/(?P<pk>[0-9]+)/ma-qr/(?P<kind>fair|booth|product)-(?P<item>[0-9]+)"
            r"\.(?P<fmt>svg|png)$", staff_views.qr_code, name="qr"),
    path("tinh/hoi-cho/<int:pk>/in-an.pdf", staff_views.poster_pdf, name="poster"),
    path("tinh/hoi-cho/<int:pk>/bao-cao/", staff_views.report, name="report"),
    path("tinh/hoi-cho/<int:pk>/bao-cao.csv", staff_views.report_csv, name="report_csv"),
    path("tinh/hoi-cho/<int:pk>/don-hang.csv", staff_views.orders_csv, name="orders_csv"),
]  # fmt: skip
