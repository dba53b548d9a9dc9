from django.urls import path

from backoffice import products, signin, team, views
from backoffice import verification as stamp_views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", signin.old_login, name="login"),
    path("don-hang/", views.order_list, name="order_list"),
    path("don-hang/xuat-csv/", views.order_export, name="order_export"),
    path("don-hang/<int:pk>/", views.order_detail, name="order_detail"),
    path("don-hang/<int:pk>/phieu-dong-goi.pdf", views.packing_slip, name="packing_slip"),
    path("don-hang/<int:pk>/<slug:action>/", views.order_action, name="order_action"),
    path("san-pham/", views.listing_list, name="listing_list"),
    path("san-pham/<int:pk>/", products.listing_update, name="listing_update"),
    path("san-pham/<int:pk>/<slug:action>/", products.listing_action, name="listing_action"),
    path("doi-soat/", views.statement, name="statement"),
    path("doi-soat/xuat-csv/", views.statement_export, name="statement_export"),
    path("nhom/", team.team, name="team"),
    path("nhom/moi/", team.team_invite, name="team_invite"),
    path("nhom/<int:pk>/xoa/", team.team_remove, name="team_remove"),
    path("ho-so/", team.profile, name="profile"),
    path("ho-so/luu/", team.profile_save, name="profile_save"),
    path("tai-khoan-nhan-tien/", team.payout_account, name="payout_account"),
    path("tai-khoan-nhan-tien/doi/", team.payout_account_request, name="payout_account_request"),
    path("tem/", stamp_views.portal_stamps, name="stamps"),
    path("tem/<int:pk>/tem.pdf", stamp_views.portal_stamp_sheet, name="stamp_sheet"),
]
