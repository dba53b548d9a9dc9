"""Platform staff's queue of orders that need a person: a cooperative rejected or
cancelled its part. Cooperatives never see it."""

import graphene
import pytest
from saleor.order.models import OrderEvent

from marketplace import lifecycle
from marketplace.models import OrderRouting
from tests.routing.marketplace import client_for
from tests.saleor_fixtures.api import ApiClient


@pytest.fixture
def rejected(cooperative_settings, orders, tan_cuong_staff):
    """Tân Cương rejected its part of the first order (both cooperatives take e-mail, so
    nothing else is on the queue)."""
    part = orders["tan_cuong"][0]
    lifecycle.reject(tan_cuong_staff, part.pk, "Hết chè búp vụ này")
    return part


def test_staff_find_flagged_orders_and_resolve_them(rejected, orders, platform_staff):
    staff = client_for(platform_staff)

    # Given a rejected part, when staff ask for the orders that need them
    listed = staff.get("/htx/don-hang/?can_xu_ly=1").content.decode()

    # Then both parts of that order are listed, marked, and no other order
    flagged_order = rejected.order_id
    expected = sorted(co.number for co in (orders["tai_hoan"][0], orders["tan_cuong"][0]))
    every = [co.number for co in (*orders["tai_hoan"], *orders["tan_cuong"])]
    assert sorted(n for n in every if f">{n}</a>" in listed) == expected
    assert listed.count('data-testid="needs-attention"') == 2

    # and the part's page says why, with a form to close it
    detail = staff.get(f"/htx/don-hang/{rejected.pk}/").content.decode()
    assert 'data-testid="attention"' in detail
    assert "Hết chè búp vụ này" in detail

    # When staff resolve it, saying what they did
    done = staff.post(f"/htx/don-hang/{rejected.pk}/da-xu-ly/", {"reason": "Đã hoàn 367.500 ₫"})

    # Then the flag is cleared and the note is on the Saleor order's history
    assert done.status_code == 302
    assert not OrderRouting.objects.get(order_id=flagged_order).needs_attention
    assert OrderEvent.objects.filter(
        order_id=flagged_order, type="note_added", parameters__message="Đã xử lý: Đã hoàn 367.500 ₫"
    ).exists()
    assert (
        'data-testid="needs-attention"'
        not in staff.get("/htx/don-hang/?can_xu_ly=1").content.decode()
    )

    # and resolving again says there is nothing to resolve
    again = staff.post(f"/htx/don-hang/{rejected.pk}/da-xu-ly/", {"reason": "lần nữa"})
    assert again.status_code == 400
    assert "Đơn này không cần xử lý / This order needs no attention." in again.content.decode()


def test_resolving_needs_a_note(rejected, platform_staff):
    answer = client_for(platform_staff).post(
        f"/htx/don-hang/{rejected.pk}/da-xu-ly/", {"reason": " "}
    )

    assert answer.status_code == 400
    assert "Vui lòng nhập lý do / Please give the reason" in answer.content.decode()
    assert OrderRouting.objects.get(order_id=rejected.order_id).needs_attention


def test_cooperatives_neither_see_nor_clear_the_flag(rejected, orders, tai_hoan_staff):
    cooperative = client_for(tai_hoan_staff)
    own_part = orders["tai_hoan"][0]  # same order, Tài Hoan's part

    # The filter is ignored for them (their whole list), and nothing is marked
    listed = cooperative.get("/htx/don-hang/?can_xu_ly=1").content.decode()
    assert listed.count(">" + own_part.number + "</a>") == 1
    assert ">" + orders["tai_hoan"][1].number + "</a>" in listed
    assert "needs-attention" not in listed
    assert "Cần xử lý" not in cooperative.get(f"/htx/don-hang/{own_part.pk}/").content.decode()

    # and resolving is answered like a missing order
    answer = cooperative.post(f"/htx/don-hang/{own_part.pk}/da-xu-ly/", {"reason": "xong"})
    assert answer.status_code == 404
    assert OrderRouting.objects.get(order_id=rejected.order_id).needs_attention


RESOLVE = """
mutation Resolve($id: ID!, $note: String!) {
  cooperativeOrderResolveAttention(id: $id, note: $note) {
    cooperativeOrder { number attentionReason } cooperativeErrors { field code message }
  }
}
"""
ATTENTION = "query One($id: ID!) { cooperativeOrder(id: $id) { number attentionReason } }"


def test_the_same_queue_over_graphql(rejected, orders, platform_staff, tai_hoan_staff):
    own_part = orders["tai_hoan"][0]
    part_id = graphene.Node.to_global_id("CooperativeOrder", own_part.pk)
    staff, cooperative = ApiClient(user=platform_staff), ApiClient(user=tai_hoan_staff)

    # Staff read why the order needs them; the cooperative reads nothing
    seen = staff.post_graphql(ATTENTION, {"id": part_id})["cooperativeOrder"]
    assert seen["attentionReason"] == f"HTX từ chối đơn {rejected}: Hết chè búp vụ này"
    assert cooperative.post_graphql(ATTENTION, {"id": part_id})["cooperativeOrder"] == {
        "number": own_part.number,
        "attentionReason": None,
    }

    # The cooperative cannot resolve it: answered like a missing order
    refused = cooperative.post_graphql(RESOLVE, {"id": part_id, "note": "xong"})
    assert refused["cooperativeOrderResolveAttention"]["cooperativeErrors"][0]["code"] == (
        "not_found"
    )

    # Staff resolve it with a note; asking again is refused with the reason
    done = staff.post_graphql(RESOLVE, {"id": part_id, "note": "Đã hoàn tiền"})
    assert done["cooperativeOrderResolveAttention"] == {
        "cooperativeOrder": {"number": own_part.number, "attentionReason": None},
        "cooperativeErrors": [],
    }
    again = staff.post_graphql(RESOLVE, {"id": part_id, "note": "Đã hoàn tiền"})
    assert again["cooperativeOrderResolveAttention"]["cooperativeErrors"] == [
        {"field": None, "code": "not_flagged",
         "message": "Đơn này không cần xử lý / This order needs no attention."}
    ]  # fmt: skip
