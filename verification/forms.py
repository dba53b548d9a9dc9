"""Forms of verification: a shopper's report of a suspected fake, and the staff forms
(issuing stamps, revoking a certificate, resolving a queue item). Every error says what
is wrong in Vietnamese and English, on its field."""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates

from common.errors import DomainError
from common.inputs import whole_number
from common.units import provinces
from verification.stamps import parse_count

REQUIRED = "Thông tin này là bắt buộc / This field is required."
TOO_LONG = "Tối đa %(limit_value)d ký tự / At most %(limit_value)d characters."
BAD_CHOICE = "Lựa chọn không hợp lệ / Not a valid choice."
BAD_DATE = "Ngày phải có dạng YYYY-MM-DD hoặc DD/MM/YYYY / A date is YYYY-MM-DD or DD/MM/YYYY."
BAD_IMAGE = "Ảnh phải là tệp JPEG, PNG hoặc WebP / The photo must be a JPEG, PNG or WebP image."
PHOTO_MAX_BYTES = 5 * 1024 * 1024


class Form(forms.Form):
    # Saleor's FORM_RENDERER cannot find Django's widget templates (see fairs.forms).
    default_renderer = DjangoTemplates()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = REQUIRED
            field.error_messages["max_length"] = TOO_LONG
            field.error_messages["invalid_choice"] = BAD_CHOICE
            field.error_messages["invalid"] = (
                BAD_DATE if isinstance(field, forms.DateField) else BAD_CHOICE
            )
            field.error_messages["invalid_image"] = BAD_IMAGE


class FakeReportForm(Form):
    what = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    where = forms.CharField(max_length=300)
    contact = forms.CharField(max_length=200, required=False)
    photo = forms.ImageField(required=False)
    serial = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1,
                                max_value=999_999_999)  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["serial"].error_messages["invalid"] = BAD_CHOICE
        self.fields["serial"].error_messages["min_value"] = BAD_CHOICE
        self.fields["serial"].error_messages["max_value"] = BAD_CHOICE

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and photo.size > PHOTO_MAX_BYTES:
            raise forms.ValidationError(
                "Ảnh tối đa 5 MB / The photo may be at most 5 MB.", code="too_large"
            )
        image = getattr(photo, "image", None) if photo else None
        if image is not None and (image.format or "").upper() not in {"JPEG", "PNG", "WEBP"}:
            raise forms.ValidationError(BAD_IMAGE, code="invalid_image")
        return photo


class LocationForm(Form):
    province = forms.ChoiceField(choices=())
    check = forms.CharField(max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", "—"), *provinces()]


class IssueStampsForm(Form):
    product = forms.ChoiceField(choices=())
    count = forms.CharField(max_length=10, initial="100")

    def __init__(self, *args, products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = [(str(pk), name) for pk, name in products]

    def clean_count(self):
        try:
            return parse_count(self.cleaned_data["count"])
        except DomainError as error:
            raise forms.ValidationError(error.message, code=error.code) from None


class RevokeForm(Form):
    decision_number = forms.CharField(max_length=100)
    decided_on = forms.DateField(input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    reason = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ResolveForm(Form):
    note = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class TargetForm(Form):
    products_online = forms.CharField(
        max_length=7, label="Mục tiêu số sản phẩm bán trực tuyến / Target of products online"
    )

    def clean_products_online(self):
        value = whole_number(self.cleaned_data["products_online"], max_digits=6)
        if value is None:
            raise forms.ValidationError(
                "Nhập một số nguyên không âm / Enter a whole number of zero or more.",
                code="invalid_number",
            )
        return value
