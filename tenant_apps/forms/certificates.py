"""A school certificate (certificat de scolarité) as a PDF: the establishment's details, the
student, their class, the school year, the date, who signs."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.template.loader import render_to_string
from django.utils import timezone, translation

from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import ServiceUnavailable
from tenant_apps.forms.models import Answer
from tenant_apps.school.models import Member
from tenant_apps.structure.selectors import current_school_year


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: the Pango library could not be loaded
        raise ServiceUnavailable(code=ErrorCode.PDF_UNAVAILABLE) from error
    return weasyprint


def certificate_pdf(*, answer: Answer, signed_by: Member) -> bytes:
    """In French (the certificate's legal language)."""
    weasyprint = _weasyprint()
    establishment = getattr(connection, "tenant", None)
    year = current_school_year()
    context = {
        "establishment": establishment,
        "student": answer.child,
        "school_class": answer.child.school_class,
        "year": year.name if year is not None else "",
        "today": timezone.localdate(),
        "signed_by": signed_by,
    }
    with translation.override("fr"):
        html = render_to_string("forms/certificate_pdf.html", context)
    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf
