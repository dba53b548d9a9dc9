"""What a product's page says and shows beyond its OCOP facts: its story (the product's
description) and its photos, written by the cooperative that makes it or by platform
staff. The OCOP facts (stars, decision, origin) come from the certificate and are not
edited here; price, stock and publishing are ``marketplace.listings``.

Every function takes the acting user and the OcopProduct's id and starts from
``access.listings_for(user)``: another cooperative's product is a ``LookupError``, like
a missing one. Refusals are ``ProductPageError`` with the form field at fault.
"""

from __future__ import annotations

import uuid
import warnings

from django.db import transaction
from PIL import Image, UnidentifiedImageError

from common.errors import DomainError, bilingual
from common.inputs import NUL_MESSAGE, has_nul, required_text
from marketplace import access, ports
from marketplace.models import OcopProduct

STORY_MAX = 5000
ALT_MAX = 128  # Saleor 2.10's ProductImage.alt column
MAX_PHOTOS = 12
MAX_PHOTO_BYTES = 10 * 1024 * 1024
# A phone photo is 12–50 megapixels; beyond 50 the decoded image alone is 150 MB+ and
# a small file claiming it is a decompression bomb.
MAX_PHOTO_PIXELS = 50_000_000
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


class ProductPageError(DomainError):
    """A refused change of a product's story or photos (``common.errors.DomainError``)."""


def _listing(user, ocop_product_id: int, *, lock: bool = False) -> OcopProduct:
    queryset = access.listings_for(user).select_related("product")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    ocop_product = queryset.filter(pk=ocop_product_id).first()
    if ocop_product is None:
        raise LookupError(ocop_product_id)
    return ocop_product


def clean_story(raw: object) -> str:
    """Plain text, one paragraph a line (the storefront escapes it); may be empty."""
    text = (raw if isinstance(raw, str) else "").replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.strip() for line in text.split("\n")).strip()
    if has_nul(text):
        raise ProductPageError("null_character", NUL_MESSAGE, "story")
    if len(text) > STORY_MAX:
        raise ProductPageError(
            "too_long",
            bilingual(
                f"Câu chuyện tối đa {STORY_MAX} ký tự",
                f"A story has at most {STORY_MAX} characters",
            ),
            "story",
        )
    return text


def clean_alt(raw: object) -> str:
    alt = required_text(
        raw,
        field="alt",
        max_length=ALT_MAX,
        missing=("Nhập mô tả ảnh cho người không xem được ảnh", "Enter the photo's alt text"),
        error=ProductPageError,
    )
    return " ".join(alt.split())


def _bad_photo(code: str, vietnamese: str, english: str) -> ProductPageError:
    return ProductPageError(code, bilingual(vietnamese, english), "photo")


def check_photo(upload) -> str:
    """The file's format's extension when ``upload`` is a real JPEG, PNG or WebP image
    within the size and pixel caps; else ProductPageError on the field ``photo``."""
    if upload is None:
        raise _bad_photo("required", "Chọn một ảnh", "Choose a photo")
    size = getattr(upload, "size", None) or 0
    if size == 0:
        raise _bad_photo("empty", "Tệp ảnh rỗng", "The file is empty")
    if size > MAX_PHOTO_BYTES:
        raise _bad_photo("too_large", "Ảnh tối đa 10 MB", "A photo is at most 10 MB")
    not_an_image = _bad_photo(
        "not_an_image",
        "Tệp không phải ảnh JPEG, PNG hay WebP",
        "The file is not a JPEG, PNG or WebP image",
    )
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                width, height = image.size
                if width * height > MAX_PHOTO_PIXELS:
                    raise _bad_photo(
                        "too_many_pixels",
                        "Ảnh tối đa 50 triệu điểm ảnh",
                        "A photo has at most 50 megapixels",
                    )
                kind = image.format
                image.verify()  # reads the whole file: a truncated or forged one fails
    except ProductPageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _bad_photo(
            "too_many_pixels", "Ảnh tối đa 50 triệu điểm ảnh", "A photo has at most 50 megapixels"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise not_an_image from None
    finally:
        upload.seek(0)
    if kind not in FORMATS:
        raise not_an_image
    return FORMATS[kind]


def set_story(user, ocop_product_id: int, story: object) -> str:
    text = clean_story(story)
    with transaction.atomic():
        ocop_product = _listing(user, ocop_product_id, lock=True)
        if ocop_product.product.description != text:
            ports.photos().set_story(ocop_product.product, text)
    return text


def add_photo(user, ocop_product_id: int, upload, alt: object) -> ports.Photo:
    alt = clean_alt(alt)
    extension = check_photo(upload)
    with transaction.atomic():
        ocop_product = _listing(user, ocop_product_id, lock=True)
        product = ocop_product.product
        photos = ports.photos()
        if len(photos.photos([product.pk])[product.pk]) >= MAX_PHOTOS:
            raise _bad_photo(
                "too_many",
                f"Mỗi sản phẩm tối đa {MAX_PHOTOS} ảnh",
                f"A product has at most {MAX_PHOTOS} photos",
            )
        # Our own file name: the uploaded one may be anything (NUL, 1,000 characters).
        upload.name = f"{product.slug[:60]}-{uuid.uuid4().hex[:12]}.{extension}"
        return photos.add_photo(product, upload, alt)


def _on_photo(user, ocop_product_id: int, photo_id: int | None, change) -> None:
    if photo_id is None:
        raise ProductPageError(
            "invalid", bilingual("Ảnh không hợp lệ", "Invalid photo"), "photo_id"
        )
    with transaction.atomic():
        ocop_product = _listing(user, ocop_product_id, lock=True)
        try:
            change(ocop_product.product)
        except LookupError:
            raise ProductPageError(
                "no_such_photo", bilingual("Không tìm thấy ảnh", "No such photo"), "photo_id"
            ) from None


def set_alt(user, ocop_product_id: int, photo_id: int | None, alt: object) -> None:
    alt = clean_alt(alt)
    _on_photo(user, ocop_product_id, photo_id, lambda p: ports.photos().set_alt(p, photo_id, alt))


def move_photo(user, ocop_product_id: int, photo_id: int | None, step: int) -> None:
    _on_photo(user, ocop_product_id, photo_id, lambda p: ports.photos().move(p, photo_id, step))


def delete_photo(user, ocop_product_id: int, photo_id: int | None) -> None:
    _on_photo(user, ocop_product_id, photo_id, lambda p: ports.photos().delete(p, photo_id))
