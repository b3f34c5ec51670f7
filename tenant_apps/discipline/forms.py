"""Forms of the discipline pages: input shape only (the rules are in the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.forms import AccessibleForm
from tenant_apps.discipline.models import DecisionBody, PunishmentKind, PunishmentStatus, SanctionKind
from tenant_apps.school.models import Member

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _student_label(m: Member) -> str:
    return f"{m.display_name} ({m.school_class.name})" if m.school_class_id else m.display_name  # type: ignore[union-attr]


class _People(AccessibleForm):
    def people(
        self, name: str, queryset: QuerySet[Member], label: Any, *, many: bool, required: bool = True
    ) -> None:
        field_class = forms.ModelMultipleChoiceField if many else forms.ModelChoiceField
        self.fields[name] = field_class(queryset=queryset, label=label, required=required)
        self.fields[name].label_from_instance = _student_label  # type: ignore[attr-defined]


class IncidentForm(_People):
    occurred_at = forms.DateTimeField(
        label=_("When"), widget=WHEN, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    place = forms.CharField(label=_("Where (optional)"), max_length=120, required=False)
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}))
    other_witnesses = forms.CharField(label=_("Other witnesses (optional)"), max_length=300, required=False)

    def __init__(
        self, *args: Any, students: QuerySet[Member], staff: QuerySet[Member], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.people("students", students, _("Students involved"), many=True)
        self.people("witnesses", students | staff, _("Witnesses (optional)"), many=True, required=False)
        self.order_fields(["occurred_at", "place", "description", "students", "witnesses", "other_witnesses"])


class PunishmentForm(_People):
    kind = forms.ChoiceField(label=_("Punishment"), choices=PunishmentKind.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    date = forms.DateField(label=_("Date (detention, exclusion; the day extra work is due)"), widget=DATE)
    start_time = forms.TimeField(label=_("Start (detention)"), widget=TIME, required=False)
    end_time = forms.TimeField(label=_("End (detention)"), widget=TIME, required=False)
    place = forms.CharField(label=_("Place (optional)"), max_length=120, required=False)
    work = forms.CharField(
        label=_("Work to do (extra work)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(
        self, *args: Any, students: QuerySet[Member], staff: QuerySet[Member], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.people("student", students, _("Student"), many=False)
        self.people("supervisor", staff, _("Supervisor (detention)"), many=False, required=False)
        self.order_fields(
            ["student", "kind", "reason", "date", "start_time", "end_time", "place", "supervisor", "work"]
        )


class PunishmentStatusForm(AccessibleForm):
    status = forms.ChoiceField(label=_("Status"), choices=PunishmentStatus.choices)


class SanctionForm(_People):
    kind = forms.ChoiceField(label=_("Sanction"), choices=SanctionKind.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    exclusion_start = forms.DateField(label=_("Exclusion: first day"), widget=DATE, required=False)
    exclusion_end = forms.DateField(label=_("Exclusion: last day"), widget=DATE, required=False)

    def __init__(self, *args: Any, students: QuerySet[Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people("student", students, _("Student"), many=False)
        self.order_fields(["student", "kind", "reason", "exclusion_start", "exclusion_end"])


class DecisionForm(AccessibleForm):
    pronounced = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("The sanction is pronounced")), ("0", _("No sanction"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    body = forms.ChoiceField(label=_("Decided by"), choices=DecisionBody.choices)
    decided_on = forms.DateField(label=_("Date of the decision"), widget=DATE)
    decision = forms.CharField(label=_("Decision and its grounds"), widget=forms.Textarea(attrs={"rows": 3}))
    suspended = forms.BooleanField(label=_("Suspended (sursis)"), required=False)
    exclusion_start = forms.DateField(label=_("Exclusion: first day"), widget=DATE, required=False)
    exclusion_end = forms.DateField(label=_("Exclusion: last day"), widget=DATE, required=False)
