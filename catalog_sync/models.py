"""A record of each registry import: who sent which file, and what came of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImportRun(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Đang chờ / Pending"
        RUNNING = "running", "Đang nhập / Running"
        DONE = "done", "Hoàn tất / Done"
        FAILED = "failed", "Thất bại / Failed"

    file = models.FileField(upload_to="ocop-registry-uploads/%Y/%m/")
    original_name = models.CharField(max_length=255)
    sheet = models.CharField(max_length=100, blank=True)
    as_of = models.DateField(null=True, blank=True)
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    summary = models.JSONField(default=dict, blank=True)
    error_code = models.CharField(max_length=50, blank=True)
    error_message = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(default=timezone.now)
    # When the task took it: the sweeper closes runs "running" for too long from here.
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Rows written so far (the task adds each chunk's): the run page's progress.
    rows_written = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["-created_at", "-id"], name="importrun_newest_first")]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"
