"""Concurrency, with real commits: separate processes (and threads in them) on a
scratch database, as web and Celery workers would run."""

import json
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from email import message_from_bytes
from pathlib import Path

import pytest

from devtools import services
from tests.database import drop_scratch_database, run_sql, scratch_database_url


def worker(url: str, *args, eager=True, mail_dir=None, background=False):
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DATABASE_CONN_MAX_AGE": "0",
        "CELERY_TASK_ALWAYS_EAGER": "True" if eager else "False",
        # A broker that keeps nothing: tasks .delay()ed by a non-eager worker are lost,
        # as when a broker goes down between commit and enqueue.
        "CELERY_BROKER_URL": "memory://",
        # dj-email-url drops the first slash of the path: "file:///" + "/abs/dir".
        "EMAIL_URL": f"file:///{mail_dir}" if mail_dir else "memory://",
        "DEFAULT_FROM_EMAIL": "donhang@cho-ocop.test",
    }
    command = [sys.executable, "-m", "tests.routing.concurrency_worker", *map(str, args)]
    if background:
        return subprocess.Popen(
            command, cwd=services.REPO_ROOT, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip
    done = subprocess.run(
        command, cwd=services.REPO_ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def scratch(request):
    name = f"ocop_conc_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{request.node.name[:20]}"
    yield scratch_database_url(name)
    drop_scratch_database(name)


@pytest.mark.slow
def test_concurrent_checkouts_of_the_last_units_never_oversell(db, scratch):
    # Given 3 packs of miến dong left
    worker(scratch, "catalog", "--mien-dong", 3)

    # When 8 customers complete their checkout for one pack at the same moment
    results = worker(scratch, "checkout-race", "--threads", 8, eager=False)["results"]

    # Then exactly 3 get an order, the others are told it is out of stock
    orders = [r for r in results if r["order"]]
    assert len(orders) == 3, results
    refused = [r for r in results if not r["order"]]
    assert [r["codes"] for r in refused] == [["INSUFFICIENT_STOCK"]] * 5, refused
    # and only the 3 buyers who got an order were charged: the check runs before payment
    assert (
        run_sql(
            scratch,
            """
        SELECT count(*) FROM payment_transaction
        WHERE kind IN ('capture', 'auth') AND is_success""",
        )[0][0]
        == 3
    )
    # and the stock is exactly used up: 3 on hand, 3 allocated, to 3 order lines
    assert run_sql(scratch, """
        SELECT s.quantity, sum(a.quantity_allocated), count(DISTINCT a.order_line_id)
        FROM warehouse_stock s JOIN product_productvariant v ON v.id = s.product_variant_id
        JOIN warehouse_allocation a ON a.stock_id = s.id
        WHERE v.sku IN (SELECT sku FROM product_productvariant v2
                        JOIN product_product p ON p.id = v2.product_id
                        WHERE p.name = 'Miến dong Tài Hoan')
        GROUP BY s.quantity""") == [(3, 3, 3)]  # fmt: skip
    assert run_sql(scratch, "SELECT count(*) FROM order_order")[0][0] == 3
    # and the OCOP plugin's hook recorded each of the 3 orders for routing
    assert run_sql(scratch, "SELECT count(*) FROM marketplace_orderrouting")[0][0] == 3


def test_a_capture_for_stock_sold_meanwhile_is_refunded_and_its_record_kept(db, scratch):
    # Given the last pack of miến dong
    worker(scratch, "catalog", "--mien-dong", 1)

    # When a customer pays for it (Saleor's dummy gateway captures 150.000 ₫: 125.000 ₫
    # + one 500 g parcel from Thái Nguyên to Hà Nội, within the North, 25.000 ₫) and, while
    # the gateway is capturing, the cooperative sells it at its stall and sets the stock
    # to 0, so Saleor cannot allocate it when it creates the order
    result = worker(scratch, "paid-then-sold-out", eager=False)

    # Then the customer gets no order, and is told why and that the money went back
    assert result["order"] is None
    assert result["graphql_errors"] is None
    assert result["errors"] == [
        {
            "field": None,
            "code": "INSUFFICIENT_STOCK",
            "message": "Không đủ hàng: Miến dong Tài Hoan; khoản thanh toán đã được hoàn lại"
            " / Insufficient stock: Miến dong Tài Hoan; your payment was refunded",
        }
    ]
    # and Saleor's record of the capture survived, followed by the refund through the
    # same gateway
    assert run_sql(
        scratch, "SELECT kind, is_success, amount FROM payment_transaction ORDER BY id"
    ) == [("capture", True, Decimal("150000.00")), ("refund", True, Decimal("150000.00"))]
    assert run_sql(
        scratch, "SELECT charge_status, captured_amount, is_active, order_id FROM payment_payment"
    ) == [("fully-refunded", Decimal("0.00"), False, None)]
    # and no order, allocation or reservation is left; the checkout stays, to try again
    assert run_sql(scratch, """
        SELECT (SELECT count(*) FROM order_order), (SELECT count(*) FROM warehouse_allocation),
               (SELECT count(*) FROM marketplace_stockreservation),
               (SELECT count(*) FROM checkout_checkout)""") == [(0, 0, 0, 1)]  # fmt: skip
    # and the books balance: captured − refunded = 0, and nobody's ledger or escrow
    # holds any of it
    assert run_sql(scratch, """
        SELECT sum(CASE kind WHEN 'capture' THEN amount ELSE -amount END)
        FROM payment_transaction WHERE is_success""") == [(Decimal("0.00"),)]  # fmt: skip
    assert run_sql(scratch, """
        SELECT (SELECT count(*) FROM marketplace_paymentrecord),
               (SELECT count(*) FROM marketplace_ledgerentry),
               (SELECT count(*) FROM marketplace_escrowentry)""") == [(0, 0, 0)]  # fmt: skip


COUNTS = {
    "cooperative orders": "SELECT count(*) FROM marketplace_cooperativeorder",
    "cooperative lines": "SELECT count(*) FROM marketplace_cooperativeorderline",
    "notifications": "SELECT count(*) FROM marketplace_notificationdelivery",
    "routed orders": "SELECT count(*) FROM marketplace_orderrouting WHERE status = 'routed'",
}
PARTIAL = """
    SELECT count(*) FROM marketplace_orderrouting r
    WHERE (r.status = 'routed') <> (
        (SELECT count(*) FROM marketplace_cooperativeorder c WHERE c.order_id = r.order_id) = 2
        AND (SELECT count(*) FROM marketplace_cooperativeorderline l
             JOIN marketplace_cooperativeorder c ON c.id = l.cooperative_order_id
             WHERE c.order_id = r.order_id) = 2
        AND (SELECT count(*) FROM marketplace_notificationdelivery n
             JOIN marketplace_cooperativeorder c ON c.id = n.cooperative_order_id
             WHERE c.order_id = r.order_id) = 2)
    OR (r.status = 'pending' AND EXISTS (
        SELECT 1 FROM marketplace_cooperativeorder c WHERE c.order_id = r.order_id))"""


OTHER_BACKENDS = """SELECT count(*) FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid()"""


def sent_mails(folder: Path) -> list:
    messages = []
    for path in folder.glob("*.log"):
        for chunk in path.read_bytes().split(b"-" * 79):
            if chunk.strip():
                messages.append(message_from_bytes(chunk.strip()))
    return messages


@pytest.mark.slow
def test_200_orders_routed_by_concurrent_workers_exactly_once(db, scratch, tmp_path):
    # Given 200 orders, each from two cooperatives, whose routing tasks were lost
    worker(scratch, "catalog", "--mien-dong", 1000, "--tra", 1000)
    assert worker(scratch, "place-orders", 200, eager=False) == {"orders": 200}
    assert run_sql(scratch, COUNTS["routed orders"])[0][0] == 0
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()

    # When a worker is killed in the middle of routing them
    victim = worker(scratch, "route", "--threads", 1, mail_dir=mail_dir, background=True)
    assert json.loads(victim.stdout.readline()) == {"pending": 200}
    deadline = time.monotonic() + 60
    while run_sql(scratch, COUNTS["routed orders"])[0][0] < 20 and time.monotonic() < deadline:
        time.sleep(0.02)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    # Its server backend may still be finishing a COMMIT it had received: count only once
    # it is gone, or the count below could miss the last order it routed.
    deadline = time.monotonic() + 30
    while run_sql(scratch, OTHER_BACKENDS)[0][0] and time.monotonic() < deadline:
        time.sleep(0.05)

    # Then every order is either wholly routed or not at all
    routed = run_sql(scratch, COUNTS["routed orders"])[0][0]
    assert 20 <= routed < 200
    assert run_sql(scratch, PARTIAL)[0][0] == 0

    # When two workers with two threads each then route every pending order concurrently
    first = worker(scratch, "route", "--threads", 2, mail_dir=mail_dir, background=True)
    second = worker(scratch, "route", "--threads", 2, mail_dir=mail_dir, background=True)
    outputs = [
        json.loads(process.communicate(timeout=300)[0].strip().splitlines()[-1])
        for process in (first, second)
    ]

    # Then each remaining order was created by exactly one of the four routers
    assert sum(sum(o["runs"]) for o in outputs) == 200 - routed
    # and there are exactly 200 × 2 cooperative orders, lines and notifications
    assert {name: run_sql(scratch, q)[0][0] for name, q in COUNTS.items()} == {
        "cooperative orders": 400, "cooperative lines": 400, "notifications": 400,
        "routed orders": 200,
    }  # fmt: skip
    assert run_sql(scratch, PARTIAL)[0][0] == 0

    # When the sweeper runs (it finds the notifications the killed worker committed but
    # never sent)
    assert worker(scratch, "sweep", mail_dir=mail_dir) == {"routed": 0}

    # Then every cooperative order's notification was sent, and none twice except the
    # one the killed worker may have been sending when it died: its mail left, its
    # "sent" never committed (at-least-once, see marketplace/notifications.py)
    # — a repeat that carries the same Message-ID, so the inbox shows it once
    mails = sent_mails(mail_dir)
    messages = {(m["Message-ID"], m["Subject"]) for m in mails}
    assert len(messages) == 400
    assert len({message_id for message_id, _ in messages}) == 400
    assert len(mails) - len(messages) <= 1
    assert run_sql(
        scratch,
        """SELECT status, attempts, count(*)
                               FROM marketplace_notificationdelivery GROUP BY 1, 2""",
    ) == [("sent", 1, 400)]
