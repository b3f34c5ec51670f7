"""The demo's news and notices: at each school the head has published a public news item (on the
school's site and the region portal), an item for the guardians of one class, and scheduled one
for later in the week; at the Collège Louis Pasteur the CPE has sent the guardians of Léa's class
(4e B) a notice to acknowledge, which half of them have (Claire Martin not yet). Through the
services; running it again adds nothing (a school with news is left as it is)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from mbn_platform.demo.people import SchoolPeople
from shared_apps.identity.models import User
from shared_apps.identity.roles import Role
from tenant_apps.messaging.audiences import Audience
from tenant_apps.news import services
from tenant_apps.news.models import NewsItem
from tenant_apps.school.models import SchoolClass
from tenants.models import Establishment

NOTICE = "Sortie au musée Unterlinden : horaires"
NOTICE_CLASS = "4e B"


def _notice_seed(people: SchoolPeople) -> int:
    cpe = people.staff.get(Role.SCHOOL_LIFE) or people.staff.get(Role.HEAD)
    school_class = SchoolClass.objects.filter(name=NOTICE_CLASS).first()
    students = people.students.get(NOTICE_CLASS, [])
    if cpe is None or school_class is None or not students:
        return 0
    notice = services.notice_send(
        actor=cpe,
        title=NOTICE,
        body=(
            "<p>Madame, Monsieur,</p><p>le départ pour Colmar aura lieu à <strong>7 h 45</strong> "
            "devant le collège ; le retour est prévu vers 17 h. Merci d'en prendre connaissance.</p>"
            "<p>La vie scolaire</p>"
        ),
        school_class=school_class,
    )
    # Half of the families have acknowledged, never Léa's (students[0]: Claire Martin's).
    others = students[1:]
    for student in others[: len(others) // 2 + 1]:
        guardian = people.guardians.get(student.pk)
        if guardian is not None and guardian.login != "claire.martin":
            services.notice_acknowledge(actor=guardian, notice=notice)
    return 1


@transaction.atomic
def demo_news_seed(establishment: Establishment, people: SchoolPeople, class_name: str | None) -> int:
    """The school's demo news (and the collège's notice); returns the items made."""
    head = people.staff.get(Role.HEAD)
    if head is None:
        return 0
    with tenant_context(establishment):
        if NewsItem.objects.exists():
            return 0
        public = services.news_save(
            actor=head,
            title=f"Journée portes ouvertes du {establishment.name}",
            body=(
                "<p>Les familles des futurs élèves sont les bienvenues "
                "<strong>samedi de 9 h à 12 h</strong> : visite des locaux, rencontre avec les "
                "professeurs et présentation des options.</p>"
            ),
            visibility="public",
        )
        services.news_publish(actor=head, item=public)
        made = 1
        school_class = SchoolClass.objects.filter(name=class_name).first() if class_name else None
        if school_class is not None:
            meeting = services.news_save(
                actor=head,
                title=f"Réunion parents-professeurs de la {school_class.name}",
                body="<p>Les professeurs de la classe vous recevront jeudi à partir de 17 h 30.</p>",
                visibility="targeted",
                targets=[Audience("guardians", school_class), Audience("teachers", school_class)],
            )
            services.news_publish(actor=head, item=meeting)
            made += 1
        later = timezone.now() + datetime.timedelta(days=3)
        scheduled = services.news_save(
            actor=head,
            title="Menus de la semaine prochaine",
            body="<p>Les menus de la restauration scolaire sont en ligne : semaine du goût.</p>",
            visibility="members",
            expire_at=later + datetime.timedelta(days=7),
        )
        services.news_publish(actor=head, item=scheduled, at=later)
        made += 1
        if class_name == NOTICE_CLASS and User.objects.filter(login="claire.martin").exists():
            made += _notice_seed(people)
        return made
