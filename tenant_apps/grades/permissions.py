"""Who may do what with grades (the rule itself is ``check_access``; the selectors then scope
what each one sees: the leadership every assessment, a teacher their own, a student their own
published grades, a guardian their children's)."""

from __future__ import annotations

from mbn_platform.kernel.permissions import ANY_MEMBER
from shared_apps.identity.roles import ESTABLISHMENT_LEADERS, Role

#: Set assessments and enter grades (in the classes and groups they teach).
GRADE_WRITERS = frozenset({Role.TEACHER})
#: See every assessment and grade; set the grading policy and the subjects' coefficients.
GRADES_STAFF = ESTABLISHMENT_LEADERS
#: Open the grades pages and API (the selectors scope what each one sees).
GRADES_READERS = ANY_MEMBER
#: The families' side: a student's own grades, a guardian's children's.
GRADES_FAMILY = frozenset({Role.STUDENT, Role.GUARDIAN})
