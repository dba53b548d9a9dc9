"""Verification URLs: the public pages (/xac-minh/…, printed as QR codes on stamps,
packing slips and fair cards) and the province staff pages (/tinh/xac-minh/…,
/tinh/chung-nhan/…, /tinh/tem/…). Included at the site root by config.urls."""

from django.urls import path, re_path

from backoffice import verification as staff_views
from storefront import verification as views

app_name = "verification"

# Codes and stamps are matched loosely and checked in the views: a misprinted code gets
# the friendly 404 page (or "not a genuine stamp"), never Django's.
CODE = r"(?P<code>[0-9A-Za-z-]{1,40})"
TOKEN = r"(?P<token>[^/.]{1,100})"

urlpatterns = [
    re_path(rf"^xac-minh/{CODE}\.json$", views.product_json, name="product_json"),
    re_path(rf"^xac-minh/{CODE}/?$", views.product_page, name="product"),
    re_path(rf"^xac-minh/{CODE}/vi-tri/$", views.share_location, name="location"),
    re_path(rf"^xac-minh/{CODE}/bao-hang-gia/$", views.report_fake, name="report"),
    re_path(rf"^xac-minh/{CODE}/{TOKEN}\.json$", views.stamp_json, name="stamp_json"),
    re_path(rf"^xac-minh/{CODE}/{TOKEN}$", views.stamp_page, name="stamp"),
    # Province staff.
    path("tinh/xac-minh/", staff_views.queue, name="queue"),
    path("tinh/xac-minh/bao-cao/<int:pk>/", staff_views.report_detail, name="report_detail"),
    path("tinh/xac-minh/bao-cao/<int:pk>/anh", staff_views.report_photo, name="report_photo"),
    path("tinh/xac-minh/canh-bao/<int:pk>/", staff_views.flag_resolve, name="flag_resolve"),
    path("tinh/chung-nhan/", staff_views.certificates, name="certificates"),
    path("tinh/chung-nhan/<int:pk>/thu-hoi/", staff_views.revoke, name="revoke"),
    path("tinh/tem/", staff_views.stamps_page, name="stamps"),
    path("tinh/tem/<int:pk>/tem.pdf", staff_views.stamp_sheet, name="stamp_sheet"),
    path("tinh/chuong-trinh/", staff_views.programme_page, name="programme"),
    path("tinh/chuong-trinh.csv", staff_views.programme_csv, name="programme_csv"),
]
