"""The operator's back office in headless Chromium (issue 14), without a shell.
Screenshots in test-results/screenshots/backoffice-*.png.

Signing a cooperative up: the operator finds Hợp tác xã Nam Mẫu, invites its manager,
who sets a password from the e-mailed link and signs in to the portal; the operator asks
for the cooperative's payout account, which applies only once a second staff member
approves it. Paying a cooperative: the operator confirms the cash a courier collected
for a delivered order and runs the payout that pays it, then records the bank's
confirmation.
"""

import json
import os
import re
import subprocess
import sys

import pytest

from devtools import services
from tests.browser.backoffice_setup import OPERATORS, PASSWORD
from tests.browser.conftest import LIVE_DATABASES, csp_violations
from tests.browser.test_parcels_journey import (
    COD,
    TAI_HOAN,
    Journey,
    body,
    books,
    mails_to,
    vnd,
)
from tests.browser.test_parcels_journey import setup as setup_parcels

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
NAM_MAU = "Hợp tác xã Nam Mẫu"
MANAGER = "chu.nhiem@nammau.test"
# Each journey's screenshots: backoffice-<name>-<step>-<label>.png
JOURNEYS = {
    "test_an_operator_signs_a_cooperative_up": "signup",
    "test_an_operator_confirms_cash_collected_and_pays_the_cooperative": "payout",
}


def setup(live_shop: str, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "tests.browser.backoffice_setup", *args],
        cwd=services.REPO_ROOT, env={**os.environ, "DATABASE_URL": LIVE_DATABASES[live_shop]},
        check=True, timeout=120, capture_output=True, text=True,
    ).stdout  # fmt: skip


class Session:
    def __init__(self, live_shop, chromium, screenshot_dir, name):
        self.live_shop, self.chromium, self.name = live_shop, chromium, name
        self.screenshot_dir, self.step = screenshot_dir, iter(range(1, 100))
        self.refused: list[str] = []

    def page(self):
        context = self.chromium.new_context(base_url=self.live_shop, locale="vi-VN", **PHONE)
        page = context.new_page()
        page.set_default_timeout(20_000)
        self.refused += csp_violations(page)
        return page

    def shot(self, page, label: str) -> None:
        path = self.screenshot_dir / f"backoffice-{self.name}-{next(self.step):02d}-{label}.png"
        page.screenshot(path=str(path), full_page=True)

    def sign_in(self, email: str, password: str = PASSWORD):
        page = self.page()
        page.goto("/dang-nhap/")
        page.fill("#id_username", email)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page


@pytest.fixture
def session(live_shop, chromium, screenshot_dir, request):
    setup(live_shop, "staff")
    name = JOURNEYS[request.node.originalname]
    trip = Session(live_shop, chromium, screenshot_dir, name)
    yield trip
    assert trip.refused == []


def open_cooperative(page, name: str) -> None:
    page.goto("/quan-tri/hop-tac-xa/")
    page.fill("#q", "nam mau")
    page.click("text=Lọc / Filter")
    page.click(f"text={name}")
    page.wait_for_url(re.compile(r"/quan-tri/hop-tac-xa/\d+/$"))


@pytest.mark.browser
def test_an_operator_signs_a_cooperative_up(session, live_shop):
    # Given the operator, signed in on a phone, opens Nam Mẫu (no team, no payout account)
    operator = session.sign_in(OPERATORS[0])
    open_cooperative(operator, NAM_MAU)
    assert json.loads(setup(live_shop, "cooperative", NAM_MAU)) == {
        "members": [], "account": None,
    }  # fmt: skip
    session.shot(operator, "cooperative")

    # When they invite its manager
    operator.fill("#email", MANAGER)
    operator.select_option("#role", "manager")
    operator.click("text=Gửi lời mời / Invite")
    operator.wait_for_url(re.compile(r"/quan-tri/hop-tac-xa/\d+/$"))
    assert MANAGER in operator.content()

    # Then the manager gets one e-mail with a link, sets a password and reaches the portal
    (invitation,) = mails_to(live_shop, MANAGER)
    link = re.search(r"https?://[^/\s]+(/dang-nhap/dat-mat-khau/\S+/)", body(invitation))[1]
    manager = session.page()
    manager.goto(link)
    manager.fill("#id_new_password1", "Nam-Mau-2026!")
    manager.fill("#id_new_password2", "Nam-Mau-2026!")
    manager.click("text=Lưu mật khẩu / Save password")
    manager.wait_for_url(re.compile(r"/dang-nhap/$"))
    manager.fill("#id_username", MANAGER)
    manager.fill("#id_password", "Nam-Mau-2026!")
    manager.click("button[type=submit]")
    manager.wait_for_url(re.compile(r"/htx/don-hang/$"))
    session.shot(manager, "manager-in-portal")

    # When the operator asks for the payout account, typing the holder as people write it
    open_cooperative(operator, NAM_MAU)
    operator.select_option('select[name="bank_bin"]', "970405")
    operator.fill('input[name="account_number"]', "1500 2050 67890")
    operator.fill('input[name="holder"]', "HTX Nông nghiệp Nam Mẫu")
    operator.click("text=Đề nghị đổi tài khoản / Ask for this account")
    operator.wait_for_selector('[data-testid="pending-change"]')
    # Then it waits, and the one who asked is offered no approval (the service refuses it
    # too: tests/backoffice/test_cooperatives.py)
    waiting = operator.locator('[data-testid="pending-change"]').inner_text()
    assert "Another staff member must approve" in waiting
    assert operator.locator("text=Duyệt / Approve").count() == 0
    assert json.loads(setup(live_shop, "cooperative", NAM_MAU))["account"] is None
    session.shot(operator, "approval-refused")

    # When a second staff member approves it
    second = session.sign_in(OPERATORS[1])
    open_cooperative(second, NAM_MAU)
    second.fill("#note", "Đã gọi xác nhận với HTX / Confirmed by phone")
    second.click("text=Duyệt / Approve")
    second.wait_for_selector('[data-testid="payout-account"]')

    # Then the account applies, in capitals without diacritics, and the team is the manager
    assert "15002050" "67890 · HTX NONG NGHIEP NAM MAU" in second.locator(
        '[data-testid="payout-account"]'
    ).inner_text()  # fmt: skip
    assert json.loads(setup(live_shop, "cooperative", NAM_MAU)) == {
        "members": [[MANAGER, "manager", True]],
        "account": ["970405", "15002050" "67890", "HTX NONG NGHIEP NAM MAU"],
    }  # fmt: skip
    session.shot(second, "account-approved")


@pytest.mark.browser
def test_an_operator_confirms_cash_collected_and_pays_the_cooperative(session, live_shop):
    # Given a cash-on-delivery order for Tài Hoan (280.000 ₫ with its shipping) and Định
    # Hóa (rejected), which Tài Hoan delivered (tests/browser/test_parcels_journey.py)
    setup_parcels(live_shop, "accounts")
    setup(live_shop, "bank", TAI_HOAN)
    trip = Journey(live_shop, session.chromium, session.screenshot_dir, "backoffice-cod")
    _shopper, number = trip.buy(COD)
    trip.reject(number)
    trip.ship_and_deliver(number, cash=vnd("280.000"))
    # Its entry: 280.000 ₫ less 10 % of the 250.000 ₫ of goods = 255.000 ₫, not yet payable
    assert json.loads(setup(live_shop, "entries", number)) == [[TAI_HOAN, 255000, None]]

    # When the operator finds the order and confirms the courier's 280.000 ₫
    operator = session.sign_in(OPERATORS[0])
    operator.goto(f"/quan-tri/don-hang/?q={number}")
    operator.click(f"a:text-is('#{number}')")
    operator.wait_for_url(re.compile(rf"/quan-tri/don-hang/{number}/$"))
    assert operator.locator('[data-testid="cod-due"]').inner_text() == vnd("280.000")
    assert operator.locator('[data-testid="cod-collected"]').input_value() == "280000"
    session.shot(operator, "cod-due")
    operator.click('[data-testid="cod-confirm"]')
    operator.wait_for_selector('[data-testid="cod-settled"]')
    session.shot(operator, "cod-settled")

    # Then the books hold the cash: paid 280.000 ₫, nothing owed by the courier
    assert books(live_shop, number) | {"parts": None} == {
        "paid": 280000, "ledger": 280000, "escrow": 0, "commission": 25000,
        "balanced": True, "parts": None, "refunds": [],
    }  # fmt: skip

    # When the operator previews and runs the payout
    operator.goto("/quan-tri/chi-tra/")
    tai_hoan = operator.locator('[data-testid="preview"] tr', has_text=TAI_HOAN)
    assert "Sẽ trả / To pay" in tai_hoan.inner_text()
    previewed = tai_hoan.locator('td[data-label="Thực trả"]').inner_text()
    session.shot(operator, "payout-preview")
    operator.check('input[name="confirm"]')
    operator.click("text=Chạy chi trả / Run the payout")
    operator.wait_for_url(re.compile(r"/quan-tri/chi-tra/\d+/$"))

    # Then Tài Hoan's line pays what the preview said, our entry among its entries
    line = operator.locator('[data-testid="lines"] tr', has_text=TAI_HOAN)
    assert line.locator('td[data-label="Số tiền"]').inner_text() == previewed
    assert "Agribank · 1500205012345 · HTX TAI HOAN" in line.inner_text()
    [[_, _, batch]] = json.loads(setup(live_shop, "entries", number))
    assert batch is not None
    assert batch in operator.locator("h1").inner_text()

    # When the bank's confirmation is recorded
    operator.fill("#bank_reference", "FT26336998877")
    operator.click("text=Đánh dấu đã trả / Mark paid")
    operator.wait_for_selector('[data-testid="bank-confirmation"]')

    # Then the batch is paid with that reference
    assert "FT26336998877" in operator.locator('[data-testid="bank-confirmation"]').inner_text()
    session.shot(operator, "payout-paid")
