"""Forms of the appointments pages: input shape only (the rules are in the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.forms import AccessibleForm, DateInRangeField
from tenant_apps.appointments.models import Mode, Slot
from tenant_apps.appointments.selectors import TeacherChoice
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Room

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
WHEN_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class EveningForm(AccessibleForm):
    title = forms.CharField(label=_("Title"), max_length=150)
    date = DateInRangeField(label=_("Date"), widget=DATE)
    start_time = forms.TimeField(label=_("Start"), widget=TIME)
    end_time = forms.TimeField(label=_("End"), widget=TIME)
    slot_minutes = forms.IntegerField(
        label=_("Length of a slot (minutes)"), min_value=5, max_value=60, initial=10
    )
    mode = forms.ChoiceField(label=_("How"), choices=Mode.choices)
    classes = forms.ModelMultipleChoiceField(
        label=_("Classes invited"), queryset=SchoolClass.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    cancel_cutoff_hours = forms.IntegerField(
        label=_("Guardians may cancel until (hours before)"), min_value=0, max_value=336, initial=24
    )


class EveningTeacherForm(AccessibleForm):
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.all(), required=False)
    video_link = forms.URLField(
        label=_("Video link (evenings by video)"), required=False, assume_scheme="https"
    )

    def __init__(self, *args: Any, teachers: QuerySet[Member] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if teachers is not None:
            self.fields["teacher"] = forms.ModelChoiceField(label=_("Teacher"), queryset=teachers)
            self.order_fields(["teacher", "room", "video_link"])


class StatusForm(AccessibleForm):
    status = forms.ChoiceField(choices=[])


class SlotForm(AccessibleForm):
    starts_at = forms.DateTimeField(label=_("Start"), widget=WHEN, input_formats=WHEN_FORMATS)
    ends_at = forms.DateTimeField(label=_("End"), widget=WHEN, input_formats=WHEN_FORMATS)
    mode = forms.ChoiceField(label=_("How"), choices=Mode.choices)
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.all(), required=False)
    video_link = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    cancel_cutoff_hours = forms.IntegerField(
        label=_("Guardians may cancel until (hours before)"), min_value=0, max_value=336, initial=24
    )


def slot_label(slot: Slot) -> str:
    start, end = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
    return f"{formats.time_format(start, 'H:i')} - {formats.time_format(end, 'H:i')}"


class BookingForm(AccessibleForm):
    """One choice per teacher of the child (``teacher_<member id>``): one of their free slots, or
    none."""

    def __init__(self, *args: Any, choices: list[TeacherChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.teachers = choices
        for choice in choices:
            if choice.booked is not None:
                continue
            free = [(str(s.pk), slot_label(s)) for s in choice.slots if not getattr(s, "taken", False)]
            label = choice.teacher.display_name
            if choice.subjects:
                label = f"{label} ({', '.join(choice.subjects)})"
            self.fields[f"teacher_{choice.teacher.pk}"] = forms.ChoiceField(
                label=label,
                choices=[("", _("No appointment")), *free],
                required=False,
                widget=forms.Select,
            )

    def chosen(self) -> list[tuple[str, int]]:
        return [(name, int(value)) for name, value in self.cleaned_data.items() if value]
