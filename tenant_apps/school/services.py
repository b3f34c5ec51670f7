"""Writes in an establishment's schema (the caller selects the schema)."""

from __future__ import annotations

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


def school_settings_ensure(*, display_name: str) -> SchoolSettings:
    """The establishment's settings row, created with the defaults when missing."""
    existing = SchoolSettings.objects.order_by("pk").first()
    if existing is not None:
        return existing
    return SchoolSettings.objects.create(display_name=display_name)
