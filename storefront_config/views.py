from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.template.response import TemplateResponse


def home(request):
    return TemplateResponse(request, "storefront/home.html", {"graphql_url": "/graphql/"})


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
