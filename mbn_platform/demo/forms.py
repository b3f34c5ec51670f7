"""The demo's administrative desk, at the Collège Louis Pasteur: a trip authorisation for Léa's
class (4e B), published, half of the families have answered (Claire Martin has not yet); a school
certificate request, one family asked and the administrative staff answered with the certificate
(a PDF). Through the services; running it again adds nothing."""

from __future__ import annotations

import contextlib
import datetime

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from mbn_platform.demo.people import SchoolPeople
from mbn_platform.kernel.errors import ServiceUnavailable
from shared_apps.identity.roles import Role
from tenant_apps.forms import services
from tenant_apps.forms.models import Form
from tenant_apps.school.models import Member
from tenants.models import Establishment

TRIP = "Sortie au musée Unterlinden (4e B)"
CERTIFICATE = "Demande de certificat de scolarité"
CLASS = "4e B"
MEALS = ["Pique-nique apporté", "Panier-repas de la cantine"]


@transaction.atomic
def demo_forms_seed(establishment: Establishment, people: SchoolPeople) -> int:
    """Returns the answers made (0 when the forms exist already)."""
    head, admin = people.staff.get(Role.HEAD), people.staff.get(Role.ADMIN_STAFF)
    students = people.students.get(CLASS, [])
    if head is None or admin is None or len(students) < 3:
        return 0
    with tenant_context(establishment):
        if Form.objects.filter(title=TRIP).exists():
            return 0
        members = {m.user_id: m for m in Member.objects.filter(user_id__in=[s.pk for s in students])}
        lea = members.get(students[0].pk)
        if lea is None or lea.school_class is None:
            return 0
        deadline = timezone.make_aware(
            datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=12), datetime.time(18))
        )
        trip = services.form_create(
            actor=head,
            title=TRIP,
            kind="trip",
            description="Sortie pédagogique à Colmar, départ 8 h, retour 17 h. Prévoir un pique-nique.",
            audience="guardians",
            classes=[lea.school_class],
            deadline=deadline,
            reader_roles=[Role.ADMIN_STAFF, Role.HEAD],
            retention_days=365,
            questions=[
                {"kind": "acknowledgement", "label": "J'autorise mon enfant à participer à la sortie"},
                {
                    "kind": "choice",
                    "label": "Repas",
                    "choices": ["Pique-nique apporté", "Panier-repas de la cantine"],
                },
                {"kind": "text", "label": "Personne à prévenir en cas d'urgence"},
                {"kind": "text", "label": "Remarques (allergies, traitement)", "required": False},
            ],
        )
        trip = services.form_publish(actor=head, form=trip)
        questions = list(trip.questions.all())
        made = 0
        others = students[1:]
        for n, student in enumerate(others[: len(others) // 2 + 1]):
            guardian, child = people.guardians.get(student.pk), members.get(student.pk)
            if guardian is None or child is None:
                continue
            services.answer_save(
                actor=guardian,
                form=trip,
                child=child,
                given={
                    f"q{questions[0].pk}": True,
                    f"q{questions[1].pk}": questions[1].choices[n % 2],
                    f"q{questions[2].pk}": f"{guardian.first_name} {guardian.last_name}, 06 12 34 56 {n:02d}",
                },
                submit=n % 4 != 3,  # a few drafts
            )
            made += 1
        certificate = services.form_create(
            actor=head,
            title=CERTIFICATE,
            kind="certificate",
            audience="guardians",
            classes=[lea.school_class],
            deadline=deadline + datetime.timedelta(days=180),
            reader_roles=[Role.ADMIN_STAFF],
            retention_days=400,
            questions=[{"kind": "text", "label": "Pour quel organisme ?"}],
        )
        certificate = services.form_publish(actor=head, form=certificate)
        asker = people.guardians.get(students[1].pk)
        child = members.get(students[1].pk)
        if asker is not None and child is not None:
            answer = services.answer_save(
                actor=asker,
                form=certificate,
                child=child,
                given={f"q{certificate.questions.get().pk}": "Caisse d'allocations familiales"},
                submit=True,
            )
            with contextlib.suppress(ServiceUnavailable):  # no PDF library: the reply alone
                services.answer_reply(
                    actor=admin, answer=answer, reply="Voici le certificat demandé.", certificate=True
                )
            made += 1
        return made
