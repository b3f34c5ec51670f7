"""A report card as a tagged PDF (WeasyPrint, from an HTML template, as billing's invoices):
the establishment's name, the student, each subject's line (average, class average, min/max,
the teacher's appraisal), the overall average, the council's appraisal and decision, the
absences and lateness of the period. Without the system's Pango library: 503 ``pdf_unavailable``."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy

from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import ServiceUnavailable

PDF_UNAVAILABLE_MESSAGE = gettext_lazy(
    "Report cards need WeasyPrint and the system's Pango library "
    "(apt-get install libpango-1.0-0 libpangoft2-1.0-0)."
)


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: the Pango library could not be loaded
        raise ServiceUnavailable(PDF_UNAVAILABLE_MESSAGE, code=ErrorCode.PDF_UNAVAILABLE) from error
    return weasyprint


def report_card_pdf(context: dict[str, Any], *, language: str = "fr") -> bytes:
    """The PDF (in French by default: the report card's language), tagged for screen readers."""
    weasyprint = _weasyprint()
    with translation.override(language):
        html = render_to_string("reportcards/report_card_pdf.html", {**context, "language": language})
    pdf: bytes = weasyprint.HTML(string=html).write_pdf(pdf_tags=True)
    return pdf
