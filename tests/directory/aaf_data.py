"""AAF files (``ficAlimMENESR``) written for the tests, as an académie delivers them: ISO-8859-15,
the DTD declared, one file per kind named ``<prefix>_Complet|Delta_<date>_<Kind>_<n>.xml``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

PREFIX = "ENT2025"
CATEGORY_ATTR = {"EtabEducNat": "categorieStructure", "MatiereEducNat": "categorieMatiere"}


@dataclass
class Etab:
    id: str
    uai: str
    name: str
    classes: list[str] = field(default_factory=list)


@dataclass
class Pupil:
    id: str
    last: str
    first: str
    etab: str
    klass: str
    ine: str = ""
    birth: str = "02/03/2011"
    groups: list[str] = field(default_factory=list)
    relations: list[str] = field(default_factory=list)  # "<person id>$1$0$1$0$0"


@dataclass
class Relative:
    id: str
    last: str
    first: str
    email: str = ""


@dataclass
class Agent:
    id: str
    last: str
    first: str
    functions: list[tuple[str, str]]  # (establishment id, function code)
    classes: list[tuple[str, str, str]] = field(default_factory=list)  # (establishment id, class, subject)
    email: str = ""
    birth: str = "01/04/1975"


def _attr(name: str, values: list[str] | str) -> str:
    listed = [values] if isinstance(values, str) else values
    inner = "".join(f"<value>{v}</value>" for v in listed) or "<value/>"
    return f'<attr name="{name}">{inner}</attr>'


def add(category: str, aaf_id: str, attrs: list[tuple[str, list[str] | str]]) -> str:
    kind = CATEGORY_ATTR.get(category, "categoriePersonne")
    return (
        f'<addRequest>\n<operationalAttributes><attr name="{kind}"><value>{category}</value></attr>'
        f"</operationalAttributes>\n<identifier><id>{aaf_id}</id></identifier>\n<attributes>\n"
        + "\n".join(_attr(name, values) for name, values in attrs)
        + "\n</attributes>\n</addRequest>"
    )


def modify(category: str, aaf_id: str, changes: list[tuple[str, list[str] | str]]) -> str:
    kind = CATEGORY_ATTR.get(category, "categoriePersonne")
    mods = "".join(
        f'<modification name="{name}" operation="replace">'
        + "".join(f"<value>{v}</value>" for v in ([values] if isinstance(values, str) else values))
        + "</modification>\n"
        for name, values in changes
    )
    return (
        f'<modifyRequest>\n<operationalAttributes><attr name="{kind}"><value>{category}</value></attr>'
        f"</operationalAttributes>\n<identifier><id>{aaf_id}</id></identifier>\n<modifications>\n{mods}"
        "</modifications>\n</modifyRequest>"
    )


def delete(category: str, aaf_id: str) -> str:
    kind = CATEGORY_ATTR.get(category, "categoriePersonne")
    return (
        f'<deleteRequest>\n<operationalAttributes><attr name="{kind}"><value>{category}</value></attr>'
        f"</operationalAttributes>\n<identifier><id>{aaf_id}</id></identifier>\n</deleteRequest>"
    )


def aaf_file(requests: list[str]) -> bytes:
    text = (
        '<?xml version="1.0" encoding="ISO-8859-15"?>\n<!DOCTYPE ficAlimMENESR SYSTEM "ficAlimMENESR.dtd">\n'
        "<ficAlimMENESR>\n" + "\n".join(requests) + "\n</ficAlimMENESR>\n"
    )
    return text.encode("iso-8859-15")


def etab_request(etab: Etab) -> str:
    return add(
        "EtabEducNat",
        etab.id,
        [
            ("ENTStructureJointure", etab.id),
            ("ENTStructureUAI", etab.uai),
            ("ENTStructureNomCourant", etab.name),
            ("ENTStructureClasses", [f"{c}${c}" for c in etab.classes]),
            ("ENTServAcAcademie", "STRASBOURG"),
        ],
    )


def pupil_request(p: Pupil) -> str:
    return add(
        "Eleve",
        p.id,
        [
            ("ENTPersonJointure", p.id),
            ("ENTEleveINE", p.ine),
            ("ENTEleveStructRattachId", p.etab),
            ("ENTPersonDateNaissance", p.birth),
            ("ENTPersonNomPatro", p.last),
            ("sn", p.last),
            ("givenName", p.first),
            ("ENTPersonAdresse", "1 rue de la Paix"),
            ("ENTElevePersRelEleve", p.relations),
            ("ENTEleveClasses", f"{p.etab}${p.klass}"),
            ("ENTEleveGroupes", [f"{p.etab}${g}" for g in p.groups]),
        ],
    )


def relative_request(r: Relative) -> str:
    return add(
        "PersRelEleve",
        r.id,
        [("ENTPersonJointure", r.id), ("sn", r.last), ("givenName", r.first), ("mail", r.email or [])],
    )


def agent_request(a: Agent) -> str:
    return add(
        "PersEducNat",
        a.id,
        [
            ("ENTPersonJointure", a.id),
            ("ENTPersonDateNaissance", a.birth),
            ("sn", a.last),
            ("givenName", a.first),
            ("mail", a.email or []),
            ("ENTPersonFonctions", [f"{sid}${code}$LIBELLE$P0000$DISCIPLINE" for sid, code in a.functions]),
            ("ENTAuxEnsClassesMatieres", [f"{sid}${klass}${subject}" for sid, klass, subject in a.classes]),
        ],
    )


def subject_request(code: str, label: str) -> str:
    return add("MatiereEducNat", code, [("ENTMatJointure", code), ("ENTLibelleMatiere", label)])


def complete_set(
    stamp: str,
    etabs: list[Etab],
    pupils: list[Pupil],
    relatives: list[Relative],
    agents: list[Agent],
    subjects: dict[str, str] | None = None,
) -> dict[str, bytes]:
    def name(kind: str) -> str:
        return f"{PREFIX}_Complet_{stamp}_{kind}_0001.xml"

    files = {
        name("EtabEducNat"): aaf_file([etab_request(e) for e in etabs]),
        name("Eleve"): aaf_file([pupil_request(p) for p in pupils]),
        name("PersRelEleve"): aaf_file([relative_request(r) for r in relatives]),
        name("PersEducNat"): aaf_file([agent_request(a) for a in agents]),
    }
    if subjects:
        files[name("MatiereEducNat")] = aaf_file([subject_request(c, label) for c, label in subjects.items()])
    return files


def delta_set(stamp: str, requests: dict[str, list[str]]) -> dict[str, bytes]:
    """``requests``: kind -> its requests."""
    return {f"{PREFIX}_Delta_{stamp}_{kind}_0001.xml": aaf_file(reqs) for kind, reqs in requests.items()}


def drop(folder: Path, files: dict[str, bytes]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
