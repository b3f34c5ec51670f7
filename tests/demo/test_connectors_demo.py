"""The demo's connected applications: the head finds the collège's Moodle, the guardian the MBN
app among her connected applications."""

from __future__ import annotations

from shared_apps.identity.models import User
from tests.conftest import client_for


def test_the_head_and_the_guardian_find_the_connected_applications(demo, db):
    head = User.objects.get(login="helene.vogel.pasteur")
    page = client_for(head, demo.establishments["pasteur"]).get("/connectors/apps/").content.decode()
    assert "Moodle — Collège Louis Pasteur" in page
    claire = User.objects.get(login="claire.martin")
    mine = client_for(claire).get("/accounts/connected-apps/").content.decode()
    assert "Application MBN" in mine
    lea = User.objects.get(login="eleve.martin.lea")
    tiles = client_for(lea, demo.establishments["pasteur"]).get("/resources/").content.decode()
    assert "Moodle — Collège Louis Pasteur" in tiles and "emploi du temps et de notes" in tiles
    # The académie's Moodle (LTI 1.3) opens with Léa's class as the course.
    assert "Moodle de l&#x27;académie — " in tiles and "/lti/launch/" in tiles
