"""Who changed what: every write to the models in ``AUDITLOG_INCLUDE_TRACKING_MODELS``
(config/settings.py) is a django-auditlog ``LogEntry`` with its before and after, and
the actor is the person behind the request.

django-auditlog's own middleware reads ``request.user`` when the request arrives, but
here nobody is known yet at that point: the back office signs in its views only
(``backoffice.security.web``) and the GraphQL API reads a JWT. The actor is therefore
looked up when the first entry of the request is written: the session's user set by
the back-office view, else the user of a valid JWT, else nobody (a task, a shopper).
"""

from __future__ import annotations

from auditlog.cid import set_cid
from auditlog.context import set_actor
from django.utils.functional import SimpleLazyObject

from saleor_adapter.graphql.view import jwt_user


def request_actor(request):
    """The signed-in person behind ``request``, or None."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    return jwt_user(request)


def audit_actor(get_response):
    """Middleware: entries written while serving a request name its actor."""

    def middleware(request):
        set_cid(request)
        actor = SimpleLazyObject(lambda: request_actor(request))
        with set_actor(actor=actor, remote_addr=request.META.get("REMOTE_ADDR")):
            return get_response(request)

    return middleware
