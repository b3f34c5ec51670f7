"""Directory imports and account activation (public schema).

``DirectoryImport`` is one upload of an establishment's directory export: previewed, then applied
by a Celery task. ``DirectoryRecord`` remembers, per establishment and family (students, guardians,
staff), which region-wide account an exported person is (the export's own stable id, the birth
date the account has no field for), so that a later import matches the same people.
``ActivationCode`` lets an imported person set their first password; only its hash is stored.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Previewed")
    APPLYING = "applying", _("Applying")
    APPLIED = "applied", _("Applied")
    FAILED = "failed", _("Failed")


class Family(models.TextChoices):
    STUDENT = "student", _("Students")
    GUARDIAN = "guardian", _("Guardians")
    STAFF = "staff", _("Staff")


class DirectoryImport(models.Model):
    establishment = models.ForeignKey(
        "tenants.Establishment", on_delete=models.CASCADE, related_name="directory_imports"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED
    )
    formats = models.JSONField(default=list, blank=True)  # ["csv"], ["national_xml"]
    files = models.JSONField(default=list, blank=True)  # [{"name", "format", "kind", "rows"}]
    families = models.JSONField(default=list, blank=True)  # families the import is authoritative for
    counts = models.JSONField(default=dict, blank=True)  # created/linked/updated/unchanged/conflicts/departed
    samples = models.JSONField(default=dict, blank=True)  # the first rows of each category
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"file", "line", "field", "message"}]
    # The parsed directory, kept until applied (the upload itself is not needed again).
    content = models.JSONField(default=dict, blank=True)
    content_hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("directory import")
        ordering: ClassVar = ["-created_at", "-pk"]
        indexes: ClassVar = [
            models.Index(fields=["establishment", "-created_at"], name="directory_import_estab_idx"),
            models.Index(fields=["establishment", "content_hash"], name="directory_import_hash_idx"),
        ]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.status}) @ {self.establishment_id}"


class DirectoryRecord(models.Model):
    """An exported person of one establishment and family, and the account they are."""

    establishment = models.ForeignKey("tenants.Establishment", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    family = models.CharField(max_length=16, choices=Family.choices)
    source_id = models.CharField(max_length=64, blank=True, default="")
    birth_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("directory record")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["establishment", "family", "user"], name="directory_record_unique_user"
            ),
            models.UniqueConstraint(
                fields=["establishment", "family", "source_id"],
                condition=~models.Q(source_id=""),
                name="directory_record_unique_source",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["birth_date"], name="directory_record_birth_idx")]

    def __str__(self) -> str:
        return f"{self.family} {self.source_id} -> {self.user_id}"


class ActivationCode(models.Model):
    """A one-time code to set a first password. One active code per person; a new one revokes it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    establishment = models.ForeignKey(
        "tenants.Establishment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    code_hash = models.CharField(max_length=64)
    channel = models.CharField(max_length=16, default="letter")  # letter / email
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("activation code")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(used_at__isnull=True, revoked_at__isnull=True),
                name="directory_activation_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"activation code of {self.user_id}"
