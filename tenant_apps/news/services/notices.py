"""Notices of the carnet de liaison: sent to the guardians of a class or of chosen students, each
guardian acknowledges once per notice (one click, for all their children it concerns), the
sender and the overseers see who has and has not, and remind those who have not (each guardian
at most once per ``REMIND_WINDOW``: a second click soon after tells nobody again)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.errors import NotFound, ValidationFailed
from mbn_platform.kernel.richtext import rich_text_clean
from shared_apps.identity.family_news import family_news_forget
from shared_apps.identity.roles import Role
from shared_apps.notify.service import notify
from shared_apps.notify.text import Text
from shared_apps.notify.types import NotificationType
from tenant_apps.messaging.rules import students_of_teacher
from tenant_apps.news.models import Notice, NoticeRecipient
from tenant_apps.news.permissions import GUARDIANS, NOTICE_OVERSEERS, NOTICE_SENDERS
from tenant_apps.news.services.common import acting_member, audit
from tenant_apps.school.models import Member, SchoolClass

REMIND_WINDOW = datetime.timedelta(minutes=15)
MAX_STUDENTS = 2000


def students_for(sender: Member) -> Q:
    """The students a member may send notices about (a condition on ``Member``)."""
    students = Q(is_active=True, roles__contains=[Role.STUDENT])
    if set(sender.roles or []) & NOTICE_OVERSEERS:
        return students
    return students & Q(pk__in=students_of_teacher(sender).values("pk"))


def _guardian_pairs(students: list[Member]) -> list[tuple[Member, Member]]:
    """(student, guardian here) for every guardian link of these students (two queries)."""
    from shared_apps.identity.models import GuardianLink

    by_user = {s.user_id: s for s in students}
    links = list(
        GuardianLink.objects.filter(child_id__in=list(by_user)).values_list("child_id", "guardian_id")
    )
    guardians = {
        m.user_id: m
        for m in Member.objects.filter(
            user_id__in={g for _c, g in links}, is_active=True, roles__contains=[Role.GUARDIAN]
        )
    }
    return [(by_user[c], guardians[g]) for c, g in links if g in guardians]


@transaction.atomic
def notice_send(
    *,
    actor: Actor | None,
    title: str,
    body: str,
    school_class: SchoolClass | None = None,
    students: Sequence[Member] = (),
) -> Notice:
    """Send a notice to the guardians of a class, or of chosen students, and tell them."""
    sender = acting_member(actor, NOTICE_SENDERS)
    title = title.strip()[:200]
    if not title:
        raise ValidationFailed(fields={"title": [str(_("This field is required."))]})
    allowed = Member.objects.filter(students_for(sender))
    if school_class is not None:
        concerned = list(allowed.filter(school_class=school_class))
        if not concerned:
            raise ValidationFailed(fields={"class_id": [str(_("Choose a class you send notices to."))]})
    else:
        wanted = {s.pk for s in students}
        if not wanted:
            raise ValidationFailed(fields={"student_ids": [str(_("Choose a class or students."))]})
        if len(wanted) > MAX_STUDENTS:
            raise ValidationFailed(fields={"student_ids": [str(_("Too many students."))]})
        concerned = list(allowed.filter(pk__in=wanted))
        if len(concerned) != len(wanted):
            raise ValidationFailed(fields={"student_ids": [str(_("Choose students you send notices to."))]})
    pairs = _guardian_pairs(concerned)
    if not pairs:
        field = "class_id" if school_class is not None else "student_ids"
        raise ValidationFailed(fields={field: [str(_("No guardian of these students has an account here."))]})
    notice = Notice.objects.create(
        title=title, body=rich_text_clean(body), school_class=school_class, author=sender
    )
    NoticeRecipient.objects.bulk_create(
        [NoticeRecipient(notice=notice, student=student, guardian=guardian) for student, guardian in pairs]
    )
    notify(
        actor=actor,
        type=NotificationType.NEWS,
        recipients={guardian.user_id for _s, guardian in pairs},
        title=Text(gettext_noop("Notice to acknowledge: %(title)s"), title=title),
        body=Text(gettext_noop("Please read it and acknowledge it.")),
        link=f"/notices/{notice.pk}/",
        source=f"notice:{notice.pk}",
    )
    audit(
        actor,
        "notices.sent",
        notice,
        {"title": title, "class_id": getattr(school_class, "pk", None), "students": len(concerned)},
    )
    return notice


@transaction.atomic
def notice_acknowledge(*, actor: Actor | None, notice: Notice) -> int:
    """A guardian acknowledges a notice (for every child of theirs it concerns; again: nothing)."""
    guardian = acting_member(actor, GUARDIANS)
    rows = NoticeRecipient.objects.filter(notice=notice, guardian=guardian)
    if not rows.exists():
        raise NotFound()
    changed = rows.filter(acknowledged_at__isnull=True).update(acknowledged_at=timezone.now())
    if changed:
        family_news_forget(guardian_user_id=guardian.user_id)  # the notices to acknowledge
        audit(actor, "notices.acknowledged", notice, {"children": changed})
    return changed


def may_follow(member: Member, notice: Notice) -> bool:
    """Whether a member of staff sees a notice's tally (its sender, the overseers)."""
    return notice.author_id == member.pk or bool(set(member.roles or []) & NOTICE_OVERSEERS)


@transaction.atomic
def notice_remind(*, actor: Actor | None, notice: Notice) -> int:
    """Remind the guardians who have not acknowledged: one notification each, and none to those
    reminded less than ``REMIND_WINDOW`` ago (a double click sends once). Returns how many were
    reminded."""
    member = acting_member(actor, NOTICE_SENDERS)
    if not may_follow(member, notice):
        raise NotFound()
    now = timezone.now()
    # Locked, then re-read: a concurrent click waits here and finds the rows already reminded.
    pending = NoticeRecipient.objects.select_for_update(of=("self",)).filter(
        Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - REMIND_WINDOW),
        notice=notice,
        acknowledged_at__isnull=True,
    )
    rows = list(pending.values_list("pk", "guardian__user_id"))
    if not rows:
        return 0
    recipients = {user_id for _pk, user_id in rows}
    NoticeRecipient.objects.filter(pk__in=[pk for pk, _u in rows]).update(reminded_at=now)
    notify(
        actor=actor,
        type=NotificationType.NEWS,
        recipients=recipients,
        title=Text(gettext_noop("Reminder: notice to acknowledge: %(title)s"), title=notice.title),
        body=Text(gettext_noop("Please read it and acknowledge it.")),
        link=f"/notices/{notice.pk}/",
        source=f"notice-reminder:{notice.pk}:{now.isoformat()}",
    )
    audit(actor, "notices.reminded", notice, {"guardians": len(recipients)})
    return len(recipients)


@transaction.atomic
def notice_delete(*, actor: Actor | None, notice: Notice) -> None:
    member = acting_member(actor, NOTICE_SENDERS)
    if not may_follow(member, notice):
        raise NotFound()
    audit(actor, "notices.deleted", notice, {"title": notice.title})
    notice.delete()
