"""SIECLE exports as a school downloads them, written for the tests: ``ElevesSansAdresses`` with
MEFs and options, ``ResponsablesAvecAdresses`` in both responsibility forms, ``Structures``,
``Nomenclature`` and ``Communs``, encoded as SIECLE does (ISO-8859-15) and inside the ZIP
containers of its download (``ExportXML_<kind>.zip``)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

ENCODING = "ISO-8859-15"
MEFS = {
    "10310019110": ("4EME", "4EME GENERALE"),
    "10110001110": ("6EME", "6EME"),
}
SUBJECTS = {
    "030201": ("AGL1", "ANGLAIS LV1"),
    "030602": ("ESP2", "ESPAGNOL LV2"),
    "061300": ("MATHS", "MATHS"),
}


@dataclass
class Pupil:
    id: str
    last: str
    first: str
    division: str
    mef: str = "10310019110"
    options: list[str] = field(default_factory=list)
    birth: str = "02/03/2011"


@dataclass
class Relation:
    """A guardian of a pupil, in one of the two forms: ``niveau`` (NIVEAU_RESPONSABILITE, SIECLE
    18.1 and later) or ``legal`` (RESP_LEGAL, before); ``financier`` (RESP_FINANCIER)."""

    person: str
    pupil: str
    niveau: str = ""
    legal: str = ""
    financier: str = ""


def _prolog(root: str, uai: str) -> str:
    return (
        f'<?xml version="1.0" encoding="{ENCODING}"?>\n<{root} VERSION="3.9">\n'
        f"  <PARAMETRES><UAJ>{uai}</UAJ><ANNEE_SCOLAIRE>2025</ANNEE_SCOLAIRE></PARAMETRES>\n"
    )


def _encoded(text: str) -> bytes:
    return text.encode(ENCODING)


def eleves_xml(uai: str, pupils: list[Pupil]) -> tuple[str, bytes]:
    eleves = "".join(
        f'\n      <ELEVE ELEVE_ID="{p.id}" ELENOET="{p.id}"><NOM_DE_FAMILLE>{p.last}</NOM_DE_FAMILLE>'
        f"<PRENOM>{p.first}</PRENOM><DATE_NAISS>{p.birth}</DATE_NAISS><CODE_MEF>{p.mef}</CODE_MEF></ELEVE>"
        for p in pupils
    )
    options = "".join(
        f'\n      <OPTION ELEVE_ID="{p.id}">'
        + "".join(
            f"<OPTIONS_ELEVE><NUM_OPTION>{n}</NUM_OPTION><CODE_MODALITE_ELECT>O</CODE_MODALITE_ELECT>"
            f"<CODE_MATIERE>{code}</CODE_MATIERE></OPTIONS_ELEVE>"
            for n, code in enumerate(p.options, start=1)
        )
        + "</OPTION>"
        for p in pupils
        if p.options
    )
    structures = "".join(
        f'\n      <STRUCTURES_ELEVE ELEVE_ID="{p.id}"><STRUCTURE>'
        f"<CODE_STRUCTURE>{p.division}</CODE_STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE>"
        "</STRUCTURE></STRUCTURES_ELEVE>"
        for p in pupils
    )
    text = (
        _prolog("BEE_ELEVES", uai)
        + f"  <DONNEES>\n    <ELEVES>{eleves}\n    </ELEVES>\n    <OPTIONS>{options}\n    </OPTIONS>\n"
        f"    <STRUCTURES>{structures}\n    </STRUCTURES>\n  </DONNEES>\n</BEE_ELEVES>\n"
    )
    return "ElevesSansAdresses.xml", _encoded(text)


def responsables_xml(
    uai: str, people: dict[str, tuple[str, str]], relations: list[Relation]
) -> tuple[str, bytes]:
    """``people``: PERSONNE_ID -> (last name, first name)."""
    personnes = "".join(
        f'\n      <PERSONNE PERSONNE_ID="{pid}"><NOM_DE_FAMILLE>{last}</NOM_DE_FAMILLE>'
        f"<PRENOM>{first}</PRENOM></PERSONNE>"
        for pid, (last, first) in people.items()
    )
    rows = []
    for r in relations:
        form = f"<NIVEAU_RESPONSABILITE>{r.niveau}</NIVEAU_RESPONSABILITE>" if r.niveau else ""
        form += f"<RESP_LEGAL>{r.legal}</RESP_LEGAL>" if r.legal else ""
        form += f"<RESP_FINANCIER>{r.financier}</RESP_FINANCIER>" if r.financier else ""
        rows.append(
            f"\n      <RESPONSABLE_ELEVE><ELEVE_ID>{r.pupil}</ELEVE_ID><PERSONNE_ID>{r.person}</PERSONNE_ID>"
            f"{form}<CODE_PARENTE>10</CODE_PARENTE></RESPONSABLE_ELEVE>"
        )
    text = (
        _prolog("BEE_RESPONSABLES", uai) + f"  <DONNEES>\n    <PERSONNES>{personnes}\n    </PERSONNES>\n"
        f"    <RESPONSABLES>{''.join(rows)}\n    </RESPONSABLES>\n  </DONNEES>\n</BEE_RESPONSABLES>\n"
    )
    return "ResponsablesAvecAdresses.xml", _encoded(text)


def structures_xml(uai: str, divisions: dict[str, str]) -> tuple[str, bytes]:
    """``divisions``: code -> MEF code."""
    rows = "".join(
        f'\n      <DIVISION CODE_STRUCTURE="{code}"><LIBELLE_LONG>{code}</LIBELLE_LONG>'
        f'<MEFS_APPARTENANCE><MEF_APPARTENANCE CODE_MEF="{mef}"/></MEFS_APPARTENANCE></DIVISION>'
        for code, mef in divisions.items()
    )
    text = (
        _prolog("BEE_STRUCTURES", uai)
        + f"  <DONNEES>\n    <DIVISIONS>{rows}\n    </DIVISIONS>\n  </DONNEES>\n</BEE_STRUCTURES>\n"
    )
    return "Structures.xml", _encoded(text)


def nomenclature_xml(uai: str) -> tuple[str, bytes]:
    mefs = "".join(
        f'\n      <MEF CODE_MEF="{code}"><FORMATION>{formation}</FORMATION>'
        f"<LIBELLE_LONG>{label}</LIBELLE_LONG></MEF>"
        for code, (formation, label) in MEFS.items()
    )
    subjects = "".join(
        f'\n      <MATIERE CODE_MATIERE="{code}"><CODE_GESTION>{short}</CODE_GESTION>'
        f"<LIBELLE_LONG>{label}</LIBELLE_LONG></MATIERE>"
        for code, (short, label) in SUBJECTS.items()
    )
    text = (
        _prolog("BEE_NOMENCLATURES", uai)
        + f"  <DONNEES>\n    <MEFS>{mefs}\n    </MEFS>\n    <MATIERES>{subjects}\n    </MATIERES>\n"
        "  </DONNEES>\n</BEE_NOMENCLATURES>\n"
    )
    return "Nomenclature.xml", _encoded(text)


def communs_xml(uai: str) -> tuple[str, bytes]:
    text = _prolog("BEE_COMMUN", uai) + "  <DONNEES/>\n</BEE_COMMUN>\n"
    return "Communs.xml", _encoded(text)


def zipped(file: tuple[str, bytes]) -> tuple[str, bytes]:
    """The file inside the ZIP container SIECLE downloads (``ExportXML_<name>.zip``)."""
    name, data = file
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return f"ExportXML_{name.removesuffix('.xml')}.zip", buffer.getvalue()
