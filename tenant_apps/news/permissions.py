"""Who may do what with news and notices: the role sets the pages and API declare (the rule itself
is ``mbn_platform.kernel.permissions.check_access``; the services then check the finer rules).

News: the head, the establishment's admin, administrative and school-life staff publish; any other
member of staff (a teacher, the digital referent) publishes once the head or the admin has made
them a news editor (``NewsEditor``). Everyone reads what is meant for them; visitors read the
public news.

Notices (carnet de liaison): the leadership, administrative and school-life staff send them to
any class or students; a teacher to the classes and students they teach. Guardians acknowledge.
"""

from __future__ import annotations

from mbn_platform.kernel.permissions import ANY_MEMBER
from shared_apps.identity.roles import ESTABLISHMENT_LEADERS, STAFF_ROLES, Role

#: Publish news without being named an editor.
NEWS_PUBLISHERS = ESTABLISHMENT_LEADERS | {Role.ADMIN_STAFF, Role.SCHOOL_LIFE}
#: Open the news editor (the service then checks ``NewsEditor`` for the staff not above).
NEWS_WRITERS = frozenset(STAFF_ROLES)
#: Name the news editors.
NEWS_EDITOR_MANAGERS = ESTABLISHMENT_LEADERS
#: Read the news meant for them.
NEWS_READERS = ANY_MEMBER
#: Send notices to any class, see every notice's tally.
NOTICE_OVERSEERS = ESTABLISHMENT_LEADERS | {Role.ADMIN_STAFF, Role.SCHOOL_LIFE}
#: Send notices (a teacher: to the classes they teach) and see their tally.
NOTICE_SENDERS = NOTICE_OVERSEERS | {Role.TEACHER}
#: Acknowledge notices.
GUARDIANS = frozenset({Role.GUARDIAN})
#: Open the notices pages (staff see what they sent, guardians what they received).
NOTICE_READERS = NOTICE_SENDERS | GUARDIANS
