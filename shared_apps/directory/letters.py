"""Printable activation letters (reportlab): one A4 page per person."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas


@dataclass(frozen=True)
class Letter:
    name: str
    for_whom: str
    login: str
    code: str
    expires: date


def letters_render(*, school: str, url: str, letters: list[Letter]) -> bytes:
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=A4, pageCompression=0)
    pdf.setTitle(_("Activation letters — %(school)s") % {"school": school})
    pdf.setAuthor(school)
    _width, height = A4
    left = 25 * mm
    for letter in letters:
        y = height - 30 * mm
        pdf.setFont("Helvetica-Bold", 16)
        pdf.drawString(left, y, school)
        y -= 16 * mm
        pdf.setFont("Helvetica-Bold", 14)
        pdf.drawString(left, y, _("Activate your account on the digital workspace"))
        y -= 12 * mm
        pdf.setFont("Helvetica", 12)
        pdf.drawString(left, y, letter.name)
        y -= 6 * mm
        pdf.drawString(left, y, letter.for_whom)
        y -= 14 * mm
        for label, value in (
            (_("Your login:"), letter.login),
            (_("Activation page:"), url),
            (_("Your activation code:"), letter.code),
        ):
            pdf.setFont("Helvetica", 12)
            pdf.drawString(left, y, label)
            pdf.setFont("Courier-Bold", 14)
            pdf.drawString(left + 50 * mm, y, value)
            y -= 10 * mm
        y -= 6 * mm
        pdf.setFont("Helvetica", 11)
        for line in (
            _("Open the activation page, enter your login and this code, then choose your password."),
            _("The code works once and is valid until %(date)s.")
            % {"date": formats.date_format(letter.expires)},
            _("Keep this letter private: whoever has the code can take the account."),
        ):
            pdf.drawString(left, y, line)
            y -= 7 * mm
        pdf.showPage()
    if not letters:
        pdf.setFont("Helvetica", 12)
        pdf.drawString(left, height - 30 * mm, _("Everyone has already activated their account."))
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()
