"""The demo's personal documents: each school's mathematics teacher (Sophie Lang) keeps her
course files in "My documents" (folders per level, chapters as PDFs, a figure as a PNG, a test
with two versions), and Léa keeps her history talk there. The files are generated (small one-page
PDFs, a drawn PNG), uploaded through the services; running it again adds nothing (a library with
files is left as it is)."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from shared_apps.identity.models import User
from tenant_apps.documents.models import Document, Folder
from tenant_apps.documents.services.files import document_upload, document_version_add
from tenant_apps.documents.services.folders import folder_create
from tenant_apps.documents.services.libraries import library_for_person
from tenant_apps.school.models import Member
from tenants.models import Establishment

#: (folder, file name, the lines of its one page) of the mathematics teacher's documents.
TEACHER_FILES = (
    (
        "Cours",
        "Chapitre 1 - Nombres et calculs.pdf",
        ("Nombres et calculs", "Fractions, puissances, racines."),
    ),
    ("Cours", "Chapitre 2 - Fonctions affines.pdf", ("Fonctions affines", "Définition, représentation.")),
    ("Cours", "Chapitre 3 - Statistiques.pdf", ("Statistiques", "Moyenne, médiane, quartiles.")),
    (
        "Évaluations",
        "DS 1 - Fonctions.pdf",
        ("Devoir surveillé n°1", "Durée : 1 heure. Calculatrice autorisée."),
    ),
    ("Évaluations", "Corrigé du DS 1.pdf", ("Corrigé du devoir surveillé n°1", "Barème sur 20.")),
    ("", "Progression annuelle.pdf", ("Progression annuelle de mathématiques", "Septembre à juin.")),
)
STUDENT_FILES = (
    ("", "Exposé - La Révolution française.pdf", ("La Révolution française", "Exposé d'histoire.")),
)


def _pdf(title: str, line: str, version: int = 1) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    page = Canvas(buffer, pagesize=A4, invariant=True)
    page.setTitle(title)
    _width, height = A4
    page.setFont("Helvetica-Bold", 18)
    page.drawString(25 * mm, height - 35 * mm, title)
    page.setFont("Helvetica", 12)
    page.drawString(25 * mm, height - 50 * mm, line)
    if version > 1:
        page.drawString(25 * mm, height - 60 * mm, f"Version {version} (exercice 3 corrigé)")
    page.showPage()
    page.save()
    return buffer.getvalue()


def _png() -> bytes:
    """An orthonormal frame with the line y = 2x + 1."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 240), "white")
    draw = ImageDraw.Draw(image)
    draw.line((20, 120, 220, 120), fill="black", width=2)
    draw.line((120, 20, 120, 220), fill="black", width=2)
    draw.line((70, 220, 170, 20), fill=(200, 30, 30), width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _fill(user: User, entries: tuple[tuple[str, str, tuple[str, str]], ...], figure: bool) -> int:
    member = Member.objects.filter(user_id=user.pk).first()
    if member is None:
        return 0
    library = library_for_person(member)
    if Document.objects.filter(library=library).exists():
        return 0
    folders: dict[str, Folder] = {}
    made = 0
    for folder_name, name, (title, line) in entries:
        if folder_name and folder_name not in folders:
            folders[folder_name] = folder_create(actor=user, library=library, parent=None, name=folder_name)
        folder = folders.get(folder_name)
        upload = SimpleUploadedFile(name, _pdf(title, line), content_type="application/pdf")
        document = document_upload(actor=user, library=library, folder=folder, upload=upload)
        made += 1
        if name.startswith("DS"):  # the test, corrected once
            again = SimpleUploadedFile(name, _pdf(title, line, version=2), content_type="application/pdf")
            document_version_add(actor=user, document=document, upload=again)
    if figure:
        upload = SimpleUploadedFile("Repère - fonction affine.png", _png(), content_type="image/png")
        document_upload(actor=user, library=library, folder=folders.get("Cours"), upload=upload)
        made += 1
    return made


def demo_documents_seed(establishment: Establishment, subdomain: str, student_login: str | None) -> int:
    """The mathematics teacher's documents (and a student's) in one school; returns the files made."""
    made = 0
    teacher = User.objects.filter(login=f"sophie.lang.{subdomain}").first()
    student = User.objects.filter(login=student_login).first() if student_login else None
    with schema_context(establishment.schema_name):
        if teacher is not None:
            made += _fill(teacher, TEACHER_FILES, figure=True)
        if student is not None:
            made += _fill(student, STUDENT_FILES, figure=False)
    return made
