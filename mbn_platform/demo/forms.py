"""The demo's administrative desk, at the Collège Louis Pasteur: a trip authorisation for Léa's
class (4e B), published, half of the families have answered (Claire Martin has not yet); a school
certificate request, one family asked and the administrative staff answered with the certificate
(a PDF); the school insurance certificate asked of 4e B's families as a file, two sent already.
Through the services; running it again adds nothing."""

from __future__ import annotations

import contextlib
import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from mbn_platform.demo.people import SchoolPeople
from mbn_platform.kernel.errors import ServiceUnavailable
from shared_apps.identity.roles import Role
from tenant_apps.forms import services
from tenant_apps.forms.models import Form
from tenant_apps.school.models import Member, SchoolClass
from tenants.models import Establishment

TRIP = "Sortie au musée Unterlinden (4e B)"
CERTIFICATE = "Demande de certificat de scolarité"
INSURANCE = "Attestation d'assurance scolaire 2026-2027"
INSURERS = ["MAE", "MAIF", "Crédit Mutuel"]
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
        return made + _insurance(head, lea.school_class, members, people, students, deadline)


def attestation_pdf(child: str, insurer: str) -> bytes:
    """A one-page PDF, as an insurer's attestation scanned by a family would be."""
    text = f"Attestation d'assurance scolaire - {child} - {insurer} - année 2026-2027"
    text = text.replace("\\", "").replace("(", "[").replace(")", "]")
    stream = f"BT /F1 12 Tf 60 780 Td ({text}) Tj ET".encode("cp1252", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _insurance(
    head: Any,
    school_class: SchoolClass,
    members: dict[int, Member],
    people: SchoolPeople,
    students: list[Any],
    deadline: Any,
) -> int:
    """The insurance certificate asked as a file (PDF or a photo); two families sent theirs."""
    form = services.form_create(
        actor=head,
        title=INSURANCE,
        kind="other",
        description="Obligatoire pour les sorties et voyages scolaires.",
        audience="guardians",
        classes=[school_class],
        deadline=deadline + datetime.timedelta(days=20),
        reader_roles=[Role.ADMIN_STAFF, Role.SCHOOL_LIFE],
        retention_days=400,
        questions=[
            {
                "kind": "file",
                "label": "Attestation d'assurance scolaire",
                "file_types": ["pdf", "jpg", "png"],
            },
            {"kind": "text", "label": "Compagnie d'assurance"},
        ],
    )
    form = services.form_publish(actor=head, form=form)
    file_q, insurer_q = list(form.questions.all())
    made = 0
    for n, student in enumerate(students[1:3]):
        guardian, child = people.guardians.get(student.pk), members.get(student.pk)
        if guardian is None or child is None:
            continue
        insurer = INSURERS[n % len(INSURERS)]
        upload = SimpleUploadedFile(
            f"attestation-assurance-{child.display_name}.pdf",
            attestation_pdf(child.display_name, insurer),
            content_type="application/pdf",
        )
        services.answer_save(
            actor=guardian,
            form=form,
            child=child,
            given={f"q{insurer_q.pk}": insurer},
            files={f"q{file_q.pk}": upload},
            submit=True,
        )
        made += 1
    return made
