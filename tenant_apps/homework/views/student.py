"""The homework pages everyone opens: the home page (a student's homework by due date, a
guardian's child's; a teacher's lessons of the week and the homework they set; the classes whose
notebook one may browse), one homework's page (tick done, hand in; its teacher: what was handed
in, return it), the files' downloads."""

from __future__ import annotations

import datetime
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError, NotFound
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.parsing import query_date, query_int
from mbn_platform.kernel.permissions import RolesRequiredMixin
from shared_apps.identity.roles import Role
from tenant_apps.homework import selectors, services
from tenant_apps.homework.forms import ReturnForm, SubmissionForm
from tenant_apps.homework.models import Homework, Submission
from tenant_apps.homework.permissions import HOMEWORK_READERS, NOTEBOOK_OVERSEERS, STUDENTS
from tenant_apps.homework.views.common import failed, who
from tenant_apps.timetable.selectors import scope_teacher, week_view

SHOWN_DAYS = 28


class HomeworkHomeView(RolesRequiredMixin, View):
    held_page = True  # kernel/held_pages.py
    required_roles = HOMEWORK_READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        person = who(request)
        roles = person["roles"]
        me = selectors.me(person["user_id"])  # read once for the whole page
        followed = selectors.students_followed(**person, member=me)
        student_id = query_int(request.GET, "student")
        student = selectors.student_for_viewer(**person, student_user_id=student_id, followed=followed)
        if student_id is not None and student is None:
            raise NotFound()
        start = query_date(request.GET, "from") or timezone.localdate()
        end = start + datetime.timedelta(days=SHOWN_DAYS - 1)
        context: dict[str, Any] = {
            "followed": followed,
            "student": student,
            "is_student": student is not None and student.user_id == person["user_id"],
            "start": start,
            "previous": start - datetime.timedelta(days=SHOWN_DAYS),
            "next": end + datetime.timedelta(days=1),
            "classes": list(selectors.classes_for_notebook(**person, member=me)),
        }
        if student is not None:
            found = list(selectors.homework_of_student(student=student, start=start, end=end))
            context["days"] = [(day, list(items)) for day, items in groupby(found, key=lambda h: h.due_on)]
        if me is not None and Role.TEACHER in roles:
            week = week_view(
                scope=scope_teacher(me), day=query_date(request.GET, "week") or timezone.localdate()
            )
            context["week"] = week
            context["set_by_me"] = list(
                Homework.objects.filter(teacher=me, due_on__gte=timezone.localdate())
                .select_related("subject", "school_class", "group")
                .order_by("due_on", "pk")[:30]
            )
        return render(request, "homework/home.html", context)


class HomeworkDetailView(RolesRequiredMixin, View):
    required_roles = HOMEWORK_READERS

    def context(self, request: HttpRequest, homework_id: int) -> dict[str, Any]:
        person = who(request)
        homework = get_or_404(selectors.homework_visible(**person), pk=homework_id)
        me = selectors.me(person["user_id"])
        is_teacher = me is not None and homework.teacher_id == me.pk
        context: dict[str, Any] = {"homework": homework, "is_teacher": is_teacher}
        if is_teacher or person["roles"] & NOTEBOOK_OVERSEERS:
            context["show_submissions"] = True
            context["submissions"] = [
                (s, ReturnForm(prefix=f"s{s.pk}", initial={"comment": s.comment}))
                for s in selectors.submissions_of(homework)
            ]
        if me is not None and Role.STUDENT in person["roles"]:
            context["is_student"] = True
            context["done"] = homework.done_marks.filter(student=me).exists()
            context["submission"] = selectors.submission_of(homework=homework, student=me)
            context["submission_form"] = SubmissionForm()
        return context

    def get(self, request: HttpRequest, homework_id: int) -> HttpResponse:
        return render(request, "homework/detail.html", self.context(request, homework_id))

    def post(self, request: HttpRequest, homework_id: int) -> HttpResponse:
        """A student hands the homework in; its teacher returns a submission (``submission``)."""
        context = self.context(request, homework_id)
        homework = context["homework"]
        actor = actor_of(request)
        if "submission" in request.POST and context["is_teacher"]:
            submission_id = query_int(request.POST, "submission")
            submission = get_or_404(Submission.objects.filter(homework=homework), pk=submission_id)
            form = ReturnForm(request.POST, prefix=f"s{submission.pk}")
            if form.is_valid():
                try:
                    services.submission_return(
                        actor=actor, submission=submission, comment=form.cleaned_data["comment"]
                    )
                except ApplicationError as error:
                    return render(request, "homework/detail.html", context, status=failed(form, error))
                messages.success(request, _("The work was returned."))
                return redirect("homework-detail", homework_id=homework.pk)
            context["submissions"] = [
                (s, form if s.pk == submission.pk else f) for s, f in context["submissions"]
            ]
            return render(request, "homework/detail.html", context, status=400)
        if not context.get("is_student"):
            raise NotFound()
        sub_form = SubmissionForm(request.POST, request.FILES)
        context["submission_form"] = sub_form
        if not sub_form.is_valid():
            return render(request, "homework/detail.html", context, status=400)
        upload = sub_form.cleaned_data.get("file")
        try:
            services.submission_submit(
                actor=actor,
                homework=homework,
                text=sub_form.cleaned_data["text"],
                uploads=[upload] if upload else [],
            )
        except ApplicationError as error:
            return render(request, "homework/detail.html", context, status=failed(sub_form, error))
        messages.success(request, _("Your work was handed in."))
        return redirect("homework-detail", homework_id=homework.pk)


class HomeworkDoneView(RolesRequiredMixin, View):
    """POST: a student ticks a homework done (``done=1``) or not done; back to where they were."""

    required_roles = STUDENTS

    def post(self, request: HttpRequest, homework_id: int) -> HttpResponse:
        homework = get_or_404(selectors.homework_visible(**who(request)), pk=homework_id)
        done = request.POST.get("done") == "1"
        services.homework_done_set(actor=actor_of(request), homework=homework, done=done)
        messages.success(request, _("Marked as done.") if done else _("Marked as not done."))
        back = request.POST.get("back", "")
        if back.startswith("/") and not back.startswith("//"):
            return redirect(back)
        return redirect("homework-home")


class AttachmentDownloadView(RolesRequiredMixin, View):
    """A file of the notebook, as a download, for whoever may see what it belongs to (anyone
    else, another school's id, a missing file: 404), read from the establishment's prefix."""

    required_roles = HOMEWORK_READERS

    def get(self, request: HttpRequest, attachment_id: int) -> FileResponse:
        attachment = selectors.attachment_visible(**who(request), attachment_id=attachment_id)
        if attachment is None or not attachment.file:
            raise NotFound()
        try:
            stored = attachment.file.open("rb")
        except (OSError, SuspiciousFileOperation) as exc:
            raise NotFound() from exc
        response = FileResponse(
            stored, as_attachment=True, filename=attachment.name, content_type=attachment.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
