"""Who may do what with spaces: the role sets the pages and API declare. Inside a space, the
member's right decides (``membership.py``): a reader reads; a contributor also writes topics,
posts and wall posts; an owner also pins and locks topics, moderates, manages the members."""

from __future__ import annotations

from mbn_platform.kernel.permissions import ANY_MEMBER
from mbn_platform.kernel.tenancy import GUEST_ROLE
from shared_apps.identity.roles import ESTABLISHMENT_LEADERS, Role

#: Use one's spaces (what each sees is scoped by their membership of each space).
SPACE_USERS = ANY_MEMBER
#: Create project spaces.
PROJECT_CREATORS = ESTABLISHMENT_LEADERS | {Role.TEACHER, Role.SCHOOL_LIFE, Role.DIGITAL_REFERENT}
#: Change the establishment's spaces settings (inter-school projects).
SETTINGS_MANAGERS = ESTABLISHMENT_LEADERS
#: Who may be chosen as a member of a space here (guardians are not members of spaces).
MEMBER_ROLES = frozenset(Role) - {Role.GUARDIAN}
#: The navigation entry: those who may be members here, and guests of one of its spaces.
SPACE_NAVIGATION = MEMBER_ROLES | {GUEST_ROLE}
