"""Who may do what with the homework notebook: the role sets its pages and API declare (the rule
itself is ``mbn_platform.kernel.permissions.check_access``; the selectors then scope what each one
sees: the leadership and school-life staff every class's notebook, a teacher the classes and
groups they teach, a student their own, a guardian their children's)."""

from __future__ import annotations

from mbn_platform.kernel.permissions import ANY_MEMBER
from shared_apps.identity.roles import ESTABLISHMENT_LEADERS, Role

#: Browse any class's notebook (the head, the establishment admin, school-life staff; inspectors
#: are given the head's reading role by the establishment when they visit).
NOTEBOOK_OVERSEERS = ESTABLISHMENT_LEADERS | {Role.SCHOOL_LIFE}
#: Fill the notebook and set homework (for the lessons they teach).
NOTEBOOK_WRITERS = frozenset({Role.TEACHER})
#: Browse a class's notebook: the overseers and teachers.
CLASS_NOTEBOOK_READERS = NOTEBOOK_OVERSEERS | NOTEBOOK_WRITERS
#: Tick homework done, hand it in.
STUDENTS = frozenset({Role.STUDENT})
#: Open the homework pages (the selectors scope what each one sees).
HOMEWORK_READERS = ANY_MEMBER
