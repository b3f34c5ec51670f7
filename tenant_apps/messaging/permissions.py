"""Who may do what with messaging: the role sets its pages and API declare (who may write to whom
is the establishment's communication rules, ``rules.py``; a thread is seen by its participants
only)."""

from __future__ import annotations

from mbn_platform.kernel.permissions import ANY_MEMBER
from shared_apps.identity.roles import ESTABLISHMENT_LEADERS, STAFF_ROLES, Role

#: Read and write one's messages (the rules then say to whom).
MESSAGING_USERS = ANY_MEMBER
#: Change the communication rules.
RULE_MANAGERS = ESTABLISHMENT_LEADERS
#: See reported messages and resolve the reports.
MODERATORS = ESTABLISHMENT_LEADERS | {Role.SCHOOL_LIFE}
#: Send to groups (a class, its teachers, its guardians, all staff).
GROUP_SENDERS = STAFF_ROLES
