"""The roles a person can hold: in an establishment, or on the region (public) side."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A role held in one establishment (a membership)."""

    STUDENT = "student", _("Student")
    GUARDIAN = "guardian", _("Guardian")
    TEACHER = "teacher", _("Teacher")
    SCHOOL_LIFE = "school_life", _("School-life staff")
    ADMIN_STAFF = "admin_staff", _("Administrative staff")
    HEAD = "head", _("Head of establishment")
    ESTABLISHMENT_ADMIN = "establishment_admin", _("Establishment administrator")
    # Référent numérique (PRN): works the establishment's support requests first.
    DIGITAL_REFERENT = "digital_referent", _("Digital referent")


class RegionRole(models.TextChoices):
    """A role held on the region's side (public schema), not tied to an establishment."""

    REGION_OPERATOR = "region_operator", _("Region operator")
    SUPPORT = "support", _("Support agent")
    FUNDER_VIEWER = "funder_viewer", _("Funder (read-only)")
    # The region's data protection officer (DPO): the records of processing, access requests.
    DATA_PROTECTION_OFFICER = "data_protection_officer", _("Data protection officer")


STAFF_ROLES = frozenset(
    {
        Role.TEACHER,
        Role.SCHOOL_LIFE,
        Role.ADMIN_STAFF,
        Role.HEAD,
        Role.ESTABLISHMENT_ADMIN,
        Role.DIGITAL_REFERENT,
    }
)

#: The establishment's leadership: its administrators and its head (who manage its members,
#: read its audit log, open support requests for others). Apps import it by name in their own
#: ``permissions.py``.
ESTABLISHMENT_LEADERS = frozenset({Role.ESTABLISHMENT_ADMIN, Role.HEAD})
#: Region operators (the console, the audit log of the region).
OPERATORS = frozenset({RegionRole.REGION_OPERATOR})
#: Support agents (the queue, impersonation).
SUPPORT_AGENTS = frozenset({RegionRole.SUPPORT})
#: The establishment's digital referents (PRN): its support requests, before the region's agents.
DIGITAL_REFERENTS = frozenset({Role.DIGITAL_REFERENT})
#: The region's data protection officer (the records of processing, access requests).
DATA_PROTECTION_OFFICERS = frozenset({RegionRole.DATA_PROTECTION_OFFICER})
