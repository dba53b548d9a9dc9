"""GraphQL for registry imports: staff upload a file (multipart), a Celery task
imports it, and the run reports the same summary as ``manage.py ocop_import``."""

from __future__ import annotations

import graphene
from django.core.exceptions import ValidationError
from saleor.core.permissions import ProductPermissions
from saleor.graphql.core.mutations import BaseMutation
from saleor.graphql.core.types.common import Error
from saleor.graphql.core.types.upload import Upload
from saleor.graphql.core.utils.error_codes import saleor_error_codes
from saleor.graphql.decorators import permission_required

from catalog_sync.models import ImportRun
from catalog_sync.uploads import UploadError, start_import_run
from common.inputs import whole_number


class OcopImportErrorCode(graphene.Enum):
    REQUIRED = "required"
    INVALID = "invalid"
    FILE_TOO_LARGE = "file_too_large"
    FORMAT_UNSUPPORTED = "format_unsupported"


# Saleor maps any error code it does not know to "invalid"; register ours.
saleor_error_codes.extend(
    code.value for code in OcopImportErrorCode._meta.enum if code.value not in saleor_error_codes
)


KNOWN_CODES = {code.value for code in OcopImportErrorCode._meta.enum}


class OcopImportError(Error):
    code = OcopImportErrorCode(required=True)


class OcopImportRejection(graphene.ObjectType):
    row = graphene.Int(required=True, description="Spreadsheet row (the header is row 1).")
    field = graphene.String(required=True)
    code = graphene.String(required=True)
    message = graphene.String(required=True)
    message_vi = graphene.String(required=True)
    message_en = graphene.String(required=True)


class OcopImportSummary(graphene.ObjectType):
    accepted = graphene.Int(required=True)
    rejected = graphene.Int(required=True)
    created = graphene.Int(required=True)
    updated = graphene.Int(required=True)
    unchanged = graphene.Int(required=True)
    rejections = graphene.List(graphene.NonNull(OcopImportRejection), required=True)


class OcopImportRun(graphene.ObjectType):
    id = graphene.ID(required=True)
    original_name = graphene.String(required=True)
    status = graphene.String(required=True, description="pending, running, done or failed")
    dry_run = graphene.Boolean(required=True)
    as_of = graphene.Date()
    created_at = graphene.DateTime(required=True)
    finished_at = graphene.DateTime()
    error_code = graphene.String(
        description="Why the run failed: a file-level code (docs/registry-format.md), "
        "`import_failed` (any other error; the message says which) or `run_stalled` "
        "(its worker was lost)."
    )
    error_message = graphene.String()
    summary = graphene.Field(OcopImportSummary)

    @staticmethod
    def resolve_id(root: ImportRun, _info):
        return graphene.Node.to_global_id("OcopImportRun", root.pk)

    @staticmethod
    def resolve_error_code(root: ImportRun, _info):
        return root.error_code or None

    @staticmethod
    def resolve_error_message(root: ImportRun, _info):
        return root.error_message or None

    @staticmethod
    def resolve_summary(root: ImportRun, _info):
        return root.summary or None


class OcopRegistryImport(BaseMutation):
    import_run = graphene.Field(OcopImportRun)

    class Arguments:
        file = Upload(required=True, description="The registry file (CSV, XLSX or JSON).")
        sheet = graphene.String(description="XLSX sheet name; the first sheet by default.")
        as_of = graphene.Date(description="Reference date for expiry; today by default.")
        dry_run = graphene.Boolean(default_value=False, description="Validate, write nothing.")

    class Meta:
        description = (
            "Nhập danh sách sản phẩm OCOP / Import an OCOP registry file. Send as a multipart "
            "request; the import runs as a background task: poll `ocopImportRun`."
        )
        permissions = (ProductPermissions.MANAGE_PRODUCTS,)
        error_type_class = OcopImportError
        error_type_field = "import_errors"

    @classmethod
    def perform_mutation(cls, _root, info, file, **data):
        user = info.context.user
        try:
            run = start_import_run(
                info.context.FILES.get(file),
                user=user,
                sheet=data.get("sheet") or "",
                as_of=data.get("as_of"),
                dry_run=bool(data.get("dry_run")),
            )
        except UploadError as error:
            code = error.code if error.code in KNOWN_CODES else OcopImportErrorCode.INVALID.value
            raise ValidationError(
                {error.field or "file": ValidationError(error.message, code=code)}
            ) from None
        return OcopRegistryImport(import_run=run)


class CatalogImportQueries(graphene.ObjectType):
    ocop_import_run = graphene.Field(
        OcopImportRun, id=graphene.ID(required=True), description="One registry import."
    )
    ocop_import_runs = graphene.List(
        graphene.NonNull(OcopImportRun),
        last=graphene.Int(default_value=20),
        description="The latest registry imports, newest first.",
    )

    @permission_required(ProductPermissions.MANAGE_PRODUCTS)
    def resolve_ocop_import_run(self, _info, id):
        try:
            kind, pk = graphene.Node.from_global_id(id)
        except Exception:
            return None
        pk = whole_number(pk) if kind == "OcopImportRun" else None
        return ImportRun.objects.filter(pk=pk).first() if pk is not None else None

    @permission_required(ProductPermissions.MANAGE_PRODUCTS)
    def resolve_ocop_import_runs(self, _info, last):
        return ImportRun.objects.all()[: max(0, min(last, 100))]


class CatalogImportMutations(graphene.ObjectType):
    ocop_registry_import = OcopRegistryImport.Field()
