"""Nobody unreachable: a cooperative no channel reaches goes on the staff queue at once;
a part left "new" reminds its cooperative, then flags staff — each once."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from saleor.order.models import OrderEvent
from saleor.plugins.models import PluginConfiguration

from marketplace import lifecycle, reachability
from marketplace.configuration import ConfigurationError, parse_settings
from marketplace.models import (
    CooperativeOrder,
    CooperativeSettings,
    NotificationDelivery,
    OrderRouting,
)
from marketplace.routing import route_order
from saleor_adapter.ocop.plugin import PLUGIN_ID
from tests.routing.marketplace import member_of


def routed(order_of, catalog):
    order = order_of((catalog.mien_dong, 2), (catalog.tra, 1))
    route_order(order.pk)
    return order, OrderRouting.objects.get(order=order)


def test_a_cooperative_without_any_channel_puts_its_new_part_on_the_staff_queue(
    catalog, order_of, tan_cuong_staff
):
    # Given Tài Hoan has no e-mail, no portal account and no webhook (Tân Cương has a
    # portal account)
    # When an order with a part for each is routed
    order, routing = routed(order_of, catalog)

    # Then the order needs a person at once, for Tài Hoan's part only
    tai_hoan = CooperativeOrder.objects.get(order=order, producer=catalog.tai_hoan)
    assert routing.needs_attention is True
    assert routing.attention_reason == (
        f"HTX Hợp tác xã Tài Hoan không có kênh liên lạc nào (e-mail, tài khoản cổng HTX, "
        f"webhook): đơn {tai_hoan.number} cần người gọi điện / Hợp tác xã Tài Hoan has no "
        f"working channel (e-mail, portal account, webhook): part {tai_hoan.number} needs "
        f"a phone call"
    )
    assert "Tân Cương" not in routing.attention_reason
    # and the shop's order history says so too
    assert OrderEvent.objects.filter(
        order=order, type="note_added", parameters__message=routing.attention_reason
    ).exists()


@pytest.mark.parametrize("channel", ["notification_email", "webhook", "portal", "producer_email"])
def test_any_one_working_channel_is_enough(catalog, order_of, channel):
    # Given each cooperative has just one channel
    for producer in (catalog.tai_hoan, catalog.tan_cuong):
        if channel == "notification_email":
            CooperativeSettings.objects.create(producer=producer, notification_email="a@htx.test")
        elif channel == "webhook":
            CooperativeSettings.objects.create(
                producer=producer, webhook_url="https://htx.test/hook", webhook_secret="s"
            )
        elif channel == "portal":
            member_of(producer, f"{producer.pk}@htx.test")
        else:
            producer.email = f"{producer.pk}@htx.test"
            producer.save(update_fields=["email"])

    # When an order is routed, nobody is flagged
    _, routing = routed(order_of, catalog)
    assert (routing.needs_attention, routing.attention_reason) == (False, "")


def test_a_disabled_portal_account_is_no_channel(catalog, order_of, cooperative_settings):
    CooperativeSettings.objects.filter(producer=catalog.tai_hoan).update(notification_email="")
    member_of(catalog.tai_hoan, "nghi.viec@taihoan.test").__class__.objects.filter(
        email="nghi.viec@taihoan.test"
    ).update(is_active=False)

    _, routing = routed(order_of, catalog)

    assert routing.needs_attention is True
    assert "Hợp tác xã Tài Hoan không có kênh" in routing.attention_reason


def aged(part, hours):
    CooperativeOrder.objects.filter(pk=part.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=hours)
    )


def test_a_part_not_accepted_in_time_reminds_the_cooperative_then_flags_staff(
    cooperative_settings, orders, tan_cuong_staff, marketplace_on_commit, celery_runs_tasks_inline
):
    tai_hoan, tai_hoan_2 = orders["tai_hoan"]
    tan_cuong = orders["tan_cuong"][0]
    # Given Tài Hoan's first part is 25 hours old, its second 1 hour old, and Tân Cương
    # accepted its 25-hour-old part
    aged(tai_hoan, 25)
    aged(tan_cuong, 25)
    lifecycle.accept(tan_cuong_staff, tan_cuong.pk)
    mail.outbox.clear()

    # When the beat task runs (twice: it is safe to)
    with marketplace_on_commit():
        assert reachability.follow_up_unaccepted() == (1, 0)
    with marketplace_on_commit():
        assert reachability.follow_up_unaccepted() == (0, 0)

    # Then Tài Hoan got one reminder for that part, and nobody else anything
    assert [(m.subject, m.to) for m in mail.outbox] == [
        (f"[Chợ OCOP] Nhắc việc: đơn {tai_hoan.number} chưa được nhận", ["donhang@taihoan.test"])
    ]
    assert "NHẮC VIỆC" in mail.outbox[0].body
    assert not OrderRouting.objects.filter(needs_attention=True).exists()

    # When the part is still new 49 hours after the order (past the 48-hour default)
    aged(tai_hoan, 49)
    assert reachability.follow_up_unaccepted() == (0, 1)
    assert reachability.follow_up_unaccepted() == (0, 0)

    # Then staff see it on their queue, once
    routing = OrderRouting.objects.get(order_id=tai_hoan.order_id)
    assert routing.needs_attention is True
    assert routing.attention_reason == (
        f"HTX Hợp tác xã Tài Hoan chưa nhận đơn {tai_hoan.number} sau 48 giờ / "
        f"Hợp tác xã Tài Hoan has not accepted part {tai_hoan.number} after 48 hours"
    )
    assert NotificationDelivery.objects.filter(event="acceptance_reminder").count() == 1
    assert CooperativeOrder.objects.get(pk=tai_hoan_2.pk).escalated_at is None


def test_the_times_come_from_the_ocop_plugin(cooperative_settings, orders):
    # Given the operator reminds after 2 hours and flags after 3
    PluginConfiguration.objects.update_or_create(
        identifier=PLUGIN_ID,
        defaults={
            "active": True,
            "configuration": [
                {"name": "acceptance_reminder_hours", "value": "2"},
                {"name": "acceptance_escalation_hours", "value": "3"},
            ],
        },
    )
    part = orders["tai_hoan"][0]
    aged(part, 4)

    # Then a 4-hour-old part is both reminded and flagged
    assert reachability.follow_up_unaccepted() == (1, 1)


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"acceptance_reminder_hours": "0"}, "acceptance_reminder_hours"),
        ({"acceptance_reminder_hours": "²"}, "acceptance_reminder_hours"),
        ({"acceptance_reminder_hours": "721"}, "acceptance_reminder_hours"),
        ({"acceptance_escalation_hours": "12"}, "acceptance_escalation_hours"),  # < 24
        ({"acceptance_escalation_hours": "abc"}, "acceptance_escalation_hours"),
    ],
)
def test_bad_follow_up_times_are_refused_in_both_languages(raw, field):
    with pytest.raises(ConfigurationError) as refused:
        parse_settings(raw)
    assert refused.value.field == field
    assert " / " in refused.value.message
