"""What Saleor 2.10.1 needs on Django 3.2 LTS, and what Django 3.2.25 lacks.

Runs first thing in our settings, before Saleor is imported. Two kinds of patch:

* compatibility: Django 3.1 removed the alias ``django.forms.forms.BoundField`` that
  ``saleor/account/i18n.py`` still imports; it is restored. Pillow 10 removed
  ``Image.ANTIALIAS`` (the LANCZOS filter's old name), which django-versatileimagefield,
  Saleor's product image thumbnails, still uses; it is restored as that filter.
* security: Django 3.2.25 (March 2024) is the last 3.2 release, so fixes published
  since then never reached it. Where a later advisory is reachable in this shop and a
  small guard closes it, the guard is here; docs/security.md lists every advisory with
  its status and names the guard.
"""

import logging
import re
import warnings

import django.forms.boundfield
import django.forms.forms
from django.http import multipartparser
from django.http.request import HttpRequest
from PIL import Image

django.forms.forms.BoundField = django.forms.boundfield.BoundField
if not hasattr(Image, "ANTIALIAS"):
    Image.ANTIALIAS = Image.LANCZOS

# django-countries 7 imports pkg_resources (hence setuptools<81); its deprecation
# notice says nothing actionable to a shop operator.
warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)


# --- Multipart parts declaring Content-Transfer-Encoding: base64 are refused ----------
# Django's decoding of such parts is where CVE-2022-23833 (an endless loop, fixed in
# 3.2.12) and CVE-2026-33033 (repeated copying on whitespace, fixed after 3.2) live.
# RFC 7578 (4.7) deprecates the header for multipart/form-data and no browser or GraphQL
# upload client sends it, so such a request is refused (400) before any part is decoded.


class Base64PartRefused(multipartparser.MultiPartParserError):
    pass


class _Parser(multipartparser.Parser):
    def __iter__(self):
        for item_type, meta_data, field_stream in super().__iter__():
            encoding = meta_data.get("content-transfer-encoding")
            if encoding and encoding[0].strip().lower() == "base64":
                raise Base64PartRefused(
                    "Content-Transfer-Encoding: base64 is not accepted in multipart/form-data."
                )
            yield item_type, meta_data, field_stream


multipartparser.Parser = _Parser


# --- An oversized Content-Type header is not parsed ------------------------------------
# CVE-2026-84429: parsing header parameters is quadratic in the number of ';' inside a
# quoted value, and Django 3.2 parses every request's Content-Type while building the
# request (cgi.parse_header: 8 KB, the largest header gunicorn accepts, costs ~0.2 s of
# CPU; 64 KB costs 8 s), then again in the multipart parser. A real Content-Type is under
# 100 characters (a multipart boundary is at most 70), so a longer one is read as an
# unknown body type: nothing in the body is parsed, and the view refuses the request.
MAX_CONTENT_TYPE_LENGTH = 500
UNPARSED_CONTENT_TYPE = "application/octet-stream"
_set_content_type_params = HttpRequest._set_content_type_params


def _set_bounded_content_type_params(self, meta):
    if len(meta.get("CONTENT_TYPE", "")) > MAX_CONTENT_TYPE_LENGTH:
        meta["CONTENT_TYPE"] = UNPARSED_CONTENT_TYPE
    _set_content_type_params(self, meta)


HttpRequest._set_content_type_params = _set_bounded_content_type_params


# --- A user with an unusable password takes as long to refuse as any other -------------
# CVE-2024-39329: check_password() returned at once for an unusable password (staff
# accounts created without one, for instance) or an empty one, but ran the hasher for
# every other, so the time of a failed sign-in told which e-mail addresses have such an
# account. The hasher now runs in every case. AbstractBaseUser imports the function by
# name when the apps load, after this module ran, so it gets this one.
from django.contrib.auth import hashers  # noqa: E402

_check_password = hashers.check_password


def _has_checkable_hash(encoded) -> bool:
    try:
        return hashers.is_password_usable(encoded) and bool(hashers.identify_hasher(encoded))
    except (TypeError, ValueError):  # empty, or no hasher knows it
        return False


def _check_password_in_constant_time(password, encoded, setter=None, preferred="default"):
    if password is not None and not _has_checkable_hash(encoded):
        hashers.make_password(password)  # the same work as checking a real hash
        return False
    return _check_password(password, encoded, setter, preferred)


hashers.check_password = _check_password_in_constant_time


# --- Control characters in logged values are escaped ----------------------------------
# CVE-2025-48432: Django logs request.path ("Not Found: /…") unescaped, so a URL with an
# encoded newline or terminal escape forges log lines. The settings put this filter on
# the console handler, so every logger's arguments (paths, GraphQL errors) are escaped.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def escape_control_characters(text: str) -> str:
    return _CONTROL_CHARACTERS.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


class EscapeControlCharacters(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                escape_control_characters(arg) if isinstance(arg, str) else arg
                for arg in record.args
            )
        elif isinstance(record.args, dict):
            record.args = {
                key: escape_control_characters(value) if isinstance(value, str) else value
                for key, value in record.args.items()
            }
        if isinstance(record.msg, str) and not record.args:
            record.msg = escape_control_characters(record.msg)
        return True


# --- Global ids whose pk is written in another script's digits are malformed ---------
# Saleor turns the pk of a global id into a number with int(), which also reads
# "٣" (Arabic-Indic three) or "３" (fullwidth) as 3: "Product:٣" reached product 3.
# Such an id is refused like any undecodable one (Saleor answers "Couldn't resolve").
import graphql_relay  # noqa: E402
import graphql_relay.node.node  # noqa: E402

_relay_from_global_id = graphql_relay.node.node.from_global_id


def _from_global_id_ascii_digits(global_id):
    type_name, pk = _relay_from_global_id(global_id)
    if any(char.isdigit() and not char.isascii() for char in pk):
        raise ValueError("global id with non-ASCII digits")
    return type_name, pk


graphql_relay.from_global_id = _from_global_id_ascii_digits
graphql_relay.node.node.from_global_id = _from_global_id_ascii_digits
