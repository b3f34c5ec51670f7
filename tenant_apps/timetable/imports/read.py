"""Which timetable file this is, and its lessons: XML by its root element (EDT's
``ExportEmploiDuTemps``, its encrypted ``ConteneurExportChiffre``, STS-web's ``EDT_STS``, UDT),
anything else as the documented CSV."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tenant_apps.timetable.imports import csvfile, edt, sts, udt
from tenant_apps.timetable.imports.rows import MAX_ROWS, ParsedTimetable, ReadError
from tenant_apps.timetable.imports.xmltree import line_of, xml_root

#: The largest file read (an EDT export of a big lycée is a few megabytes).
MAX_BYTES = 20 * 1024 * 1024


def timetable_file_read(data: bytes) -> ParsedTimetable:
    """The file's lessons and errors (never raises: an unreadable file is one error)."""
    try:
        return _read(data)
    except ReadError as error:
        parsed = ParsedTimetable(source_format="")
        parsed.error(error.line, "file", error.message)
        return parsed


def _read(data: bytes) -> ParsedTimetable:
    if len(data) > MAX_BYTES:
        raise ReadError(_("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)})
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head != b"<":
        return csvfile.parse_csv(data)
    root = xml_root(data)
    if root.tag == edt.ENCRYPTED_ROOT:
        raise ReadError(
            _(
                "This is EDT's encrypted export (ConteneurExportChiffre): only Index Éducation's "
                "partners can open it. In EDT, export the timetable for the ENT without encryption "
                "(“ExportEmploiDuTemps” XML), or export the CSV described on this page."
            ),
            line_of(root),
        )
    if root.tag == edt.ROOT:
        parsed = edt.parse_edt(root)
    elif root.tag == sts.ROOT:
        parsed = sts.parse_sts(root)
    elif root.tag in udt.ROOTS:
        parsed = udt.parse_udt(root)
    elif root.tag == "STS_EDT":
        raise ReadError(
            _(
                "This is STS-web's export to the timetable software (STS_EDT: the services, without "
                "the lessons' days and times). Import the timetable software's EDT_STS file instead."
            ),
            line_of(root),
        )
    else:
        raise ReadError(_("Unknown XML file (root element <%(tag)s>).") % {"tag": root.tag}, line_of(root))
    if len(parsed.rows) > MAX_ROWS:
        raise ReadError(_("More than %(max)s lessons in one file.") % {"max": MAX_ROWS})
    return parsed
