"""The GAR's nightly export: the active establishments' students, teachers and staff with a GAR
profile, their classes and groups, in the GAR's feed (``gar_feed``), delivered to the drop point
(``gar_delivery``) and recorded (``GarExport``: status, counts, files, error) for the region
operators' console.

Idempotent per night: a night already delivered is not sent again; a failed one is retried (the
task retries, an operator may start it again). Left out: guardians (no GAR profile), inactive
accounts and memberships, establishments that are not active, and the people an establishment
excluded (``GarExclusion``: an objection, someone not concerned).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_record
from shared_apps.connectors.gar_delivery import DeliveryFailed, deliver, package
from shared_apps.connectors.gar_feed import GarFeed, GarPerson
from shared_apps.connectors.models import GarExclusion, GarExport, GarExportStatus
from shared_apps.connectors.policy import pairwise_subject
from shared_apps.connectors.rosters import school_roster
from shared_apps.connectors.saml import GAR_PROFILES
from shared_apps.identity.models import Membership, MembershipStatus, User
from shared_apps.identity.roles import Role
from tenants.models import Establishment, EstablishmentStatus

#: A run still "running" after this long died (a worker lost): the next attempt takes over.
STALE_AFTER = timedelta(hours=2)


def gar_ido(user_id: int) -> str:
    """The person's identifier for the GAR: the same as the SAML sign-in's ``IDO``."""
    return pairwise_subject(user_id=user_id, client_id="gar")


def gar_feed_build(*, uais: list[str] | None = None) -> tuple[GarFeed, dict[str, int]]:
    """Everything the GAR asks for, from the public memberships and each establishment's schema
    (every active establishment; ``uais`` narrows it, e.g. to look at one establishment's feed)."""
    feed = GarFeed()
    active = Establishment.objects.filter(status=EstablishmentStatus.ACTIVE).order_by("uai")
    establishments = list(active.filter(uai__in=uais) if uais is not None else active)
    excluded = set(
        GarExclusion.objects.filter(establishment__in=establishments).values_list(
            "establishment_id", "user_id"
        )
    )
    rows = [
        row
        for row in Membership.objects.filter(
            status=MembershipStatus.ACTIVE,
            role__in=list(GAR_PROFILES),
            establishment__in=establishments,
            user__is_active=True,
        ).values_list("establishment_id", "user_id", "role")
        if (row[0], row[1]) not in excluded
    ]
    users = User.objects.only("first_name", "last_name", "email").in_bulk({row[1] for row in rows})
    uai_of = {e.pk: e.uai for e in establishments}
    # user → student? → [(UAI, profile)]
    profiles: dict[tuple[int, bool], set[tuple[str, str]]] = defaultdict(set)
    here: dict[int, set[int]] = defaultdict(set)  # establishment → the people exported there
    for establishment_id, user_id, role in rows:
        profiles[(user_id, role == Role.STUDENT)].add((uai_of[establishment_id], GAR_PROFILES[role]))
        here[establishment_id].add(user_id)
    with_email = settings.GAR_EXPORT["TEACHER_EMAIL"]
    for (user_id, student), found in sorted(profiles.items()):
        user = users[user_id]
        ordered = tuple(sorted(found))
        person = GarPerson(
            ido=gar_ido(user_id),
            last_name=user.last_name,
            first_name=user.first_name,
            profiles=ordered,
            establishments=tuple(sorted({uai for uai, _code in ordered})),
            email=user.email if with_email and not student else "",
        )
        feed.person(person, student=student)
    counts = {
        "establishments": len(establishments),
        "students": sum(1 for _user, student in profiles if student),
        "staff": sum(1 for _user, student in profiles if not student),
        "excluded": len(excluded),
        "classes": 0,
        "groups": 0,
    }
    for establishment in establishments:
        feed.establishment(uai=establishment.uai, name=establishment.name)
        _structure(feed, establishment, here[establishment.pk], counts)
    return feed, counts


def _structure(feed: GarFeed, establishment: Establishment, people: set[int], counts: dict[str, int]) -> None:
    with schema_context(establishment.schema_name):
        structure = school_roster().structure()
    uai = establishment.uai
    class_code = {c.pk: c.name for c in structure.classes}
    group_code = {g.pk: g.name for g in structure.groups}
    for school_class in structure.classes:
        feed.group(uai=uai, code=school_class.name, label=school_class.name, division=True)
    for group in structure.groups:
        classes = [class_code[pk] for pk in group.class_ids if pk in class_code]
        feed.group(uai=uai, code=group.name, label=group.name, division=False, classes=classes)
    counts["classes"] += len(structure.classes)
    counts["groups"] += len(structure.groups)
    for user_id, class_id in structure.class_of.items():
        if user_id in people and class_id in class_code:
            feed.membership(uai=uai, ido=gar_ido(user_id), code=class_code[class_id])
    for user_id, group_id in structure.group_members:
        if user_id in people and group_id in group_code:
            feed.membership(uai=uai, ido=gar_ido(user_id), code=group_code[group_id])
    for user_id, taught_class, taught_group, subject in structure.teachings:
        if user_id not in people:
            continue
        code = class_code.get(taught_class or 0) or group_code.get(taught_group or 0)
        if code:
            feed.teaching(
                uai=uai, ido=gar_ido(user_id), code=code, subject=subject, division=taught_class is not None
            )


def _claim(night: datetime.date) -> GarExport | None:
    """This night's run, marked running; None when it was delivered or another worker runs it."""
    with transaction.atomic():
        run, created = GarExport.objects.select_for_update().get_or_create(night=night)
        if not created and run.status == GarExportStatus.DELIVERED:
            return None
        recent = run.started_at > timezone.now() - STALE_AFTER
        if not created and run.status == GarExportStatus.RUNNING and run.attempts and recent:
            return None
        run.status = GarExportStatus.RUNNING
        run.attempts += 1
        run.started_at = timezone.now()
        run.error = ""
        run.save()
        return run


def gar_export_run(*, night: datetime.date | None = None, actor: Actor | None = None) -> GarExport:
    """Build and deliver this night's export (once); returns its record, delivered or failed."""
    night = night or timezone.localdate()
    run = _claim(night)
    if run is None:
        return GarExport.objects.get(night=night)
    config = settings.GAR_EXPORT
    feed, counts = gar_feed_build()
    stamp = night.strftime("%Y%m%d")
    files = list(feed.files(prefix=config["ENT_CODE"], night=stamp, max_bytes=config["MAX_FILE_BYTES"]))
    delivered = package(files, archive=f"{config['ENT_CODE']}_GAR-ENT-Full_{stamp}.zip")
    run.counts = counts
    run.files = [name for name, _data in delivered]
    try:
        deliver(delivered)
    except DeliveryFailed as error:
        run.status = GarExportStatus.FAILED
        run.error = str(error)[:2000]
    else:
        run.status = GarExportStatus.DELIVERED
    run.finished_at = timezone.now()
    with transaction.atomic():
        run.save()
        audit_record(
            actor=actor,
            action="connectors.gar_exported",
            target=run,
            details={"night": stamp, "status": run.status, "counts": counts, "files": run.files},
        )
    return run


@transaction.atomic
def gar_exclusion_set(
    *, actor: Actor | None, establishment: Establishment, user: User, reason: str = ""
) -> GarExclusion:
    """Leave a person out of the GAR's export at this establishment (from the next night)."""
    exclusion, _created = GarExclusion.objects.update_or_create(
        establishment=establishment, user=user, defaults={"reason": reason[:200]}
    )
    audit_record(
        actor=actor,
        action="connectors.gar_excluded",
        establishment=establishment,
        target=exclusion,
        details={"user_id": user.pk},
    )
    return exclusion


@transaction.atomic
def gar_exclusion_remove(*, actor: Actor | None, exclusion: GarExclusion) -> None:
    """The person is sent to the GAR again from the next night."""
    audit_record(
        actor=actor,
        action="connectors.gar_exclusion_lifted",
        establishment=exclusion.establishment,
        target=exclusion,
        details={"user_id": exclusion.user_id},
    )
    exclusion.delete()
