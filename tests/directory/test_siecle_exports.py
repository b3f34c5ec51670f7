"""SIECLE's exports as a school downloads them: both responsibility forms in one file, the
Structures, Nomenclature and Communs files side by side, ZIP containers, ISO-8859-15, the MEFs
(classes' levels) and the language options (groups)."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from shared_apps.directory.services import DirectoryFilesInvalid, directory_import_preview
from shared_apps.identity.models import GuardianLink, ResponsibilityLevel, User
from tenant_apps.school.models import SchoolClass
from tenant_apps.structure.models import Group
from tests.directory.helpers import import_files, student_user
from tests.directory.siecle_data import (
    Pupil,
    Relation,
    communs_xml,
    eleves_xml,
    nomenclature_xml,
    responsables_xml,
    structures_xml,
    zipped,
)

LEGAL, FINANCIAL, OTHER = ResponsibilityLevel.LEGAL, ResponsibilityLevel.FINANCIAL, ResponsibilityLevel.OTHER


def test_a_responsables_file_mixing_both_forms_gives_each_link_its_level(school_a):
    pupils = [
        Pupil("1001", "Martin", "Léa", "4B"),
        Pupil("1002", "Cœur", "Noé", "4B"),
        Pupil("1003", "Petit", "Zoé", "4B"),
    ]
    people = {
        "P1": ("MARTIN", "Sophie"),
        "P2": ("MARTIN", "Marc"),
        "P3": ("DUBOIS", "Anne"),
        "P4": ("CŒUR", "Yves"),
        "P5": ("PETIT", "Jean"),
        "P6": ("ROUX", "Lina"),
    }
    relations = [
        Relation("P1", "1001", niveau="1"),  # SIECLE 18.1: a legal guardian
        Relation("P2", "1001", legal="1"),  # the older form, in the same file
        Relation("P3", "1001", niveau="2"),  # in charge of the child, not a legal guardian
        Relation("P4", "1002", legal="0", financier="1"),
        Relation("P5", "1003", niveau="3", financier="1"),
        Relation("P6", "1003", niveau="3"),
    ]
    files = [
        structures_xml(school_a.uai, {}),
        eleves_xml(school_a.uai, pupils),
        responsables_xml(school_a.uai, people, relations),
    ]

    applied = import_files(school_a, files)

    assert applied.counts["created"] == 9 and applied.counts["skipped"] == 0
    children = [student_user(school_a, pupil.id) for pupil in pupils]
    links = {
        (link.guardian.first_name, link.child.first_name): (link.responsibility_level, link.can_act)
        for link in GuardianLink.objects.filter(child__in=children).select_related("guardian", "child")
    }
    assert links == {
        ("Sophie", "Léa"): (LEGAL, True),
        ("Marc", "Léa"): (LEGAL, True),
        ("Anne", "Léa"): (OTHER, True),
        ("Yves", "Noé"): (FINANCIAL, False),
        ("Jean", "Zoé"): (FINANCIAL, False),
        ("Lina", "Zoé"): (OTHER, False),
    }
    # ISO-8859-15 (its Œ is not Latin-1's) read as declared.
    assert (children[1].last_name, User.objects.get(first_name="Yves").last_name) == ("Cœur", "CŒUR")


def test_structures_nomenclature_and_communs_in_their_zip_containers_with_levels_and_options(school_a):
    pupils = [
        Pupil("2001", "Durand", "Inès", "Aigle", options=["030201", "030602"]),
        Pupil("2002", "Morel", "Noah", "Aigle", options=["030201"]),
        Pupil("2003", "Faure", "Jade", "6A", mef="10110001110", options=["030602"]),
    ]
    files = [
        zipped(structures_xml(school_a.uai, {"Aigle": "10310019110", "6A": "10110001110"})),
        zipped(nomenclature_xml(school_a.uai)),
        zipped(communs_xml(school_a.uai)),
        zipped(eleves_xml(school_a.uai, pupils)),
    ]

    preview = directory_import_preview(actor=None, establishment=school_a, files=files)

    assert {f["name"] for f in preview.files} == {
        "ExportXML_Structures.zip/Structures.xml",
        "ExportXML_Nomenclature.zip/Nomenclature.xml",
        "ExportXML_Communs.zip/Communs.xml",
        "ExportXML_ElevesSansAdresses.zip/ElevesSansAdresses.xml",
    }
    applied = import_files(school_a, files)
    assert applied.counts["created"] == 3
    with schema_context(school_a.schema_name):
        levels = dict(SchoolClass.objects.filter(name__in=["Aigle", "6A"]).values_list("name", "level"))
        groups = {
            g.name: sorted(m.display_name for m in g.members.all())
            for g in Group.objects.filter(name__in=["AGL1 4e", "ESP2 4e", "ESP2 6e"]).prefetch_related(
                "members"
            )
        }
    assert levels == {"Aigle": "4e", "6A": "6e"}  # a name that tells no level: the MEF does
    assert groups == {
        "AGL1 4e": ["Inès Durand", "Noah Morel"],
        "ESP2 4e": ["Inès Durand"],
        "ESP2 6e": ["Jade Faure"],
    }
    assert import_files(school_a, files).counts["structure"]["memberships_added"] == 0


def test_a_class_whose_level_changes_in_the_mef_is_levelled_again(school_a):
    pupils = [Pupil("2101", "Lopez", "Sam", "Aigle")]
    import_files(
        school_a,
        [structures_xml(school_a.uai, {}), nomenclature_xml(school_a.uai), eleves_xml(school_a.uai, pupils)],
    )
    pupils[0].mef = "10110001110"  # the division now trains 6e pupils

    later = import_files(
        school_a,
        [structures_xml(school_a.uai, {}), nomenclature_xml(school_a.uai), eleves_xml(school_a.uai, pupils)],
    )

    assert later.counts["structure"]["classes_levelled"] == 1
    with schema_context(school_a.schema_name):
        assert SchoolClass.objects.get(name="Aigle").level == "6e"


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"PK\x03\x04 not really a zip", "cannot be opened"), (b"PK\x05\x06" + b"\0" * 18, "no XML or CSV")],
)
def test_a_zip_container_that_cannot_be_read_is_refused_with_a_clear_error(school_a, data, message):
    with pytest.raises(DirectoryFilesInvalid) as raised:
        directory_import_preview(
            actor=None,
            establishment=school_a,
            files=[communs_xml(school_a.uai), ("ExportXML_Eleves.zip", data)],
        )
    assert any(
        message in row["message"] and row["file"] == "ExportXML_Eleves.zip" for row in raised.value.rows
    )
