"""Reads of the administrative desk, scoped to what the person may see: managers every form and
its completion; a member of staff the answers of a form only if it names one of their roles
(``reader_roles``); a guardian the published forms addressed to their children's classes and
their children's answers; a student the forms addressed to students of their class and their own
answer."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from shared_apps.identity.roles import STAFF_ROLES, Role
from tenant_apps.forms.models import Answer, AnswerStatus, Audience, Form, FormStatus
from tenant_apps.forms.permissions import FORM_MANAGERS
from tenant_apps.school.models import Member, SchoolClass


def me(user_id: int) -> Member | None:
    return Member.objects.filter(user_id=user_id, is_active=True).first()


def children_acting(*, guardian_user_id: int) -> list[Member]:
    """The guardian's children here for whom they may act (fill and sign a form)."""
    from shared_apps.identity.models import GuardianLink

    ids = GuardianLink.objects.filter(guardian_id=guardian_user_id, can_act=True).values_list(
        "child_id", flat=True
    )
    return list(
        Member.objects.filter(user_id__in=list(ids), is_active=True, roles__contains=[Role.STUDENT])
        .select_related("school_class")
        .order_by("display_name")
    )


def children_seen(*, guardian_user_id: int) -> list[int]:
    from shared_apps.identity.models import GuardianLink

    ids = GuardianLink.objects.filter(guardian_id=guardian_user_id).values_list("child_id", flat=True)
    return list(Member.objects.filter(user_id__in=list(ids)).values_list("pk", flat=True))


def forms_visible(*, user_id: int, roles: frozenset[str]) -> QuerySet[Form]:
    found = Form.objects.prefetch_related("classes")
    if roles & FORM_MANAGERS:
        return found
    published = ~Q(status=FormStatus.DRAFT)
    condition = Q(pk__in=[])
    if roles & STAFF_ROLES:
        condition |= published & Q(reader_roles__overlap=list(roles & STAFF_ROLES))
    if Role.GUARDIAN in roles:
        classes = Member.objects.filter(pk__in=children_seen(guardian_user_id=user_id)).values(
            "school_class_id"
        )
        condition |= published & Q(audience=Audience.GUARDIANS, classes__in=classes)
    if Role.STUDENT in roles:
        mine = Member.objects.filter(user_id=user_id).values("school_class_id")
        condition |= published & Q(audience=Audience.STUDENTS, classes__in=mine)
    return found.filter(condition).distinct()


def may_read_answers(form: Form, roles: frozenset[str]) -> bool:
    """Staff read a form's answers only when the form names one of their roles."""
    return bool(set(form.reader_roles) & roles)


def answers_visible(*, user_id: int, roles: frozenset[str], form: Form) -> QuerySet[Answer]:
    found = Answer.objects.filter(form=form).select_related("child__school_class", "respondent")
    if may_read_answers(form, roles):
        return found
    condition = Q(pk__in=[])
    if Role.GUARDIAN in roles:
        condition |= Q(child_id__in=children_seen(guardian_user_id=user_id))
    if Role.STUDENT in roles:
        condition |= Q(child__user_id=user_id)
    return found.filter(condition)


def addressees(form: Form) -> QuerySet[Member]:
    """The students a form is about (those of its classes)."""
    return Member.objects.filter(
        roles__contains=[Role.STUDENT], is_active=True, school_class__in=form.classes.all()
    ).select_related("school_class")


@dataclass(frozen=True)
class Completion:
    school_class: SchoolClass
    expected: int
    submitted: int
    drafts: int

    @property
    def rate(self) -> int:
        return round(100 * self.submitted / self.expected) if self.expected else 0


def completion(form: Form) -> list[Completion]:
    """Per class: students, answers submitted, drafts (two queries)."""
    expected = dict(
        addressees(form).values("school_class_id").annotate(n=Count("pk")).values_list("school_class_id", "n")
    )
    answered: dict[int, dict[str, int]] = {
        row["child__school_class_id"]: {"submitted": row["submitted"], "drafts": row["drafts"]}
        for row in Answer.objects.filter(form=form)
        .values("child__school_class_id")
        .annotate(
            submitted=Count("pk", filter=Q(status=AnswerStatus.SUBMITTED)),
            drafts=Count("pk", filter=Q(status=AnswerStatus.DRAFT)),
        )
    }
    return [
        Completion(
            c,
            expected.get(c.pk, 0),
            answered.get(c.pk, {}).get("submitted", 0),
            answered.get(c.pk, {}).get("drafts", 0),
        )
        for c in form.classes.order_by("name")
    ]
