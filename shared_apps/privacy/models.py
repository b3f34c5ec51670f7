"""Right-of-access exports: an archive of everything held about one person, built by a task."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class AccessExport(models.Model):
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    requested_by_id = models.BigIntegerField()
    # Produced by an operator for a request received by post (the archive is sent by them).
    postal = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("access export")
        ordering: ClassVar = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"access export {self.pk} of {self.subject_id}"
