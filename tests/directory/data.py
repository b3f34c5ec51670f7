"""Directory export files for the tests: CSV and the national XML layout, from plain tuples (with
the school's structure where the files carry it: groups, subjects, teaching assignments)."""

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
    groups: list[str] = field(default_factory=list)


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


def students_csv(
    students: list[Student], name: str = "eleves.csv", *, groups_column: str = ""
) -> tuple[str, bytes]:
    """With ``groups_column`` (e.g. "groups", "groupes"), the students' groups separated by |."""
    extra = f";{groups_column}" if groups_column else ""
    lines = [f"id;national_id;last_name;first_name;birth_date;email;class{extra}"]
    lines += [
        f"{s.id};{s.ine};{s.last};{s.first};{s.birth};{s.email};{s.klass}"
        + (";" + "|".join(s.groups) if groups_column else "")
        for s in students
    ]
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
        f'\n      <STRUCTURES_ELEVE ELEVE_ID="{s.id}">'
        f"\n        <STRUCTURE><CODE_STRUCTURE>{s.klass}</CODE_STRUCTURE>"
        f"<TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE>"
        + "".join(
            f"\n        <STRUCTURE><CODE_STRUCTURE>{group}</CODE_STRUCTURE>"
            f"<TYPE_STRUCTURE>G</TYPE_STRUCTURE></STRUCTURE>"
            for group in s.groups
        )
        + "\n      </STRUCTURES_ELEVE>"
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


@dataclass
class Subject:
    code: str  # the nomenclature's code (MATIERE CODE attribute, what services name)
    short: str  # CODE_GESTION
    name: str  # LIBELLE_EDITION


@dataclass
class Service:
    """A subject taught to a division (class) or a group, by teachers (the staff file's ids)."""

    subject: str
    teachers: list[str]
    division: str = ""
    group: str = ""


def _sts_nomenclatures(subjects: list[Subject]) -> str:
    if not subjects:
        return ""
    matieres = "".join(
        f'\n      <MATIERE CODE="{s.code}">\n        <CODE_GESTION>{s.short}</CODE_GESTION>'
        f"\n        <LIBELLE_COURT>{s.name.upper()[:20]}</LIBELLE_COURT>"
        f"\n        <LIBELLE_LONG>{s.name.upper()}</LIBELLE_LONG>"
        f"\n        <LIBELLE_EDITION>{s.name}</LIBELLE_EDITION>\n      </MATIERE>"
        for s in subjects
    )
    return f"  <NOMENCLATURES>\n    <MATIERES>{matieres}\n    </MATIERES>\n  </NOMENCLATURES>\n"


def _sts_services(services: list[Service]) -> str:
    return "".join(
        f'\n            <SERVICE CODE_MATIERE="{service.subject}" CODE_MOD_COURS="CG">'
        "\n              <ENSEIGNANTS>"
        + "".join(f'\n                <ENSEIGNANT ID="{t}" TYPE="epp"/>' for t in service.teachers)
        + "\n              </ENSEIGNANTS>\n            </SERVICE>"
        for service in services
    )


def _sts_structure(services: list[Service], group_classes: dict[str, list[str]]) -> str:
    divisions = sorted({s.division for s in services if s.division})
    groups = sorted({s.group for s in services if s.group})
    division_xml = "".join(
        f'\n        <DIVISION CODE="{code}">\n          <SERVICES>'
        + _sts_services([s for s in services if s.division == code])
        + "\n          </SERVICES>\n        </DIVISION>"
        for code in divisions
    )
    group_xml = "".join(
        f'\n        <GROUPE CODE="{code}">\n          <LIBELLE_LONG>{code}</LIBELLE_LONG>'
        "\n          <DIVISIONS_APPARTENANCE>"
        + "".join(f'<DIVISION_APPARTENANCE CODE="{division}"/>' for division in group_classes.get(code, []))
        + "</DIVISIONS_APPARTENANCE>\n          <SERVICES>"
        + _sts_services([s for s in services if s.group == code])
        + "\n          </SERVICES>\n        </GROUPE>"
        for code in groups
    )
    return (
        f"\n    <STRUCTURE>\n      <DIVISIONS>{division_xml}\n      </DIVISIONS>"
        f"\n      <GROUPES>{group_xml}\n      </GROUPES>\n    </STRUCTURE>"
    )


def staff_xml(
    uai: str,
    staff: list[Staff],
    subjects: list[Subject] | None = None,
    services: list[Service] | None = None,
    group_classes: dict[str, list[str]] | None = None,
) -> tuple[str, bytes]:
    """STS-web's ``sts_emp_<UAI>.xml``; with ``services``, its DONNEES/STRUCTURE too."""
    people = "".join(
        f'\n      <INDIVIDU ID="{s.id}" TYPE="epp"><NOM_USAGE>{s.last}</NOM_USAGE><PRENOM>{s.first}</PRENOM>'
        + "".join(f"<FONCTION>{code}</FONCTION>" for code in s.functions.split("|"))
        + (f"<MEL>{s.email}</MEL>" if s.email else "")
        + "</INDIVIDU>"
        for s in staff
    )
    structure = _sts_structure(services, group_classes or {}) if services is not None else ""
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<STS_EDT>\n'
        f'  <PARAMETRES><UAJ CODE="{uai}"/></PARAMETRES>\n'
        + _sts_nomenclatures(subjects or [])
        + f"  <DONNEES>\n    <INDIVIDUS>{people}\n    </INDIVIDUS>{structure}\n  </DONNEES>\n</STS_EDT>\n"
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


def teaching_csv(
    rows: list[tuple[str, str, str, str, str]],
    name: str = "services.csv",
    header: str = "teacher_id;subject_code;subject_name;class;group",
) -> tuple[str, bytes]:
    """Rows of (teacher id, subject code, subject name, class, group)."""
    lines = [header] + [";".join(row) for row in rows]
    return name, ("\n".join(lines) + "\n").encode()


SUBJECTS = [
    Subject("061300", "MATHS", "Mathématiques"),
    Subject("030201", "AGL1", "Anglais LV1"),
    Subject("030602", "ESP2", "Espagnol LV2"),
]


def structured_school() -> tuple[list[Student], list[Guardian], list[Staff], list[Service]]:
    """``small_school`` with groups mixing classes and who teaches what: Claire (S1) teaches
    mathematics to 4e B and 5e A and Spanish to the group ESP2 (students of 4e B and 5e A); Paul
    (S2) teaches English to 4e B and to the group AGL-renf (a 4e B half-class)."""
    students, guardians, staff = small_school()
    students[0].groups = ["ESP2", "AGL-renf"]  # Léa, 4e B
    students[1].groups = ["AGL-renf"]  # Hugo, 4e B
    students[2].groups = ["ESP2"]  # Chloé, 5e A
    services = [
        Service("061300", ["S1"], division="4e B"),
        Service("061300", ["S1"], division="5e A"),
        Service("030201", ["S2"], division="4e B"),
        Service("030602", ["S1"], group="ESP2"),
        Service("030201", ["S2"], group="AGL-renf"),
    ]
    return students, guardians, staff, services


def structured_xml_files(
    uai: str,
    students: list[Student],
    guardians: list[Guardian],
    staff: list[Staff],
    services: list[Service],
    subjects: list[Subject] | None = None,
) -> list[tuple[str, bytes]]:
    files = [establishment_xml(uai), students_xml(uai, students)]
    if guardians:
        files.append(guardians_xml(uai, guardians))
    files.append(
        staff_xml(
            uai,
            staff,
            SUBJECTS if subjects is None else subjects,
            services,
            {"ESP2": ["4e B", "5e A"], "AGL-renf": ["4e B"]},
        )
    )
    return files
