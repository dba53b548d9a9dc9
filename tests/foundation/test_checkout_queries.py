"""checkoutComplete's database cost with the extension, against plain Saleor 2.10 on the
same checkout: at most 1.3 times Saleor's own query count, the checkout read once.

Counted as a shop without a broker runs it: the request, then what it left to run at
commit (Saleor's e-mails, the routing into cooperative orders, the cooperatives'
notifications) inline, each task as Celery would run it eagerly.
"""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from saleor import settings as saleor_settings

from storefront_config.models import StorefrontConfiguration
from tests.routing.marketplace import catalog  # noqa: F401  (fixture)
from tests.saleor_fixtures.api import ApiClient
from tests.saleor_fixtures.checkout import CHECKOUT_COMPLETE, prepare_checkout

# What a plain Saleor 2.10 serves: its own GraphQL schema and its own plugins only.
PLAIN_SALEOR = {
    "ROOT_URLCONF": "tests.saleor_fixtures.plain_saleor_urls",
    "PLUGINS": saleor_settings.PLUGINS,
}
CHECKOUT_READ = re.compile(r'^SELECT .* FROM "checkout_checkout"( |$)')


def complete_counting(api_client, checkout_id: str) -> tuple[dict, list[str]]:
    """checkoutComplete's payload and every SQL statement it cost, commit work included."""
    start = len(connection.run_on_commit)
    with CaptureQueriesContext(connection) as queries:
        with StorefrontConfiguration.once_per_request():
            payload = api_client.post_graphql(CHECKOUT_COMPLETE, {"checkoutId": checkout_id})
            # Run what a commit would run, and what those tasks' own commits schedule.
            while len(connection.run_on_commit) > start:
                callbacks = connection.run_on_commit[start:]
                del connection.run_on_commit[start:]
                for _savepoints, callback in callbacks:
                    callback()
    return payload["checkoutComplete"], [q["sql"] for q in queries.captured_queries]


def test_checkout_complete_costs_at_most_130_percent_of_saleors_queries(
    catalog, celery_runs_tasks_inline, mailoutbox
):
    # Given two identical checkouts of 2 miến dong (Hợp tác xã Tài Hoan) and 1 trà
    # (Hợp tác xã Chè Tân Cương), each paid in full with Saleor's dummy gateway
    api_client = ApiClient()
    checkouts = [
        prepare_checkout(
            api_client, [(catalog.mien_dong, 2), (catalog.tra, 1)], "mirumee.payments.dummy"
        )
        for _ in range(2)
    ]

    # When plain Saleor completes the first and the extension the second
    with override_settings(**PLAIN_SALEOR):
        saleors, saleor_queries = complete_counting(api_client, checkouts[0])
    ours, our_queries = complete_counting(api_client, checkouts[1])

    # Then both placed the order
    assert saleors["checkoutErrors"] == ours["checkoutErrors"] == []
    assert saleors["order"]["total"] == ours["order"]["total"]
    # and the extension (stock reservation, routing into 2 cooperative orders, their
    # notifications) costs at most 30% more queries than Saleor alone
    import os

    if os.environ.get("DUMP_SQL"):
        for name, q in (("base", saleor_queries), ("ours", our_queries)):
            with open(f"/tmp/i17/{name}.sql", "w") as f:
                f.write("\n".join(x[:400] for x in q))
    print(f"checkoutComplete: Saleor {len(saleor_queries)} queries, ours {len(our_queries)}")
    assert len(our_queries) <= 1.3 * len(saleor_queries), (len(our_queries), len(saleor_queries))
    # and each reads the checkout once
    reads = [sum(1 for sql in q if CHECKOUT_READ.match(sql)) for q in (saleor_queries, our_queries)]
    assert reads == [1, 1]
    # and the shop's name, in every e-mail, is read once per request
    shop_name_reads = [q for q in our_queries if 'FROM "storefront_config_storefront' in q]
    assert len(shop_name_reads) == 1
