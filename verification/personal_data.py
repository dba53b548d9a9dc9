"""Fake reports' share of a customer's erasure (``marketplace.erasure``): a report is
anonymous unless the shopper left a way to reach them; a contact that is the
customer's e-mail or phone goes, and so does that e-mail or phone in the report's text.
The report itself (product, place, what was seen) stays for the province."""

from __future__ import annotations

from django.db.models import Q

from marketplace.erasure import Cleaned, Scope, redact
from verification.models import FakeReport


def erase_report_contacts(scope: Scope) -> Cleaned:
    if not scope.identifiers:
        return Cleaned(0)
    mentions = Q()
    for value in scope.identifiers:
        mentions |= Q(contact__icontains=value) | Q(what__icontains=value)
    ids = []
    for report in FakeReport.objects.filter(mentions):
        FakeReport.objects.filter(pk=report.pk).update(
            contact="", what=redact(report.what, scope.identifiers)
        )
        ids.append(report.pk)
    return Cleaned(len(ids), FakeReport, tuple(ids), ("contact", "what"))
