"""Who may do what with attendance: the role sets its pages and API declare (the rule itself is
``mbn_platform.kernel.permissions.check_access``; the selectors then scope what each one sees)."""

from __future__ import annotations

from mbn_platform.kernel.permissions import ANY_MEMBER
from shared_apps.identity.roles import ESTABLISHMENT_LEADERS, Role

#: Follow attendance for the whole establishment (registers not taken, notices, justifications,
#: lateness, any mark): school-life staff and the establishment's leadership.
ATTENDANCE_STAFF = ESTABLISHMENT_LEADERS | {Role.SCHOOL_LIFE}
#: Take a register (teachers: their own lessons only).
REGISTER_TAKERS = ATTENDANCE_STAFF | {Role.TEACHER}
#: Open the class statistics (teachers: the classes they teach).
STATISTICS_READERS = ATTENDANCE_STAFF | {Role.TEACHER}
#: Open a student's attendance page (whoever may see the student: the selectors decide).
STUDENT_PAGE_READERS = ANY_MEMBER
#: Declare absences ahead and justify them: guardians (of their children).
GUARDIANS = frozenset({Role.GUARDIAN})
#: "My attendance": students.
STUDENTS = frozenset({Role.STUDENT})
#: Read justifications (school-life staff all; a guardian their children's; a student their own).
JUSTIFICATION_READERS = ATTENDANCE_STAFF | {Role.GUARDIAN, Role.STUDENT}
#: Download a justification's attachment (a guardian: their children's).
ATTACHMENT_READERS = ATTENDANCE_STAFF | GUARDIANS
#: Change the establishment's attendance settings (notices' review, the half-day split): its
#: leadership.
SETTINGS_MANAGERS = ESTABLISHMENT_LEADERS
#: Read the EPS exemptions (school-life staff all; a teacher their students').
EXEMPTION_READERS = ATTENDANCE_STAFF | {Role.TEACHER}
