"""Who pays for the establishments: funders, the history of each establishment's funder, and the
funders' viewers (people of a funder who see its dashboard and invoices)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FunderKind(models.TextChoices):
    REGION = "region", _("Region")
    DEPARTEMENT = "departement", _("Département")
    MINISTRY = "ministry", _("Ministry")
    OTHER = "other", _("Other")


class Funder(models.Model):
    """A body that pays for establishments' workspaces (the region, a département's council, the
    agriculture ministry…)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=FunderKind.choices)
    # The département a council pays for (kind "departement"), e.g. "67".
    departement = models.CharField(_("département"), max_length=3, blank=True, default="")
    address = models.TextField(_("billing address"), blank=True, default="")
    email = models.EmailField(_("billing e-mail"), blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("funder")
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return self.name


class FunderAssignment(models.Model):
    """An establishment's funder from a date on: the history behind ``Establishment.funded_by``
    (which holds the current one). Invoices of a month use the assignment in force on the
    month's last day."""

    establishment = models.ForeignKey(
        "tenants.Establishment", on_delete=models.CASCADE, related_name="funder_assignments"
    )
    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="assignments")
    effective_from = models.DateField(_("from"))
    reason = models.CharField(_("reason"), max_length=300, blank=True, default="")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("funder assignment")
        ordering: ClassVar = ["establishment_id", "-effective_from", "-pk"]
        indexes: ClassVar = [
            models.Index(fields=["establishment", "-effective_from"], name="billing_assign_estab_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.establishment_id} -> {self.funder_id} from {self.effective_from}"


class FunderViewer(models.Model):
    """A person holding the funder-viewer region role, attached to the one funder they see."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="funder_viewer"
    )
    funder = models.ForeignKey(Funder, on_delete=models.CASCADE, related_name="viewers")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("funder viewer")

    def __str__(self) -> str:
        return f"{self.user_id} views {self.funder_id}"
