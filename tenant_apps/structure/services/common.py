"""What every write of the structure shares: a uniqueness clash as a ``Conflict``, required text,
a delete that never loses data, and the audit entry of each write.

A delete never loses data: anything still referring to the object (lessons, registers,
enrolments, students, teaching assignments…) makes it a ``Conflict`` that says what.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.db import IntegrityError, router, transaction
from django.db.models import Model, ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_changes, audit_record, audit_values
from mbn_platform.kernel.db import schema_establishment
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, ValidationFailed

T = TypeVar("T")


def unique(write: Callable[[], T], field: str | None = None) -> T:
    """Run ``write`` (a create or an update); a uniqueness clash is a Conflict (named on ``field``)."""
    try:
        with transaction.atomic():
            return write()
    except IntegrityError as exc:
        message = _("This already exists.")
        raise Conflict(
            message, code=ErrorCode.ALREADY_EXISTS, fields={field: [message]} if field else None
        ) from exc


def required(value: str, field: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationFailed(fields={field: [str(_("This field is required."))]})
    return text


def state(obj: Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of ``fields`` on ``obj`` (what an audit entry compares before and after)."""
    return {name: getattr(obj, name) for name in fields}


def audit_with_values(*, actor: Actor | None, action: str, target: Model, values: Mapping[str, Any]) -> None:
    audit_record(
        actor=actor,
        action=action,
        establishment=schema_establishment(),
        target=target,
        details=audit_values(values),
    )


def audit_with_changes(
    *, actor: Actor | None, action: str, target: Model, before: Mapping[str, Any], after: Mapping[str, Any]
) -> None:
    """One entry with what changed, before → after (none when nothing changed)."""
    changes = audit_changes(before, after)
    if changes:
        audit_record(
            actor=actor,
            action=action,
            establishment=schema_establishment(),
            target=target,
            details={"changes": changes},
        )


# What the rows that refer to an object are called in the message of a refused delete.
_USES = {
    "timetable.lesson": _("lessons"),
    "timetable.lessonchange": _("lesson changes"),
    "timetable.exceptionallesson": _("exceptional lessons"),
    "attendance.register": _("registers"),
    "attendance.attendancemark": _("attendance marks"),
    "structure.enrolment": _("enrolments (past years)"),
    "structure.teachingassignment": _("teaching assignments"),
    "structure.period": _("periods"),
    "school.member": _("students"),
}


def _follows(model: type[Model]) -> bool:
    """Rows that only follow the structure (e.g. a class's automatic space, which keeps its content
    when its class goes: ``follows_structure = True`` on the model) are not uses."""
    return bool(getattr(model, "follows_structure", False))


def _uses(obj: Model, *, owned: Iterable[type[Model]] = ()) -> Counter[str]:
    """What would be deleted or changed with ``obj`` (rows of other kinds than ``owned``), by kind."""
    skip = {type(obj), *owned}
    collector = Collector(using=router.db_for_write(type(obj)), origin=obj)
    counts: Counter[str] = Counter()
    try:
        collector.collect([obj])
    except (ProtectedError, RestrictedError) as exc:  # raised once every relation was looked at
        blocking = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        for row in blocking:
            counts[row._meta.label_lower] += 1
    for model, rows in collector.data.items():
        # many-to-many rows are owned
        if model not in skip and not model._meta.auto_created and not _follows(model) and rows:
            counts[model._meta.label_lower] += len(rows)
    for queryset in collector.fast_deletes:
        model = queryset.model
        if model not in skip and not model._meta.auto_created and not _follows(model):
            found = queryset.count()
            if found:
                counts[model._meta.label_lower] += found
    updates: Any = collector.field_updates  # {(field, value): [queryset or list of rows, …]}
    for (field, _value), batches in updates.items():
        if field.model in skip or _follows(field.model):
            continue
        found = sum(len(b) if isinstance(b, list | set | tuple) else b.count() for b in batches)
        if found:
            counts[field.model._meta.label_lower] += found
    return counts


def delete_unused(
    obj: Model,
    *,
    actor: Actor | None,
    action: str,
    name: str,
    values: Mapping[str, Any],
    owned: Iterable[type[Model]] = (),
) -> None:
    """Delete ``obj`` (and the rows it owns) and record ``action`` with its ``values``, or raise
    Conflict naming what still uses it (nothing deleted, nothing recorded)."""
    counts = _uses(obj, owned=owned)
    if counts:
        uses = ", ".join(
            f"{_USES.get(label, label.split('.')[-1])} ({count})" for label, count in sorted(counts.items())
        )
        raise Conflict(
            gettext_now("“%(name)s” cannot be deleted: it is still used by %(uses)s.")
            % {"name": name, "uses": uses},
            code=ErrorCode.IN_USE,
        )
    target = type(obj)(pk=obj.pk)  # the entry names the row once it is gone
    try:
        with transaction.atomic():
            obj.delete()
    except (ProtectedError, RestrictedError) as exc:  # something new refers to it meanwhile
        raise Conflict(
            gettext_now("“%(name)s” cannot be deleted: it is still in use.") % {"name": name},
            code=ErrorCode.IN_USE,
        ) from exc
    audit_with_values(actor=actor, action=action, target=target, values=values)
