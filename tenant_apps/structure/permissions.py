"""Who may do what with the school's structure: the role sets its pages and API declare (the rule
itself is ``mbn_platform.kernel.permissions.check_access``). Declared once here; the apps above
(timetable, attendance) import them by name."""

from __future__ import annotations

from shared_apps.identity.roles import ESTABLISHMENT_LEADERS, STAFF_ROLES, Role

#: Manage the structure (years, periods, classes, groups, subjects, rooms, teaching assignments,
#: the rollover): the establishment's administrative staff and its leadership.
STRUCTURE_MANAGERS = ESTABLISHMENT_LEADERS | {Role.ADMIN_STAFF}
#: Read the structure (and a past year's classes): every member of staff.
STRUCTURE_READERS = STAFF_ROLES
