"""The help centre: short guides per role, written by operators, searched in French, open to
anyone and linked from every page (issue 13, item 6)."""

from __future__ import annotations

from shared_apps.identity.roles import RegionRole, Role
from shared_apps.support.models import HelpGuide
from tests.conftest import client_for
from tests.factories import member
from tests.support.helpers import text, with_region_role


def test_the_seeded_guides_are_found_in_french_by_anyone(school_a):
    anonymous = client_for(None, school_a)
    assert HelpGuide.objects.filter(slug="justifier-une-absence", published=True).exists()
    found = text(anonymous.get("/help/", {"q": "absences justifiées"}))  # plural, inflected
    assert "Justifier une absence" in found and "Faire l'appel" not in found
    guide = anonymous.get("/help/guides/se-connecter/")
    assert guide.status_code == 200 and "Mot de passe oublié" in text(guide)
    assert "No guide matches" in text(anonymous.get("/help/", {"q": "zzzyyyxxx"}))


def test_every_page_links_to_the_help_centre(school_a):
    assert 'href="/help/"' in client_for(member(school_a, Role.TEACHER), school_a).get("/").content.decode()
    assert 'href="/help/"' in client_for(None, None).get("/").content.decode()


def test_operators_write_guides_others_may_not(school_a):
    operator = with_region_role(RegionRole.REGION_OPERATOR)
    web = client_for(operator, None)
    saved = web.post(
        "/support/guides/new/",
        {
            "title": "Consulter son emploi du temps",
            "audience": "families",
            "body": "Ouvrez « Emploi du temps ».",
            "published": "on",
        },
    )
    assert saved.status_code == 302
    assert "Consulter son emploi du temps" in text(
        client_for(None, None).get("/help/", {"q": "emplois du temps"})
    )
    assert client_for(member(school_a, Role.TEACHER), school_a).get("/support/guides/").status_code in (
        403,
        404,
    )
