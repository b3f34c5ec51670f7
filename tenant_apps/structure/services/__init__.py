"""Writes of the school's structure (the caller selects the schema), one module per kind:
``years`` (school years, periods), ``catalogue`` (subjects, rooms, classes), ``groups`` (groups and
their students, teaching assignments); ``common`` holds what they share.

Every write takes ``actor`` (``mbn_platform.kernel.actors``) and leaves one audit entry
(``structure.<kind>_created|updated|deleted``; an update records what changed, before → after).
Updates take the whole new state of an object (the API's PATCH merges what it is sent with the
current values first). A delete never loses data: anything still referring to the object makes it
a ``Conflict`` that says what.
"""

from __future__ import annotations

from tenant_apps.structure.services.catalogue import (
    class_create,
    class_delete,
    class_update,
    room_create,
    room_delete,
    room_update,
    subject_create,
    subject_delete,
    subject_update,
)
from tenant_apps.structure.services.groups import (
    group_create,
    group_delete,
    group_members_set,
    group_update,
    teaching_assignment_create,
    teaching_assignment_delete,
    teaching_assignment_update,
)
from tenant_apps.structure.services.years import (
    period_create,
    period_delete,
    period_update,
    school_year_create,
    school_year_delete,
    school_year_update,
)

__all__ = [
    "class_create",
    "class_delete",
    "class_update",
    "group_create",
    "group_delete",
    "group_members_set",
    "group_update",
    "period_create",
    "period_delete",
    "period_update",
    "room_create",
    "room_delete",
    "room_update",
    "school_year_create",
    "school_year_delete",
    "school_year_update",
    "subject_create",
    "subject_delete",
    "subject_update",
    "teaching_assignment_create",
    "teaching_assignment_delete",
    "teaching_assignment_update",
]
