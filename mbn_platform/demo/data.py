"""The demo's data: three establishments of the académie de Strasbourg (zone B) with a believable
school each: classes, what each class is taught and by whom, their people's names. Every demo
account has the password ``DEMO_PASSWORD``; the personas ``mbn demo`` prints are in
``personas.py``. The UAIs are not the test suite's (tests/conftest.py): both live in one
database when the suite seeds the demo."""

from __future__ import annotations

from dataclasses import dataclass

from shared_apps.identity.roles import Role
from tenants.models import EstablishmentKind

DEMO_PASSWORD = "mbn-demo-2026"  # noqa: S105  (printed by `mbn demo`; demo data only)


@dataclass(frozen=True)
class Course:
    """A subject taught to each class of a school: its code, name, hours a week, who teaches it
    (an index in ``TEACHERS``), and the room kind it needs ("" for the teacher's own room)."""

    code: str
    name: str
    hours: int
    teacher: int
    room: str = ""


@dataclass(frozen=True)
class DemoSchool:
    subdomain: str
    uai: str
    name: str
    kind: str
    classes: tuple[tuple[str, str], ...]
    courses: tuple[Course, ...]
    #: Semesters instead of trimesters; whether school life reviews absence notices first.
    semesters: bool = False
    review_notices: bool = False


# Teachers of every school (their logins end with the school's subdomain); ``Course.teacher`` and
# the A/B and language blocks below point into this list.
TEACHERS = (
    ("Sophie", "Lang"),  # 0 mathematics
    ("Olivier", "Frey"),  # 1 French / philosophy
    ("Julie", "Arnold"),  # 2 history and geography
    ("Karim", "Haddad"),  # 3 English
    ("Anne", "Marchal"),  # 4 physics and chemistry
    ("Thomas", "Wagner"),  # 5 life and earth sciences
    ("Claire", "Dietrich"),  # 6 German
    ("Lucia", "Fernandez"),  # 7 Spanish
    ("Marc", "Hubert"),  # 8 physical education
    ("Inès", "Lambert"),  # 9 arts, music, technology, economics
)
#: Every class has, each week, one hour of physics (week A) or life sciences (week B) in the same
#: slot, and two hours of its second language in a group mixing it with its partner class.
AB_BLOCK = (("PHCH", "Physique-chimie", 4, "lab"), ("SVT", "SVT", 5, "lab"))
LANGUAGE_GROUPS = (("ALL2", "Allemand LV2", 6), ("ESP2", "Espagnol LV2", 7))
LANGUAGE_HOURS = 2

COLLEGE_COURSES = (
    Course("MATH", "Mathématiques", 4, 0),
    Course("FRAN", "Français", 4, 1),
    Course("HG", "Histoire-géographie", 3, 2),
    Course("ANG1", "Anglais LV1", 3, 3),
    Course("PHCH", "Physique-chimie", 1, 4, "lab"),
    Course("SVT", "SVT", 1, 5, "lab"),
    Course("EPS", "EPS", 3, 8, "gym"),
    Course("TECH", "Technologie", 1, 9),
    Course("ARTS", "Arts plastiques", 1, 9),
    Course("MUS", "Éducation musicale", 1, 9),
)
LYCEE_COURSES = (
    Course("MATH", "Mathématiques", 4, 0),
    Course("FRAN", "Français", 4, 1),
    Course("HG", "Histoire-géographie", 3, 2),
    Course("ANG1", "Anglais LVA", 3, 3),
    Course("PHCH", "Physique-chimie", 2, 4, "lab"),
    Course("SVT", "SVT", 1, 5, "lab"),
    Course("EPS", "EPS", 2, 8, "gym"),
    Course("SES", "Sciences économiques et sociales", 2, 9),
)
AGRI_COURSES = (
    Course("MATH", "Mathématiques", 3, 0),
    Course("FRAN", "Français", 3, 1),
    Course("HG", "Histoire-géographie", 2, 2),
    Course("ANG1", "Anglais LVA", 2, 3),
    Course("PHCH", "Physique-chimie", 2, 4, "lab"),
    Course("BIO", "Biologie-écologie", 3, 5, "lab"),
    Course("AGRO", "Agronomie", 3, 5, "lab"),
    Course("EPS", "EPS", 2, 8, "gym"),
    Course("ESC", "Éducation socioculturelle", 1, 9),
)

DEMO_SCHOOLS = (
    DemoSchool(
        "pasteur",
        "0672604S",
        "Collège Louis Pasteur",
        EstablishmentKind.COLLEGE,
        (("6e A", "6e"), ("5e A", "5e"), ("4e B", "4e"), ("3e A", "3e")),
        COLLEGE_COURSES,
        review_notices=True,
    ),
    DemoSchool(
        "kleber",
        "0671509B",
        "Lycée Kléber",
        EstablishmentKind.LYCEE,
        (("2nde 1", "Seconde"), ("2nde 2", "Seconde"), ("1re G1", "Première"), ("Tle G2", "Terminale")),
        LYCEE_COURSES,
        semesters=True,
    ),
    DemoSchool(
        "obernai-agri",
        "0670083B",
        "Lycée agricole d'Obernai",
        EstablishmentKind.LYCEE_AGRICOLE,
        (("2nde GT", "Seconde"), ("1re STAV", "Première"), ("Tle STAV", "Terminale")),
        AGRI_COURSES,
    ),
)
STUDENTS_PER_CLASS = 8

FIRST_NAMES = (
    "Emma",
    "Lucas",
    "Léa",
    "Hugo",
    "Chloé",
    "Louis",
    "Manon",
    "Nathan",
    "Inès",
    "Jules",
    "Camille",
    "Gabriel",
    "Sarah",
    "Arthur",
    "Lina",
    "Raphaël",
    "Zoé",
    "Adam",
    "Jade",
    "Mathis",
    "Louise",
    "Noah",
    "Alice",
    "Ethan",
    "Rose",
    "Tom",
    "Anna",
    "Théo",
    "Lola",
    "Sacha",
)
LAST_NAMES = (
    "Muller",
    "Schmitt",
    "Meyer",
    "Weber",
    "Klein",
    "Fischer",
    "Wolff",
    "Roth",
    "Hoffmann",
    "Koch",
    "Bauer",
    "Richter",
    "Becker",
    "Schneider",
    "Zimmermann",
    "Braun",
    "Keller",
    "Huber",
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
)
#: The staff of every school other than its teachers.
STAFF = (
    (Role.HEAD, "Hélène", "Vogel"),
    (Role.ESTABLISHMENT_ADMIN, "Marc", "Stoll"),
    (Role.SCHOOL_LIFE, "Nadia", "Benali"),
    (Role.ADMIN_STAFF, "Pierre", "Kuntz"),
)
