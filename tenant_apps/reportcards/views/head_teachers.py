"""The head teachers' page (the leadership): the head teacher (professeur principal) of each
class, who prepares its class council; changed in one go. The same service as the API
(``PUT /api/v1/reportcards/head-teachers/``)."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError
from mbn_platform.kernel.permissions import RolesRequiredMixin
from shared_apps.identity.roles import Role
from tenant_apps.reportcards import services
from tenant_apps.reportcards.forms import HeadTeachersForm
from tenant_apps.reportcards.models import HeadTeacher
from tenant_apps.reportcards.permissions import REPORT_CARD_PUBLISHERS
from tenant_apps.school.models import Member, SchoolClass


def _people() -> tuple[list[SchoolClass], list[Member], dict[int, int]]:
    """The classes, the teachers, and each class's head teacher now (class id → user id)."""
    classes = list(SchoolClass.objects.order_by("name"))
    teachers = list(
        Member.objects.filter(is_active=True, roles__contains=[Role.TEACHER]).order_by("display_name")
    )
    heads = dict(HeadTeacher.objects.values_list("school_class_id", "teacher__user_id"))
    return classes, teachers, heads


class HeadTeachersView(RolesRequiredMixin, View):
    required_roles = REPORT_CARD_PUBLISHERS

    def page(self, request: HttpRequest, form: HeadTeachersForm, status: int = 200) -> HttpResponse:
        return render(request, "reportcards/head_teachers.html", {"form": form}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        classes, teachers, heads = _people()
        initial = {f"class_{c.pk}": str(heads.get(c.pk, "")) for c in classes}
        return self.page(request, HeadTeachersForm(initial=initial, classes=classes, teachers=teachers))

    def post(self, request: HttpRequest) -> HttpResponse:
        classes, teachers, heads = _people()
        form = HeadTeachersForm(request.POST, classes=classes, teachers=teachers)
        if not form.is_valid():
            return self.page(request, form, 400)
        by_user = {t.user_id: t for t in teachers}
        changed = {pk: user for pk, user in form.chosen(classes).items() if heads.get(pk) != user}
        try:
            with transaction.atomic():
                for school_class in classes:
                    if school_class.pk in changed:
                        user_id = changed[school_class.pk]
                        services.head_teacher_set(
                            actor=actor_of(request),
                            school_class=school_class,
                            teacher=by_user[user_id] if user_id is not None else None,
                        )
        except ApplicationError as error:
            form.add_application_error(error)
            return self.page(request, form, 400 if error.status == 404 else error.status)
        messages.success(
            request,
            ngettext(
                "The head teachers are saved (%(count)d class changed).",
                "The head teachers are saved (%(count)d classes changed).",
                len(changed),
            )
            % {"count": len(changed)}
            if changed
            else _("Nothing changed."),
        )
        return redirect("reportcards-head-teachers")
