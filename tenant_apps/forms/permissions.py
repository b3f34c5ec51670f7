"""Who may do what at the administrative desk (guichet unique): the role sets its pages and API
declare (the rule itself is ``mbn_platform.kernel.permissions.check_access``). Answers are
personal data: beyond these sets, a member of staff reads a form's answers only when the form
names one of their roles (``Form.reader_roles``; the selectors enforce it)."""

from __future__ import annotations

from mbn_platform.kernel.permissions import ANY_MEMBER
from shared_apps.identity.roles import ESTABLISHMENT_LEADERS, STAFF_ROLES, Role

#: Publish forms, follow their completion: the leadership, administrative and school-life staff.
FORM_MANAGERS = ESTABLISHMENT_LEADERS | {Role.ADMIN_STAFF, Role.SCHOOL_LIFE}
#: Roles a form may name as the readers of its answers.
READER_CHOICES = STAFF_ROLES
#: Fill forms: guardians (for a child) and students (for themselves).
RESPONDENTS = frozenset({Role.GUARDIAN, Role.STUDENT})
#: Open the desk's pages (the selectors scope what each one sees).
FORM_READERS = ANY_MEMBER
