"""The region's school calendar (public schema): the official school holidays of each zone and
the bank holidays, entered once by region operators for every establishment. Each
establishment follows its zone (``Establishment.zone``) and adds its own days (the timetable's
local holidays)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.zones import Zone


class DayOffKind(models.TextChoices):
    HOLIDAYS = "holidays", _("School holidays")
    BANK_HOLIDAY = "bank_holiday", _("Bank holiday")


class RegionHoliday(models.Model):
    """Days off (first and last day included) of one zone, or of every zone (``zone`` "")."""

    kind = models.CharField(_("kind"), max_length=16, choices=DayOffKind.choices, default=DayOffKind.HOLIDAYS)
    zone = models.CharField(_("zone"), max_length=1, choices=Zone.choices, blank=True, default="")
    name = models.CharField(_("name"), max_length=100)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("region holiday")
        ordering: ClassVar = ["start", "zone", "pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="schoolcal_days_order"
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["zone", "start"], name="schoolcal_zone_start_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.zone or '*'})"
