"""The demo's documents: the mathematics teacher's course files in her personal documents
(folders, PDFs, a figure, a test with two versions), Léa's history talk; what the pages show."""

from __future__ import annotations

from django_tenants.utils import schema_context

from shared_apps.identity.models import User
from tenant_apps.documents.models import Document, Folder, Library
from tenants.models import Establishment
from tests.conftest import client_for


def test_the_mathematics_teacher_and_lea_have_their_documents(demo, db):
    pasteur = Establishment.objects.get(schema_name=demo.establishments["pasteur"].schema_name)
    teacher = User.objects.get(login="sophie.lang.pasteur")
    lea = User.objects.get(login="eleve.martin.lea")
    with schema_context(pasteur.schema_name):
        mine = Library.objects.get(kind="personal", owner__user_id=teacher.pk)
        assert set(Folder.objects.filter(library=mine).values_list("name", flat=True)) == {
            "Cours",
            "Évaluations",
        }
        names = set(Document.objects.filter(library=mine).values_list("name", flat=True))
        assert {"Chapitre 2 - Fonctions affines.pdf", "Repère - fonction affine.png"} <= names
        test = Document.objects.get(library=mine, name="DS 1 - Fonctions.pdf")
        assert test.versions.count() == 2 and test.content_type == "application/pdf"
        assert Document.objects.filter(library__owner__user_id=lea.pk).count() == 1
    page = client_for(teacher, pasteur).get("/documents/mine/").content.decode()
    assert "Progression annuelle.pdf" in page and "Évaluations" in page
