"""French is the default language: every string the code shows must have its French translation.

The catalog is extracted again from the code (Django's makemessages, into a copy of the
catalog) and must then hold no untranslated and no fuzzy entry; the committed ``.mo`` must
be the compiled ``.po``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "mbn_platform" / "locale" / "fr" / "LC_MESSAGES"

needs_gettext = pytest.mark.skipif(
    shutil.which("xgettext") is None and not os.environ.get("MBN_REQUIRE_GETTEXT"),
    reason="GNU gettext (xgettext, msgmerge, msgfmt) is not installed",
)


def _entries(po: str) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) of each entry but the header (plural forms: the first msgstr)."""
    entries = []
    for block in po.split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        if any(line.startswith("#~") for line in lines):
            continue
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        text = "\n".join(line for line in lines if not line.startswith("#"))
        msgid = "".join(re.findall(r'"(.*)"', text.split("msgstr")[0].split("msgid_plural")[0]))
        msgstr_part = re.split(r"msgstr(?:\[0\])?", text, maxsplit=1)
        msgstr_text = msgstr_part[1] if len(msgstr_part) > 1 else ""
        msgstr = "".join(re.findall(r'"(.*)"', msgstr_text.split("msgstr[1]")[0]))
        if msgid:
            entries.append((msgid, msgstr, fuzzy))
    return entries


@needs_gettext
def test_every_string_of_the_code_has_its_french_translation(tmp_path: Path, monkeypatch):
    copy = tmp_path / "fr" / "LC_MESSAGES"
    copy.mkdir(parents=True)
    shutil.copy(CATALOG / "django.po", copy / "django.po")
    monkeypatch.chdir(ROOT)
    with override_settings(LOCALE_PATHS=[str(tmp_path)]):
        # The real catalog's folder is ignored, so that everything is extracted into the copy.
        call_command(
            "makemessages",
            locale=["fr"],
            ignore_patterns=[".venv*", "tests/*", "infra/*", "mbn_platform/locale"],
            no_obsolete=True,
            verbosity=0,
        )
    entries = _entries((copy / "django.po").read_text())
    missing = [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy]
    assert missing == [], f"{len(missing)} strings without a French translation: {missing[:20]}"


@needs_gettext
def test_the_committed_mo_is_the_compiled_po(tmp_path: Path):
    compiled = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check", "-o", str(compiled), str(CATALOG / "django.po")],
        check=True,
    )
    assert compiled.read_bytes() == (CATALOG / "django.mo").read_bytes(), (
        "django.mo is stale: compile it (mbn_platform/locale/README.md)"
    )
