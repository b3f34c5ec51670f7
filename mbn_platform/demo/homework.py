"""The demo's homework notebook: in the classes of the Martin children (Léa, 4e B at the collège;
Tom, 2nde 1 at the lycée), every lesson of the past three weeks has its notebook entry, and the
lessons of the past week set homework for their next lesson, so that this week has homework due;
Léa has ticked the first one done. Built through the services, by each lesson's teacher; running
it again adds nothing (a class whose notebook has entries is left as it is)."""

from __future__ import annotations

import contextlib
import datetime

from django.db import transaction
from django_tenants.utils import schema_context

from mbn_platform.kernel.errors import ApplicationError
from shared_apps.identity.models import User
from tenant_apps.homework.models import LessonEntry
from tenant_apps.homework.selectors import homework_of_student
from tenant_apps.homework.services import homework_done_set, homework_set, lesson_entry_save
from tenant_apps.school.models import Member
from tenant_apps.timetable.models import Lesson
from tenant_apps.timetable.occurrences import occurrences
from tenant_apps.timetable.selectors import scope_class
from tenants.models import Establishment

PAST_DAYS = 21
HOMEWORK_DAYS = 7
#: What a lesson of each subject was about, in turn (by the subject's code, else "").
TOPICS = {
    "MATH": (
        "Fractions : addition et soustraction",
        "Théorème de Pythagore",
        "Calcul littéral",
        "Statistiques",
    ),
    "FRAN": ("Lecture analytique : Le Horla", "Le discours rapporté", "Rédaction : le récit fantastique"),
    "HG": ("La Révolution française", "L'Europe des Lumières", "Croquis : la France urbaine"),
    "ANG1": ("Present perfect vs preterite", "Oral: my last holidays", "Vocabulary: the city"),
    "PHCH": ("Les états de la matière", "Circuits électriques en série"),
    "SVT": ("La digestion", "Les séismes et la tectonique"),
    "": ("Cours et exercices", "Travaux pratiques", "Correction de l'évaluation"),
}
HOMEWORK = {
    "MATH": "Exercices 12 à 15 page 84.",
    "FRAN": "Lire le chapitre suivant et relever les passages fantastiques.",
    "HG": "Apprendre la leçon et compléter le croquis.",
    "ANG1": "Learn the irregular verbs (list 3).",
    "PHCH": "Terminer le compte rendu du TP.",
    "SVT": "Réviser pour l'évaluation.",
    "": "Relire le cours.",
}


def _topic(code: str, index: int) -> str:
    topics = TOPICS.get(code) or TOPICS[""]
    return topics[index % len(topics)]


@transaction.atomic
def demo_homework_seed(establishment: Establishment, class_name: str, today: datetime.date) -> int:
    """Fill one class's notebook (see the module's docstring); returns the entries made."""
    from tenant_apps.school.models import SchoolClass

    made = 0
    with schema_context(establishment.schema_name):
        school_class = SchoolClass.objects.filter(name=class_name).first()
        if school_class is None or LessonEntry.objects.filter(school_class=school_class).exists():
            return 0
        found = occurrences(
            scope=scope_class(school_class), start=today - datetime.timedelta(days=PAST_DAYS), end=today
        )
        lessons = {
            lesson.pk: lesson
            for lesson in Lesson.objects.filter(
                pk__in={o.lesson_id for o in found if o.lesson_id}
            ).select_related("subject")
        }
        teachers = {m.pk: m.user_id for m in Member.objects.filter(pk__in={o.teacher_id for o in found})}
        users = {u.pk: u for u in User.objects.filter(pk__in=set(teachers.values()))}
        counts: dict[int, int] = {}
        for occurrence in found:
            lesson = lessons.get(occurrence.lesson_id or 0)
            teacher = users.get(teachers.get(occurrence.teacher_id, 0))
            if (
                lesson is None
                or teacher is None
                or not occurrence.takes_place
                or lesson.school_class_id is None
            ):
                continue
            code = lesson.subject.code if lesson.subject.code in TOPICS else ""
            index = counts[lesson.pk] = counts.get(lesson.pk, -1) + 1
            with contextlib.suppress(ApplicationError):  # a lesson taught by a replacement not in the demo
                lesson_entry_save(
                    actor=teacher,
                    lesson=lesson,
                    date=occurrence.occurrence_date,
                    title=_topic(code, index),
                    content=f"<p>{_topic(code, index)} : cours, exemples et exercices en classe.</p>"
                    "<ul><li>Trace écrite dans le cahier</li><li>Exercices d'application</li></ul>",
                    links=["https://www.lumni.fr/"] if index % 3 == 0 else [],
                )
                made += 1
                if (today - occurrence.occurrence_date).days <= HOMEWORK_DAYS:
                    homework_set(
                        actor=teacher,
                        lesson=lesson,
                        date=occurrence.occurrence_date,
                        instructions=f"<p>{HOMEWORK.get(code) or HOMEWORK['']}</p>",
                        for_next_lesson=True,
                        estimated_minutes=30,
                        online_submission=code == "FRAN",
                    )
        student = Member.objects.filter(
            school_class=school_class, is_active=True, display_name__icontains="Martin"
        ).first()
        if student is not None:
            first = homework_of_student(student=student, start=today).first()
            account = User.objects.filter(pk=student.user_id).first()
            if first is not None and account is not None:
                homework_done_set(actor=account, homework=first, done=True)
    return made
