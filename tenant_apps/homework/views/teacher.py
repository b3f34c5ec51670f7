"""The teacher's notebook page for one lesson on one day (what was done, its files and links, the
homework set, a copy to another group) and a class's notebook, browsed by subject and dates (the
head, school life, the class's teachers)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError, NotFound
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.parsing import path_date, query_int
from mbn_platform.kernel.permissions import RolesRequiredMixin
from tenant_apps.homework import selectors, services
from tenant_apps.homework.forms import CopyForm, EntryForm, FileForm, HomeworkForm, NotebookFilterForm
from tenant_apps.homework.models import Attachment, LessonEntry
from tenant_apps.homework.permissions import CLASS_NOTEBOOK_READERS, NOTEBOOK_WRITERS
from tenant_apps.homework.views.common import failed, who
from tenant_apps.school.models import Member
from tenant_apps.structure.models import Subject
from tenant_apps.timetable.models import Lesson
from tenant_apps.timetable.selectors import lesson_occurrence


def _lesson_label(lesson: Lesson) -> str:
    when = f"{lesson.get_weekday_display()} {lesson.start_time:%H:%M}"
    return f"{lesson.subject.name} · {lesson.audience_name} · {when}"


class LessonNotebookView(RolesRequiredMixin, View):
    """``/homework/lessons/<lesson>/<day>/``: a teacher of the lesson (404 for anyone else) fills
    its entry; POST ``action`` = entry, homework, file, remove_file, copy."""

    required_roles = NOTEBOOK_WRITERS

    def setup_page(self, request: HttpRequest, lesson_id: int, day: str) -> None:
        member = selectors.me(who(request)["user_id"])
        self.day = path_date(day)
        lesson = (
            Lesson.objects.select_related("subject", "school_class", "group").filter(pk=lesson_id).first()
        )
        if member is None or lesson is None or not selectors.teaches(member, lesson, self.day):
            raise NotFound()
        occurrence = lesson_occurrence(lesson_id=lesson.pk, day=self.day)
        if occurrence is None:
            raise NotFound()
        self.member: Member = member
        self.lesson: Lesson = lesson
        self.occurrence = occurrence
        audience = {"school_class_id": lesson.school_class_id, "group_id": lesson.group_id}
        self.entry = (
            LessonEntry.objects.filter(lesson=lesson, date=self.day, **audience)
            .prefetch_related("attachments", "homework__attachments")
            .first()
        )

    def copy_choices(self) -> list[tuple[str, str]]:
        others = (
            Lesson.objects.filter(selectors.lessons_of(self.member), year_id=self.lesson.year_id)
            .exclude(pk=self.lesson.pk)
            .select_related("subject", "school_class", "group")
        )
        return [(str(lesson.pk), _lesson_label(lesson)) for lesson in others]

    def page(self, request: HttpRequest, status: int = 200, **forms: Any) -> HttpResponse:
        entry = self.entry
        initial = (
            {
                "title": entry.title,
                "content": entry.content,
                "links": "\n".join(link["url"] for link in entry.links),
            }
            if entry
            else {}
        )
        context = {
            "lesson": self.lesson,
            "occurrence": self.occurrence,
            "day": self.day,
            "entry": entry,
            "entry_form": forms.get("entry_form") or EntryForm(initial=initial),
            "homework_form": forms.get("homework_form") or HomeworkForm(),
            "file_form": forms.get("file_form") or FileForm(),
            "copy_form": forms.get("copy_form") or CopyForm(lessons=self.copy_choices()),
            "title": _lesson_label(self.lesson),
        }
        return render(request, "homework/lesson.html", context, status=status)

    def get(self, request: HttpRequest, lesson_id: int, day: str) -> HttpResponse:
        self.setup_page(request, lesson_id, day)
        return self.page(request)

    def post(self, request: HttpRequest, lesson_id: int, day: str) -> HttpResponse:
        self.setup_page(request, lesson_id, day)
        action = request.POST.get("action", "")
        handler = {
            "entry": self.save_entry,
            "homework": self.set_homework,
            "file": self.add_file,
            "remove_file": self.remove_file,
            "copy": self.copy,
        }.get(action)
        if handler is None:
            raise NotFound()
        return handler(request)

    def done(self, message: str) -> HttpResponse:
        messages.success(self.request, message)
        return redirect("homework-lesson", lesson_id=self.lesson.pk, day=self.day.isoformat())

    def save_entry(self, request: HttpRequest) -> HttpResponse:
        form = EntryForm(request.POST)
        if not form.is_valid():
            return self.page(request, 400, entry_form=form)
        try:
            services.lesson_entry_save(
                actor=actor_of(request),
                lesson=self.lesson,
                date=self.day,
                title=form.cleaned_data["title"],
                content=form.cleaned_data["content"],
                links=form.links_list(),
            )
        except ApplicationError as error:
            return self.page(request, failed(form, error), entry_form=form)
        return self.done(_("The notebook was saved."))

    def set_homework(self, request: HttpRequest) -> HttpResponse:
        form = HomeworkForm(request.POST)
        if not form.is_valid():
            return self.page(request, 400, homework_form=form)
        data = form.cleaned_data
        try:
            services.homework_set(
                actor=actor_of(request),
                lesson=self.lesson,
                date=self.day,
                instructions=data["instructions"],
                due_on=data["due_on"],
                for_next_lesson=data["for_next_lesson"],
                estimated_minutes=data["estimated_minutes"],
                online_submission=data["online_submission"],
            )
        except ApplicationError as error:
            return self.page(request, failed(form, error), homework_form=form)
        return self.done(_("The homework was set."))

    def add_file(self, request: HttpRequest) -> HttpResponse:
        form = FileForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(request, 400, file_form=form)
        homework_id = query_int(request.POST, "homework")
        try:
            if homework_id is not None:
                homework = get_or_404(selectors.homework_visible(**who(request)), pk=homework_id)
                services.homework_attach(
                    actor=actor_of(request), homework=homework, upload=form.cleaned_data["file"]
                )
            else:
                entry = self.entry or services.lesson_entry_save(
                    actor=actor_of(request), lesson=self.lesson, date=self.day, title="", content=""
                )
                services.lesson_entry_attach(
                    actor=actor_of(request), entry=entry, upload=form.cleaned_data["file"]
                )
        except ApplicationError as error:
            return self.page(request, failed(form, error), file_form=form)
        return self.done(_("The document was added."))

    def remove_file(self, request: HttpRequest) -> HttpResponse:
        attachment = get_or_404(Attachment, pk=query_int(request.POST, "attachment") or 0)
        services.attachment_remove(actor=actor_of(request), attachment=attachment)
        return self.done(_("The document was removed."))

    def copy(self, request: HttpRequest) -> HttpResponse:
        form = CopyForm(request.POST, lessons=self.copy_choices())
        if not form.is_valid() or self.entry is None:
            return self.page(request, 400, copy_form=form)
        target = Lesson.objects.get(pk=int(form.cleaned_data["target"]))
        try:
            copy = services.lesson_entry_copy(
                actor=actor_of(request), entry=self.entry, lesson=target, date=form.cleaned_data["date"]
            )
        except ApplicationError as error:
            return self.page(request, failed(form, error), copy_form=form)
        messages.success(request, _("The lesson was copied."))
        return redirect("homework-lesson", lesson_id=target.pk, day=copy.date.isoformat())


class ClassNotebookView(RolesRequiredMixin, View):
    """``/homework/classes/<class>/?subject=&start=&end=``: a class's notebook, newest first (four
    weeks by default)."""

    required_roles = CLASS_NOTEBOOK_READERS

    def get(self, request: HttpRequest, class_id: int) -> HttpResponse:
        school_class = get_or_404(selectors.classes_for_notebook(**who(request)), pk=class_id)
        subjects = [(str(s.pk), s.name) for s in Subject.objects.order_by("name")]
        form = NotebookFilterForm(request.GET or None, subjects=subjects)
        today = timezone.localdate()
        start, end, subject_id = (
            today - datetime.timedelta(days=27),
            today + datetime.timedelta(days=14),
            None,
        )
        status = 200
        if form.is_bound:
            if form.is_valid():
                start = form.cleaned_data["start"] or start
                end = form.cleaned_data["end"] or end
                subject_id = int(form.cleaned_data["subject"]) if form.cleaned_data["subject"] else None
            else:
                status = 400
        entries = list(
            selectors.class_notebook(school_class=school_class, subject_id=subject_id, start=start, end=end)[
                :300
            ]
        )
        context = {"school_class": school_class, "form": form, "entries": entries, "start": start, "end": end}
        return render(request, "homework/class.html", context, status=status)
