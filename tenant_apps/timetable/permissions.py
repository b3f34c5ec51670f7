"""Who may do what with the timetable: the role sets its pages and API declare (the rule itself is
``mbn_platform.kernel.permissions.check_access``)."""

from __future__ import annotations

from mbn_platform.kernel.permissions import ANY_MEMBER
from shared_apps.identity.roles import STAFF_ROLES, Role
from tenant_apps.structure.permissions import STRUCTURE_MANAGERS

#: Add, edit, end and delete recurring lessons; manage the holidays: who manage the structure.
LESSON_MANAGERS = STRUCTURE_MANAGERS
#: Record one-off changes to lessons and exceptional lessons; open the management pages.
TIMETABLE_EDITORS = STRUCTURE_MANAGERS | {Role.SCHOOL_LIFE}
#: Read a room's week: every member of staff.
ROOM_READERS = STAFF_ROLES
#: Read one's own week (or a child's), a class's (the selectors scope which), the holidays; make
#: one's calendar feed: anyone who belongs here.
WEEK_READERS = ANY_MEMBER
