"""Saleor 2.10's product images (``ProductImage``, a versatileimagefield) and the
product's story (``description`` / ``description_json``), for ``marketplace.product_pages``.

Every write is a model ``save()`` or ``delete()``, so django-auditlog records it with the
request's actor (config/audit.py); a reorder swaps two neighbours' ``sort_order`` rather
than Saleor's bulk ``perform_reordering``, which the audit log would not see.
"""

from __future__ import annotations

from django.db import transaction
from saleor.core.utils import create_thumbnails
from saleor.product.models import Product, ProductImage
from saleor.product.templatetags.product_images import get_thumbnail

from marketplace import search_outbox
from marketplace.ports import Photo
from saleor_adapter import catalog

# Saleor's "products" rendition set (saleor/settings.py VERSATILEIMAGEFIELD_RENDITION_KEY_SETS):
# the sizes written when a photo is uploaded, and the ones the pages ask for.
RENDITIONS = "products"


def photo(image: ProductImage) -> Photo:
    return Photo(
        pk=image.pk,
        alt=image.alt,
        sort_order=image.sort_order or 0,
        small_url=get_thumbnail(image.image, 120, "thumbnail"),
        url=get_thumbnail(image.image, 540, "thumbnail"),
        url_2x=get_thumbnail(image.image, 1080, "thumbnail"),
        card_url=get_thumbnail(image.image, 255, "thumbnail"),
        card_url_2x=get_thumbnail(image.image, 510, "thumbnail"),
    )


class SaleorPhotos:
    def photos(self, product_ids) -> dict[int, list[Photo]]:
        """Each product's photos in their order, in one query."""
        result: dict[int, list[Photo]] = {pk: [] for pk in product_ids}
        images = ProductImage.objects.filter(product_id__in=list(result)).order_by(
            "product_id", "sort_order", "pk"
        )
        for image in images:
            result[image.product_id].append(photo(image))
        return result

    def add_photo(self, product: Product, upload, alt: str) -> Photo:
        image = ProductImage(product=product, alt=alt)
        image.image.save(upload.name, upload, save=False)
        image.save()
        # The renditions are written now, not by Saleor's Celery task: the page that
        # follows the upload shows them, and production serves no image on demand.
        transaction.on_commit(lambda: create_thumbnails(image.pk, ProductImage, RENDITIONS))
        search_outbox.mark_products([product.pk])
        return photo(image)

    def _image(self, product: Product, photo_id: int) -> ProductImage:
        image = (
            ProductImage.objects.select_for_update().filter(product=product, pk=photo_id).first()
        )
        if image is None:
            raise LookupError(photo_id)
        return image

    def set_alt(self, product: Product, photo_id: int, alt: str) -> None:
        image = self._image(product, photo_id)
        if image.alt != alt:
            image.alt = alt
            image.save(update_fields=["alt"])

    def move(self, product: Product, photo_id: int, step: int) -> bool:
        """Swap the photo with its neighbour ``step`` (-1 earlier, +1 later); False at an end."""
        image = self._image(product, photo_id)
        images = list(
            ProductImage.objects.select_for_update()
            .filter(product=product)
            .order_by("sort_order", "pk")
        )
        index = next(i for i, other in enumerate(images) if other.pk == image.pk)
        target = index + step
        if not 0 <= target < len(images):
            return False
        images[index], images[target] = images[target], images[index]
        for position, other in enumerate(images):
            if other.sort_order != position:
                other.sort_order = position
                other.save(update_fields=["sort_order"])
        return True

    def delete(self, product: Product, photo_id: int) -> None:
        image = self._image(product, photo_id)
        image.image.delete_all_created_images()
        image.image.delete(save=False)
        image.delete()
        search_outbox.mark_products([product.pk])

    def set_story(self, product: Product, text: str) -> None:
        product.description = text
        product.description_json = catalog.description_json(text)
        product.save(update_fields=["description", "description_json", "updated_at"])
        search_outbox.mark_products([product.pk])
