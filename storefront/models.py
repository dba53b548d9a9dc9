"""The storefront's own settings, changeable without code: one row, edited by staff at
``/cau-hinh-cua-hang/`` (see ``backoffice.shop_settings``)."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from common.badges import BADGE_STYLES

# The configuration read in the current request (see ``once_per_request``): a list
# holding it once read, None outside a request.
_this_request: ContextVar[list | None] = ContextVar("storefront_configuration", default=None)


class StorefrontConfiguration(models.Model):
    """A singleton (pk 1). ``current(request)`` reads it once per request."""

    SINGLETON_PK = 1

    shop_name = models.CharField(max_length=120, default="Chợ OCOP Việt Nam")
    tagline = models.CharField(
        max_length=200,
        blank=True,
        default="Sản phẩm OCOP được chứng nhận 3–5 sao, từ tận nơi làm ra.",
    )
    # Shown first on the home page, in this order; empty means "the best 5★ products".
    featured_products = models.ManyToManyField("product.Product", blank=True, related_name="+")
    # Two-digit GSO codes of current provinces, in display order.
    featured_province_codes = ArrayField(models.CharField(max_length=2), blank=True, default=list)
    badge_style = models.CharField(
        max_length=20, choices=[(s, s) for s in BADGE_STYLES], default=BADGE_STYLES[0]
    )
    default_language = models.CharField(
        max_length=8, choices=settings.STOREFRONT_LANGUAGES, default="vi"
    )
    products_per_page = models.PositiveSmallIntegerField(default=24)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "storefront configuration"

    def __str__(self) -> str:
        return self.shop_name

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON_PK
        super().save(*args, **kwargs)
        held = _this_request.get()
        if held is not None:
            held[:] = [self]

    @classmethod
    def load(cls) -> StorefrontConfiguration:
        """The row, or the defaults (unsaved) when staff never saved one."""
        config = cls.objects.filter(pk=cls.SINGLETON_PK).first()
        return config if config is not None else cls(pk=cls.SINGLETON_PK)

    @classmethod
    def current(cls, request) -> StorefrontConfiguration:
        """Once per request: a change by staff shows on the very next page view."""
        config = getattr(request, "_storefront_configuration", None)
        if config is None:
            config = request._storefront_configuration = cls.load()
        return config

    @classmethod
    def shared(cls) -> StorefrontConfiguration:
        """For code that has no request at hand (template tags of e-mails, which Saleor
        renders in a Celery task, inline in the request when tasks run eagerly): read
        once per request inside ``once_per_request``, at every call outside one."""
        held = _this_request.get()
        if held is None:
            return cls.load()
        if not held:
            held.append(cls.load())
        return held[0]

    @staticmethod
    @contextmanager
    def once_per_request():
        """The scope of ``shared``'s reading (``storefront.middleware``)."""
        token = _this_request.set([])
        try:
            yield
        finally:
            _this_request.reset(token)


class SearchText(models.Model):
    """What the PostgreSQL search engine matches, folded once (``ocop_fold``) per product
    instead of once per row per query: the name, the English name, the producer, origin
    and product group, the start of the description. Rewritten by
    ``storefront.search_text.refresh`` in the same transaction as every change that marks
    a product for search (marketplace.search_outbox), so it is never behind the shop.
    Trigram indexes (migration 0004) serve the word patterns."""

    product_id = models.IntegerField(primary_key=True)
    name = models.TextField()
    name_en = models.TextField(blank=True)
    fields = models.TextField(blank=True)
    description = models.TextField(blank=True)
    names = models.TextField()  # name + English name (typos)
    known = models.TextField()  # names + fields (the "every word somewhere" tier)
    every = models.TextField()  # known + description (what a search can match at all)

    def __str__(self) -> str:
        return f"search text of product {self.product_id}"
