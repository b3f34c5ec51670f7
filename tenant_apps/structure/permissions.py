"""Who may do what with the school's structure, timetable and attendance (role sets declared by
the views; the rule itself is ``mbn_platform.kernel.permissions.check_access``)."""

from __future__ import annotations

from django.http import HttpRequest

from mbn_platform.kernel.errors import NotAuthenticated
from mbn_platform.kernel.tenancy import request_access
from shared_apps.identity.roles import STAFF_ROLES, Role

#: Manage the structure and the timetable (the establishment's administrative staff).
STRUCTURE_MANAGERS = frozenset({Role.ADMIN_STAFF, Role.HEAD, Role.ESTABLISHMENT_ADMIN})
#: Record one-off changes to lessons.
TIMETABLE_EDITORS = STRUCTURE_MANAGERS | {Role.SCHOOL_LIFE}
#: Follow attendance for the whole establishment (registers not taken, justifications, lateness).
SCHOOL_LIFE = frozenset({Role.SCHOOL_LIFE, Role.HEAD, Role.ESTABLISHMENT_ADMIN})
#: Take a register (teachers: their own lessons only; selectors scope).
REGISTER_TAKERS = SCHOOL_LIFE | {Role.TEACHER}
STAFF = STAFF_ROLES
EVERYONE = frozenset(Role.values)


def acting_user_id(request: HttpRequest) -> int:
    """The region-wide id of the signed-in person making the request (the services' ``actor_id``)."""
    user_id = request_access(request).user_id
    if not user_id:
        raise NotAuthenticated()
    return user_id
