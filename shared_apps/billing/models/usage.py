"""Daily usage records: one per establishment and day, written by the metering run, never changed."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from shared_apps.billing.models.immutable import ImmutableModel, ImmutableQuerySet


class UsageDay(ImmutableModel):
    """What an establishment used on one day (Europe/Paris).

    ``*_by_role`` map a role to a count. Active users are people with an open session during the
    day (``identity.UserSession``), counted per role of their memberships here; a person holding
    two roles counts once in the totals. ``active_week_by_role`` counts distinct people active
    from the Monday up to this day, ``active_month`` from the first of the month up to this day:
    the last day of a week (or month) holds the week's (or month's) distinct active users.
    Storage is measured when the record is written (a caught-up day records the storage then).
    """

    # No database constraint: the records outlive an offboarded establishment's row.
    establishment = models.ForeignKey(
        "tenants.Establishment", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    day = models.DateField(_("day"))
    accounts_by_role = models.JSONField(default=dict)
    accounts = models.PositiveIntegerField(_("accounts"), default=0)
    active_by_role = models.JSONField(default=dict)
    active = models.PositiveIntegerField(_("active users"), default=0)
    active_week_by_role = models.JSONField(default=dict)
    active_month = models.PositiveIntegerField(_("active users this month so far"), default=0)
    sign_ins = models.PositiveIntegerField(_("sign-ins"), default=0)
    storage_bytes = models.BigIntegerField(_("storage (bytes)"), default=0)
    storage_files = models.PositiveIntegerField(_("files"), default=0)
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = _("usage record")
        ordering: ClassVar = ["establishment_id", "day"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["establishment", "day"], name="billing_usage_once_a_day"),
        ]
        indexes: ClassVar = [models.Index(fields=["day"], name="billing_usage_day_idx")]

    def __str__(self) -> str:
        return f"{self.establishment_id} {self.day}"
