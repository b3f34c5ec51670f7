"""Who may do what with discipline: the role sets its pages and API declare (the rule itself is
``mbn_platform.kernel.permissions.check_access``; the selectors then scope what each one sees:
school-life staff and the leadership everything, a teacher their students', a guardian their
children's, a student their own)."""

from __future__ import annotations

from mbn_platform.kernel.permissions import ANY_MEMBER
from shared_apps.identity.roles import ESTABLISHMENT_LEADERS, STAFF_ROLES, Role

#: See and manage everything: school-life staff (the CPE), the head, the establishment admin.
DISCIPLINE_STAFF = ESTABLISHMENT_LEADERS | {Role.SCHOOL_LIFE}
#: Report incidents, give punishments, propose sanctions: every member of staff (a teacher for
#: their own students).
DISCIPLINE_WRITERS = STAFF_ROLES
#: Decide a sanction (the head of establishment; the council's decision is recorded by them).
SANCTION_DECIDERS = frozenset({Role.HEAD})
#: Open the discipline pages (the selectors scope what each one sees).
DISCIPLINE_READERS = ANY_MEMBER
