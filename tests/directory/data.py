"""Directory export files for the tests: CSV and the national XML layout, from plain tuples."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Student:
    id: str
    last: str
    first: str
    birth: str = "2011-05-04"
    klass: str = "4e B"
    ine: str = ""
    email: str = ""


@dataclass
class Guardian:
    id: str
    last: str
    first: str
    email: str = ""
    children: list[tuple[str, int, bool]] = field(default_factory=list)  # (student id, level, may act)


@dataclass
class Staff:
    id: str
    last: str
    first: str
    functions: str = "ENS"
    email: str = ""
    birth: str = ""


def establishment_csv(uai: str) -> tuple[str, bytes]:
    return "etablissement.csv", f"uai;name\n{uai};School\n".encode()


def students_csv(students: list[Student], name: str = "eleves.csv") -> tuple[str, bytes]:
    lines = ["id;national_id;last_name;first_name;birth_date;email;class"]
    lines += [f"{s.id};{s.ine};{s.last};{s.first};{s.birth};{s.email};{s.klass}" for s in students]
    return name, ("\n".join(lines) + "\n").encode()


def guardians_csv(guardians: list[Guardian], name: str = "responsables.csv") -> tuple[str, bytes]:
    lines = ["id;last_name;first_name;email;student_id;responsibility;may_act"]
    for g in guardians:
        lines += [
            f"{g.id};{g.last};{g.first};{g.email};{child};{level};{int(can_act)}"
            for child, level, can_act in g.children
        ]
    return name, ("\n".join(lines) + "\n").encode()


def staff_csv(staff: list[Staff], name: str = "personnels.csv") -> tuple[str, bytes]:
    lines = ["id;last_name;first_name;birth_date;email;functions"]
    lines += [f"{s.id};{s.last};{s.first};{s.birth};{s.email};{s.functions}" for s in staff]
    return name, ("\n".join(lines) + "\n").encode()


def csv_files(
    uai: str, students: list[Student], guardians: list[Guardian], staff: list[Staff]
) -> list[tuple[str, bytes]]:
    files = [establishment_csv(uai)]
    if students:
        files.append(students_csv(students))
    if guardians:
        files.append(guardians_csv(guardians))
    if staff:
        files.append(staff_csv(staff))
    return files


def _xml_date(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


def students_xml(uai: str, students: list[Student]) -> tuple[str, bytes]:
    eleves = "".join(
        f'\n      <ELEVE ELEVE_ID="{s.id}">'
        f"\n        <ID_NATIONAL>{s.ine}</ID_NATIONAL>"
        f"\n        <NOM_DE_FAMILLE>{s.last}</NOM_DE_FAMILLE>"
        f"\n        <PRENOM>{s.first}</PRENOM>"
        f"\n        <DATE_NAISS>{_xml_date(s.birth)}</DATE_NAISS>"
        f"\n      </ELEVE>"
        for s in students
    )
    structures = "".join(
        f'\n      <STRUCTURES_ELEVE ELEVE_ID="{s.id}"><STRUCTURE><CODE_STRUCTURE>{s.klass}</CODE_STRUCTURE>'
        f"<TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE></STRUCTURES_ELEVE>"
        for s in students
    )
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<BEE_ELEVES VERSION="3.9">\n'
        f"  <PARAMETRES><UAJ>{uai}</UAJ><ANNEE_SCOLAIRE>2025</ANNEE_SCOLAIRE></PARAMETRES>\n"
        f"  <DONNEES>\n    <ELEVES>{eleves}\n    </ELEVES>\n    <STRUCTURES>{structures}\n    </STRUCTURES>\n"
        "  </DONNEES>\n</BEE_ELEVES>\n"
    )
    return "ElevesSansAdresses.xml", text.encode()


def guardians_xml(uai: str, guardians: list[Guardian]) -> tuple[str, bytes]:
    people = "".join(
        f'\n      <PERSONNE PERSONNE_ID="{g.id}"><NOM_DE_FAMILLE>{g.last}</NOM_DE_FAMILLE>'
        f"<PRENOM>{g.first}</PRENOM><MEL>{g.email}</MEL></PERSONNE>"
        for g in guardians
    )
    links = "".join(
        f"\n      <RESPONSABLE_ELEVE><ELEVE_ID>{child}</ELEVE_ID><PERSONNE_ID>{g.id}</PERSONNE_ID>"
        f"<RESP_LEGAL>{1 if level == 1 else 0}</RESP_LEGAL><RESP_FINANCIER>{1 if level == 2 else 0}"
        f"</RESP_FINANCIER><PEUT_AGIR>{int(can_act)}</PEUT_AGIR></RESPONSABLE_ELEVE>"
        for g in guardians
        for child, level, can_act in g.children
    )
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<BEE_RESPONSABLES VERSION="3.9">\n'
        f"  <PARAMETRES><UAJ>{uai}</UAJ></PARAMETRES>\n"
        f"  <DONNEES>\n    <PERSONNES>{people}\n    </PERSONNES>\n    <RESPONSABLES>{links}\n"
        "    </RESPONSABLES>\n  </DONNEES>\n</BEE_RESPONSABLES>\n"
    )
    return "ResponsablesAvecAdresses.xml", text.encode()


def staff_xml(uai: str, staff: list[Staff]) -> tuple[str, bytes]:
    people = "".join(
        f'\n      <INDIVIDU ID="{s.id}" TYPE="epp"><NOM_USAGE>{s.last}</NOM_USAGE><PRENOM>{s.first}</PRENOM>'
        + "".join(f"<FONCTION>{code}</FONCTION>" for code in s.functions.split("|"))
        + (f"<MEL>{s.email}</MEL>" if s.email else "")
        + "</INDIVIDU>"
        for s in staff
    )
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<STS_EDT>\n'
        f'  <PARAMETRES><UAJ CODE="{uai}"/></PARAMETRES>\n'
        f"  <DONNEES>\n    <INDIVIDUS>{people}\n    </INDIVIDUS>\n  </DONNEES>\n</STS_EDT>\n"
    )
    return f"sts_emp_{uai}.xml", text.encode()


def establishment_xml(uai: str) -> tuple[str, bytes]:
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<BEE_STRUCTURES>\n  <PARAMETRES><UAJ>{uai}</UAJ></PARAMETRES>\n</BEE_STRUCTURES>\n"
    )
    return "Structures.xml", text.encode()


def xml_files(
    uai: str, students: list[Student], guardians: list[Guardian], staff: list[Staff]
) -> list[tuple[str, bytes]]:
    files = [establishment_xml(uai)]
    if students:
        files.append(students_xml(uai, students))
    if guardians:
        files.append(guardians_xml(uai, guardians))
    if staff:
        files.append(staff_xml(uai, staff))
    return files


def small_school() -> tuple[list[Student], list[Guardian], list[Staff]]:
    students = [
        Student("E1", "Martin", "Léa", "2011-03-02", "4e B", ine="123456789AA"),
        Student("E2", "Bernard", "Hugo", "2011-07-15", "4e B"),
        Student("E3", "Petit", "Chloé", "2012-01-20", "5e A", ine="123456789AC"),
    ]
    guardians = [
        Guardian("P1", "Martin", "Sophie", "sophie.martin@example.org", [("E1", 1, True)]),
        Guardian("P2", "Bernard", "Marc", "", [("E2", 1, True), ("E3", 3, False)]),
    ]
    staff = [
        Staff("S1", "Durand", "Claire", "ENS", "claire.durand@example.org"),
        Staff("S2", "Roux", "Paul", "DIR|ENS"),
    ]
    return students, guardians, staff
