"""Who may do what with report cards (``check_access`` decides; the selectors scope)."""

from __future__ import annotations

from mbn_platform.kernel.permissions import ANY_MEMBER
from shared_apps.identity.roles import ESTABLISHMENT_LEADERS, Role

#: Publish a class's report cards, regenerate one, name head teachers: the leadership.
REPORT_CARD_PUBLISHERS = ESTABLISHMENT_LEADERS
#: Write appraisals (teachers); prepare the class council (a class's head teacher, a teacher).
REPORT_CARD_WRITERS = ESTABLISHMENT_LEADERS | {Role.TEACHER}
#: Open the report-card pages (a family its own, staff their classes').
REPORT_CARD_READERS = ANY_MEMBER
