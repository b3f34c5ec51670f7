"""The establishment's own view of its people and classes (one copy per tenant schema).

``Member`` is the local row of a region-wide person in this establishment: tenant models point
at it by foreign key, so pages join within one schema. It stores the region-wide user id, never
a foreign key into the public schema (design brief §3).
"""

from __future__ import annotations

from typing import ClassVar

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from shared_apps.identity.roles import Role


class SchoolClass(models.Model):
    """A class (division) of the current school year, e.g. "4e B"."""

    name = models.CharField(_("name"), max_length=40)
    level = models.CharField(_("level"), max_length=40)

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering: ClassVar = ["level", "name"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["name"], name="school_class_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    """A person of this establishment, kept in step with the public memberships."""

    user_id = models.BigIntegerField(_("region-wide user id"))
    display_name = models.CharField(_("name"), max_length=310)
    roles = ArrayField(models.CharField(max_length=32, choices=Role.choices), default=list)
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.SET_NULL, null=True, blank=True, related_name="students"
    )
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("member")
        ordering: ClassVar = ["display_name"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user_id"], name="school_member_unique_user"),
        ]
        indexes: ClassVar = [
            models.Index(fields=["school_class", "display_name"], name="school_member_class_idx")
        ]

    def __str__(self) -> str:
        return self.display_name


class SchoolSettings(models.Model):
    """The establishment's own settings (one row per schema), seeded at onboarding."""

    display_name = models.CharField(_("display name"), max_length=200)
    default_language = models.CharField(_("default language"), max_length=8, default="fr")
    # Unjustified absences are sent to guardians only after school-life staff review them.
    absence_notification_review = models.BooleanField(_("review absences before notifying"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("school settings")
        verbose_name_plural = _("school settings")

    def __str__(self) -> str:
        return self.display_name
