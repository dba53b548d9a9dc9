"""The audit log for platform staff: who changed what, when, before and after.

Entries are written by django-auditlog for the models named in
``AUDITLOG_INCLUDE_TRACKING_MODELS`` (config/settings.py), with the actor found by
``config.audit``. This page only reads them: filters by person, kind of record, record
id, action and dates; 50 a page, a constant number of queries whatever the page size.
"""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.http import urlencode

from backoffice.security import BadRequest, date_param, number_param, signed_in_area
from common.inputs import has_nul
from marketplace import access

PAGE_SIZE = 50
MAX_SEARCH = 100
ACTIONS = {
    str(LogEntry.Action.CREATE): "Tạo / Created",
    str(LogEntry.Action.UPDATE): "Sửa / Changed",
    str(LogEntry.Action.DELETE): "Xoá / Deleted",
}


def guard_copies() -> None:
    """Two guards on django-auditlog 3.0's receivers. It logs an "update" of an instance
    whose pk was set to None to save a copy (Saleor does it, and its tests), with no
    record id: the log's insert fails and the save with it. Such a save is an insert,
    which the create receiver logs."""
    from auditlog.registry import auditlog
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_delete, pre_save

    log_update = auditlog._signals[pre_save]
    if getattr(log_update, "skips_copies", False):
        return

    def log_update_of_saved_rows(sender, instance, **kwargs):
        if instance.pk is not None:
            log_update(sender, instance, **kwargs)

    log_update_of_saved_rows.skips_copies = True
    auditlog._signals[pre_save] = log_update_of_saved_rows

    # A person who deletes their own account is the actor of its deletion entry, written
    # after Django cleared the references to them: the entry keeps no actor instead.
    log_delete = auditlog._signals[post_delete]

    def log_delete_without_deleted_actor(sender, instance, **kwargs):
        log_delete(sender, instance, **kwargs)
        if sender is get_user_model():
            LogEntry.objects.filter(actor_id=instance.pk).update(actor=None)

    auditlog._signals[post_delete] = log_delete_without_deleted_actor


def tracked_kinds() -> list[tuple[int, str]]:
    """(content type id, "app.Model") of every kind of record the log may hold."""
    from auditlog.registry import auditlog

    models = auditlog.get_models()
    types = ContentType.objects.get_for_models(*models)
    return sorted(
        ((kind.pk, f"{model._meta.app_label}.{model.__name__}") for model, kind in types.items()),
        key=lambda pair: pair[1],
    )


def _text_param(request, name: str) -> str:
    text = request.GET.get(name, "").strip()
    if len(text) > MAX_SEARCH:
        raise BadRequest(f"«{name}» quá dài (tối đa {MAX_SEARCH} ký tự) / too long.")
    if has_nul(text):
        raise BadRequest(f"«{name}» không được chứa ký tự NUL / must not contain NUL.")
    return text


def filtered_entries(request):
    """The entries the query string asks for, and the filters as read (400 on bad)."""
    entries = LogEntry.objects.all()
    kinds = tracked_kinds()
    filters = {
        "nguoi": _text_param(request, "nguoi"),
        "loai": number_param(request.GET, "loai"),
        "ma": _text_param(request, "ma"),
        "hanh_dong": request.GET.get("hanh_dong", "").strip(),
        "tu_ngay": date_param(request.GET, "tu_ngay"),
        "den_ngay": date_param(request.GET, "den_ngay"),
    }
    if filters["nguoi"]:
        # The people first (a few), then their entries through the (actor, time) index
        # of migration portal 0001: joined in one query, PostgreSQL guessed 14 rows for
        # 129,000 and sorted them all (bench/backoffice_lists.py).
        actors = get_user_model().objects.filter(email__icontains=filters["nguoi"])
        entries = entries.filter(actor_id__in=list(actors.values_list("pk", flat=True)[:50]))
    if filters["loai"] is not None:
        if filters["loai"] not in dict(kinds):
            raise BadRequest("Loại bản ghi không hợp lệ / Unknown kind of record.")
        entries = entries.filter(content_type_id=filters["loai"])
    if filters["ma"]:
        entries = entries.filter(object_pk=filters["ma"])
    if filters["hanh_dong"]:
        if filters["hanh_dong"] not in ACTIONS:
            raise BadRequest("Hành động không hợp lệ / Unknown action.")
        entries = entries.filter(action=int(filters["hanh_dong"]))
    if filters["tu_ngay"]:
        entries = entries.filter(timestamp__date__gte=filters["tu_ngay"])
    if filters["den_ngay"]:
        entries = entries.filter(timestamp__date__lte=filters["den_ngay"])
    as_text = {key: "" if value is None else str(value) for key, value in filters.items()}
    return entries, as_text, kinds


@signed_in_area(
    may_enter=access.sees_all,
    refusal=(
        "Chỉ nhân viên sàn xem được nhật ký thay đổi / Only platform staff may read the audit log."
    ),
)
def audit_log(request):
    entries, filters, kinds = filtered_entries(request)
    paginator = Paginator(
        entries.select_related("actor", "content_type").order_by("-timestamp", "-pk"), PAGE_SIZE
    )
    try:
        page = paginator.page(number_param(request.GET, "trang") or 1)
    except EmptyPage:
        raise Http404("Trang không tồn tại / No such page.") from None
    rows = [
        {
            "entry": entry,
            "kind": f"{entry.content_type.app_label}.{entry.content_type.model}",
            "action": ACTIONS.get(str(entry.action), entry.action),
            "changes": sorted((entry.changes_dict or {}).items()),
        }
        for entry in page.object_list
    ]
    return TemplateResponse(
        request,
        "backoffice/audit_log.html",
        {
            "user": request.user,
            "page": page,
            "rows": rows,
            "filters": filters,
            "query": urlencode({key: value for key, value in filters.items() if value}),
            "kinds": kinds,
            "actions": sorted(ACTIONS.items()),
        },
    )
