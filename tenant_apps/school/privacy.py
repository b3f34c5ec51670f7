"""What an establishment's school app holds about people (``mbn_platform.kernel.privacy``):
their local row (name, roles, class). Run in each establishment's schema."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.privacy import ESTABLISHMENT, ExportPart, Processing, privacy_register
from tenant_apps.school.models import Member


def _export(user_ids: frozenset[int]) -> list[ExportPart]:
    rows = [
        {
            "name": m.display_name,
            "roles": list(m.roles),
            "class": m.school_class.name if m.school_class else "",
            "active": m.is_active,
        }
        for m in Member.objects.filter(user_id__in=user_ids).select_related("school_class")
    ]
    return [ExportPart("member", rows)]


def _erase(user_ids: frozenset[int]) -> int:
    """A purged account's row stays (registers and marks point at it) with no name any more."""
    return Member.objects.filter(user_id__in=user_ids).update(
        display_name="—", roles=[], school_class=None, is_active=False
    )


def register() -> None:
    privacy_register(
        Processing(
            key="school.members",
            name=_("The establishment's members"),
            purpose=_("Know who belongs to the establishment, in which class, with which roles."),
            legal_basis=_("Public interest mission of the establishment (education code)."),
            data=[_("name, roles, class")],
            people=[_("students"), _("guardians"), _("staff")],
            recipients=[_("the establishment's staff")],
            retention=_("While the person has a role; the name is removed when the account is purged."),
            scope=ESTABLISHMENT,
            export=_export,
            erase=_erase,
        )
    )
