"""Nobody unreachable: a cooperative that cannot hear of its order, or does not answer,
is a person's job, not a silent "skipped".

* ``unreachable_producers``: producers with no working channel (no e-mail of their own,
  on their settings or of an active portal member; no portal account; no webhook). At
  routing their new part goes on the staff "needs attention" queue at once.
* ``follow_up_unaccepted`` (Celery beat, ``tasks.follow_up_unaccepted_parts``): a part
  still "new" ``acceptance_reminder_hours`` after the order reminds the cooperative
  (one e-mail: the outbox row is unique per part and event); still new after
  ``acceptance_escalation_hours`` it is flagged for staff, once (``escalated_at``).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from marketplace import ports
from marketplace.models import (
    CooperativeMembership,
    CooperativeOrder,
    CooperativeSettings,
    NotificationDelivery,
    Producer,
)
from marketplace.notifications import EVENT_ACCEPTANCE_REMINDER
from marketplace.routing import enqueue_notifications

logger = logging.getLogger(__name__)

BATCH = 500


def unreachable_producers(producer_ids: Iterable[int]) -> set[int]:
    """The producers among ``producer_ids`` nobody can reach: three queries."""
    producer_ids = set(producer_ids)
    reachable = set(
        Producer.objects.filter(pk__in=producer_ids).exclude(email="").values_list("pk", flat=True)
    )
    for producer_id, email, webhook in CooperativeSettings.objects.filter(
        producer_id__in=producer_ids
    ).values_list("producer_id", "notification_email", "webhook_url"):
        if email or webhook:
            reachable.add(producer_id)
    # A portal account is a channel: its member sees new orders when signing in.
    reachable |= set(
        CooperativeMembership.objects.filter(
            producer_id__in=producer_ids, user__is_active=True
        ).values_list("producer_id", flat=True)
    )
    return producer_ids - reachable


def unreachable_message(cooperative_order: CooperativeOrder, producer_name: str) -> str:
    return (
        f"HTX {producer_name} không có kênh liên lạc nào (e-mail, tài khoản cổng HTX, "
        f"webhook): đơn {cooperative_order.number} cần người gọi điện / "
        f"{producer_name} has no working channel (e-mail, portal account, webhook): "
        f"part {cooperative_order.number} needs a phone call"
    )


def follow_up_unaccepted(now: datetime.datetime | None = None) -> tuple[int, int]:
    """Remind and escalate parts left "new"; returns (reminded, escalated). Safe to
    run at any time and twice."""
    from marketplace.lifecycle import flag_for_staff  # lifecycle imports routing

    now = now or timezone.now()
    settings = ports.settings().marketplace_settings()
    remind_before = now - datetime.timedelta(hours=settings.acceptance_reminder_hours)
    escalate_before = now - datetime.timedelta(hours=settings.acceptance_escalation_hours)
    new = CooperativeOrder.objects.filter(status=CooperativeOrder.Status.NEW)

    with transaction.atomic():
        due = list(
            new.filter(created_at__lt=remind_before)
            .exclude(
                notifications__channel=NotificationDelivery.Channel.COOPERATIVE_EMAIL,
                notifications__event=EVENT_ACCEPTANCE_REMINDER,
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:BATCH]
        )
        created = NotificationDelivery.objects.bulk_create(
            [
                NotificationDelivery(
                    cooperative_order_id=pk,
                    channel=NotificationDelivery.Channel.COOPERATIVE_EMAIL,
                    event=EVENT_ACCEPTANCE_REMINDER,
                )
                for pk in due
            ],
            ignore_conflicts=True,
        )
        reminder_ids = list(
            NotificationDelivery.objects.filter(
                cooperative_order_id__in=due,
                event=EVENT_ACCEPTANCE_REMINDER,
                status=NotificationDelivery.Status.PENDING,
            ).values_list("pk", flat=True)
        )
        enqueue_notifications(reminder_ids)

    escalated = 0
    with transaction.atomic():
        for part in (
            new.filter(created_at__lt=escalate_before, escalated_at__isnull=True)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("producer", "order")
            .order_by("pk")[:BATCH]
        ):
            hours = settings.acceptance_escalation_hours
            flag_for_staff(
                part,
                None,
                f"HTX {part.producer.name} chưa nhận đơn {part.number} sau {hours} giờ / "
                f"{part.producer.name} has not accepted part {part.number} after {hours} hours",
            )
            part.escalated_at = now
            part.save(update_fields=["escalated_at"])
            escalated += 1
    if due or escalated:
        logger.info("Unaccepted parts: %d reminded, %d flagged for staff", len(created), escalated)
    return len(due), escalated
