"""The demo's messaging: at each school of the Martin children, Claire Martin has written to the
child's mathematics teacher, who replied; at the collège the head has sent the guardians of 4e B an
announcement (no reply) and a student asked a question to a teacher. Built through the services
(the communication rules apply); running it again adds nothing (a school with threads is left as
it is)."""

from __future__ import annotations

from django.db import transaction
from django_tenants.utils import schema_context

from mbn_platform.demo.people import MARTIN_CHILDREN, SchoolPeople
from shared_apps.identity.models import User
from shared_apps.identity.roles import Role
from tenant_apps.messaging.audiences import Audience
from tenant_apps.messaging.models import Thread
from tenant_apps.messaging.services import message_reply, thread_start
from tenant_apps.school.models import Member, SchoolClass
from tenants.models import Establishment


def _member(user: User) -> Member | None:
    return Member.objects.filter(user_id=user.pk, is_active=True).first()


@transaction.atomic
def demo_messaging_seed(establishment: Establishment, people: SchoolPeople, subdomain: str) -> int:
    """The school's demo threads (see the module's docstring); returns the threads made."""
    child = next(((login, first, c) for sub, login, first, c in MARTIN_CHILDREN if sub == subdomain), None)
    claire = User.objects.filter(login="claire.martin").first()
    if child is None or claire is None or not people.teachers:
        return 0
    login, first_name, class_name = child
    made = 0
    with schema_context(establishment.schema_name):
        if Thread.objects.exists():
            return 0
        maths = people.teachers[0]  # TEACHERS[0] teaches mathematics in every class
        teacher = _member(maths)
        if teacher is None:
            return 0
        thread = thread_start(
            actor=claire,
            subject=f"Devoirs de mathématiques de {first_name}",
            body=(
                f"Bonjour,\n\n{first_name} a eu du mal avec les exercices de la semaine. "
                "Que faut-il revoir en priorité ?\n\nCordialement,\nClaire Martin"
            ),
            recipients=[teacher],
        )
        message_reply(
            actor=maths,
            thread=thread,
            body=(
                "Bonjour Madame Martin,\n\nil suffit de reprendre la fiche de méthode du chapitre "
                "et les exercices "
                "corrigés en classe ; je ferai le point en classe au prochain cours.\n\nBien cordialement"
            ),
        )
        made += 1
        head = people.staff.get(Role.HEAD)
        school_class = SchoolClass.objects.filter(name=class_name).first()
        if head is not None and school_class is not None:
            thread_start(
                actor=head,
                subject=f"Réunion parents-professeurs de la {class_name}",
                body=(
                    "Madame, Monsieur,\n\nla réunion parents-professeurs aura lieu jeudi prochain à 18 h "
                    "au réfectoire. Les professeurs principaux vous y attendront.\n\nLa direction"
                ),
                audiences=[Audience("guardians", school_class)],
                no_reply=True,
            )
            made += 1
        student = User.objects.filter(login=login).first()
        if student is not None and len(people.teachers) > 1:
            french = _member(people.teachers[1])
            if french is not None:
                thread_start(
                    actor=student,
                    subject="Question sur la rédaction",
                    body="Bonjour, la rédaction doit-elle faire deux pages au minimum ? Merci.",
                    recipients=[french],
                )
                made += 1
    return made
