"""URLs of the shop: Saleor's API and feeds, then our own pages.

Saleor's own ``saleor.urls`` ends, in DEBUG, with a catch-all home view whose
template is not shipped in the wheel; we route Saleor's views one by one instead,
so an unknown URL is a 404, not a 500.
"""

from django.conf import settings
from django.conf.urls.static import static
from django.urls import path

from plugins.saleor_urls import saleor_urlpatterns
from storefront_config import views

urlpatterns = [
    *saleor_urlpatterns,
    path("", views.home, name="home"),
    path("healthz/", views.health, name="health"),
    path("badges/<str:style>/ocop-<int:stars>-sao.svg", views.badge, name="ocop-badge"),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
