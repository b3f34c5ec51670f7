"""A form's answers as CSV (a cell a spreadsheet would run as a formula is quoted) and as XLSX
(written directly: a workbook of one sheet, every cell an inline string or a number)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone

from tenant_apps.forms.files import answer_file_path
from tenant_apps.forms.models import Answer, Form, Question, QuestionKind

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in FORMULA_STARTS else text


def _header(question: Question) -> list[str]:
    """A question's columns: its answer; for a file question, also the link to the file."""
    if question.kind == QuestionKind.FILE:
        return [question.label, f"{question.label} (url)"]
    return [question.label]


def _cells(question: Question, answer: Answer, base_url: str) -> list[Any]:
    value = answer.values.get(str(question.pk), "")
    if question.kind == QuestionKind.ACKNOWLEDGEMENT:
        return ["oui" if value else "non"]
    if question.kind == QuestionKind.FILE:
        link = base_url + answer_file_path(answer.form_id, answer.child.user_id, question.pk) if value else ""
        return [value, link]
    return [value]


def rows_of(form: Form, answers: Iterable[Answer], base_url: str = "") -> list[list[Any]]:
    """The header, then a row per answer; a file question gives the file's name and the link to
    the staff's download page (``base_url``: the establishment's address)."""
    questions = list(form.questions.all())
    header = ["student", "class", "respondent", "status", "submitted_at"]
    header += [h for q in questions for h in _header(q)]
    rows: list[list[Any]] = [header]
    for a in answers:
        values = [cell for q in questions for cell in _cells(q, a, base_url)]
        rows.append(
            [
                a.child.display_name,
                a.child.school_class.name if a.child.school_class else "",
                a.respondent.display_name,
                a.status,
                timezone.localtime(a.submitted_at).isoformat(timespec="minutes") if a.submitted_at else "",
                *values,
            ]
        )
    return rows


def answers_csv(form: Form, answers: Iterable[Answer], base_url: str = "") -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows_of(form, answers, base_url):
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue()


def _column(n: int) -> str:
    name = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        name = chr(65 + rest) + name
    return name


def _cell(ref: str, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        text = escape(str(value if value is not None else "")).replace("\x00", "")
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


def answers_xlsx(form: Form, answers: Iterable[Answer], base_url: str = "") -> bytes:
    """Strings stay strings in XLSX (inline strings: never evaluated as formulas)."""
    rows = rows_of(form, answers, base_url)
    sheet_rows = "".join(
        f'<row r="{r + 1}">' + "".join(_cell(f"{_column(c)}{r + 1}", v) for c, v in enumerate(row)) + "</row>"
        for r, row in enumerate(rows)
    )
    ns = "http://schemas.openxmlformats.org"
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<Types xmlns="{ns}/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<Relationships xmlns="{ns}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<workbook xmlns="{ns}/spreadsheetml/2006/main" '
            f'xmlns:r="{ns}/officeDocument/2006/relationships">'
            '<sheets><sheet name="Réponses" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<Relationships xmlns="{ns}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<worksheet xmlns="{ns}/spreadsheetml/2006/main"><sheetData>{sheet_rows}</sheetData></worksheet>'
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in files.items():
            archive.writestr(name, body)
    return out.getvalue()
