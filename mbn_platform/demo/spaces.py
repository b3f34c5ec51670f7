"""The demo's collaborative spaces: every class and group has its space; in each school one class's
space (the Martin child's, else the first class's) has a forum thread where the mathematics teacher and
students talk, a few wall posts and a document in its library (a worksheet as a PDF); the German
teacher runs a project space "Voyage à Berlin" with students of the school. Built through the
services; running it again adds nothing (a school with forum topics is left as it is)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django_tenants.utils import schema_context

from mbn_platform.demo.people import MARTIN_CHILDREN, SchoolPeople
from shared_apps.identity.models import User
from tenant_apps.documents.services.files import document_upload
from tenant_apps.documents.services.libraries import library_for_space
from tenant_apps.school.models import Member
from tenant_apps.spaces.models import Space, SpaceRole, Topic
from tenant_apps.spaces.services import (
    post_create,
    project_space_create,
    spaces_ensure,
    topic_create,
    topic_moderate,
    wall_post_create,
)
from tenants.models import Establishment

#: A small valid PDF (the worksheet of the demo's class spaces).
WORKSHEET = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _class_seed(space: Space, maths: User, students: list[User]) -> None:
    first, second, third = students[0], students[1], students[2 % len(students)]
    rules = topic_create(
        actor=maths,
        space=space,
        title="Règles du forum de la classe",
        body="<p>Ce forum sert à s'entraider sur les cours. Restez polis et bienveillants.</p>",
    )
    topic_moderate(actor=maths, topic=rules, pinned=True, locked=True)
    revision = topic_create(
        actor=maths,
        space=space,
        title="Révisions pour le contrôle de mathématiques",
        body=(
            "<p>Le contrôle porte sur le chapitre 4. Posez ici vos questions sur les exercices "
            "de la fiche de révision (dans les documents de la classe).</p>"
        ),
    )
    post_create(
        actor=first,
        topic=revision,
        body="<p>Pour l'exercice 3, faut-il détailler tous les calculs ?</p>",
    )
    post_create(
        actor=maths,
        topic=revision,
        body="<p>Oui : écrivez chaque étape, c'est la méthode qui compte le plus.</p>",
    )
    post_create(actor=second, topic=revision, body="<p>Merci ! Et la calculatrice est-elle autorisée ?</p>")
    wall_post_create(actor=maths, space=space, body="Pensez à apporter votre rapporteur jeudi.")
    wall_post_create(
        actor=third, space=space, body="Le CDI est ouvert mercredi après-midi pour réviser ensemble."
    )
    upload = SimpleUploadedFile("fiche-revision-chapitre-4.pdf", WORKSHEET, content_type="application/pdf")
    document_upload(actor=maths, library=library_for_space(space.pk), folder=None, upload=upload)


@transaction.atomic
def demo_spaces_seed(establishment: Establishment, people: SchoolPeople, subdomain: str) -> int:
    """The school's demo spaces (see the module's docstring); returns the forum topics made."""
    if len(people.teachers) < 7 or not people.students:
        return 0
    with schema_context(establishment.schema_name):
        spaces_ensure()
        if Topic.objects.exists():
            return 0
        maths, german = people.teachers[0], people.teachers[6]
        child = next(((login, c) for sub, login, _first, c in MARTIN_CHILDREN if sub == subdomain), None)
        child_class = child[1] if child else None
        class_names = [child_class or next(iter(people.students))]  # one thread a school: a fast seed
        made = 0
        for name in class_names:
            space = Space.objects.filter(school_class__name=name).first()
            students = people.students.get(name, [])
            if space is None or len(students) < 2:
                continue
            _class_seed(space, maths, students)
            made += 2
        travellers = [s for name in class_names for s in people.students.get(name, [])[:4]]
        travelling = Q(user_id__in=[u.pk for u in travellers])
        if child is not None:  # the Martin child goes to Berlin (the personas' "Try")
            travelling |= Q(user_id__in=User.objects.filter(login=child[0]).values("pk"))
        members = Member.objects.filter(travelling, is_active=True)
        project = project_space_create(
            actor=german,
            name="Voyage à Berlin",
            description="Préparation du voyage d'échange : programme, autorisations, carnet de bord.",
            members=[(m.pk, SpaceRole.CONTRIBUTOR.value) for m in members],
        )
        topic_create(
            actor=german,
            space=project,
            title="Programme de la semaine",
            body="<p>Lundi : arrivée et visite du Reichstag. Mardi : journée au lycée partenaire.</p>",
        )
        wall_post_create(
            actor=german, space=project, body="Les autorisations de sortie sont à rendre avant vendredi."
        )
        return made + 1
