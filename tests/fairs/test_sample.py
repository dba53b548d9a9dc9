"""`make demo`'s sample fairs: in the province with the most products, labelled as
sample, run by a provincial account, and created once however often the demo runs."""

from devtools.fair_sample import load_sample_fairs
from fairs.models import Booth, Fair, FairProduct, ProvinceStaff
from tests.fairs.conftest import THAI_NGUYEN, client_of


def test_sample_fairs_are_loaded_once(catalogue):
    email, fairs = load_sample_fairs("tinh@ocop.test", "mat-khau-demo-1")
    assert email == "tinh@ocop.test"
    assert [f.slug for f in fairs] == [
        "tuan-le-ocop-thai-nguyen-du-lieu-mau", "hoi-cho-xuan-ocop-thai-nguyen-du-lieu-mau",
    ]  # fmt: skip
    assert ProvinceStaff.objects.get().province_code == THAI_NGUYEN
    # four of the catalogue's five Thái Nguyên producers with listed products get a booth
    assert Booth.objects.filter(fair=fairs[0]).count() == 4
    assert FairProduct.objects.filter(fair=fairs[0]).count() == 5
    assert fairs[1].is_over()
    assert "Hội chợ đã kết thúc" in client_of(None).get(f"/f/{fairs[1].slug}").content.decode()

    load_sample_fairs("tinh@ocop.test", "mat-khau-demo-1")
    assert (Fair.objects.count(), Booth.objects.count(), ProvinceStaff.objects.count()) == (2, 8, 1)
