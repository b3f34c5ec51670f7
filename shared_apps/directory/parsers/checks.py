"""The checks of one file's rows, shared by every format.

A problem is either the file's (``fatal``: it cannot be read, the import is refused) or the row's
(``error``: the row being read is skipped, with its file, line and reason) or a value's
(``left_out``: an e-mail address or a birth date that is not valid is left out, the row is kept).
Messages are translated when they are made: an upload's in the language of its page, a feed's
in the platform's default (French).
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from shared_apps.directory.parsers.model import (
    ASSIGNMENT,
    FUNCTION_ROLES,
    LINK,
    MAX_GROUP,
    NATIONAL_ID_RE,
    PERSON,
    VALUE,
    AssignmentRow,
    LinkRow,
    ParsedFile,
    PersonRow,
    RowError,
    SkippedRow,
    skipped_person,
)
from shared_apps.identity.models import ResponsibilityLevel


class RowChecker:
    """Collects the problems of one file, each with its line, and keeps or skips its rows."""

    def __init__(self, parsed: ParsedFile) -> None:
        self.parsed = parsed
        self.file = ""  # the file rows come from, when not the parsed file's own (an AAF set)
        self.pending: list[RowError] = []
        self.pending_values: list[RowError] = []

    # --- recording ---------------------------------------------------------------------------
    def fatal(self, line: int | None, field_name: str, message: str) -> None:
        self.parsed.errors.append(RowError(self.file or self.parsed.name, line, field_name, message))

    def error(self, line: int | None, field_name: str, message: str) -> None:
        self.pending.append(RowError(self.file or self.parsed.name, line, field_name, message))

    def left_out(self, line: int | None, field_name: str, message: str) -> None:
        self.pending_values.append(RowError(self.file or self.parsed.name, line, field_name, message))

    # --- keeping or skipping the row just read -------------------------------------------------
    def keep_person(self, person: PersonRow) -> bool:
        """Add the person to the file's rows, or skip them (with each reason) if a value is wrong."""
        errors, values = self.pending, self.pending_values
        self.pending, self.pending_values = [], []
        if errors:
            self.parsed.skipped.extend(skipped_person(person, error) for error in errors)
            for error in errors:
                if error.field == "class" and person.class_name:
                    self.parsed.unusable.append(("class", person.class_name, error.message))
                elif error.field in ("group", "groups"):
                    self.parsed.unusable.extend(
                        ("group", g, error.message) for g in person.groups if len(g) > MAX_GROUP
                    )
            return False
        self.parsed.skipped.extend(skipped_person(person, value, what=VALUE) for value in values)
        self.parsed.people.append(person)
        return True

    def keep_link(self, link: LinkRow) -> bool:
        errors, self.pending = self.pending, []
        if errors:
            self.parsed.skipped.extend(
                SkippedRow(
                    e.file,
                    e.line,
                    e.field,
                    e.message,
                    what=LINK,
                    source_id=link.guardian_id,
                    student_id=link.student_id,
                )
                for e in errors
            )
            return False
        self.parsed.links.append(link)
        return True

    def keep_assignment(self, row: AssignmentRow | None, teacher_id: str = "") -> bool:
        errors, self.pending = self.pending, []
        if errors or row is None:
            self.parsed.skipped.extend(
                SkippedRow(e.file, e.line, e.field, e.message, what=ASSIGNMENT, source_id=teacher_id)
                for e in errors
            )
            return False
        self.parsed.assignments.append(row)
        return True

    def drop(self) -> list[RowError]:
        """Forget the pending problems (the caller reports them its own way)."""
        errors, self.pending, self.pending_values = self.pending, [], []
        return errors

    def finish(self) -> None:
        """Problems read outside any row are the file's."""
        self.parsed.errors.extend(self.drop())

    # --- values --------------------------------------------------------------------------------
    def text(
        self, line: int | None, field_name: str, value: str | None, *, required: bool, limit: int
    ) -> str:
        text = " ".join((value or "").split())
        if required and not text:
            self.error(line, field_name, _("This value is required."))
        elif len(text) > limit:
            self.error(line, field_name, _("At most %(limit)d characters.") % {"limit": limit})
        return text

    def national_id(self, line: int | None, value: str | None) -> str:
        text = (value or "").strip().upper()
        if text and not NATIONAL_ID_RE.match(text):
            self.error(line, "national_id", _("A national identifier is 6 to 32 letters or digits."))
        return text

    def birth_date(self, line: int | None, value: str | None) -> str:
        """An invalid date is left out (the person is still imported)."""
        text = (value or "").strip()
        if not text:
            return ""
        for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                parsed = datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date, no time zone)
            except ValueError:
                continue
            if parsed.year < 1900 or parsed > timezone.localdate():
                break
            return parsed.isoformat()
        self.left_out(
            line,
            "birth_date",
            _("Not a valid date: %(value)r (use DD/MM/YYYY or YYYY-MM-DD); left out.") % {"value": text},
        )
        return ""

    def email(self, line: int | None, value: str | None) -> str:
        """An invalid address is left out (the person is still imported, without it)."""
        text = (value or "").strip()
        if not text:
            return ""
        try:
            validate_email(text)
        except ValidationError:
            self.left_out(
                line, "email", _("Not a valid e-mail address: %(value)r; left out.") % {"value": text}
            )
            return ""
        return text

    def roles(self, line: int | None, value: list[str]) -> list[str]:
        roles: set[str] = set()
        if not value:
            self.error(line, "functions", _("A staff member needs at least one function."))
        for code in value:
            role = FUNCTION_ROLES.get(code.strip().upper()) or FUNCTION_ROLES.get(code.strip().lower())
            if role is None:
                self.error(
                    line, "functions", _("Unknown function %(code)r (ENS, EDU, DIR or ADM).") % {"code": code}
                )
            else:
                roles.add(role)
        return sorted(roles)

    def responsibility(self, line: int | None, value: str | None) -> int:
        text = (value or "").strip()
        if text.isdigit() and int(text) in ResponsibilityLevel.values:
            return int(text)
        self.error(
            line, "responsibility", _("Unknown responsibility level %(value)r (1, 2 or 3).") % {"value": text}
        )
        return 0

    def flag(self, line: int | None, field_name: str, value: str | None, *, default: bool) -> bool:
        text = (value or "").strip().lower()
        if not text:
            return default
        if text in ("1", "yes", "oui", "true", "o", "y"):
            return True
        if text in ("0", "no", "non", "false", "n"):
            return False
        self.error(line, field_name, _("Expected 1 or 0, not %(value)r.") % {"value": text})
        return default


__all__ = ["PERSON", "RowChecker"]
