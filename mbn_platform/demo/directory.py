"""The demo's académie feed: an AAF feed for the académie de Strasbourg whose files land in the
feeds' folder (``AAF_FEEDS_ROOT/strasbourg``, the layout an S3 prefix has), with one complete set
applied: a collège of its own (so that the seeded schools' people, who are in no AAF file, stay as
they are), its classes, pupils, their guardians and its staff.

Run by the seed's ``directory_step`` (mbn_platform/demo/seed.py). Idempotent: the set
is written once and applied once; running it again changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from shared_apps.directory.aaf.feeds import aaf_feed_create
from shared_apps.directory.aaf.runs import aaf_feed_run
from shared_apps.directory.aaf.sources import feeds_root
from shared_apps.directory.models import AafFeed, AafRun
from tenants.models import Establishment, EstablishmentKind
from tenants.provisioning.jobs import establishment_create

ACADEMIE = "Strasbourg"
FOLDER = "strasbourg"
STAMP = "20250901"
SCHOOL = ("0679100", "Collège Jean Sturm", "sturm")  # UAI digits, name, subdomain
CLASSES = ("6e A", "5e A", "4e A")
PUPILS = (
    ("Weber", "Louise"),
    ("Schmitt", "Arthur"),
    ("Muller", "Jeanne"),
    ("Meyer", "Gabriel"),
    ("Klein", "Alice"),
    ("Wagner", "Paul"),
    ("Fischer", "Rose"),
    ("Hoffmann", "Victor"),
    ("Roth", "Lina"),
    ("Keller", "Adam"),
    ("Bauer", "Mila"),
    ("Koch", "Sacha"),
)
STAFF = (
    ("Brunner", "Élise", "DIR"),
    ("Lang", "Mathieu", "ENS"),
    ("Stoll", "Agathe", "ENS"),
    ("Frey", "Yann", "EDU"),
)
SUBJECTS = {"061300": "MATHEMATIQUES", "020700": "FRANCAIS"}


def _request(category: str, aaf_id: str, attrs: dict[str, list[str]]) -> str:
    kind = {"EtabEducNat": "categorieStructure", "MatiereEducNat": "categorieMatiere"}.get(
        category, "categoriePersonne"
    )
    values = "".join(
        f'<attr name="{name}">'
        + ("".join(f"<value>{escape(v)}</value>" for v in found) or "<value/>")
        + "</attr>"
        for name, found in attrs.items()
    )
    return (
        f'<addRequest><operationalAttributes><attr name="{kind}"><value>{category}</value></attr>'
        f"</operationalAttributes><identifier><id>{aaf_id}</id></identifier><attributes>{values}</attributes></addRequest>"
    )


def _file(requests: list[str]) -> bytes:
    head = (
        '<?xml version="1.0" encoding="ISO-8859-15"?>\n<!DOCTYPE ficAlimMENESR SYSTEM "ficAlimMENESR.dtd">\n'
    )
    return (head + "<ficAlimMENESR>\n" + "\n".join(requests) + "\n</ficAlimMENESR>\n").encode("iso-8859-15")


def demo_aaf_files(uai: str) -> dict[str, bytes]:
    """The complete set of the demo's collège (``<prefix>_Complet_<date>_<Kind>_<n>.xml``)."""
    sid = "STURM"
    pupils, relatives = [], []
    for n, (last, first) in enumerate(PUPILS):
        klass = CLASSES[n % len(CLASSES)]
        pupils.append(
            _request(
                "Eleve",
                f"DEMO-E{n}",
                {
                    "ENTPersonJointure": [f"DEMO-E{n}"],
                    "ENTEleveINE": [f"0{n:08d}DM"],
                    "ENTEleveStructRattachId": [sid],
                    "ENTPersonDateNaissance": [f"{1 + n:02d}/0{1 + n % 9}/2013"],
                    "sn": [last],
                    "givenName": [first],
                    "ENTEleveClasses": [f"{sid}${klass}"],
                    "ENTElevePersRelEleve": [f"DEMO-R{n}$1$0$1$0$0"],
                },
            )
        )
        relatives.append(
            _request(
                "PersRelEleve",
                f"DEMO-R{n}",
                {"ENTPersonJointure": [f"DEMO-R{n}"], "sn": [last], "givenName": ["Parent"]},
            )
        )
    staff = [
        _request(
            "PersEducNat",
            f"DEMO-P{n}",
            {
                "ENTPersonJointure": [f"DEMO-P{n}"],
                "sn": [last],
                "givenName": [first],
                "mail": [f"{first.lower().replace('é', 'e')}.{last.lower()}@demo.mbn.invalid"],
                "ENTPersonFonctions": [f"{sid}${code}$FONCTION$P0000$DISCIPLINE"],
                "ENTAuxEnsClassesMatieres": [
                    f"{sid}${klass}${code_m}"
                    for klass in CLASSES
                    for code_m in list(SUBJECTS)[n % 2 : n % 2 + 1]
                ]
                if code == "ENS"
                else [],
            },
        )
        for n, (last, first, code) in enumerate(STAFF)
    ]
    etab = _request(
        "EtabEducNat",
        sid,
        {"ENTStructureJointure": [sid], "ENTStructureUAI": [uai], "ENTStructureNomCourant": [SCHOOL[1]]},
    )
    subjects = [
        _request("MatiereEducNat", code, {"ENTMatJointure": [code], "ENTLibelleMatiere": [label]})
        for code, label in SUBJECTS.items()
    ]
    name = f"DEMO_Complet_{STAMP}_{{}}_0001.xml".format
    return {
        name("EtabEducNat"): _file([etab]),
        name("MatiereEducNat"): _file(subjects),
        name("Eleve"): _file(pupils),
        name("PersRelEleve"): _file(relatives),
        name("PersEducNat"): _file(staff),
    }


def demo_aaf_feed() -> AafRun | None:
    """Configure the demo académie's feed, write its complete set, apply it (once)."""
    from tenants.uai import uai_check_letter

    digits, school_name, subdomain = SCHOOL
    uai = digits + uai_check_letter(digits)
    if not Establishment.objects.filter(uai=uai).exists():
        establishment_create(
            actor=None,
            uai=uai,
            name=school_name,
            kind=EstablishmentKind.COLLEGE,
            academie=ACADEMIE,
            departement="67",
            subdomain=subdomain,
        )
    folder = Path(feeds_root()) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in demo_aaf_files(uai).items():
        if not (folder / name).exists():
            (folder / name).write_bytes(data)
    feed = AafFeed.objects.filter(academie=ACADEMIE).first() or aaf_feed_create(
        actor=None, academie=ACADEMIE, location=FOLDER
    )
    aaf_feed_run(feed_id=feed.pk)
    return AafRun.objects.filter(feed=feed).first()
