"""Benchmark: every back-office list screen at national scale, served, 10 staff at once.

    .venv/bin/python bench/backoffice_lists.py [--orders 100000] [--products 15000]
        [--cooperatives 8000] [--clients 10] [--requests 100] [--quick] [--rebuild]

Target (issue 14): every list screen p95 ≤ 150 ms at 10 concurrent staff with 100,000
orders, 15,000 products and 8,000 cooperatives; queries per page constant in the page size.

Its own database, named for what it holds (``ocop_bench_backoffice_<fingerprint>``: the
sizes and the generator's version), built once and reused while complete:

* the catalogue through the registry importer (synthetic rows dealt out to a pool of
  ``--cooperatives`` producers), topped up with producers without products if the pool
  came out short; each producer gets its settings (bank account, e-mail) and one member;
* customers, and ``--orders`` Saleor orders with their lines, payment, routing row,
  cooperative parts (one to three), part lines, part events, payment records, bank
  transactions (some to review), refunds, ledger entries (older ones paid out in monthly
  batches), and audit-log entries, written with ``bulk_create`` in batches;
* import runs, fairs in every province, provincial staff.

Then it serves the shop as ``make demo`` does (gunicorn) and, with ``--clients`` signed-in
sessions (the one sign-in page, real cookies) requesting at once, loads every list screen
found by url name (screens not in this tree yet are skipped with a line saying so), with
typical filters, searches and page 50. Per screen and variant: p50, p95, max; queries per
page counted in process for the full page and for a page size of 1 (constant: yes/no);
and the same load on two baselines: the health page and Saleor's own GraphQL
``orders(first: 20)`` as staff, with each screen's p95 ratio to Saleor's. Last, the
slowest queries of the slowest screens, and PostgreSQL's plan of the slowest one.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import random
import re
import statistics
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

# Bump when what the build writes changes: a new fingerprint, a new database.
GENERATOR_VERSION = 1
TARGET_MS = 150.0
JSON = "application/json"
SLOW_MS = 3000.0  # a page slower than this at warm-up gets one round of requests
UNBOUNDED_ROWS = 60  # more rows than any page shows, and no fewer for a page of 1
PASSWORD = "bench-backoffice-1"
STAFF_EMAIL = "nhanvien{}@bench-backoffice.test"
PROVINCE_EMAIL = "tinh@bench-backoffice.test"
BATCH = 2000
QUICK = {"orders": 3000, "products": 400, "cooperatives": 200, "requests": 30}
SALEOR_ORDERS = """
query { orders(first: 20) { totalCount edges { node {
  id number created status userEmail paymentStatus
  total { gross { amount currency } }
} } } }"""


def fingerprint(args) -> str:
    text = f"v{GENERATOR_VERSION} o{args.orders} p{args.products} c{args.cooperatives}"
    return hashlib.sha1(text.encode()).hexdigest()[:10]


# --- the database --------------------------------------------------------------------


def drop_incomplete_database(name: str) -> None:
    """A build that stopped half-way is started again from an empty database."""
    import psycopg2

    from devtools import services

    url = services.database_url()
    probe = psycopg2.connect(services.with_database_name(url, "postgres"))
    probe.autocommit = True
    with probe.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
    if exists:
        target = psycopg2.connect(services.with_database_name(url, name))
        with target.cursor() as cursor:
            cursor.execute("SELECT to_regclass('bench_build') IS NOT NULL")
            complete = cursor.fetchone()[0]
            if complete:
                cursor.execute("SELECT fingerprint FROM bench_build")
                complete = cursor.fetchone() is not None
        target.close()
        if not complete:
            print(f"database {name}: incomplete build, dropped")
            with probe.cursor() as cursor:
                cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    probe.close()


def is_built(mark: str) -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_build') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return False
        cursor.execute("SELECT 1 FROM bench_build WHERE fingerprint = %s", [mark])
        return cursor.fetchone() is not None


def build(args, mark: str) -> None:
    from django.db import connection

    started = time.perf_counter()
    step = time.perf_counter()

    def done(what: str) -> None:
        nonlocal step
        now = time.perf_counter()
        print(f"  {what}: {now - step:.1f} s")
        step = now

    print(
        f"building: {args.orders} orders, {args.products} products, "
        f"{args.cooperatives} cooperatives"
    )
    common.import_synthetic_catalogue(args.products, producers=args.cooperatives)
    done("catalogue imported")
    top_up_producers(args.cooperatives)
    done("producers topped up")
    staff = people(args)
    done("settings, members, customers, staff")
    build_orders(args.orders, staff)
    done("orders")
    others(staff)
    done("import runs, fairs")
    common.analyze()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_build (fingerprint text)")
        cursor.execute("INSERT INTO bench_build VALUES (%s)", [mark])
    print(f"built in {time.perf_counter() - started:.0f} s")


def top_up_producers(wanted: int) -> None:
    from saleor.account.models import Address
    from saleor.warehouse.models import Warehouse

    from marketplace.models import Producer

    missing = wanted - Producer.objects.count()
    if missing <= 0:
        return
    addresses = Address.objects.bulk_create(
        [
            Address(
                company_name=f"HTX Bổ sung {i}",
                street_address_1="Thôn 1",
                city="Xã Mẫu",
                country_area="Hà Nội",
                country="VN",
            )
            for i in range(missing)
        ],
        batch_size=BATCH,
    )
    warehouses = Warehouse.objects.bulk_create(
        [
            Warehouse(
                name=f"HTX Bổ sung {i}",
                slug=f"htx-bo-sung-{i}-{uuid.uuid4().hex[:6]}",
                company_name=f"HTX Bổ sung {i}",
                address=address,
            )
            for i, address in enumerate(addresses)
        ],
        batch_size=BATCH,
    )
    Producer.objects.bulk_create(
        [
            Producer(
                name=f"Hợp tác xã Bổ sung {i}",
                name_key=f"hop tac xa bo sung {i}",
                producer_type="cooperative",
                province_code="01",
                province_name="Hà Nội",
                phone=f"024{i:07d}",
                warehouse=warehouse,
            )
            for i, warehouse in enumerate(warehouses)
        ],
        batch_size=BATCH,
    )


def people(args) -> list:
    """Cooperative settings and one member per producer, customers, platform staff."""
    from django.contrib.auth.hashers import make_password
    from saleor.account.models import Address, User

    from fairs.models import ProvinceStaff
    from marketplace.models import CooperativeMembership, CooperativeSettings, Producer
    from tests.saleor_fixtures.api import grant

    password = make_password(PASSWORD)  # one hash for all: 8,000 PBKDF2 runs take minutes
    producers = list(Producer.objects.values_list("pk", flat=True))
    CooperativeSettings.objects.bulk_create(
        [
            CooperativeSettings(
                producer_id=pk,
                notification_email=f"htx{pk}@bench-backoffice.test",
                bank_name="Vietcombank",
                bank_bin="970436",
                bank_account_number=f"{1000000000 + pk}",
                bank_account_holder=f"HTX SO {pk}",
            )
            for pk in producers
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    members = User.objects.bulk_create(
        [
            User(email=f"htx{pk}@bench-backoffice.test", password=password, is_active=True)
            for pk in producers
        ],
        batch_size=BATCH,
    )
    CooperativeMembership.objects.bulk_create(
        [
            CooperativeMembership(user=user, producer_id=pk, role="manager")
            for user, pk in zip(members, producers, strict=True)
        ],
        batch_size=BATCH,
    )
    customers = max(50, args.orders // 5)
    users = User.objects.bulk_create(
        [
            User(
                email=f"khach{i}@bench-backoffice.test",
                password="!",
                first_name="Khách",
                last_name=f"Số {i}",
                is_active=True,
            )
            for i in range(customers)
        ],
        batch_size=BATCH,
    )
    addresses = Address.objects.bulk_create(
        [
            Address(
                first_name="Khách",
                last_name=f"Số {i}",
                street_address_1=f"{i} Đường Láng",
                city="Phường Láng",
                country_area="Hà Nội",
                country="VN",
                phone=f"+8490{i:07d}",
            )
            for i in range(customers)
        ],
        batch_size=BATCH,
    )
    User.addresses.through.objects.bulk_create(
        [
            User.addresses.through(user_id=u.pk, address_id=a.pk)
            for u, a in zip(users, addresses, strict=True)
        ],
        batch_size=BATCH,
    )
    staff = []
    for number in range(max(10, args.clients)):
        user = User.objects.create(
            email=STAFF_EMAIL.format(number), password=password, is_staff=True
        )
        staff.append(grant(user, "manage_orders", "manage_products", "manage_users"))
    province = User.objects.create(email=PROVINCE_EMAIL, password=password)
    ProvinceStaff.objects.create(user=province, province_code="01")
    return staff


@dataclass
class Catalogue:
    big: int  # the busiest cooperative: a tenth of all parts
    producers: list[int]
    variants: dict[int, list[tuple]] = field(default_factory=dict)


def catalogue() -> Catalogue:
    from saleor.product.models import ProductVariant

    variants: dict[int, list[tuple]] = {}
    rows = ProductVariant.objects.values_list(
        "pk",
        "product__name",
        "sku",
        "price_override_amount",
        "product__price_amount",
        "product__ocop__producer_id",
    )
    for pk, name, sku, own, price, producer in rows:
        if producer is not None:
            price = own or price or Decimal(50000)
            variants.setdefault(producer, []).append((pk, name, sku, price))
    producers = sorted(variants)
    return Catalogue(big=producers[0], producers=producers, variants=variants)


STATUS_BY_AGE = (
    # (younger than days, [(status, weight)])
    (2, [("new", 60), ("accepted", 25), ("packed", 10), ("rejected", 5)]),
    (10, [("shipped", 50), ("delivered", 35), ("packed", 5), ("rejected", 5), ("cancelled", 5)]),
    (10_000, [("delivered", 88), ("rejected", 6), ("cancelled", 6)]),
)
GATEWAYS = (
    ("ocop.payments.cod", 50),
    ("ocop.payments.vietqr", 35),
    ("mirumee.payments.stripe", 15),
)


def build_orders(count: int, staff: list) -> None:
    """``count`` orders over the last year, newest last, in transactions of BATCH."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone
    from saleor.account.models import User

    from marketplace.models import CooperativeOrder, PayoutBatch, Producer

    rng = random.Random(14)
    shop = catalogue()
    customers = list(
        User.objects.filter(email__startswith="khach").values_list("pk", "email", "addresses")
    )
    now = timezone.now()
    span = datetime.timedelta(days=365)
    # Monthly payouts of what was delivered more than 30 days ago.
    batches = {}
    for month in range(13):
        batches[month] = PayoutBatch.objects.create(
            reference=f"BENCH-{month:02d}",
            status="paid",
            total_amount=0,
            created_at=now - datetime.timedelta(days=30 * month + 31),
            paid_at=now - datetime.timedelta(days=30 * month + 30),
        )
    kinds = {
        "part": ContentType.objects.get_for_model(CooperativeOrder),
        "producer": ContentType.objects.get_for_model(Producer),
    }
    for start in range(0, count, BATCH):
        with transaction.atomic():
            write_batch(
                rng,
                shop,
                customers,
                staff,
                batches,
                kinds,
                start,
                min(count, start + BATCH),
                count,
                now,
                span,
            )
        if start and start % (BATCH * 10) == 0:
            print(f"    {start} orders")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO marketplace_payoutline (batch_id, producer_id, amount, entry_count,
                bank_name, bank_bin, bank_account_number, bank_account_holder)
            SELECT e.payout_batch_id, e.producer_id, SUM(e.net_amount), COUNT(*),
                'Vietcombank', '970436', s.bank_account_number, s.bank_account_holder
            FROM marketplace_ledgerentry e
            JOIN marketplace_cooperativesettings s ON s.producer_id = e.producer_id
            WHERE e.payout_batch_id IS NOT NULL
            GROUP BY e.payout_batch_id, e.producer_id, s.bank_account_number,
                s.bank_account_holder
            """
        )
        cursor.execute(
            """
            UPDATE marketplace_payoutbatch b SET total_amount = l.total
            FROM (SELECT batch_id, SUM(amount) AS total FROM marketplace_payoutline
                  GROUP BY batch_id) l WHERE l.batch_id = b.id
            """
        )


def _pick(rng, weighted):
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def write_batch(rng, shop, customers, staff, batches, kinds, start, stop, count, now, span):
    from auditlog.models import LogEntry
    from saleor.order.models import Order, OrderLine
    from saleor.payment.models import Payment

    from marketplace.models import (
        CooperativeOrder,
        CooperativeOrderEvent,
        CooperativeOrderLine,
        LedgerEntry,
        OrderRouting,
        PartRefund,
        PaymentRecord,
    )
    from payments_vn.models import BankTransaction

    plans = []
    for index in range(start, stop):
        created = now - span * (count - index) / count
        age = (now - created).days
        customer = customers[rng.randrange(len(customers))]
        parts, chosen = [], set()
        for _ in range(rng.choices((1, 2, 3), weights=(75, 20, 5))[0]):
            producer = shop.big if rng.random() < 0.1 else rng.choice(shop.producers)
            if producer in chosen:  # one part per cooperative and order
                continue
            chosen.add(producer)
            status = _pick(rng, next(s for limit, s in STATUS_BY_AGE if age < limit))
            lines = [
                (rng.choice(shop.variants[producer]), rng.randint(1, 3))
                for _ in range(rng.randint(1, 2))
            ]
            parts.append((producer, status, lines))
        plans.append((created, age, customer, parts, _pick(rng, GATEWAYS)))

    orders = []
    for created, _age, (user_id, email, address_id), parts, _gateway in plans:
        goods = sum(v[3] * q for _, _, lines in parts for v, q in lines)
        shipping = Decimal(30000) * len(parts)
        statuses = {status for _, status, _ in parts}
        status = (
            "fulfilled"
            if statuses == {"delivered"}
            else "canceled"
            if statuses <= {"cancelled", "rejected"}
            else "unfulfilled"
        )
        orders.append(
            Order(
                created=created,
                status=status,
                user_id=user_id,
                user_email=email,
                billing_address_id=address_id,
                shipping_address_id=address_id,
                currency="VND",
                token=str(uuid.uuid4()),
                total_net_amount=goods + shipping,
                total_gross_amount=goods + shipping,
                shipping_price_net_amount=shipping,
                shipping_price_gross_amount=shipping,
                shipping_method_name="Giao tiêu chuẩn",
                language_code="vi",
            )
        )
    Order.objects.bulk_create(orders, batch_size=BATCH)

    order_lines, part_rows, payments = [], [], []
    for order, (created, age, _c, parts, gateway) in zip(orders, plans, strict=True):
        for number, (producer, status, lines) in enumerate(parts, start=1):
            saleor_lines = [
                OrderLine(
                    order=order,
                    variant_id=v[0],
                    product_name=v[1],
                    product_sku=v[2],
                    is_shipping_required=True,
                    quantity=q,
                    currency="VND",
                    quantity_fulfilled=q if status == "delivered" else 0,
                    unit_price_net_amount=v[3],
                    unit_price_gross_amount=v[3],
                    tax_rate=Decimal(0),
                )
                for v, q in lines
            ]
            order_lines.extend(saleor_lines)
            part_rows.append((order, number, producer, status, saleor_lines, created, age))
        charged = gateway != "ocop.payments.cod" or order.status == "fulfilled"
        payments.append(
            Payment(
                order=order,
                gateway=gateway,
                is_active=True,
                currency="VND",
                charge_status="fully-charged" if charged else "not-charged",
                total=order.total_gross_amount,
                captured_amount=order.total_gross_amount if charged else 0,
                billing_email=order.user_email,
            )
        )
    OrderLine.objects.bulk_create(order_lines, batch_size=BATCH)
    Payment.objects.bulk_create(payments, batch_size=BATCH)

    parts_made = []
    for order, number, producer, status, lines, created, age in part_rows:
        subtotal = sum(line.unit_price_gross_amount * line.quantity for line in lines)
        stamp = created + datetime.timedelta(hours=2)
        parts_made.append(
            CooperativeOrder(
                order=order,
                producer_id=producer,
                number=f"{order.pk}-{number}",
                status=status,
                subtotal_amount=subtotal,
                shipping_amount=30000,
                customer_name=f"Khách {order.user_email.split('@')[0]}",
                customer_email=order.user_email,
                customer_phone=f"+8490{int(order.user_email[5:].split('@')[0]):07d}",
                created_at=created,
                updated_at=stamp,
                accepted_at=stamp if status not in ("new", "rejected") else None,
                delivered_at=created + datetime.timedelta(days=3)
                if status == "delivered"
                else None,
                escalated_at=stamp if status == "new" and age >= 2 else None,
                reason="Hết hàng" if status == "rejected" else "",
            )
        )
    CooperativeOrder.objects.bulk_create(parts_made, batch_size=BATCH)

    part_lines, events, ledger, refunds, audit = [], [], [], [], []
    actor = staff[0]
    for part, (_o, _n, _p, status, lines, created, age) in zip(parts_made, part_rows, strict=True):
        part_lines.extend(
            CooperativeOrderLine(
                cooperative_order=part,
                order_line=line,
                product_name=line.product_name,
                sku=line.product_sku,
                quantity=line.quantity,
                unit_price_amount=line.unit_price_gross_amount,
                total_amount=line.unit_price_gross_amount * line.quantity,
            )
            for line in lines
        )
        events.append(
            CooperativeOrderEvent(cooperative_order=part, status="new", created_at=created)
        )
        if status != "new":
            events.append(
                CooperativeOrderEvent(
                    cooperative_order=part, status=status, user=actor, created_at=part.updated_at
                )
            )
            audit.append(
                LogEntry(
                    content_type=kinds["part"],
                    object_pk=str(part.pk),
                    object_id=part.pk,
                    object_repr=part.number,
                    action=LogEntry.Action.UPDATE,
                    changes={"status": ["new", status]},
                    actor=actor,
                    timestamp=part.updated_at,
                    remote_addr="127.0.0.1",
                )
            )
        if status == "delivered":
            commission = (part.subtotal_amount / 10).quantize(Decimal(1))
            month = (age - 31) // 30 if age > 31 else None
            ledger.append(
                LedgerEntry(
                    producer_id=part.producer_id,
                    cooperative_order=part,
                    kind="delivery",
                    gross_amount=part.subtotal_amount,
                    commission_rate_percent=Decimal(10),
                    commission_amount=commission,
                    shipping_amount=part.shipping_amount,
                    net_amount=part.subtotal_amount + part.shipping_amount - commission,
                    idempotency_key=f"delivery:{part.pk}",
                    created_at=part.delivered_at,
                    payout_batch=batches.get(month) if month is not None else None,
                )
            )
        if status in ("rejected", "cancelled") and part.order.status != "canceled":
            refunds.append(
                PartRefund(
                    cooperative_order=part,
                    amount=part.total_amount,
                    method="bank_transfer",
                    status="ready" if age < 10 else "refunded",
                    created_at=part.updated_at,
                )
            )
    CooperativeOrderLine.objects.bulk_create(part_lines, batch_size=BATCH)
    CooperativeOrderEvent.objects.bulk_create(events, batch_size=BATCH)
    LedgerEntry.objects.bulk_create(ledger, batch_size=BATCH)
    PartRefund.objects.bulk_create(refunds, batch_size=BATCH)
    LogEntry.objects.bulk_create(audit, batch_size=BATCH)

    routing, records, transfers = [], [], []
    for order, payment, (created, age, _c, parts, gateway) in zip(
        orders, payments, plans, strict=True
    ):
        attention = age >= 2 and any(status == "new" for _, status, _ in parts)
        routing.append(
            OrderRouting(
                order=order,
                status="routed",
                created_at=created,
                routed_at=created,
                needs_attention=attention,
                attention_reason="Quá hạn nhận đơn" if attention else "",
            )
        )
        if payment.charge_status == "fully-charged":
            records.append(
                PaymentRecord(
                    order=order,
                    key=f"bench-capture-{payment.pk}",
                    kind="capture",
                    amount=payment.total,
                    created_at=created,
                )
            )
        if gateway == "ocop.payments.vietqr":
            review = rng.random() < 0.02
            transfers.append(
                BankTransaction(
                    bank_transaction_id=f"FT{order.pk:012d}",
                    source="notification",
                    booked_at=created,
                    amount=payment.total - (10000 if review else 0),
                    description=f"OCOP{order.pk} thanh toan don hang",
                    reference=f"OCOP{order.pk}",
                    payment=payment,
                    outcome="partial" if review else "matched",
                    needs_review=review,
                    received_at=created,
                )
            )
    OrderRouting.objects.bulk_create(routing, batch_size=BATCH)
    PaymentRecord.objects.bulk_create(records, batch_size=BATCH)
    BankTransaction.objects.bulk_create(transfers, batch_size=BATCH)


def others(staff: list) -> None:
    """Import runs (some failed), fairs in every province with a few cooperatives each."""
    from django.utils import timezone

    from catalog_sync.models import ImportRun
    from fairs.models import Fair
    from marketplace.models import Producer

    now = timezone.now()
    ImportRun.objects.bulk_create(
        [
            ImportRun(
                file=f"ocop-registry-uploads/bench/{i}.csv",
                original_name=f"tinh-{i}.csv",
                status="failed" if i % 7 == 0 else "done",
                created_by=staff[0],
                created_at=now - datetime.timedelta(days=i),
                summary={"accepted": 300, "rejected": 12},
            )
            for i in range(120)
        ]
    )
    provinces = list(Producer.objects.order_by().values_list("province_code", flat=True).distinct())
    today = timezone.localdate()
    for province in provinces:
        members = list(Producer.objects.filter(province_code=province)[:20])
        for number in range(4):
            fair = Fair.objects.create(
                slug=f"hoi-cho-{province}-{number}",
                name=f"Hội chợ OCOP {province} số {number}",
                province_code=province,
                venue="Nhà văn hoá tỉnh",
                starts_on=today - datetime.timedelta(days=90 * number),
                ends_on=today - datetime.timedelta(days=90 * number - 3),
                created_by=staff[0],
            )
            fair.cooperatives.set(members)


# --- the screens ---------------------------------------------------------------------


@dataclass
class Screen:
    label: str
    url_name: str
    variants: list[tuple[str, str]]  # (variant label, query string)
    role: str = "staff"  # staff, member (of the busiest cooperative), province


def screens(shop_sample: dict) -> list[Screen]:
    phone, email, number = shop_sample["phone"], shop_sample["email"], shop_sample["number"]
    big = shop_sample["big"]
    plain = [("", "")]
    pages = [("", ""), ("page 50", "trang=50")]
    order_variants = [
        ("", ""),
        ("search phone", f"q={phone}"),
        ("search e-mail", f"q={email}"),
        ("search number", f"q={number}"),
        ("cooperative", f"htx={big}"),
        ("status new", "trang_thai=new"),
        ("page 50", "trang=50"),
    ]
    portal = [
        ("", ""),
        ("search phone", f"q={phone}"),
        ("status shipped", "trang_thai=shipped"),
        ("page 50", "trang=50"),
    ]
    return [
        Screen("today", "backoffice-today", plain),
        Screen("orders", "backoffice-orders", order_variants),
        Screen("transfers", "backoffice-transfers", pages),
        Screen(
            "products",
            "backoffice-products",
            [
                ("", ""),
                ("search", "q=mien+dong"),
                ("cooperative", f"htx={big}"),
                ("page 50", "trang=50"),
            ],
        ),
        Screen(
            "cooperatives",
            "backoffice-cooperatives",
            [("", ""), ("search", "q=Xanh"), ("province", "tinh=01"), ("page 50", "trang=50")],
        ),
        Screen("provinces", "backoffice-provinces", plain),
        Screen("imports", "backoffice-imports", plain),
        Screen("payouts", "backoffice-payouts", plain),
        Screen(
            "customers",
            "backoffice-customers",
            [
                ("", ""),
                ("search phone", f"q={phone}"),
                ("search e-mail", f"q={email}"),
                ("page 50", "trang=50"),
            ],
        ),
        Screen(
            "audit",
            "backoffice-audit",
            [("", ""), ("by person", "nguoi=nhanvien0"), ("page 50", "trang=50")],
        ),
        Screen("portal orders (staff)", "portal:order_list", portal),
        Screen("portal products (staff)", "portal:listing_list", pages),
        Screen("portal statement (staff)", "portal:statement", pages),
        Screen("portal orders (member)", "portal:order_list", portal, role="member"),
        Screen("portal products (member)", "portal:listing_list", plain, role="member"),
        Screen("portal statement (member)", "portal:statement", pages, role="member"),
        Screen("fair list (staff)", "fairs:fair_list", plain),
        Screen("fair list (province)", "fairs:fair_list", plain, role="province"),
    ]


def sample_values(big_member_email: str) -> dict:
    from marketplace.models import CooperativeMembership, CooperativeOrder

    part = (
        CooperativeOrder.objects.order_by("-pk")
        .only("number", "customer_phone", "customer_email")
        .first()
    )
    membership = CooperativeMembership.objects.get(user__email=big_member_email)
    return {
        "phone": part.customer_phone.removeprefix("+84"),
        "email": part.customer_email,
        "number": part.number,
        "big": membership.producer_id,
    }


def busiest_member() -> str:
    from django.db.models import Count

    from marketplace.models import CooperativeMembership, CooperativeOrder

    top = (
        CooperativeOrder.objects.values("producer_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    return CooperativeMembership.objects.filter(producer_id=top["producer_id"]).first().user.email


# --- in process: queries per page ------------------------------------------------------


@dataclass
class Queries:
    full: int
    one: int | None  # with a page size of 1; None when the view's page size is not its own
    status: int
    slowest: list[tuple[float, str]]
    rows: int = 0  # the largest result of any one query of the page
    rows_one: int = 0  # the same with a page size of 1
    alone_ms: float = 0.0  # the page in process, one client, median of 3


class RowCounter:
    """The rows each query returned (``CaptureQueriesContext`` counts queries only)."""

    def __init__(self) -> None:
        self.largest = 0

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        rowcount = getattr(context["cursor"], "rowcount", 0) or 0
        if sql.lstrip().upper().startswith("SELECT"):
            self.largest = max(self.largest, rowcount)
        return result


def count_queries(client, path: str) -> Queries:
    from unittest import mock

    from django.core import paginator
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import resolve

    started = time.perf_counter()
    client.get(path)  # warm: templates, content types, caches
    timings = [(time.perf_counter() - started) * 1000]
    for _ in range(3 if timings[0] < SLOW_MS else 0):
        started = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
    first = re.sub(r"trang=\d+", "trang=1", path)
    rows = RowCounter()
    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(rows):
        response = client.get(path)
    slowest = sorted(
        ((float(q["time"]), q["sql"]) for q in captured.captured_queries), reverse=True
    )[:3]
    with CaptureQueriesContext(connection) as first_page:
        client.get(first)
    module = sys.modules.get(getattr(resolve(path.split("?")[0]).func, "__module__", ""), None)
    original = paginator.Paginator.__init__
    used = []

    def one_per_page(self, object_list, per_page, *args, **kwargs):
        used.append(per_page)
        original(self, object_list, 1, *args, **kwargs)

    patches = [mock.patch.object(paginator.Paginator, "__init__", one_per_page)]
    if module is not None and hasattr(module, "PAGE_SIZE"):
        patches.append(mock.patch.object(module, "PAGE_SIZE", 1))
    rows_one = RowCounter()
    for patch in patches:
        patch.start()
    try:
        with CaptureQueriesContext(connection) as small, connection.execute_wrapper(rows_one):
            client.get(first)
    finally:
        for patch in reversed(patches):
            patch.stop()
    # Compared on page 1 (page 50 of one row per page is another page altogether).
    one = len(small) if (used or len(patches) > 1) else None
    return Queries(
        full=len(first_page) if one is not None else len(captured),
        one=one,
        status=response.status_code,
        slowest=slowest,
        rows=rows.largest,
        rows_one=rows_one.largest,
        alone_ms=statistics.median(timings[1:] or timings),
    )


# --- served: the load ------------------------------------------------------------------


def sign_in(base: str, email: str):
    import requests
    from django.urls import reverse

    session = requests.Session()
    login = base + reverse("backoffice-login")
    page = session.get(login, timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(
        login,
        data={"username": email, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": login},
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 302:
        raise SystemExit(f"sign-in of {email} answered {answer.status_code}")
    return session


def load(
    sessions: list, base: str, paths: list[str], requests_total: int, post: str | None = None
) -> dict:
    """Each session one request at a time, all at once, until ``requests_total`` answered."""
    latencies, statuses = [], {}
    lock = threading.Lock()
    share = max(1, requests_total // len(sessions))
    barrier = threading.Barrier(len(sessions))

    def run(number: int, session) -> None:
        rng = random.Random(number)
        barrier.wait()
        for _ in range(share):
            path = rng.choice(paths)
            started = time.perf_counter()
            try:
                if post is None:
                    answer = session.get(base + path, timeout=120, allow_redirects=False)
                else:
                    answer = session.post(
                        base + path, data=post, timeout=120, headers={"Content-Type": JSON}
                    )
                status = answer.status_code
            except OSError:  # a worker killed on its timeout, a dropped connection
                status = "error"
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=run, args=(i, s)) for i, s in enumerate(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "p50": statistics.median(latencies),
        "p95": common.percentile(latencies, 0.95),
        "max": max(latencies),
        "n": len(latencies),
        "statuses": statuses,
    }


def saleor_sessions(base: str, count: int) -> list:
    import requests

    mutation = 'mutation { tokenCreate(email: "%s", password: "%s") { token errors { message } } }'
    sessions = []
    for number in range(count):
        session = requests.Session()
        body = json.dumps({"query": mutation % (STAFF_EMAIL.format(number), PASSWORD)})
        answer = session.post(
            base + "/graphql/", data=body, timeout=60, headers={"Content-Type": "application/json"}
        ).json()
        token = answer["data"]["tokenCreate"]["token"]
        session.headers["Authorization"] = f"JWT {token}"
        sessions.append(session)
    return sessions


# --- the run ---------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--products", type=int, default=15_000)
    parser.add_argument("--cooperatives", type=int, default=8_000)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--requests", type=int, default=100, help="per screen and variant")
    parser.add_argument("--quick", action="store_true", help="a small smoke run: " + str(QUICK))
    parser.add_argument("--rebuild", action="store_true", help="drop this size's database")
    parser.add_argument("--no-explain", action="store_true")
    parser.add_argument("--build-only", action="store_true", help="build (or find) the database")
    args = parser.parse_args()
    if args.quick:
        for name, value in QUICK.items():
            setattr(args, name, value)
    mark = fingerprint(args)
    database = f"ocop_bench_backoffice_{mark}"
    common.configure(database, EMAIL_URL="memory://", DEFAULT_FROM_EMAIL="bench@cho-ocop.test")
    if os.environ.get("DATABASE_URL"):  # that server, but never the database it names
        from devtools import services

        os.environ["DATABASE_URL"] = services.with_database_name(
            os.environ["DATABASE_URL"], database
        )
    if args.rebuild:
        _drop(database)
    else:
        drop_incomplete_database(database)
    common.setup_django()
    if is_built(mark):
        print(f"database {database}: reused")
    else:
        build(args, mark)
    return 0 if args.build_only else measure(args, database)


def _drop(name: str) -> None:
    import psycopg2

    from devtools import services

    probe = psycopg2.connect(services.with_database_name(services.database_url(), "postgres"))
    probe.autocommit = True
    with probe.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    probe.close()


def measure(args, database: str) -> int:
    import logging

    from django.db import connection, connections
    from django.test import Client
    from django.urls import NoReverseMatch, reverse
    from saleor.account.models import User

    from marketplace.models import CooperativeOrder, OcopProduct, Producer

    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    member_email = busiest_member()
    sample = sample_values(member_email)
    emails = {
        "staff": [STAFF_EMAIL.format(i) for i in range(args.clients)],
        "member": [member_email] * args.clients,
        "province": [PROVINCE_EMAIL] * args.clients,
    }
    users = {role: User.objects.get(email=addresses[0]) for role, addresses in emails.items()}
    plan = []
    for screen in screens(sample):
        try:
            path = reverse(screen.url_name)
        except NoReverseMatch:
            print(f"skipped: {screen.label} (no url named {screen.url_name!r} in this tree)")
            continue
        plan.append((screen, path))

    # In process, one client: the queries of each page, full and with a page size of 1.
    queries = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        for screen, path in plan:
            if screen.role != role:
                continue
            for variant, query in screen.variants:
                url = f"{path}?{query}" if query else path
                queries[(screen.label, variant)] = count_queries(client, url)
    counts = (
        CooperativeOrder.objects.count(),
        OcopProduct.objects.count(),
        Producer.objects.count(),
    )
    connections.close_all()

    port = common.free_port()
    base = f"http://127.0.0.1:{port}"
    server = common.start_server(port)
    results, baselines = {}, {}
    try:
        sessions = {
            role: [sign_in(base, email) for email in addresses]
            for role, addresses in emails.items()
        }
        staff = sessions["staff"]
        load(staff, base, ["/healthz/"], args.clients * 2)  # warm every worker
        baselines["health page"] = load(staff, base, [reverse("health")], args.requests)
        graphql = saleor_sessions(base, args.clients)
        body = json.dumps({"query": SALEOR_ORDERS})
        load(graphql, base, ["/graphql/"], args.clients, post=body)
        baselines["Saleor orders(first: 20)"] = load(
            graphql, base, ["/graphql/"], args.requests, post=body
        )
        for screen, path in plan:
            for variant, query in screen.variants:
                url = f"{path}?{query}" if query else path
                warm = load(sessions[screen.role], base, [url], args.clients)
                # A page that takes seconds: its warm-up round is its figure (shared machine).
                if warm["p50"] > SLOW_MS:
                    results[(screen.label, variant)] = warm
                    continue
                results[(screen.label, variant)] = load(
                    sessions[screen.role], base, [url], args.requests
                )
    finally:
        common.stop_server(server)

    with open("/proc/loadavg") as handle:
        load_average = " ".join(handle.read().split()[:3])
    print(
        f"\n{counts[0]} cooperative orders, {counts[1]} OCOP products, {counts[2]} producers; "
        f"{args.clients} signed-in sessions at once, {args.requests} requests per row; "
        f"gunicorn as make demo; {datetime.date.today()}; load average {load_average}\n"
    )
    saleor = baselines["Saleor orders(first: 20)"]["p95"]
    header = (
        f"{'screen':<27} {'variant':<15} {'p50':>7} {'p95':>7} {'max':>7} "
        f"{'alone':>6} {'q/page':>6} {'q/1':>4} {'const':>5} {'rows':>6} {'rows/1':>6} "
        f"{'÷Saleor':>7} {'verdict':>9} statuses"
    )
    print(header)
    for name, r in baselines.items():
        print(
            f"{'baseline: ' + name:<43} {r['p50']:>7.1f} {r['p95']:>7.1f} {r['max']:>7.1f}"
            f" {'':>6} {'':>6} {'':>4} {'':>5} {'':>6} {'':>6} {r['p95'] / saleor:>7.2f}"
            f" {'':>9} {r['statuses']}"
        )
    worst = []
    for key, r in results.items():
        q = queries[key]
        constant = "n/a" if q.one is None else ("yes" if q.one == q.full else "NO")
        one = "" if q.one is None else str(q.one)
        verdict = "ok" if r["p95"] <= TARGET_MS else "SLOW"
        if set(r["statuses"]) != {200}:
            verdict = "ERR"
        # Every query read as many rows with a page size of 1: the page is not bounded.
        if q.rows > UNBOUNDED_ROWS and q.rows_one >= q.rows:
            verdict += ",UNB"
        print(
            f"{key[0]:<27} {key[1]:<15} {r['p50']:>7.1f} {r['p95']:>7.1f} {r['max']:>7.1f}"
            f" {q.alone_ms:>6.1f} {q.full:>6} {one:>4} {constant:>5} {q.rows:>6} {q.rows_one:>6}"
            f" {r['p95'] / saleor:>7.2f} {verdict:>9} {r['statuses']}"
        )
        worst.append((r["p95"], key))
    print(
        "(times in ms at the clients; alone: the page in process, one client; q/page: queries\n"
        " of the page, q/1: with a page size of 1; rows: the largest result of one query,\n"
        " rows/1: with a page size of 1; UNB: not bounded by its page size)"
    )
    worst.sort(reverse=True)
    print("\nslowest screens and their slowest queries (in process, one client):")
    for p95, key in worst[:4]:
        print(f"- {key[0]} {key[1]} (p95 {p95:.0f} ms served):")
        for seconds, sql in queries[key].slowest:
            print(f"    {seconds * 1000:6.1f} ms  {sql[:400]}")
    if worst and not args.no_explain:
        sql = queries[worst[0][1]].slowest[0][1]
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            print(f"\nplan of the slowest query of {worst[0][1][0]} {worst[0][1][1]}:")
            for (line,) in cursor.fetchall():
                print("    " + line)
    over = [key for p95, key in worst if p95 > TARGET_MS]
    print(f"\n{len(results) - len(over)} of {len(results)} rows within p95 ≤ {TARGET_MS:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
