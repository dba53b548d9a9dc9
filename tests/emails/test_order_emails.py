"""Order e-mails: confirmation (with how to pay), the staff's "new order", shipping and
payment received, each sent by Saleor's own task for an order placed through Saleor's
GraphQL checkout."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from urllib.parse import urlsplit

import graphene
import pytest
from django.contrib.sites.models import Site
from django.test import Client
from saleor.order.actions import create_fulfillments
from saleor.order.emails import (
    send_fulfillment_confirmation,
    send_order_confirmation,
    send_staff_order_confirmation,
)
from saleor.order.models import Order

from payments_vn.matching import BankCredit, record_bank_credit
from saleor_adapter.payments.cod import GATEWAY_ID as COD
from saleor_adapter.payments.saleor_payments import (
    collect_cash_on_delivery,
    transfer_instructions,
    transfer_reference,
)
from saleor_adapter.payments.vietqr import GATEWAY_ID as VIETQR
from tests.emails.conftest import BUYER, SHOP, assert_complete, html_of
from tests.fairs.decoding import decode_png
from tests.saleor_fixtures.api import grant
from tests.saleor_fixtures.checkout import buy

DUMMY = "mirumee.payments.dummy"
NBSP = "\xa0"  # babel writes "280.000 ₫" with a non-breaking space


def vnd(text: str) -> str:
    return text.replace(" ₫", f"{NBSP}₫")


def order_page(order: Order) -> str:
    return f"http://localhost:8000/don-hang/{order.token}/"


def test_checkout_sends_the_buyer_and_staff_a_confirmation(
    api_client,
    ocop_product,
    staff_recipient,
    settings,
    celery_runs_tasks_inline,
    run_on_commit,
    mailoutbox,
):
    # Given a shop that sends as don-hang@cho-ocop.vn, whose staff are told of new orders,
    # and Celery running tasks inline
    settings.DEFAULT_FROM_EMAIL = f"{SHOP} <don-hang@cho-ocop.vn>"
    # When Lan completes a checkout through Saleor's GraphQL API, paying cash on delivery
    with run_on_commit():
        result = buy(api_client, ocop_product.variants.get(), 2, COD, token="cod")

    # Then the order is placed and, once committed, both e-mails are sent
    assert result["checkoutErrors"] == []
    order = Order.objects.get()
    by_recipient = {tuple(message.to): message for message in mailoutbox}
    buyer_mail = by_recipient[(BUYER,)]
    staff_mail = by_recipient[("nhanvien@ocop.test",)]

    assert buyer_mail.subject == f"[{SHOP}] Xác nhận đơn hàng #{order.pk} / Order confirmation"
    assert buyer_mail.from_email == f"{SHOP} <don-hang@cho-ocop.vn>"
    assert vnd("Tổng cộng (Total): 280.000 ₫") in buyer_mail.body
    assert (
        vnd("Thanh toán khi nhận hàng: vui lòng chuẩn bị 280.000 ₫ để trả cho người giao hàng.")
        in buyer_mail.body
    )
    assert vnd('chuẩn bị <strong style="font-size:17px;">280.000 ₫</strong>') in html_of(buyer_mail)
    assert f"Xem đơn hàng (View your order): {order_page(order)}" in buyer_mail.body
    assert_complete(buyer_mail)

    assert staff_mail.subject == vnd(f"[{SHOP}] Đơn hàng mới #{order.pk} – 280.000 ₫ / New order")
    assert f"Khách hàng (Customer): Nguyễn Thị Lan – {BUYER}" in staff_mail.body
    assert_complete(staff_mail)


def test_confirmation_lists_lines_totals_and_the_shipping_address(place_order, mailoutbox):
    # Given an order paid by card (Saleor's dummy gateway)
    order = place_order(DUMMY)

    # When Saleor's confirmation task runs
    send_order_confirmation(order.pk, "")

    # Then the buyer gets every line, the totals in VND and where it ships, in both parts
    (message,) = mailoutbox
    assert message.to == [BUYER]
    assert message.subject == f"[{SHOP}] Xác nhận đơn hàng #{order.pk} / Order confirmation"
    assert message.body == vnd(
        f"""Xin chào Nguyễn Thị Lan,

Cảm ơn quý khách đã đặt hàng. Đơn hàng #{order.pk} đã được ghi nhận; các chủ thể OCOP sẽ chuẩn bị và gửi hàng cho quý khách.
Thank you for your order #{order.pk}. We will let you know when it ships.

- Miến dong Tài Hoan: 2 × 125.000 ₫ = 250.000 ₫

Tạm tính (Subtotal): 250.000 ₫
Phí giao hàng (Shipping) – Giao hàng tiêu chuẩn: 30.000 ₫
Tổng cộng (Total): 280.000 ₫
Hình thức thanh toán (Payment method): Dummy
Trạng thái thanh toán (Payment status): Đã thanh toán (Paid)

Giao đến (Ship to): Nguyễn Thị Lan – +84912345678
12 Phố Huế, HAI BÀ TRƯNG, Hà Nội, 100000

Xem đơn hàng (View your order): {order_page(order)}

{SHOP}
"""  # noqa: E501
    )
    html = html_of(message)
    for cell in [
        "Miến dong Tài Hoan<br>",
        vnd('<span style="font-size:13px;color:#5f6b7a;">2 × 125.000 ₫</span>'),
        vnd('white-space:nowrap;">250.000 ₫</td>'),
        vnd('font-weight:bold;white-space:nowrap;">280.000 ₫</td>'),
        f'<a href="{order_page(order)}"',
    ]:
        assert cell in html
    assert "Hướng dẫn chuyển khoản" not in html
    assert_complete(message)


def test_confirmation_of_a_bank_transfer_order_says_how_to_pay(
    place_order, vietqr_account, mailoutbox
):
    # Given an order to be paid by VietQR bank transfer
    order = place_order(VIETQR, token="vietqr")
    reference = transfer_reference(order.payments.get())

    # When Saleor's confirmation task runs, for a storefront that asked for its own link
    send_order_confirmation(order.pk, "http://localhost:3000/don-hang/")

    # Then the buyer reads the shop's account, the exact amount and the order's reference
    (message,) = mailoutbox
    assert (
        vnd(
            f"""HƯỚNG DẪN CHUYỂN KHOẢN (How to pay by bank transfer)
Ngân hàng (Bank): VietinBank
Số tài khoản (Account number): 113366668888
Chủ tài khoản (Account holder): CONG TY CHO OCOP (MAU)
Số tiền (Amount): 280.000 ₫
Nội dung chuyển khoản (Transfer reference): {reference}
"""
        )
        in message.body
    )
    html = html_of(message)
    assert "Ngân hàng (Bank): <strong>VietinBank</strong>" in html
    assert "113366668888</strong>" in html
    assert "Chủ tài khoản (Account holder): <strong>CONG TY CHO OCOP (MAU)</strong>" in html
    assert vnd('Số tiền (Amount): <strong style="font-size:17px;">280.000 ₫</strong>') in html
    assert f'letter-spacing:1px;">{reference}</strong>' in html
    assert (
        "Hình thức thanh toán (Payment method): Chuyển khoản ngân hàng – VietQR (Bank transfer)\n"
        "Trạng thái thanh toán (Payment status): Chưa thanh toán (Not paid)" in message.body
    )
    assert "Thanh toán khi nhận hàng:" not in message.body
    # the link the storefront asked for, with the order's token
    assert f"http://localhost:3000/don-hang/?token={order.token}" in message.body
    assert_complete(message)
    # and the VietQR code as an image the shop serves, which a banking app reads as the
    # order's transfer: this bank, account, amount and reference
    image = re.search(r'<img src="([^"]+)" width="240" height="240" alt="VietQR ([^"]+)"', html)
    assert image.groups() == (
        f"http://{Site.objects.get_current().domain}/don-hang/{order.token}/vietqr.png",
        reference,
    )
    png = Client().get(urlsplit(image.group(1)).path, HTTP_HOST="127.0.0.1")
    assert png.status_code == 200
    assert png["Content-Type"] == "image/png"
    assert [code.text for code in decode_png(png.content)] == [transfer_instructions(order).payload]


def test_html_escapes_what_the_buyer_typed_and_plain_text_keeps_it(place_order, mailoutbox):
    # Given an order whose note holds markup
    order = place_order(COD, token="cod")
    order.customer_note = "Gọi trước <sau 17h> & để ở bảo vệ"
    order.save(update_fields=["customer_note"])

    # When the confirmation is sent
    send_order_confirmation(order.pk, "")

    # Then the HTML shows the note as text, the plain part as typed
    (message,) = mailoutbox
    assert "Ghi chú (Note): Gọi trước <sau 17h> & để ở bảo vệ" in message.body
    assert "Gọi trước &lt;sau 17h&gt; &amp; để ở bảo vệ" in html_of(message)
    assert "<sau 17h>" not in html_of(message)
    assert_complete(message)


def test_staff_are_told_of_a_new_order(place_order, staff_recipient, mailoutbox):
    # Given a cash-on-delivery order and one staff member who wants new-order e-mails
    order = place_order(COD, token="cod")

    # When Saleor's staff notification task runs
    send_staff_order_confirmation(order.pk, "")

    # Then that staff member gets the order with the customer, lines and total
    (message,) = mailoutbox
    assert message.to == ["nhanvien@ocop.test"]
    assert message.subject == vnd(f"[{SHOP}] Đơn hàng mới #{order.pk} – 280.000 ₫ / New order")
    assert f"Có đơn hàng mới #{order.pk} cần xử lý." in message.body
    assert vnd("- Miến dong Tài Hoan: 2 × 125.000 ₫ = 250.000 ₫") in message.body
    assert vnd("Tổng cộng (Total): 280.000 ₫") in message.body
    assert (
        "Hình thức thanh toán (Payment method): Thanh toán khi nhận hàng (Cash on delivery)"
        in message.body
    )
    assert_complete(message)


ORDER_FULFILL = """
mutation Fulfill($order: ID!, $input: OrderFulfillInput!) {
  orderFulfill(order: $order, input: $input) {
    fulfillments { id }
    orderErrors { field code message }
  }
}
"""

UPDATE_TRACKING = """
mutation Track($id: ID!, $input: FulfillmentUpdateTrackingInput!) {
  orderFulfillmentUpdateTracking(id: $id, input: $input) {
    orderErrors { field code message }
  }
}
"""


def test_shipping_and_its_tracking_number_are_mailed(
    place_order, cooperative_warehouse, staff_api_client, celery_runs_tasks_inline, mailoutbox
):
    # Given a placed order and staff allowed to manage orders
    order = place_order(COD, token="cod")
    grant(staff_api_client.user, "manage_orders")
    line = order.lines.get()

    # When staff ship it through Saleor's API, asking Saleor to tell the buyer
    shipped = staff_api_client.post_graphql(
        ORDER_FULFILL,
        {
            "order": graphene.Node.to_global_id("Order", order.pk),
            "input": {
                "notifyCustomer": True,
                "lines": [
                    {
                        "orderLineId": graphene.Node.to_global_id("OrderLine", line.pk),
                        "stocks": [
                            {
                                "quantity": 2,
                                "warehouse": graphene.Node.to_global_id(
                                    "Warehouse", cooperative_warehouse.pk
                                ),
                            }
                        ],
                    }
                ],
            },
        },
    )["orderFulfill"]
    assert shipped["orderErrors"] == []
    fulfillment_id = shipped["fulfillments"][0]["id"]

    # Then the buyer learns the order shipped, the tracking number to follow
    (shipped_mail,) = mailoutbox
    assert shipped_mail.to == [BUYER]
    assert shipped_mail.subject == (
        f"[{SHOP}] Đơn hàng #{order.pk} đã được gửi đi / Your order has shipped"
    )
    assert f"Đơn hàng #{order.pk} của quý khách đã được gửi đi (lần giao {order.pk}-1)." in (
        shipped_mail.body
    )
    assert "- Miến dong Tài Hoan × 2" in shipped_mail.body
    assert "Mã vận đơn sẽ được gửi sau (tracking number to follow)." in shipped_mail.body
    assert_complete(shipped_mail)

    # When staff add the tracking number and notify the buyer
    tracked = staff_api_client.post_graphql(
        UPDATE_TRACKING,
        {"id": fulfillment_id, "input": {"trackingNumber": "GHN8KX29VN", "notifyCustomer": True}},
    )["orderFulfillmentUpdateTracking"]
    assert tracked["orderErrors"] == []

    # Then a shipping update carries it
    _, update_mail = mailoutbox
    assert update_mail.subject == f"[{SHOP}] Cập nhật giao hàng đơn #{order.pk} / Shipping update"
    assert "Mã vận đơn (Tracking number): GHN8KX29VN" in update_mail.body
    assert (
        'Mã vận đơn (Tracking number): <strong style="font-size:17px;letter-spacing:1px;">'
        "GHN8KX29VN</strong>" in html_of(update_mail)
    )
    assert_complete(update_mail)


def test_shipment_mail_names_the_carrier_and_tracking_number(
    place_order, cooperative_warehouse, mailoutbox
):
    # Given an order a cooperative shipped with GHTK, tracking number S21.HN.8842
    order = place_order(COD, token="cod")
    (fulfillment,) = create_fulfillments(
        None,
        order,
        {cooperative_warehouse.pk: [{"order_line": order.lines.get(), "quantity": 2}]},
        notify_customer=False,
    )
    fulfillment.tracking_number = "S21.HN.8842"
    fulfillment.store_value_in_metadata({"ocop.carrier": "GHTK"})
    fulfillment.save()

    # When Saleor's shipment confirmation task runs
    send_fulfillment_confirmation(order.pk, fulfillment.pk)

    # Then the buyer reads who carries the parcel and its tracking number
    (message,) = mailoutbox
    assert message.to == [BUYER]
    assert "Đơn vị vận chuyển (Carrier): GHTK\nMã vận đơn (Tracking number): S21.HN.8842" in (
        message.body
    )
    assert "Đơn vị vận chuyển (Carrier): <strong>GHTK</strong>" in html_of(message)
    assert_complete(message)


@pytest.mark.parametrize("gateway", [VIETQR, COD])
def test_receiving_the_money_sends_a_payment_confirmation(
    gateway, place_order, vietqr_account, celery_runs_tasks_inline, mailoutbox
):
    # Given an order paid offline: by bank transfer, or cash on delivery
    order = place_order(gateway, token=gateway.rsplit(".", 1)[-1])

    # When the money arrives: the bank reports the transfer, or the courier the cash
    if gateway == VIETQR:
        reference = transfer_reference(order.payments.get())
        booked = datetime.datetime(2026, 11, 23, 9, 30, tzinfo=datetime.UTC)
        record_bank_credit(
            BankCredit("FT2632700001", Decimal(280000), f"CK {reference}", booked), "statement"
        )
    else:
        collect_cash_on_delivery(order)

    # Then Saleor sends the buyer its payment confirmation
    (message,) = mailoutbox
    assert message.to == [BUYER]
    assert message.subject == (
        f"[{SHOP}] Đã nhận thanh toán đơn hàng #{order.pk} / Payment received"
    )
    assert (
        vnd(f"Chúng tôi đã nhận được 280.000 ₫ thanh toán cho đơn hàng #{order.pk}.")
        in message.body
    )
    assert "Trạng thái thanh toán (Payment status): Đã thanh toán (Paid)" in message.body
    assert vnd("Tổng cộng (Total): 280.000 ₫") in message.body
    assert f"Xem đơn hàng (View your order): {order_page(order)}" in message.body
    assert_complete(message)
