"""Writes of the subjects, the rooms and the classes."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.errors import ValidationFailed
from tenant_apps.school.models import SchoolClass
from tenant_apps.school.services import class_level
from tenant_apps.structure.models import Room, Subject
from tenant_apps.structure.services.common import (
    audit_with_changes,
    audit_with_values,
    delete_unused,
    required,
    state,
    unique,
)

SUBJECT_FIELDS = ("code", "name")
ROOM_FIELDS = ("name", "capacity")
CLASS_FIELDS = ("name", "level")


# Subjects --------------------------------------------------------------------------------------


@transaction.atomic
def subject_create(*, actor: Actor | None, code: str, name: str) -> Subject:
    code, name = required(code, "code"), required(name, "name")
    subject = unique(lambda: Subject.objects.create(code=code, name=name), "code")
    audit_with_values(
        actor=actor, action="structure.subject_created", target=subject, values=state(subject, SUBJECT_FIELDS)
    )
    return subject


@transaction.atomic
def subject_update(*, actor: Actor | None, subject: Subject, code: str, name: str) -> Subject:
    before = state(subject, SUBJECT_FIELDS)
    subject.code, subject.name = required(code, "code"), required(name, "name")
    unique(lambda: subject.save(), "code")
    audit_with_changes(
        actor=actor,
        action="structure.subject_updated",
        target=subject,
        before=before,
        after=state(subject, SUBJECT_FIELDS),
    )
    return subject


@transaction.atomic
def subject_delete(*, actor: Actor | None, subject: Subject) -> None:
    """Refused while lessons or teaching assignments use the subject."""
    delete_unused(
        subject,
        actor=actor,
        action="structure.subject_deleted",
        name=subject.name,
        values=state(subject, SUBJECT_FIELDS),
    )


# Rooms -----------------------------------------------------------------------------------------


#: No room seats more (a stadium's stands would not be a room); the column holds far more.
MAX_CAPACITY = 100_000


def _capacity(capacity: int | None) -> int | None:
    if capacity is not None and capacity < 1:
        raise ValidationFailed(fields={"capacity": [str(_("The capacity must be at least 1."))]})
    if capacity is not None and capacity > MAX_CAPACITY:
        raise ValidationFailed(
            fields={"capacity": [str(_("The capacity is at most %(max)d seats.") % {"max": MAX_CAPACITY})]}
        )
    return capacity


@transaction.atomic
def room_create(*, actor: Actor | None, name: str, capacity: int | None = None) -> Room:
    name = required(name, "name")
    room = unique(lambda: Room.objects.create(name=name, capacity=_capacity(capacity)), "name")
    audit_with_values(
        actor=actor, action="structure.room_created", target=room, values=state(room, ROOM_FIELDS)
    )
    return room


@transaction.atomic
def room_update(*, actor: Actor | None, room: Room, name: str, capacity: int | None = None) -> Room:
    before = state(room, ROOM_FIELDS)
    room.name, room.capacity = required(name, "name"), _capacity(capacity)
    unique(lambda: room.save(), "name")
    audit_with_changes(
        actor=actor,
        action="structure.room_updated",
        target=room,
        before=before,
        after=state(room, ROOM_FIELDS),
    )
    return room


@transaction.atomic
def room_delete(*, actor: Actor | None, room: Room) -> None:
    """Refused while lessons (or changes of lessons) take place in the room."""
    delete_unused(
        room, actor=actor, action="structure.room_deleted", name=room.name, values=state(room, ROOM_FIELDS)
    )


# Classes ---------------------------------------------------------------------------------------


def _level(name: str, level: str | None) -> str:
    text = (level or "").strip() or class_level(name)
    if len(text) > 40:
        raise ValidationFailed(fields={"level": [str(_("At most 40 characters."))]})
    return text


@transaction.atomic
def class_create(*, actor: Actor | None, name: str, level: str | None = None) -> SchoolClass:
    """A class; its level is told by its name ("4e B" is 4e) unless given."""
    name = required(name, "name")
    school_class = unique(lambda: SchoolClass.objects.create(name=name, level=_level(name, level)), "name")
    audit_with_values(
        actor=actor,
        action="structure.class_created",
        target=school_class,
        values=state(school_class, CLASS_FIELDS),
    )
    return school_class


@transaction.atomic
def class_update(
    *, actor: Actor | None, school_class: SchoolClass, name: str, level: str | None = None
) -> SchoolClass:
    """Rename a class (its students, lessons and past enrolments follow it)."""
    name = required(name, "name")
    before = state(school_class, CLASS_FIELDS)
    school_class.name, school_class.level = name, _level(name, level)
    unique(lambda: school_class.save(), "name")
    audit_with_changes(
        actor=actor,
        action="structure.class_updated",
        target=school_class,
        before=before,
        after=state(school_class, CLASS_FIELDS),
    )
    return school_class


@transaction.atomic
def class_delete(*, actor: Actor | None, school_class: SchoolClass) -> None:
    """Refused while the class has students, past enrolments, lessons or teaching assignments."""
    delete_unused(
        school_class,
        actor=actor,
        action="structure.class_deleted",
        name=school_class.name,
        values=state(school_class, CLASS_FIELDS),
    )
