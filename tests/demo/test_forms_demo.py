"""The demo's desk (mbn_platform/demo/forms.py): the trip authorisation half answered, Claire
Martin still to answer for Léa; a certificate request answered with its PDF; the insurance
certificate sent as a file by two families, readable by the school-life staff; idempotent."""

from __future__ import annotations

import io

from django_tenants.utils import tenant_context
from pypdf import PdfReader

from mbn_platform.demo.forms import CERTIFICATE, INSURANCE, TRIP, demo_forms_seed
from shared_apps.identity.models import User
from tenant_apps.forms import selectors
from tenant_apps.forms.models import Answer, AnswerFile, Form
from tests.conftest import client_for


def test_the_demo_forms_are_half_answered(demo, db):
    _school, college, people = demo.schools()[0]
    claire = User.objects.get(login="claire.martin")
    with tenant_context(college):
        trip = Form.objects.get(title=TRIP)
        [row] = selectors.completion(trip)
        assert 0 < row.submitted < row.expected and row.drafts >= 1
        lea = next(
            c
            for c in selectors.children_acting(guardian_user_id=claire.pk)
            if c.display_name.startswith("Léa")
        )
        assert not Answer.objects.filter(form=trip, child=lea).exists()
        answered = Answer.objects.get(form__title=CERTIFICATE)
        assert answered.reply and answered.document
        lea_id = lea.user_id
        sent = list(AnswerFile.objects.filter(answer__form__title=INSURANCE).select_related("answer__child"))
        assert len(sent) == 2 and all(f.answer.status == "submitted" for f in sent)
        with sent[0].file.open("rb") as handle:
            text = PdfReader(io.BytesIO(handle.read())).pages[0].extract_text()
        assert "Attestation d'assurance scolaire" in text and sent[0].answer.child.display_name in text
    assert demo_forms_seed(college, people) == 0
    page = client_for(claire, college).get(f"/forms/{trip.pk}/answers/{lea_id}/")
    assert page.status_code == 200
