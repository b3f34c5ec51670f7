"""Writes in an establishment's schema (the caller selects the schema)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils import timezone

from shared_apps.identity.local_members import MemberRow
from tenant_apps.school.models import Member, SchoolClass, SchoolSettings


def school_class_ensure(*, name: str, level: str) -> SchoolClass:
    school_class, _created = SchoolClass.objects.get_or_create(name=name, defaults={"level": level})
    return school_class


def member_upsert(
    *, user_id: int, display_name: str, roles: list[str], class_name: str | None = None
) -> Member:
    """Create or update the local row of a person; a person with no role left becomes inactive."""
    defaults: dict[str, object] = {"display_name": display_name, "roles": roles, "is_active": bool(roles)}
    if class_name is not None:
        defaults["school_class"] = SchoolClass.objects.filter(name=class_name).first()
    member, _created = Member.objects.update_or_create(user_id=user_id, defaults=defaults)
    return member


CLASS_LEVELS = {"6": "6e", "5": "5e", "4": "4e", "3": "3e", "2": "2de", "1": "1re"}


def class_level(name: str) -> str:
    """The level of a class told by its name: "4B" and "4e B" are 4e, "2nde 3" 2de, "T1" Tle."""
    text = name.strip()
    if text[:1] in CLASS_LEVELS:
        return CLASS_LEVELS[text[0]]
    if text[:1].upper() == "T":
        return "Tle"
    return text.split(" ")[0][:40] if text else ""


def school_classes_ensure(*, names: Iterable[str]) -> dict[str, SchoolClass]:
    """The classes of these names, created (with the level their name tells) when missing."""
    wanted = {name for name in names if name}
    existing = {c.name: c for c in SchoolClass.objects.filter(name__in=wanted)}
    missing = [SchoolClass(name=name, level=class_level(name)) for name in sorted(wanted - existing.keys())]
    if missing:
        SchoolClass.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {c.name: c for c in SchoolClass.objects.filter(name__in=wanted)}
    return existing


def members_bulk_upsert(*, rows: Sequence[MemberRow]) -> int:
    """``member_upsert`` for many people; only rows that change are written. Returns their count."""
    existing = {m.user_id: m for m in Member.objects.filter(user_id__in=[row.user_id for row in rows])}
    classes = school_classes_ensure(names={row.class_name for row in rows if row.class_name})
    now = timezone.now()
    create: list[Member] = []
    update: list[Member] = []
    for row in rows:
        class_id = classes[row.class_name].pk if row.class_name else None
        member = existing.get(row.user_id)
        if member is None:
            create.append(
                Member(
                    user_id=row.user_id,
                    display_name=row.display_name,
                    roles=row.roles,
                    is_active=bool(row.roles),
                    school_class_id=class_id,
                )
            )
            continue
        wanted = (
            row.display_name,
            row.roles,
            bool(row.roles),
            class_id if row.class_name is not None else member.school_class_id,
        )
        if (member.display_name, sorted(member.roles), member.is_active, member.school_class_id) != wanted:
            member.display_name, member.roles, member.is_active, member.school_class_id = wanted
            member.updated_at = now
            update.append(member)
    Member.objects.bulk_create(create, batch_size=1000)
    Member.objects.bulk_update(
        update, ["display_name", "roles", "is_active", "school_class", "updated_at"], batch_size=1000
    )
    return len(create) + len(update)


def members_deactivate(*, user_ids: Iterable[int]) -> int:
    """These people have no role here any more: their rows stay (history), inactive."""
    return Member.objects.filter(user_id__in=set(user_ids)).update(is_active=False, roles=[])


def school_settings_ensure(*, display_name: str) -> SchoolSettings:
    """The establishment's settings row, created with the defaults when missing."""
    existing = SchoolSettings.objects.order_by("pk").first()
    if existing is not None:
        return existing
    return SchoolSettings.objects.create(display_name=display_name)
