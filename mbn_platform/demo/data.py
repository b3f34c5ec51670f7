"""The demo's data: three establishments of the académie de Strasbourg with a believable school
each, their people's names, and the logins ``mbn demo`` prints. Every demo account has the
password ``DEMO_PASSWORD``."""

from __future__ import annotations

from dataclasses import dataclass

from shared_apps.identity.roles import Role
from tenants.models import EstablishmentKind

DEMO_PASSWORD = "mbn-demo-2026"  # noqa: S105  (printed by `mbn demo`; demo data only)


@dataclass(frozen=True)
class DemoSchool:
    subdomain: str
    uai: str
    name: str
    kind: str
    classes: tuple[tuple[str, str], ...]


DEMO_SCHOOLS = (
    DemoSchool(
        "pasteur",
        "0671234C",
        "Collège Louis Pasteur",
        EstablishmentKind.COLLEGE,
        (("6e A", "6e"), ("5e A", "5e"), ("4e B", "4e"), ("3e A", "3e")),
    ),
    DemoSchool(
        "kleber",
        "0671250V",
        "Lycée Kléber",
        EstablishmentKind.LYCEE,
        (("2nde 1", "Seconde"), ("2nde 2", "Seconde"), ("1re G1", "Première"), ("Tle G2", "Terminale")),
    ),
    DemoSchool(
        "obernai-agri",
        "0671570T",
        "Lycée agricole d'Obernai",
        EstablishmentKind.LYCEE_AGRICOLE,
        (("2nde GT", "Seconde"), ("1re STAV", "Première"), ("Tle STAV", "Terminale")),
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
STAFF = (
    (Role.HEAD, "Hélène", "Vogel"),
    (Role.ESTABLISHMENT_ADMIN, "Marc", "Stoll"),
    (Role.SCHOOL_LIFE, "Nadia", "Benali"),
    (Role.ADMIN_STAFF, "Pierre", "Kuntz"),
    (Role.TEACHER, "Sophie", "Lang"),
    (Role.TEACHER, "Olivier", "Frey"),
    (Role.TEACHER, "Julie", "Arnold"),
    (Role.TEACHER, "Karim", "Haddad"),
    (Role.TEACHER, "Anne", "Marchal"),
)


DEMO_LOGINS = (
    ("claire.martin", "guardian of Léa (Collège Louis Pasteur) and Tom (Lycée Kléber)"),
    ("eleve.martin.lea", "student, 4e B, Collège Louis Pasteur"),
    ("sophie.lang.kleber", "teacher, Lycée Kléber"),
    ("helene.vogel.pasteur", "head, Collège Louis Pasteur"),
    ("marc.stoll.obernai-agri", "establishment admin, Lycée agricole d'Obernai"),
    ("operateur.region", "region operator: the operators' console at /console/ on the portal"),
    ("support.region", "support agent"),
)
