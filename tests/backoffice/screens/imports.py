"""Platform staff's catalogue imports section (backoffice.imports)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog_sync.models import ImportRun
from tests.backoffice.screens import Cell, platform_only
from tests.catalog_import.registry import HEADERS, MIEN_DONG


def _run(world) -> ImportRun:
    if "import_run" not in world.things:
        world.things["import_run"] = ImportRun.objects.create(
            file="ocop-registry-uploads/2026/12/thai-nguyen.csv",
            original_name="thai-nguyen.csv",
            status=ImportRun.Status.DONE,
            summary={"accepted": 1, "rejected": 0, "created": 1, "rejections": []},
        )
    return world.things["import_run"]


class Rewound(SimpleUploadedFile):
    """Sent whole by every role's request (the test client reads it from where it is)."""

    def read(self, *args):
        self.seek(0)
        return super().read(*args)


def _registry(world) -> dict:
    """A one-row registry: the upload is refused before the view for everyone but
    platform staff (their run is queued after a commit the matrix never makes; the file
    goes to the test's MEDIA_ROOT, tests/backoffice/conftest.py)."""
    header = ",".join(HEADERS[key] for key in MIEN_DONG)
    row = ",".join(f'"{MIEN_DONG[key]}"' for key in MIEN_DONG)
    return {"file": Rewound("thai-nguyen.csv", f"{header}\n{row}\n".encode())}


CELLS = [
    Cell("imports history", lambda world: reverse("backoffice-imports"), platform_only()),
    Cell(
        "import upload",
        lambda world: reverse("backoffice-imports"),
        platform_only(302),
        method="post",
        data=_registry,
    ),
    Cell(
        "import run page",
        lambda world: reverse("backoffice-import", args=[_run(world).pk]),
        platform_only(),
    ),
    Cell(
        "import run status",
        lambda world: reverse("backoffice-import-status", args=[_run(world).pk]),
        platform_only(),
    ),
    Cell(
        "import rejections csv",
        lambda world: reverse("backoffice-import-rejections", args=[_run(world).pk]),
        platform_only(),
    ),
]
