"""Who may do what with appointments: the role sets its pages and API declare (the rule itself is
``mbn_platform.kernel.permissions.check_access``; the selectors then scope what each one sees:
organisers every evening and booking, a teacher their own slots and who booked them, a guardian
the evenings of their children's classes and their own bookings)."""

from __future__ import annotations

from mbn_platform.kernel.permissions import ANY_MEMBER
from shared_apps.identity.roles import ESTABLISHMENT_LEADERS, Role

#: Organise parent-teacher evenings, see and print every schedule: the leadership, school-life
#: and administrative staff.
ORGANISERS = ESTABLISHMENT_LEADERS | {Role.SCHOOL_LIFE, Role.ADMIN_STAFF}
#: Publish availability slots (their own): teachers and every member of staff.
SLOT_PUBLISHERS = ORGANISERS | {Role.TEACHER}
#: Book and cancel a slot for a child: guardians.
BOOKERS = frozenset({Role.GUARDIAN})
#: Open the appointments pages (the selectors scope what each one sees).
APPOINTMENT_READERS = ANY_MEMBER
