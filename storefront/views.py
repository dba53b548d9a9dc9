from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from common.badges import badge_svg
from storefront import pages

# The storefront's home page: featured 5★ products and provinces (storefront.pages).
home = pages.home


def health(request):
    """Liveness for the demo and for monitors: database reachable, broker configured."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse(
        {
            "database": "ok",
            "celery": "eager" if settings.CELERY_TASK_ALWAYS_EAGER else "broker",
            "currency": settings.DEFAULT_CURRENCY,
            "country": settings.DEFAULT_COUNTRY,
        }
    )


@require_safe
def badge(request, style: str, stars: int):
    try:
        svg = badge_svg(stars, style)
    except ValueError:
        raise Http404("Không có huy hiệu này / No such badge") from None
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    # The URL names the exact badge, so it never changes: cache it for a year.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
