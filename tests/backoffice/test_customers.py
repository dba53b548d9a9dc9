"""Customers for platform staff: find them, see their orders, and erase a customer's
personal data on request (decree 13/2023/NĐ-CP) while the books stay exactly as they
were."""

import html
import json
import re
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from saleor.account.models import Address, CustomerNote, User
from saleor.checkout.models import Checkout
from saleor.order.models import Order, OrderEvent
from saleor.payment.models import Payment

from marketplace import lifecycle
from marketplace.models import (
    CooperativeOrder,
    CustomerErasure,
    EscrowEntry,
    LedgerEntry,
    NotificationDelivery,
    PartRefund,
)
from marketplace.routing import route_order
from payments_vn.models import BankTransaction
from tests.routing.marketplace import CUSTOMER_ADDRESS, client_for
from verification.models import FakeReport

LIST = reverse("backoffice-customers")
EMAIL, PHONE = "lan.nguyen@example.vn", "+84912345678"
TRACES = ("lan.nguyen", "912345678", "Nguyễn Thị", "Phố Huế", "NGUYEN THI LAN", "113.161")


def erase_url(user) -> str:
    return reverse("backoffice-customer-erase", args=[user.pk])


@pytest.fixture
def lan(catalog, order_of, cooperative_settings, platform_staff):
    """Chị Lan: an account with an address and a note, one order placed signed in (its
    Tài Hoan part delivered, its Tân Cương part cancelled and refunded by transfer to her
    bank account, paid by a VietQR transfer whose memo has her name), one placed as a
    guest with the same e-mail, an open cart, a fake report with her phone, and the
    audit log's record of her account and her part's phone."""
    address = Address.objects.create(**CUSTOMER_ADDRESS)
    user = User.objects.create_user(
        email=EMAIL, password="Khach-hang-1", first_name="Lan", last_name="Nguyễn Thị",
        note="Hay gọi lúc 8 giờ", default_shipping_address=address,
        default_billing_address=address,
    )  # fmt: skip
    user.addresses.add(address)
    CustomerNote.objects.create(customer=user, content="Khách quen, SĐT 0912345678")
    signed_in = order_of((catalog.mien_dong, 2), (catalog.tra, 1), email=EMAIL)
    Order.objects.filter(pk=signed_in.pk).update(user=user, customer_note="Giao giờ hành chính")
    guest = order_of((catalog.mien_dong, 1), email=EMAIL)
    for order in (signed_in, guest):
        route_order(order.pk)
    tai_hoan = CooperativeOrder.objects.get(order=signed_in, producer=catalog.tai_hoan)
    for step in (lifecycle.accept, lifecycle.pack):
        step(platform_staff, tai_hoan.pk)
    lifecycle.ship(platform_staff, tai_hoan.pk, "VNPost", "EB000000001VN")
    lifecycle.deliver(platform_staff, tai_hoan.pk, None, "Chị Nguyễn Thị Lan ký nhận")
    tan_cuong = CooperativeOrder.objects.get(order=signed_in, producer=catalog.tan_cuong)
    lifecycle.cancel(platform_staff, tan_cuong.pk, "Hết hàng")
    PartRefund.objects.update_or_create(
        cooperative_order=tan_cuong,
        defaults={
            "amount": Decimal(350_000), "method": "bank_transfer", "status": "refunded",
            "bank_bin": "970436", "bank_account_number": "0011002233445",
            "bank_account_holder": "NGUYEN THI LAN", "bank_reference": "FT-HOAN-1",
            "refunded_at": timezone.now(),
        },
    )  # fmt: skip
    guest_part = CooperativeOrder.objects.get(order=guest)
    lifecycle.cancel(platform_staff, guest_part.pk, "Khách đổi ý")
    OrderEvent.objects.create(
        order=signed_in, type="email_sent", parameters={"email": EMAIL, "email_type": "order"}
    )
    OrderEvent.objects.create(
        order=signed_in, type="note_added", user=platform_staff,
        parameters={"message": "Chị Nguyễn Thị Lan gọi từ 0912345678"},
    )  # fmt: skip
    # A staff edit of the part's phone: the audit log keeps before and after.
    tai_hoan = CooperativeOrder.objects.get(pk=tai_hoan.pk)
    tai_hoan.customer_phone = "0912 345 678"
    tai_hoan.save()
    payment = Payment.objects.create(
        order=signed_in, gateway="ocop.payments.vietqr", total=signed_in.total_gross_amount,
        currency="VND", billing_email=EMAIL, billing_first_name="Lan",
        billing_last_name="Nguyễn Thị", billing_address_1="12 Phố Huế", billing_city="Hà Nội",
        customer_ip_address="113.161.1.1",
    )  # fmt: skip
    BankTransaction.objects.create(
        bank_transaction_id="FT26001", source="statement", booked_at=timezone.now(),
        amount=signed_in.total_gross_amount, description="NGUYEN THI LAN CK DH" + str(signed_in.pk),
        reference=f"DH{signed_in.pk}", payment=payment, outcome="matched",
    )  # fmt: skip
    NotificationDelivery.objects.update_or_create(
        cooperative_order=tai_hoan, channel="customer_email", event="delivered",
        defaults={"status": "sent", "recipient": EMAIL, "attempt_log": [{"to": EMAIL}]},
    )  # fmt: skip
    FakeReport.objects.create(
        ocop_product=catalog.mien_dong.product.ocop, province_code="19",
        what="Miến giả bán ở chợ", where="Chợ Đồng Xuân", contact="0912345678",
    )  # fmt: skip
    Checkout.objects.create(
        user=user, email=EMAIL, currency="VND", country="VN",
        shipping_address=Address.objects.create(**CUSTOMER_ADDRESS),
    )  # fmt: skip
    return user, signed_in, guest


def books():
    """What the accounting records say, to compare before and after."""
    return {
        "ledger": list(
            LedgerEntry.objects.order_by("pk").values_list(
                "pk", "kind", "gross_amount", "commission_amount", "net_amount"
            )
        ),
        "escrow": list(EscrowEntry.objects.order_by("pk").values_list("pk", "kind", "amount")),
        "orders": list(
            Order.objects.order_by("pk").values_list(
                "pk", "status", "total_gross_amount", "shipping_price_gross_amount", "token"
            )
        ),
        "parts": list(
            CooperativeOrder.objects.order_by("pk").values_list(
                "pk", "number", "status", "subtotal_amount", "shipping_amount", "delivered_on"
            )
        ),
        "refunds": list(PartRefund.objects.values_list("pk", "amount", "status", "bank_reference")),
        "payments": list(Payment.objects.values_list("pk", "total", "captured_amount", "token")),
        "transfers": list(BankTransaction.objects.values_list("pk", "amount", "reference")),
    }


def test_erasure_leaves_nothing_personal_and_the_books_unchanged(lan, platform_staff):
    # Given chị Lan's account, orders, refund, transfer, report and log entries
    user, signed_in, guest = lan
    before = books()
    assert before["ledger"], "the delivered part wrote the ledger"
    assert LogEntry.objects.filter(changes__icontains="912").exists()
    staff = client_for(platform_staff)

    # When platform staff erase her data on her request, typing her e-mail to confirm
    response = staff.post(
        erase_url(user),
        {"note": "Yêu cầu qua tổng đài ngày 01/12/2026, phiếu YC-118", "confirmation": EMAIL},
    )

    # Then the account is anonymised, field by field
    assert response.status_code == 302
    user.refresh_from_db()
    placeholder = f"erased-{user.pk}@invalid"
    assert (user.email, user.first_name, user.last_name, user.note) == (placeholder, "", "", "")
    assert (user.is_active, user.has_usable_password()) == (False, False)
    assert (user.default_billing_address, user.default_shipping_address) == (None, None)
    assert (list(user.addresses.all()), user.metadata, user.private_metadata) == ([], {}, {})
    assert not CustomerNote.objects.filter(customer=user).exists()
    assert not Checkout.objects.filter(user=user).exists()
    # both orders: e-mail, note and both addresses
    for order in Order.objects.filter(pk__in=[signed_in.pk, guest.pk]).select_related(
        "billing_address", "shipping_address"
    ):
        assert (order.user_email, order.customer_note) == (placeholder, "")
        for address in (order.billing_address, order.shipping_address):
            blank = {
                field: getattr(address, field)
                for field in ("first_name", "last_name", "company_name", "street_address_1",
                              "street_address_2", "city", "city_area", "postal_code",
                              "country_area")
            }  # fmt: skip
            assert blank == dict.fromkeys(blank, "")
            assert (str(address.phone), address.country.code) == ("", "VN")
    # the orders' history: the e-mails sent and the staff notes
    for event in OrderEvent.objects.filter(order__in=[signed_in, guest]):
        for trace in TRACES:
            assert trace.lower() not in json.dumps(event.parameters, ensure_ascii=False).lower()
    # the payment's billing details
    payment = Payment.objects.get(order=signed_in)
    assert (payment.billing_email, payment.billing_first_name, payment.billing_last_name) == (
        "", "", "",
    )  # fmt: skip
    assert (payment.billing_address_1, payment.billing_city, payment.customer_ip_address) == (
        "", "", None,
    )  # fmt: skip
    # our copies: the parts, the refund's bank details, the notification, the memo, the report
    for part in CooperativeOrder.objects.filter(order__in=[signed_in, guest]):
        assert (part.customer_name, part.customer_email, part.customer_phone) == ("", "", "")
        assert part.delivery_note == ""
    refund = PartRefund.objects.get()
    assert (refund.bank_account_number, refund.bank_account_holder) == ("", "")
    assert (refund.bank_bin, refund.bank_reference, refund.amount) == (
        "970436", "FT-HOAN-1", Decimal(350_000),
    )  # fmt: skip
    delivery = NotificationDelivery.objects.get(channel="customer_email", event="delivered")
    assert EMAIL not in delivery.recipient
    assert EMAIL not in json.dumps(delivery.attempt_log)
    transfer = BankTransaction.objects.get()
    assert (transfer.description, transfer.reference) == ("", f"DH{signed_in.pk}")
    assert FakeReport.objects.get().contact == ""
    # and no audit log entry still holds any of it
    for trace in TRACES:
        assert not LogEntry.objects.filter(changes__icontains=trace).exists(), trace
        assert not LogEntry.objects.filter(object_repr__icontains=trace).exists(), trace
    assert not LogEntry.objects.filter(actor=user).exclude(remote_addr=None).exists()

    # And the books are exactly as they were
    assert books() == before
    # And the erasure is recorded with who, when and why, and logged with its actor
    erasure = CustomerErasure.objects.get()
    assert (erasure.customer_id, erasure.erased_by, erasure.note) == (
        user.pk, platform_staff, "Yêu cầu qua tổng đài ngày 01/12/2026, phiếu YC-118",
    )  # fmt: skip
    assert erasure.counts["orders"] == 2
    [logged] = LogEntry.objects.get_for_object(erasure)
    assert (logged.action, logged.actor) == (LogEntry.Action.CREATE, platform_staff)
    page = staff.get(reverse("backoffice-customer", args=[user.pk])).content.decode()
    assert 'data-testid="erased"' in page
    assert "lan.nguyen" not in page


def test_another_customer_is_untouched(lan, order_of, catalog, platform_staff):
    user, _, _ = lan
    hoa = order_of((catalog.tra, 1), email="hoa@example.vn", address={"first_name": "Hoa"})
    route_order(hoa.pk)
    client_for(platform_staff).post(erase_url(user), {"note": "YC-118", "confirmation": EMAIL})
    hoa = Order.objects.select_related("shipping_address").get(pk=hoa.pk)
    assert (hoa.user_email, hoa.shipping_address.first_name) == ("hoa@example.vn", "Hoa")
    assert CooperativeOrder.objects.get(order=hoa).customer_email == "hoa@example.vn"


@pytest.mark.parametrize(
    ("post", "field", "message"),
    [
        ({"note": "", "confirmation": EMAIL}, "note", "Say what the request was"),
        ({"note": "x" * 1001, "confirmation": EMAIL}, "note", "At most 1000 characters"),
        ({"note": "YC\x00", "confirmation": EMAIL}, "note", "Must not contain the NUL"),
        ({"note": "YC-118", "confirmation": "lan@example.vn"}, "confirmation", "Type the"),
        ({"note": "YC-118"}, "confirmation", "Type the customer's e-mail address exactly"),
        ({"note": "Gọi 0912345678", "confirmation": EMAIL}, "note", "must not hold the customer"),
    ],
)
def test_a_bad_erasure_form_is_a_field_error_and_changes_nothing(
    lan, platform_staff, post, field, message
):
    user, _, _ = lan
    response = client_for(platform_staff).post(erase_url(user), post)
    assert response.status_code == 400
    shown = re.search(r'class="field-error">([^<]*)<', response.content.decode()).group(1)
    assert message in html.unescape(shown)
    user.refresh_from_db()
    assert user.email == EMAIL
    assert not CustomerErasure.objects.exists()


def test_erasure_waits_for_open_orders(catalog, order_of, platform_staff):
    user = User.objects.create_user(email="minh@example.vn")
    order = order_of((catalog.tra, 1), email="minh@example.vn")
    route_order(order.pk)
    response = client_for(platform_staff).post(
        erase_url(user), {"note": "YC-119", "confirmation": "minh@example.vn"}
    )
    assert response.status_code == 400
    assert "finish or cancel them first" in response.content.decode()
    assert CooperativeOrder.objects.get(order=order).customer_email == "minh@example.vn"


def test_erasing_twice_or_a_staff_account_is_refused(lan, platform_staff):
    user, _, _ = lan
    staff = client_for(platform_staff)
    assert staff.post(erase_url(user), {"note": "YC", "confirmation": EMAIL}).status_code == 302
    again = staff.post(erase_url(user), {"note": "YC", "confirmation": f"erased-{user.pk}@invalid"})
    assert again.status_code == 400
    assert "Already erased" in again.content.decode()
    # a staff account is not a customer: not found here
    assert staff.get(reverse("backoffice-customer", args=[platform_staff.pk])).status_code == 404


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(note=st.text(max_size=1200), confirmation=st.text(max_size=300))
def test_any_typed_erasure_is_refused_unless_confirmed(catalog, platform_staff, note, confirmation):
    user = User.objects.get_or_create(email="khach@example.vn")[0]
    response = client_for(platform_staff).post(
        erase_url(user), {"note": note, "confirmation": confirmation}
    )
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert confirmation.strip().lower() == "khach@example.vn"
        CustomerErasure.objects.all().delete()
        User.objects.filter(pk=user.pk).update(email="khach@example.vn")


@pytest.mark.usefixtures("lan")
def test_search_by_email_phone_and_name(platform_staff):
    User.objects.create_user(email="hoa@example.vn", first_name="Hoa")
    staff = client_for(platform_staff)

    def found(query):
        page = staff.get(LIST, {"q": query}).content.decode()
        return re.findall(r'<a href="/quan-tri/khach-hang/\d+/">([^<]+)</a>', page)

    assert found("lan.nguyen@") == [EMAIL]
    assert found("0912 345 678") == [EMAIL]
    assert found("+84912345678") == [EMAIL]
    assert found("nguyễn lan") == [EMAIL]
    assert found("hoa") == ["hoa@example.vn"]
    assert found("") == ["hoa@example.vn", EMAIL]
    assert platform_staff.email not in found("ocop")


@pytest.mark.parametrize(
    ("query", "status"),
    [({"q": "x" * 101}, 400), ({"q": "a\x00"}, 400), ({"truoc": "abc"}, 400),
     ({"truoc": "9" * 10_000}, 400), ({"truoc": "1"}, 200)],
)  # fmt: skip
def test_bad_search_input(db, platform_staff, query, status):
    assert client_for(platform_staff).get(LIST, query).status_code == status


def test_pages_cost_the_same_queries_for_one_customer_or_many(db, platform_staff):
    staff = client_for(platform_staff)
    User.objects.create_user(email="k0@example.vn")
    staff.get(LIST)  # the session's first request reads the permissions once
    with CaptureQueriesContext(connection) as one:
        assert staff.get(LIST).status_code == 200
    for n in range(1, 60):
        address = Address.objects.create(first_name=f"K{n}", phone=f"+8490000{n:04d}", country="VN")
        User.objects.create_user(email=f"k{n}@example.vn", default_billing_address=address)
    with CaptureQueriesContext(connection) as many:
        page = staff.get(LIST)
    assert len(many) == len(one)
    # 50 a page, the next page after the last one shown
    shown = re.findall(r'href="/quan-tri/khach-hang/(\d+)/"', page.content.decode())
    assert len(shown) == 50
    after = staff.get(LIST, {"truoc": shown[-1]}).content.decode()
    assert len(re.findall(r'href="/quan-tri/khach-hang/(\d+)/"', after)) == 10


def test_the_customer_page_lists_their_orders(lan, platform_staff):
    user, signed_in, guest = lan
    page = client_for(platform_staff).get(reverse("backoffice-customer", args=[user.pk]))
    orders = re.findall(r'<td data-label="Đơn">#(\d+)', page.content.decode())
    assert orders == [str(guest.pk), str(signed_in.pk)]
    assert Order.objects.aggregate(total=Sum("total_gross_amount"))["total"] > 0
