"""Celery tasks of the marketplace. All are safe to run twice (see routing and
notifications); ``acks_late`` puts a task back on the queue if its worker dies."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.db import OperationalError

from marketplace import notifications, ports, reachability, refunds, routing

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def route_order_task(order_id: int) -> list[int]:
    return routing.route_order(order_id).cooperative_order_ids


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def deliver_notification(self, delivery_id: int) -> str:
    outcome = notifications.deliver(delivery_id)
    if outcome.retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status


@shared_task
def route_pending_orders(older_than_seconds: int = 120) -> int:
    """Sweeper (Celery beat, every few minutes): route orders whose task was lost,
    resend notifications whose task was lost, and record payments whose hook failed."""
    from django.utils import timezone

    from marketplace.models import NotificationDelivery

    order_ids = routing.pending_order_ids(datetime.timedelta(seconds=older_than_seconds))
    for order_id in order_ids:
        route_order_task.delay(order_id)
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    stale = NotificationDelivery.objects.filter(
        status=NotificationDelivery.Status.PENDING, created_at__lt=cutoff
    ).values_list("pk", flat=True)[:500]
    for delivery_id in stale:
        deliver_notification.delay(delivery_id)
    # Payments a failed or missing hook left out of the cooperatives' books.
    ports.orders().sync_unrecorded_payments()
    # Card refunds of rejected or cancelled parts whose task was lost.
    for refund_id in refunds.open_gateway_refund_ids():
        refund_part_task.delay(refund_id)
    if order_ids:
        logger.warning("Routing %d orders whose routing task was lost", len(order_ids))
    return len(order_ids)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_member_invitation(membership_id: int) -> None:
    from marketplace import cooperatives

    cooperatives.send_invitation(membership_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def refund_part_task(refund_id: int) -> str:
    """Refund a rejected or cancelled card part through its gateway (once)."""
    return refunds.refund_through_gateway(refund_id)


@shared_task
def follow_up_unaccepted_parts() -> tuple[int, int]:
    """Beat: remind cooperatives of parts left new, then flag them for staff."""
    return reachability.follow_up_unaccepted()
