"""A fair's short links: readable ASCII slugs, the URLs printed in its QR codes, and
resolving a scanned URL back to the fair, booth or product.

    /f/ocop-bac-kan-2026                     the fair's landing page
    /f/ocop-bac-kan-2026/g/htx-tai-hoan      a booth ("gian hàng")
    /f/ocop-bac-kan-2026/p/mien-dong         a featured product

Links carry no trailing slash (a shorter payload is a less dense, easier to scan code);
both forms resolve. A slug that is changed after printing keeps resolving to what it
named (``RetiredSlug``), and is never given to anything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from common.text import slug_for
from fairs.models import Booth, Fair, FairProduct, RetiredSlug
from marketplace import ports

SLUG_MAX_LENGTH = 50
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FAIR_PREFIX = "/f/"
BOOTH_SEGMENT = "g"
PRODUCT_SEGMENT = "p"


class SlugError(ValueError):
    """A slug that cannot be used, with the reason in Vietnamese and English."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def clean_slug(raw: str) -> str:
    """The slug as typed (case and surrounding spaces forgiven), or SlugError."""
    slug = (raw or "").strip().lower()
    if not slug:
        raise SlugError("Vui lòng nhập đường dẫn ngắn / Please enter a short link.")
    if len(slug) > SLUG_MAX_LENGTH:
        raise SlugError(
            f"Đường dẫn ngắn tối đa {SLUG_MAX_LENGTH} ký tự / "
            f"A short link has at most {SLUG_MAX_LENGTH} characters."
        )
    if not SLUG_PATTERN.match(slug):
        raise SlugError(
            "Đường dẫn ngắn chỉ gồm chữ thường không dấu, số và dấu gạch nối, "
            "ví dụ ocop-bac-kan-2026 / A short link has only lower-case ASCII letters, "
            "digits and single hyphens, e.g. ocop-bac-kan-2026."
        )
    return slug


def suggest_slug(text: str, taken: set[str], fallback: str = "hoi-cho") -> str:
    """A free slug derived from Vietnamese ``text`` ("Miến dong" → "mien-dong")."""
    base = slug_for(text, SLUG_MAX_LENGTH) or fallback
    if base not in taken:
        return base
    for number in range(2, 10_000):
        suffix = f"-{number}"
        candidate = base[: SLUG_MAX_LENGTH - len(suffix)].rstrip("-") + suffix
        if candidate not in taken:
            return candidate
    raise SlugError("Không tạo được đường dẫn ngắn / Could not make a short link.")


# -- which slugs are taken ------------------------------------------------------------


def taken_fair_slugs() -> set[str]:
    current = set(Fair.objects.values_list("slug", flat=True))
    retired = RetiredSlug.objects.filter(kind=RetiredSlug.Kind.FAIR).values_list("slug", flat=True)
    return current | set(retired)


def taken_slugs_in(fair: Fair, kind: str) -> set[str]:
    model = Booth if kind == RetiredSlug.Kind.BOOTH else FairProduct
    current = set(model.objects.filter(fair=fair).values_list("slug", flat=True))
    retired = RetiredSlug.objects.filter(fair=fair, kind=kind).values_list("slug", flat=True)
    return current | set(retired)


def _owner_of(kind: str, fair: Fair | None, slug: str) -> int | None:
    """The id of what ``slug`` names (now or before), or None when it is free."""
    if kind == RetiredSlug.Kind.FAIR:
        current = Fair.objects.filter(slug=slug).values_list("pk", flat=True).first()
        retired = RetiredSlug.objects.filter(kind=kind, slug=slug)
    else:
        model = Booth if kind == RetiredSlug.Kind.BOOTH else FairProduct
        current = model.objects.filter(fair=fair, slug=slug).values_list("pk", flat=True).first()
        retired = RetiredSlug.objects.filter(kind=kind, fair=fair, slug=slug)
    if current is not None:
        return current
    return retired.values_list("target_id", flat=True).first()


def assign_slug(instance: Fair | Booth | FairProduct, raw: str) -> None:
    """Validate ``raw`` for ``instance`` (not yet saved, or being renamed) and set it.

    Call inside a transaction and save the instance after: a renamed slug is kept as a
    retired slug pointing at the same target, because it may already be printed.
    """
    slug = clean_slug(raw)
    kind, fair = _kind_and_fair(instance)
    owner = _owner_of(kind, fair, slug)
    if owner is not None and owner != instance.pk:
        raise SlugError(
            "Đường dẫn ngắn này đã được dùng (có thể đã in trên mã QR) / "
            "This short link is already in use (it may be printed on a QR code)."
        )
    old = instance.slug if instance.pk else ""
    if old and old != slug:
        RetiredSlug.objects.get_or_create(
            kind=kind,
            fair=fair if kind != RetiredSlug.Kind.FAIR else instance,
            slug=old,
            defaults={"target_id": instance.pk},
        )
    if instance.pk:
        # Taking back one's own old slug: it is current again, no longer retired.
        scope = instance if kind == RetiredSlug.Kind.FAIR else fair
        RetiredSlug.objects.filter(kind=kind, fair=scope, slug=slug).delete()
    instance.slug = slug


def _kind_and_fair(instance) -> tuple[str, Fair | None]:
    if isinstance(instance, Fair):
        return RetiredSlug.Kind.FAIR, None
    if isinstance(instance, Booth):
        return RetiredSlug.Kind.BOOTH, instance.fair
    return RetiredSlug.Kind.PRODUCT, instance.fair


# -- paths and absolute URLs ----------------------------------------------------------


def fair_path(fair: Fair) -> str:
    return f"{FAIR_PREFIX}{fair.slug}"


def booth_path(booth: Booth, fair: Fair | None = None) -> str:
    return f"{fair_path(fair or booth.fair)}/{BOOTH_SEGMENT}/{booth.slug}"


def product_path(fair_product: FairProduct, fair: Fair | None = None) -> str:
    return f"{fair_path(fair or fair_product.fair)}/{PRODUCT_SEGMENT}/{fair_product.slug}"


def absolute_url(path: str) -> str:
    """The public URL of ``path`` on the shop's domain (Saleor's Site, https when
    ENABLE_SSL): what a phone opens from a printed code, wherever it was generated."""
    return ports.orders().absolute_url(path)


@dataclass(frozen=True)
class Link:
    kind: str  # "fair", "booth" or "product"
    target_id: int
    label: str
    path: str
    url: str


def links_of(fair: Fair) -> list[Link]:
    """Every printed link of a fair: the fair, each booth, each featured product."""
    links = [Link("fair", fair.pk, fair.name, fair_path(fair), absolute_url(fair_path(fair)))]
    for booth in fair.booths.all():
        path = booth_path(booth, fair)
        links.append(Link("booth", booth.pk, str(booth), path, absolute_url(path)))
    featured = fair.featured.select_related("ocop_product__product")
    for fair_product in featured:
        path = product_path(fair_product, fair)
        links.append(
            Link(
                "product",
                fair_product.pk,
                fair_product.ocop_product.product.name,
                path,
                absolute_url(path),
            )
        )
    return links


# -- resolving a scanned link ---------------------------------------------------------


def _lookup_form(raw: str) -> str | None:
    slug = (raw or "").strip().lower()
    if not slug or len(slug) > SLUG_MAX_LENGTH or not SLUG_PATTERN.match(slug):
        return None
    return slug


def resolve_fair(raw_slug: str) -> Fair | None:
    slug = _lookup_form(raw_slug)
    if slug is None:
        return None
    fair = Fair.objects.filter(slug=slug).first()
    if fair is not None:
        return fair
    retired = RetiredSlug.objects.filter(kind=RetiredSlug.Kind.FAIR, slug=slug).first()
    return Fair.objects.filter(pk=retired.target_id).first() if retired else None


def resolve_booth(fair: Fair, raw_slug: str) -> Booth | None:
    return _resolve_in(fair, raw_slug, Booth, RetiredSlug.Kind.BOOTH)


def resolve_product(fair: Fair, raw_slug: str) -> FairProduct | None:
    return _resolve_in(fair, raw_slug, FairProduct, RetiredSlug.Kind.PRODUCT)


def _resolve_in(fair: Fair, raw_slug: str, model, kind: str):
    slug = _lookup_form(raw_slug)
    if slug is None:
        return None
    found = model.objects.filter(fair=fair, slug=slug).first()
    if found is not None:
        return found
    retired = RetiredSlug.objects.filter(kind=kind, fair=fair, slug=slug).first()
    return model.objects.filter(fair=fair, pk=retired.target_id).first() if retired else None


def resolve_product_link(
    raw_fair_slug: str, raw_product_slug: str
) -> tuple[Fair | None, FairProduct | None]:
    """A product card's fair and product, with what the redirect needs, in one query
    for current slugs (the common case: a scan at the fair)."""
    fair_slug, product_slug = _lookup_form(raw_fair_slug), _lookup_form(raw_product_slug)
    if fair_slug is None:
        return None, None
    if product_slug is not None:
        found = (
            FairProduct.objects.select_related("fair", "booth", "ocop_product__product")
            .filter(fair__slug=fair_slug, slug=product_slug)
            .first()
        )
        if found is not None:
            return found.fair, found
    fair = resolve_fair(fair_slug)
    fair_product = resolve_product(fair, product_slug or "") if fair else None
    if fair_product is not None:
        fair_product = FairProduct.objects.select_related(
            "fair", "booth", "ocop_product__product"
        ).get(pk=fair_product.pk)
    return fair, fair_product
