"""checkoutComplete's database cost with the extension, against plain Saleor 2.10 on the
same checkout: at most 1.3 times Saleor's own query count, the checkout read once.

Counted as deployed: the request, and what it does at commit (queue its tasks to the
broker: Saleor's e-mails, the routing into cooperative orders). Those tasks run in a
Celery worker, each in its own transaction; the routing's cost is the marketplace's own
work, which plain Saleor does not do.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from saleor import settings as saleor_settings

from storefront.models import StorefrontConfiguration
from tests.routing.marketplace import (
    build_catalog,
    catalog,  # noqa: F401  (fixture)
)
from tests.saleor_fixtures.api import ApiClient
from tests.saleor_fixtures.checkout import CHECKOUT_COMPLETE, prepare_checkout

# What a plain Saleor 2.10 serves: its own GraphQL schema and its own plugins only.
PLAIN_SALEOR = {
    "ROOT_URLCONF": "tests.saleor_fixtures.plain_saleor_urls",
    "PLUGINS": saleor_settings.PLUGINS,
}
DUMMY = "mirumee.payments.dummy"
CHECKOUT_READ = re.compile(r'^SELECT .* FROM "checkout_checkout"( |$)')


def complete_counting(api_client, checkout_id: str) -> tuple[dict, list[str]]:
    """checkoutComplete's payload and every SQL statement it cost, commit work included."""
    start = len(connection.run_on_commit)
    with CaptureQueriesContext(connection) as queries, StorefrontConfiguration.once_per_request():
        payload = api_client.post_graphql(CHECKOUT_COMPLETE, {"checkoutId": checkout_id})
        # Run what a commit would run, and what those tasks' own commits schedule.
        while len(connection.run_on_commit) > start:
            callbacks = connection.run_on_commit[start:]
            del connection.run_on_commit[start:]
            for _savepoints, callback in callbacks:
                callback()
    return payload["checkoutComplete"], [q["sql"] for q in queries.captured_queries]


@pytest.fixture
def celery_queues_tasks():
    """Tasks go to the (in-process, dropped) broker, as in a deployed shop."""
    from config.celery import app as celery_app

    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = previous


def test_checkout_complete_costs_at_most_130_percent_of_saleors_queries(
    db, tmp_path, celery_queues_tasks
):
    # Given two identical checkouts of 2 miến dong (Hợp tác xã Tài Hoan) and 1 trà
    # (Hợp tác xã Chè Tân Cương), each paid in full with Saleor's dummy gateway, with
    # the shop's default shipping: one parcel per cooperative
    parcels = build_catalog(tmp_path)
    api_client = ApiClient()
    lines = [(parcels.mien_dong, 2), (parcels.tra, 1)]
    checkouts = [prepare_checkout(api_client, lines, DUMMY) for _ in range(2)]

    # When plain Saleor completes the first and the extension the second, their tasks
    # (e-mails, routing) queued to a broker as deployed
    with override_settings(**PLAIN_SALEOR):
        saleors, saleor_queries = complete_counting(api_client, checkouts[0])
    ours, our_queries = complete_counting(api_client, checkouts[1])

    # Then both placed the order
    assert saleors["checkoutErrors"] == ours["checkoutErrors"] == []
    # (Saleor alone: the method's 30.000 ₫; ours: the two parcels, 30.000 + 25.000 ₫)
    assert saleors["order"]["total"]["gross"]["amount"] == 630000
    assert ours["order"]["total"]["gross"]["amount"] == 655000
    # and the extension (stock reservation, the order_created hook) costs at most 30%
    # more queries than Saleor alone
    print(f"checkoutComplete: Saleor {len(saleor_queries)} queries, ours {len(our_queries)}")
    assert len(our_queries) <= 1.3 * len(saleor_queries), (len(our_queries), len(saleor_queries))
    # and each reads the checkout once
    reads = [sum(1 for sql in q if CHECKOUT_READ.match(sql)) for q in (saleor_queries, our_queries)]
    assert reads == [1, 1]


def test_the_e_mails_of_a_checkout_read_the_shop_name_once(
    catalog,  # noqa: F811
    celery_runs_tasks_inline,
    mailoutbox,
):
    # Given a paid checkout, and no broker: tasks run inline, in the request
    api_client = ApiClient()
    checkout = prepare_checkout(api_client, [(catalog.mien_dong, 2), (catalog.tra, 1)], DUMMY)

    # When the extension completes it (Saleor's e-mails to the buyer and staff, the
    # routing into 2 cooperative orders and their notifications run at commit)
    completed, queries = complete_counting(api_client, checkout)

    # Then the order is placed, the buyer's confirmation sent with the shop's name
    assert completed["checkoutErrors"] == []
    assert [m.subject for m in mailoutbox if m.to == ["lan.nguyen@example.vn"]] == [
        f"[Chợ OCOP Việt Nam] Xác nhận đơn hàng #{completed['order']['number']} / "
        "Order confirmation"
    ]
    # and the name, used six times per e-mail, was read from the database once
    print(f"checkoutComplete with its tasks inline: {len(queries)} queries")
    assert sum(1 for sql in queries if 'FROM "storefront_config_storefront' in sql) == 1
