"""The GAR's feed ("fichiers d'alimentation" GAR-ENT, second degree): XML documents in the GAR's
namespace, built with lxml from what the export gathered, split into files of bounded size.

Four kinds of document, each a root holding a sequence of records (the GAR's order kept in
every file): ``GAR-ENT-Etab`` (``GAREtab``), ``GAR-ENT-Eleve`` (``GAREleve``),
``GAR-ENT-Enseignant`` (``GAREnseignant``: teachers and the other staff with a GAR profile) and
``GAR-ENT-Groupe`` (``GARGroupe``, ``GARPersonGroupe``, ``GAREnsGroupeMatiere``,
``GAREnsClasseMatiere``). Only the attributes the GAR asks for: an opaque identifier (the same
``IDO`` as the SAML sign-in), names, profiles, establishments; no birth date, no guardian, no
e-mail address unless ``GAR_EXPORT["TEACHER_EMAIL"]``. Element names follow the GAR-ENT
specification as published; check them against the GAR's current XSD before going live
(docs/connectors.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from lxml import etree

NAMESPACE = "http://data.education.fr/ns/gar"
NSMAP = {"men": NAMESPACE}
VERSION = "1.0"
KINDS = ("Etab", "Eleve", "Enseignant", "Groupe")
_ROOT_BYTES = 300  # the XML declaration, the root's opening and closing tags


def _q(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _el(parent: etree._Element, name: str, text: str) -> None:
    etree.SubElement(parent, _q(name)).text = text


@dataclass(frozen=True)
class GarPerson:
    ido: str
    last_name: str
    first_name: str
    profiles: tuple[tuple[str, str], ...]  # (UAI, profile code)
    establishments: tuple[str, ...]  # UAIs
    email: str = ""  # only when the GAR asks for teachers' addresses


@dataclass
class GarFeed:
    """Records of each kind, in the GAR's order."""

    records: dict[str, list[etree._Element]] = field(default_factory=lambda: {k: [] for k in KINDS})

    def establishment(self, *, uai: str, name: str) -> None:
        record = etree.Element(_q("GAREtab"), nsmap=NSMAP)
        _el(record, "GARStructureUAI", uai)
        _el(record, "GARStructureNomCourant", name[:200])
        self.records["Etab"].append(record)

    def person(self, person: GarPerson, *, student: bool) -> None:
        record = etree.Element(_q("GAREleve" if student else "GAREnseignant"), nsmap=NSMAP)
        _el(record, "GARPersonIdentifiant", person.ido)
        for uai, code in person.profiles:
            profiles = etree.SubElement(record, _q("GARPersonProfils"))
            _el(profiles, "GARStructureUAI", uai)
            _el(profiles, "GARPersonProfil", code)
        _el(record, "GARPersonNom", person.last_name[:150])
        _el(record, "GARPersonPrenom", person.first_name[:150])
        _el(record, "GARPersonAutresPrenoms", person.first_name[:150])
        for uai in person.establishments:
            _el(record, "GARPersonEtab", uai)
        if person.email and not student:
            _el(record, "GARPersonMail", person.email)
        self.records["Eleve" if student else "Enseignant"].append(record)

    def group(self, *, uai: str, code: str, label: str, division: bool, classes: Iterable[str] = ()) -> None:
        record = etree.Element(_q("GARGroupe"), nsmap=NSMAP)
        _el(record, "GARGroupeCode", code)
        _el(record, "GARStructureUAI", uai)
        _el(record, "GARGroupeLibelle", label[:255])
        _el(record, "GARGroupeStatut", "DIVISION" if division else "GROUPE")
        for class_code in classes:
            _el(record, "GARGroupeDivAppartenance", class_code)
        self.records["Groupe"].append(record)

    def membership(self, *, uai: str, ido: str, code: str) -> None:
        record = etree.Element(_q("GARPersonGroupe"), nsmap=NSMAP)
        _el(record, "GARStructureUAI", uai)
        _el(record, "GARPersonIdentifiant", ido)
        _el(record, "GARGroupeCode", code)
        self.records["Groupe"].append(record)

    def teaching(self, *, uai: str, ido: str, code: str, subject: str, division: bool) -> None:
        record = etree.Element(_q("GAREnsClasseMatiere" if division else "GAREnsGroupeMatiere"), nsmap=NSMAP)
        _el(record, "GARStructureUAI", uai)
        _el(record, "GARPersonIdentifiant", ido)
        _el(record, "GARGroupeCode", code)
        _el(record, "GARMatiereCode", subject)
        self.records["Groupe"].append(record)

    def ordered(self, kind: str) -> list[etree._Element]:
        """The records of a kind in the order the GAR's sequence asks for."""
        if kind != "Groupe":
            return self.records[kind]
        order = ["GARGroupe", "GARPersonGroupe", "GAREnsGroupeMatiere", "GAREnsClasseMatiere"]
        return sorted(self.records[kind], key=lambda r: order.index(etree.QName(r).localname))

    def files(self, *, prefix: str, night: str, max_bytes: int) -> Iterator[tuple[str, bytes]]:
        """``(file name, XML)`` for each kind, split so that no file exceeds ``max_bytes``."""
        for kind in KINDS:
            chunks: list[list[bytes]] = [[]]
            size = _ROOT_BYTES
            for record in self.ordered(kind):
                data = etree.tostring(record, encoding="utf-8")
                if chunks[-1] and size + len(data) > max_bytes:
                    chunks.append([])
                    size = _ROOT_BYTES
                chunks[-1].append(data)
                size += len(data)
            for number, chunk in enumerate(chunks, start=1):
                yield (f"{prefix}_GAR-ENT-Full-{kind}_{night}_{number:04d}.xml", _document(kind, chunk))


def _document(kind: str, records: list[bytes]) -> bytes:
    root = etree.Element(_q(f"GAR-ENT-{kind}"), nsmap=NSMAP, Version=VERSION)
    for data in records:
        root.append(etree.fromstring(data))
    etree.cleanup_namespaces(root, top_nsmap=NSMAP)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
