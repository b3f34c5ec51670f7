"""SIECLE's MEFs (modules of training) and options, where they help: a class's level, and a group
per language option and level.

A MEF's level is read from its label in the Nomenclature file (``FORMATION``, else
``LIBELLE_LONG``: "4EME", "2NDE GT", "TERMINALE G"…); without the Nomenclature, from the code of a
collège MEF (its first three digits: 101 is 6e … 104 is 3e). The language options are the
subjects of the national nomenclature's modern languages (codes starting with 03); their group is
named by the subject's management code and the level ("ESP2 4e").
"""

from __future__ import annotations

import re

from shared_apps.directory.parsers.model import MAX_GROUP, name_key

LABEL_LEVELS = (
    (re.compile(r"^(6|sixieme)"), "6e"),
    (re.compile(r"^(5|cinquieme)"), "5e"),
    (re.compile(r"^(4|quatrieme)"), "4e"),
    (re.compile(r"^(3|troisieme)"), "3e"),
    (re.compile(r"^(2|seconde)"), "2de"),
    (re.compile(r"^(1|premiere)"), "1re"),
    (re.compile(r"^(t|terminale)"), "Tle"),
)
CODE_LEVELS = {"101": "6e", "102": "5e", "103": "4e", "104": "3e"}
LANGUAGE_CODE_PREFIX = "03"


def mef_level(code: str, labels: dict[str, str]) -> str:
    """The level of a MEF ("" when it cannot be told)."""
    if not code:
        return ""
    label = name_key(labels.get(code, ""))
    for pattern, level in LABEL_LEVELS:
        if label and pattern.match(label):
            return level
    return CODE_LEVELS.get(code[:3], "") if not label else ""


def option_group(code: str, short: str, level: str) -> str:
    """The group of a language option at a level ("" for other options, or an unknown level)."""
    if not (code.startswith(LANGUAGE_CODE_PREFIX) and level):
        return ""
    name = f"{(short or code).strip()} {level}"
    return name if len(name) <= MAX_GROUP else ""
