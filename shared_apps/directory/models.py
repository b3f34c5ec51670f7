"""Directory imports and account activation (public schema).

``DirectoryImport`` is one upload of an establishment's directory export: previewed, then applied
by a Celery task. ``DirectoryRecord`` remembers, per establishment and family (students, guardians,
staff), which region-wide account an exported person is (the export's own stable id, the birth
date the account has no field for), so that a later import matches the same people.
``ActivationCode`` lets an imported person set their first password; only its hash is stored.

An académie's federated directory (the AAF) reaches the region as files every night: ``AafFeed``
is where an académie's files land, ``AafFile`` each file seen there, ``AafRun`` the reading of
one set of files (one ``DirectoryImport`` per establishment it names), ``AafEntry`` what the
académie last said of each person, establishment or subject (what a delta changes).
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
    # Times it was started applying: a worker that dies leaves it "applying" (nothing written),
    # and the reaper (reaper.py) starts it again, up to a limit.
    attempts = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"file", "line", "field", "message"}]
    skipped = models.JSONField(
        default=list, blank=True
    )  # rows left out: [{"file", "line", "field", "message", "what", "name"}]
    # The académie's feed run that made it (None: uploaded by the establishment).
    feed_run = models.ForeignKey(
        "directory.AafRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="imports"
    )
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


class AafFeed(models.Model):
    """Where an académie's AAF files land: an S3 prefix (``s3://bucket/prefix/``), or a folder under
    ``AAF_FEEDS_ROOT`` (development, the demo). One feed per académie."""

    academie = models.CharField(_("académie"), max_length=100, unique=True)
    location = models.CharField(_("location of the files"), max_length=500)
    paused = models.BooleanField(_("paused"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    checked_at = models.DateTimeField(null=True, blank=True)  # its files were last listed

    class Meta:
        verbose_name = _("AAF feed")
        ordering: ClassVar = ["academie"]

    def __str__(self) -> str:
        return f"AAF feed {self.academie}"


class FeedRunStatus(models.TextChoices):
    PREPARING = "preparing", _("Reading the files")
    APPLYING = "applying", _("Applying")
    APPLIED = "applied", _("Applied")
    FAILED = "failed", _("Failed for some establishments")
    REFUSED = "refused", _("Refused: nothing changed")


class AafRun(models.Model):
    """The reading of one set of files of a feed (a complete set or a delta), in order."""

    feed = models.ForeignKey(AafFeed, on_delete=models.CASCADE, related_name="runs")
    stamp = models.CharField(max_length=32)  # the files' date
    mode = models.CharField(max_length=16)  # complete / delta
    status = models.CharField(max_length=16, choices=FeedRunStatus.choices, default=FeedRunStatus.PREPARING)
    files = models.JSONField(default=list, blank=True)  # the names read
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)  # started, then resumed
    errors = models.JSONField(default=list, blank=True)  # what refused the set: [{"file", "line", ...}]
    notes = models.JSONField(default=list, blank=True)  # establishments not here, people of none…
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("AAF feed run")
        ordering: ClassVar = ["-created_at", "-pk"]
        indexes: ClassVar = [models.Index(fields=["feed", "-created_at"], name="directory_aafrun_feed_idx")]

    def __str__(self) -> str:
        return f"AAF run {self.pk} {self.mode} {self.stamp} ({self.status})"


class AafFile(models.Model):
    """A file seen at a feed's location (``<prefix>_Complet|Delta_<date>_<Kind>_<n>.xml``)."""

    feed = models.ForeignKey(AafFeed, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=255)
    stamp = models.CharField(max_length=32)
    mode = models.CharField(max_length=16)  # complete / delta
    kind = models.CharField(max_length=32)  # Eleve, PersEducNat, PersRelEleve, EtabEducNat, MatiereEducNat
    number = models.PositiveIntegerField(default=1)
    size = models.BigIntegerField(default=0)
    version = models.CharField(max_length=100, blank=True, default="")  # ETag, or size and time
    seen_at = models.DateTimeField(auto_now_add=True)
    run = models.ForeignKey(AafRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("AAF file")
        ordering: ClassVar = ["stamp", "mode", "kind", "number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["feed", "name"], name="directory_aaffile_unique")
        ]

    def __str__(self) -> str:
        return self.name


class AafEntry(models.Model):
    """What the académie last said of one person, establishment or subject: the attributes the
    platform reads (a delta's modifications change some of them), never the others (addresses…)."""

    feed = models.ForeignKey(AafFeed, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=32)
    aaf_id = models.CharField(max_length=64)
    attrs = models.JSONField(default=dict)  # name -> [values]

    class Meta:
        verbose_name = _("AAF entry")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["feed", "category", "aaf_id"], name="directory_aafentry_unique")
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.aaf_id}"
