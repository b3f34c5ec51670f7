"""The public rows that belong to an establishment: written to its export, put back by a restore.

What belongs to it: every public row whose foreign key to the establishment would delete it or
unlink it (support requests, impersonations, directory imports and records, activation codes,
funder assignments, onboarding jobs...), and the rows that go with those (a request's replies).
The audit log is not among them: it is never deleted (``DO_NOTHING``), and stays findable by UAI
(``shared_apps.audit.selectors``). Memberships and domains have their own steps in a restore.

A restore keeps each row's id when it is free (the usual case: offboarding deleted it), takes a
new one otherwise (the same export restored twice) and follows the change in the rows that point
to it; a row whose foreign key names what no longer exists (a person deleted since) loses the link
when it may, else is left out and counted. A row the offboarding only unlinked (``SET_NULL``,
still there) is linked again. Stored file names move to the new schema's prefix.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from typing import Any

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import ForeignObjectRel

from tenants.models import Establishment

#: Restored by their own steps (manifest memberships, the restored host).
OWN_STEPS = frozenset({"identity.membership", "tenants.domain"})
Relation = tuple[type[models.Model], str]


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to the millisecond; a restore puts back the exact values."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _relations_to(model: type[models.Model], *, include_unlinking: bool) -> list[Relation]:
    relations: list[Relation] = []
    for relation in model._meta.get_fields(include_hidden=True):
        if not isinstance(relation, ForeignObjectRel) or relation.on_delete is models.DO_NOTHING:
            continue
        if not include_unlinking and relation.on_delete is not models.CASCADE:
            continue
        related = relation.related_model
        if isinstance(related, type) and issubclass(related, models.Model):
            relations.append((related, relation.field.name))
    return sorted(relations, key=lambda item: (item[0]._meta.label_lower, item[1]))


def belonging_querysets(
    establishment: Establishment,
) -> list[tuple[type[models.Model], models.QuerySet[Any]]]:
    """(model, rows of the establishment), parents before the rows that depend on them."""
    found: dict[type[models.Model], models.QuerySet[Any]] = {}
    pending: list[tuple[type[models.Model], models.QuerySet[Any]]] = [
        (model, model._default_manager.filter(**{field: establishment}))
        for model, field in _relations_to(Establishment, include_unlinking=True)
    ]
    while pending:
        model, rows = pending.pop(0)
        found[model] = found[model] | rows if model in found else rows
        for child, field in _relations_to(model, include_unlinking=False):
            pending.append((child, child._default_manager.filter(**{f"{field}__in": rows.values("pk")})))
    return [(model, found[model].distinct().order_by("pk")) for model in _parents_first(found)]


def _parents_first(found: Iterable[type[models.Model]]) -> list[type[models.Model]]:
    remaining = sorted(found, key=lambda m: m._meta.label_lower)
    ordered: list[type[models.Model]] = []
    while remaining:
        for model in remaining:
            parents = {f.related_model for f in model._meta.concrete_fields if f.is_relation}
            if not any(p in remaining and p is not model for p in parents):
                ordered.append(model)
                remaining.remove(model)
                break
        else:  # a cycle: keep the name order for the rest
            ordered.extend(remaining)
            break
    return ordered


def public_rows(establishment: Establishment) -> tuple[bytes, dict[str, int]]:
    objects: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    for model, rows in belonging_querysets(establishment):
        serialized = serializers.serialize("python", rows)
        counts[model._meta.label_lower] = len(serialized)
        objects.extend(serialized)
    return json.dumps(objects, cls=ExactJSONEncoder, indent=1).encode(), counts


def public_rows_restore(
    *, establishment: Establishment, content: bytes, source_schema: str
) -> tuple[dict[str, int], dict[str, int]]:
    """Put an export's public rows back for ``establishment``; (restored, left out) per model."""
    everything = json.loads(content or b"[]")
    objects = [o for o in everything if o.get("model") not in OWN_STEPS]
    ids = _memberships_now(everything, establishment)  # (model label, id in the export) -> id now
    restored: dict[str, int] = {}
    left_out: dict[str, int] = {}
    for deserialized in serializers.deserialize("python", objects, ignorenonexistent=True):
        row = deserialized.object
        label = row._meta.label_lower
        old_pk = row.pk
        if _restore_one(row, establishment=establishment, ids=ids, source_schema=source_schema):
            ids[(label, old_pk)] = row.pk
            restored[label] = restored.get(label, 0) + 1
        else:
            left_out[label] = left_out.get(label, 0) + 1
    return restored, left_out


def _memberships_now(
    objects: list[dict[str, Any]], establishment: Establishment
) -> dict[tuple[str, Any], Any]:
    """The exported memberships' ids -> the restored ones' (same person and role), for the rows
    that point to a membership (enrolment transfers)."""
    from shared_apps.identity.models import Membership

    now = {
        (user_id, role): pk
        for pk, user_id, role in Membership.objects.filter(establishment=establishment).values_list(
            "pk", "user_id", "role"
        )
    }
    ids: dict[tuple[str, Any], Any] = {}
    for obj in objects:
        if obj.get("model") == "identity.membership":
            fields = obj.get("fields", {})
            found = now.get((fields.get("user"), fields.get("role")))
            if found is not None:
                ids[("identity.membership", obj["pk"])] = found
    return ids


def _restore_one(
    row: models.Model, *, establishment: Establishment, ids: dict[tuple[str, Any], Any], source_schema: str
) -> bool:
    model = type(row)
    for field in model._meta.concrete_fields:
        if isinstance(field, models.FileField):
            name = getattr(row, field.attname)
            name = str(name.name if hasattr(name, "name") else name or "")
            if name.startswith(f"{source_schema}/"):
                setattr(row, field.attname, establishment.schema_name + name.removeprefix(source_schema))
        if not field.is_relation or field.related_model is None:
            continue
        value = getattr(row, field.attname)
        if value is None:
            continue
        target = field.related_model
        if target is Establishment:
            setattr(row, field.attname, establishment.pk)
        elif (target._meta.label_lower, value) in ids:
            setattr(row, field.attname, ids[(target._meta.label_lower, value)])
        elif not target._default_manager.filter(pk=value).exists():
            if not field.null:
                return False  # what it belongs to is gone (a person deleted since the export)
            setattr(row, field.attname, None)
    existing = model._default_manager.filter(pk=row.pk).first()
    if existing is not None:
        unlinked = [
            f.attname
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is Establishment and getattr(existing, f.attname) is None
        ]
        if unlinked and all(getattr(row, name) == establishment.pk for name in unlinked):
            # Kept by the offboarding with its link cleared (SET_NULL): linked again.
            model._default_manager.filter(pk=row.pk).update(**dict.fromkeys(unlinked, establishment.pk))
            return True
        row.pk = None  # the id is taken (the same export restored twice): a new one
    row.save_base(raw=True, force_insert=True)
    return True
