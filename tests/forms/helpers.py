"""A trip authorisation addressed to the guardians of the class of tests/timetable/helpers.py,
read by administrative staff, published."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tenants.utils import tenant_context

from tenant_apps.forms import services
from tenant_apps.forms.models import Form
from tests.timetable.helpers import School

DEADLINE = timezone.now() + datetime.timedelta(days=10)
QUESTIONS = [
    {"kind": "acknowledgement", "label": "J'autorise mon enfant à participer à la sortie"},
    {"kind": "choice", "label": "Repas", "choices": ["Pique-nique", "Cantine"]},
    {"kind": "text", "label": "Remarques", "required": False},
    {"kind": "number", "label": "Personnes à prévenir", "required": False},
]


def trip_form(school: School, *, publish: bool = True, kind: str = "trip", questions=None, **fields) -> Form:
    with tenant_context(school.establishment):
        form = services.form_create(
            actor=school.extra["head"],
            title=fields.pop("title", "Sortie au musée"),
            kind=kind,
            audience=fields.pop("audience", "guardians"),
            classes=[school.school_class],
            deadline=fields.pop("deadline", DEADLINE),
            questions=questions or QUESTIONS,
            reader_roles=fields.pop("reader_roles", ["admin_staff"]),
            **fields,
        )
        if publish:
            form = services.form_publish(actor=school.extra["head"], form=form)
    return form


def answer_of(form: Form, *, ack: bool = True, meal: str = "Cantine", remark: str = "") -> dict[str, object]:
    questions = list(form.questions.all())
    return {f"q{questions[0].pk}": ack, f"q{questions[1].pk}": meal, f"q{questions[2].pk}": remark}
