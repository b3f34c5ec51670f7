"""The people a visitor signs in as (``mbn demo`` prints them, README lists them), with what to
try as each. Staff and region accounts keep their second factor (TOTP): the demo gives each of
these personas a known authenticator secret, printed with it (add it to an authenticator app, or
let ``mbn demo --code LOGIN`` print the current code). Every demo account has the password
``DEMO_PASSWORD``."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

import pyotp


@dataclass(frozen=True)
class Persona:
    login: str
    who: str
    try_this: str
    #: The school whose host to start from ("" for the portal).
    school: str = ""
    second_factor: bool = False

    @property
    def totp_secret(self) -> str:
        """This persona's authenticator secret (base32; demo accounts only, derived from the login)."""
        digest = hashlib.sha256(f"mbn-demo-totp:{self.login}".encode()).digest()[:20]
        return base64.b32encode(digest).decode()

    def totp_code(self) -> str:
        return pyotp.TOTP(self.totp_secret).now()


PERSONAS = (
    Persona(
        "claire.martin",
        "guardian of Léa (Collège Louis Pasteur, 4e B) and Tom (Lycée Kléber, 2nde 1)",
        "the portal: both children's week together, each child's page on their own school without "
        "signing in again; Notifications (header): both schools' news in one centre, preferences; "
        "on a school, Absences: justify an absence (PDF, PNG or JPEG); Grades: each child's grades "
        "and averages; Report cards: last period's, as a PDF; at the collège, Appointments: book "
        "Léa's teachers at the parent-teacher evening; Forms and requests: the museum trip "
        "authorisation; Notices: acknowledge the museum trip's times for Léa; My account: "
        "Connected applications (the MBN app)",
    ),
    Persona(
        "eleve.martin.lea",
        "student, 4e B, Collège Louis Pasteur",
        "Timetable: her week (A/B), this week's changes; My attendance; Grades; Report cards; "
        "Resources (Moodle, the timetable and grades software through CAS); Spaces: 4e B's forum "
        "thread and worksheet, the 'Voyage à Berlin' project",
        school="pasteur",
    ),
    Persona(
        "sophie.lang.kleber",
        "teacher (mathematics), Lycée Kléber",
        "Timetable: today's lessons and their registers ('Everyone present'); attendance statistics; "
        "Grades: an assessment's grid (arrow keys, paste a column); Report cards: appraisals, the class "
        "council of the class she leads; My documents: her course PDFs and figure (previews), a test's "
        "two versions (restore one); Spaces: her classes' spaces (pin, lock, hide a post)",
        school="kleber",
        second_factor=True,
    ),
    Persona(
        "nadia.benali.pasteur",
        "school life (CPE), Collège Louis Pasteur",
        "Attendance follow-up: registers not taken today, absence notices to review, "
        "justifications to accept or refuse; Lateness; Notices: who in 4e B has acknowledged the "
        "museum trip's times, remind the others",
        school="pasteur",
        second_factor=True,
    ),
    Persona(
        "helene.vogel.pasteur",
        "head, Collège Louis Pasteur",
        "Members and roles, Attendance statistics and settings, the audit log (/audit/); Report "
        "cards: class councils, publish a class's report cards; Connected applications "
        "(/connectors/apps/: the collège's Moodle); News: write, schedule and publish (public "
        "news reaches the portal), name news editors; Spaces: allow inter-school projects",
        school="pasteur",
        second_factor=True,
    ),
    Persona(
        "marc.stoll.obernai-agri",
        "establishment admin, Lycée agricole d'Obernai",
        "Manage the timetable, the school's structure, Members and roles, Attendance settings",
        school="obernai-agri",
        second_factor=True,
    ),
    Persona(
        "operateur.region",
        "region operator",
        "the portal: the operators' console (/console/), the académie de Strasbourg's AAF feed "
        "(/console/feeds/), funders and invoices (/billing/), the region's audit log (/audit/), the "
        "caught mail (/notifications/caught-mail/?to=claire.martin: what a guardian receives)",
        second_factor=True,
    ),
    Persona(
        "financeur.bas-rhin",
        "funder's viewer, Conseil départemental du Bas-Rhin",
        "the portal: the funder's dashboard (/billing/): its collèges, their usage, its invoices",
        second_factor=True,
    ),
    Persona(
        "support.region",
        "support agent",
        "the portal: the support queue (/support/queue/), impersonation with consent",
        second_factor=True,
    ),
)


def persona(login: str) -> Persona:
    return next(p for p in PERSONAS if p.login == login)
