"""The family view (portal) and a child's page (the child's school): a guardian sees each of their
children with school, class and what is new, and nothing of any other child (404)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django_tenants.utils import schema_context

from shared_apps.identity import family_news
from shared_apps.identity.family_news import NewsItem
from shared_apps.identity.roles import Role
from shared_apps.identity.services import guardian_link_create, membership_grant
from tenant_apps.school.services import school_class_ensure
from tests.conftest import client_for
from tests.factories import member


@pytest.fixture
def family(school_a, school_b):
    """A guardian with Léa in 4e B at Alpha and Tom in 2de 1 at Bêta; a stranger in each class."""
    with schema_context(school_a.schema_name):
        school_class_ensure(name="4e B", level="4e")
    with schema_context(school_b.schema_name):
        school_class_ensure(name="2de 1", level="2de")
    lea = member(school_a, Role.STUDENT, class_name="4e B", first_name="Léa", last_name="Famille")
    tom = member(school_b, Role.STUDENT, class_name="2de 1", first_name="Tom", last_name="Famille")
    strangers = [
        member(school_a, Role.STUDENT, class_name="4e B", first_name="Zoé", last_name="Voisine"),
        member(school_b, Role.STUDENT, class_name="2de 1", first_name="Yanis", last_name="Voisin"),
    ]
    parent = member(school_a, Role.GUARDIAN, first_name="Sophie")
    membership_grant(actor=None, user=parent, establishment=school_b, role=Role.GUARDIAN)
    guardian_link_create(actor=None, guardian=parent, child=lea)
    guardian_link_create(actor=None, guardian=parent, child=tom, responsibility_level=2, can_act=False)
    return {"parent": parent, "lea": lea, "tom": tom, "strangers": strangers}


def _english(client):
    """The client reads the pages in English (the assertions read the texts)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_guardian_sees_both_children_with_school_and_class_and_nothing_else(family, school_a, school_b):
    html = _english(client_for(family["parent"])).get("/").content.decode()
    text = _text(html)

    assert "Léa Famille" in text and "Tom Famille" in text
    assert "Collège Alpha · class 4e B" in text and "Lycée Bêta · class 2de 1" in text
    for stranger in family["strangers"]:
        assert stranger.display_name not in text
    assert f'href="http://alpha.localhost/children/{family["lea"].pk}/"' in html
    assert f'href="http://beta.localhost/children/{family["tom"].pk}/"' in html
    assert "Legal guardian · may act for this child" in text
    assert "Financially responsible · view only" in text


def test_a_child_who_has_not_activated_their_account_shows_in_what_is_new(family):
    family["tom"].set_unusable_password()
    family["tom"].save()

    html = client_for(family["parent"]).get("/").content.decode()
    cards = html.split('class="card child-card"')
    lea_card = next(card for card in cards if "Léa Famille" in card)
    tom_card = next(card for card in cards if "Tom Famille" in card)
    assert f'href="http://beta.localhost/accounts/activate/?login={family["tom"].login}"' in tom_card
    assert "/accounts/activate/" not in lea_card


def test_an_unlinked_guardian_gets_404_on_a_childs_page_in_either_school(family, school_a, school_b):
    other_parent = member(school_a, Role.GUARDIAN)
    membership_grant(actor=None, user=other_parent, establishment=school_b, role=Role.GUARDIAN)
    guardian_link_create(actor=None, guardian=other_parent, child=family["strangers"][0])

    for school, child in ((school_a, family["lea"]), (school_b, family["tom"])):
        response = client_for(other_parent, school).get(f"/children/{child.pk}/")
        assert response.status_code == 404
        assert child.display_name not in response.content.decode()
    # Their own child's page works.
    own = client_for(other_parent, school_a).get(f"/children/{family['strangers'][0].pk}/")
    assert own.status_code == 200


def test_a_guardian_sees_their_childs_page_on_the_childs_school_only(family, school_a, school_b):
    parent, lea, tom = family["parent"], family["lea"], family["tom"]

    page = _english(client_for(parent, school_a)).get(f"/children/{lea.pk}/")
    assert page.status_code == 200
    text = _text(page.content.decode())
    assert "Léa Famille" in text and "4e B" in text and "Collège Alpha" in text
    assert "Legal guardian" in text and "You may act for this child" in text

    view_only = _text(_english(client_for(parent, school_b)).get(f"/children/{tom.pk}/").content.decode())
    assert "Financially responsible" in view_only and "not act for them" in view_only

    # Each child only on their own school's host.
    assert client_for(parent, school_b).get(f"/children/{lea.pk}/").status_code == 404
    assert client_for(parent, school_a).get(f"/children/{tom.pk}/").status_code == 404
    # The school's home page lists the children studying there.
    home = client_for(parent, school_a).get("/").content.decode()
    assert f'href="/children/{lea.pk}/"' in home and f"/children/{tom.pk}/" not in home


def test_a_childs_page_is_for_guardians(family, school_a):
    teacher = member(school_a, Role.TEACHER)
    assert client_for(teacher, school_a).get(f"/children/{family['lea'].pk}/").status_code == 403
    assert client_for(family["lea"], school_a).get(f"/children/{family['lea'].pk}/").status_code == 403


def test_providers_answer_per_school_for_a_batch_of_children(family, school_a, school_b, monkeypatch):
    calls: list[tuple[str, list[int]]] = []

    def homework_due(*, establishment, guardian, children):
        from django.db import connection

        calls.append((connection.schema_name, sorted(child.user_id for child in children)))
        return {
            **{
                child.user_id: [
                    NewsItem(
                        text=f"Homework for {child.member.school_class.name}",
                        url="/homework/",
                        kind="homework",
                    )
                ]
                for child in children
            },
            family["strangers"][0].pk: [NewsItem(text="not for this guardian")],
        }

    monkeypatch.setattr(family_news, "_providers", [*family_news.family_news_providers(), homework_due])
    html = client_for(family["parent"]).get("/").content.decode()

    assert sorted(calls) == sorted(
        [(school_a.schema_name, [family["lea"].pk]), (school_b.schema_name, [family["tom"].pk])]
    )
    assert '<a href="http://alpha.localhost/homework/">Homework for 4e B</a>' in html
    assert '<a href="http://beta.localhost/homework/">Homework for 2de 1</a>' in html
    assert "not for this guardian" not in html

    child_page = client_for(family["parent"], school_a).get(f"/children/{family['lea'].pk}/")
    assert '<a href="/homework/">Homework for 4e B</a>' in child_page.content.decode()


def test_a_guardian_without_children_sees_no_family_section(school_a):
    teacher = member(school_a, Role.TEACHER)
    assert 'id="family"' not in client_for(teacher).get("/").content.decode()
