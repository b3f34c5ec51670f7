"""Help for people who cannot sign in, and the support network: an establishment's digital
referent works its requests first, the region's agents get what the schools could not solve
(issue 13, item 6)."""

from __future__ import annotations

from shared_apps.audit.models import AuditEntry
from shared_apps.identity.roles import Role
from shared_apps.support.models import SupportReply, SupportRequest
from shared_apps.support.notifications import support_reply_notification_send
from tests.conftest import client_for
from tests.factories import member
from tests.support.helpers import support_agent, text

CONTACT = {
    "name": "Mme Parent",
    "email": "parent.bloque@example.org",
    "topic": "cannot_sign_in",
    "subject": "Je ne peux pas me connecter",
    "description": "Mon code d'activation ne marche pas.",
}


def test_someone_who_cannot_sign_in_reaches_support_from_the_sign_in_page(school_a):
    anonymous = client_for(None, school_a)
    sign_in = anonymous.get("/accounts/login/").content.decode()
    assert 'href="/help/contact/"' in sign_in and 'href="/help/"' in sign_in

    sent = anonymous.post("/help/contact/", CONTACT)

    assert sent.status_code == 200 and "Request sent" in text(sent)
    request = SupportRequest.objects.get(contact_email="parent.bloque@example.org")
    assert request.requester is None and request.establishment_id == school_a.pk
    assert AuditEntry.objects.filter(action="support.contact_received", target_id=str(request.pk)).exists()


def test_the_open_form_has_abuse_limits(school_a, settings):
    settings.SUPPORT_CONTACT_PER_HOUR = 2
    anonymous = client_for(None, None)
    robot = anonymous.post("/help/contact/", {**CONTACT, "website": "http://spam.example"})
    assert (
        robot.status_code == 200
        and not SupportRequest.objects.filter(contact_email=CONTACT["email"]).exists()
    )
    assert anonymous.post("/help/contact/", CONTACT).status_code == 200
    assert anonymous.post("/help/contact/", CONTACT).status_code == 200
    assert anonymous.post("/help/contact/", CONTACT).status_code == 429
    too_long = client_for(None, school_a).post("/help/contact/", {**CONTACT, "description": "x" * 5001})
    assert too_long.status_code == 400
    assert SupportRequest.objects.filter(contact_email=CONTACT["email"]).count() == 2


def test_the_referent_works_the_request_first_then_escalates_it_to_the_region(school_a, mailoutbox):
    referent = member(school_a, Role.DIGITAL_REFERENT)
    agent = support_agent()
    client_for(None, school_a).post("/help/contact/", CONTACT)
    request = SupportRequest.objects.get(contact_email=CONTACT["email"])
    web = client_for(referent, school_a)
    queue = client_for(agent, None)

    assert "Je ne peux pas me connecter" in text(web.get("/support/requests/"))
    assert "Je ne peux pas me connecter" not in text(queue.get("/support/queue/"))
    assert queue.get(f"/support/requests/{request.pk}/").status_code == 404

    web.post(f"/support/requests/{request.pk}/", {"body": "Avez-vous essayé le code reçu par courrier ?"})
    reply = SupportReply.objects.get(request=request)
    assert reply.from_support
    support_reply_notification_send(reply_id=reply.pk)
    assert [m.to for m in mailoutbox] == [["parent.bloque@example.org"]]

    escalated = web.post(
        f"/support/requests/{request.pk}/escalate/", {"note": "Code réémis, toujours refusé."}
    )
    assert escalated.status_code == 302
    assert "Je ne peux pas me connecter" in text(queue.get("/support/queue/"))
    detail = text(queue.get(f"/support/requests/{request.pk}/"))
    assert "Avez-vous essayé le code reçu par courrier" in detail and "Code réémis" in detail


def test_a_school_without_a_referent_goes_straight_to_the_region(school_b):
    client_for(None, school_b).post("/help/contact/", {**CONTACT, "subject": "Sans référent ici"})
    assert "Sans référent ici" in text(client_for(support_agent(), None).get("/support/queue/"))
