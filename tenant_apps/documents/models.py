"""Document libraries, one copy per schema: a ``Library`` belongs to a collaborative space (a plain
``space_id``: the spaces app sits above this one) or to one person; it holds nested ``Folder`` rows
and ``Document`` rows, each with its ``Version`` rows (the stored files, under the establishment's
prefix). Restoring an old version adds a new current version that points at the same stored file:
nothing is lost and nothing is stored twice (``stored_bytes`` counts what a version added to the
storage; the quotas sum it)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenant_apps.school.models import Member


class Library(models.Model):
    class Kind(models.TextChoices):
        SPACE = "space", _("collaborative space")
        PERSONAL = "personal", _("personal documents")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    #: The collaborative space's id (no foreign key: the spaces app is above this one).
    space_id = models.PositiveBigIntegerField(null=True, blank=True)
    owner = models.ForeignKey(
        Member, on_delete=models.CASCADE, null=True, blank=True, related_name="document_libraries"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document library")
        verbose_name_plural = _("document libraries")
        ordering: ClassVar = ["pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(kind="space", space_id__isnull=False, owner__isnull=True)
                | models.Q(kind="personal", space_id__isnull=True, owner__isnull=False),
                name="documents_library_kind_owner",
            ),
            models.UniqueConstraint(
                fields=["space_id"], condition=models.Q(kind="space"), name="documents_library_unique_space"
            ),
            models.UniqueConstraint(
                fields=["owner"], condition=models.Q(kind="personal"), name="documents_library_unique_owner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.space_id or self.owner_id}"


class Folder(models.Model):
    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="folders")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    name = models.CharField(_("name"), max_length=200)
    created_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("folder")
        ordering: ClassVar = ["name", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["library", "parent", "name"],
                name="documents_folder_unique_name",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Document(models.Model):
    """A file of a library; its content is its current version."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="documents")
    folder = models.ForeignKey(
        Folder, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    name = models.CharField(_("name"), max_length=200)
    current = models.ForeignKey("Version", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    size = models.BigIntegerField(default=0)
    content_type = models.CharField(max_length=100)
    created_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("document")
        ordering: ClassVar = ["name", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["library", "folder", "name"],
                name="documents_document_unique_name",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Version(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to="documents/%Y/%m/", max_length=300)
    size = models.BigIntegerField()
    content_type = models.CharField(max_length=100)
    #: Bytes this version added to the storage (0 for a restore, which reuses a stored file).
    stored_bytes = models.BigIntegerField(default=0)
    restored_from = models.PositiveIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("version")
        ordering: ClassVar = ["-number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["document", "number"], name="documents_version_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"
