"""The UAI code: the national 8-character identifier of a French establishment.

Seven characters (three for the département, "620"/"720" for Corsica, then four digits) and a
check letter: the seven-digit number modulo 23, read in an alphabet without I, O and Q.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.error_codes import ErrorCode

UAI_CHECK_ALPHABET = "ABCDEFGHJKLMNPRSTUVWXYZ"
_UAI_SHAPE = re.compile(r"^\d{7}[A-Z]$")


def uai_check_letter(digits: str) -> str:
    """The check letter of the seven leading digits of a UAI."""
    return UAI_CHECK_ALPHABET[int(digits) % 23]


def uai_normalize(value: str) -> str:
    return value.strip().upper()


def validate_uai(value: str) -> None:
    code = uai_normalize(value)
    if not _UAI_SHAPE.match(code):
        raise ValidationError(
            _("A UAI code is 7 digits followed by a letter, e.g. 0670001X."), code=ErrorCode.UAI_SHAPE
        )
    if uai_check_letter(code[:7]) != code[7]:
        raise ValidationError(
            _("The check letter of this UAI code is wrong: expected %(letter)s."),
            code=ErrorCode.UAI_CHECK_LETTER,
            params={"letter": uai_check_letter(code[:7])},
        )
