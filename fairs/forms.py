"""Forms of the fair management pages. Every error says what is wrong, in Vietnamese and
English, on the field it concerns."""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates

from fairs import links
from fairs.models import Booth, Fair, FairProduct

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
MAX_FAIR_DAYS = 366

REQUIRED = "Thông tin này là bắt buộc / This field is required."
TOO_LONG = "Tối đa %(limit_value)d ký tự / At most %(limit_value)d characters."
BAD_DATE = "Ngày phải có dạng YYYY-MM-DD hoặc DD/MM/YYYY / A date is YYYY-MM-DD or DD/MM/YYYY."
BAD_CHOICE = "Lựa chọn không hợp lệ / Not a valid choice."


def _bilingual_errors(form: forms.Form) -> None:
    for field in form.fields.values():
        field.error_messages["required"] = REQUIRED
        field.error_messages["max_length"] = TOO_LONG
        field.error_messages["invalid"] = (
            BAD_DATE if isinstance(field, forms.DateField) else BAD_CHOICE
        )
        for code in ("invalid_choice", "invalid_pk_value", "invalid_list"):
            field.error_messages[code] = BAD_CHOICE


def _text(max_length: int, required: bool = True, **kwargs) -> forms.CharField:
    return forms.CharField(max_length=max_length, required=required, strip=True, **kwargs)


class Form(forms.Form):
    # Saleor sets FORM_RENDERER to TemplatesSetting without ``django.forms`` installed
    # (outside DEBUG), so widgets could not find their templates: use Django's own.
    default_renderer = DjangoTemplates()


class SlugField(forms.CharField):
    """Optional: left empty, one is derived from the name."""

    def __init__(self, **kwargs):
        super().__init__(max_length=links.SLUG_MAX_LENGTH + 20, required=False, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        try:
            return links.clean_slug(value)
        except links.SlugError as error:
            raise forms.ValidationError(error.message, code="slug") from None


class FairForm(Form):
    name = _text(200, label="Tên hội chợ")
    slug = SlugField(label="Đường dẫn ngắn (/f/…)")
    province = forms.ChoiceField(label="Tỉnh/Thành phố", choices=())
    venue = _text(300, label="Địa điểm")
    starts_on = forms.DateField(label="Ngày bắt đầu", input_formats=DATE_FORMATS)
    ends_on = forms.DateField(label="Ngày kết thúc", input_formats=DATE_FORMATS)
    description = _text(5000, required=False, label="Giới thiệu", widget=forms.Textarea)

    def __init__(self, *args, province_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", ""), *province_choices]
        _bilingual_errors(self)

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        for name, day in (("starts_on", starts), ("ends_on", ends)):
            if day and not 2000 <= day.year <= 2100:
                self.add_error(
                    name, "Năm phải từ 2000 đến 2100 / The year must be from 2000 to 2100."
                )
        if starts and ends and ends < starts:
            self.add_error(
                "ends_on",
                "Ngày kết thúc không được trước ngày bắt đầu / "
                "The end date cannot be before the start date.",
            )
        elif starts and ends and (ends - starts).days >= MAX_FAIR_DAYS:
            self.add_error(
                "ends_on",
                f"Hội chợ kéo dài tối đa {MAX_FAIR_DAYS} ngày / "
                f"A fair lasts at most {MAX_FAIR_DAYS} days.",
            )
        return data

    @classmethod
    def initial_for(cls, fair: Fair) -> dict:
        return {
            "name": fair.name,
            "slug": fair.slug,
            "province": fair.province_code,
            "venue": fair.venue,
            "starts_on": fair.starts_on.isoformat(),
            "ends_on": fair.ends_on.isoformat(),
            "description": fair.description,
        }


class CooperativesForm(Form):
    cooperatives = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, producers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cooperatives"].queryset = producers
        _bilingual_errors(self)


class BoothForm(Form):
    name = _text(200, label="Tên gian hàng")
    code = _text(20, required=False, label="Số gian (ví dụ A12)")
    slug = SlugField(label="Đường dẫn ngắn (/g/…)")
    producer = forms.ModelChoiceField(queryset=None, required=False, label="Hợp tác xã")

    def __init__(self, *args, fair: Fair, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = fair.cooperatives.order_by("name")
        _bilingual_errors(self)

    @classmethod
    def initial_for(cls, booth: Booth) -> dict:
        return {
            "name": booth.name,
            "code": booth.code,
            "slug": booth.slug,
            "producer": booth.producer_id,
        }


class FairProductForm(Form):
    ocop_product = forms.ModelChoiceField(queryset=None, label="Sản phẩm")
    booth = forms.ModelChoiceField(queryset=None, required=False, label="Gian hàng")
    slug = SlugField(label="Đường dẫn ngắn (/p/…)")

    def __init__(self, *args, fair: Fair, products, fair_product: FairProduct | None = None,
                 **kwargs):  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["ocop_product"].queryset = products
        self.fields["booth"].queryset = fair.booths.all()
        if fair_product is not None:
            # The product of a featured entry is fixed: its link names it.
            del self.fields["ocop_product"]
        _bilingual_errors(self)
        if fair_product is None:
            self.fields["ocop_product"].error_messages["invalid_choice"] = (
                "Sản phẩm không thuộc hợp tác xã tham gia, hoặc đã có trong hội chợ / "
                "The product is not from a participating cooperative, or is already featured."
            )
