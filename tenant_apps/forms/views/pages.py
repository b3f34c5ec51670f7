"""The desk's pages: each person's forms (a family: what to fill for each child; managers: every
form), a new form, a form's page (publish, close, completion per class, the answers and their
export for the staff it names; each child's status for a family), a child's answer (fill, save a
draft, submit, see what was answered; the reply and certificate)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError, NotFound
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.permissions import RolesRequiredMixin
from mbn_platform.kernel.tenancy import request_access
from shared_apps.identity.roles import Role
from tenant_apps.forms import selectors, services
from tenant_apps.forms.api.forms import certificate_response, export_response
from tenant_apps.forms.files import answer_file_response
from tenant_apps.forms.forms import AnswerForm, NewForm, ReplyForm
from tenant_apps.forms.models import Answer, Audience, Form, FormStatus
from tenant_apps.forms.permissions import FORM_MANAGERS, FORM_READERS
from tenant_apps.forms.values import field_name
from tenant_apps.school.models import Member


def _scope(request: HttpRequest) -> dict[str, Any]:
    access = request_access(request)
    return {"user_id": access.user_id or 0, "roles": access.roles}


def _form(request: HttpRequest, form_id: int) -> Form:
    return get_or_404(selectors.forms_visible(**_scope(request)), pk=form_id)


class _Answerers:
    """Whom the person may answer forms for, read once per request: themselves (a student, for
    the forms addressed to students) and the children they may act for (a guardian)."""

    def __init__(self, request: HttpRequest) -> None:
        access = _scope(request)
        self.roles = access["roles"]
        self.user_id = access["user_id"]
        self._me: list[Member] | None = None
        self._children: list[Member] | None = None

    def _candidates(self, audience: str) -> list[Member]:
        if audience == Audience.STUDENTS:
            if Role.STUDENT not in self.roles:
                return []
            if self._me is None:
                me = selectors.me(self.user_id)
                self._me = [me] if me is not None else []
            return self._me
        if Role.GUARDIAN not in self.roles:
            return []
        if self._children is None:
            self._children = selectors.children_acting(guardian_user_id=self.user_id)
        return self._children

    def of(self, form: Form) -> list[Member]:
        """Whom the person answers this form for."""
        classes = {c.pk for c in form.classes.all()}
        return [c for c in self._candidates(form.audience) if c.school_class_id in classes]


def _children(request: HttpRequest, form: Form) -> list[Member]:
    return _Answerers(request).of(form)


class FormsHomeView(RolesRequiredMixin, View):
    held_page = True  # kernel/held_pages.py
    required_roles = FORM_READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        access = _scope(request)
        forms = list(selectors.forms_visible(**access))
        answerers = _Answerers(request)
        children = {f.pk: answerers.of(f) for f in forms}
        answers = {
            (a.form_id, a.child_id): a
            for a in Answer.objects.filter(form__in=forms).filter(
                child_id__in=[c.pk for f in forms for c in children[f.pk]]
            )
        }
        rows = [
            {"form": f, "children": [(c, answers.get((f.pk, c.pk))) for c in children[f.pk]]} for f in forms
        ]
        context = {"rows": rows, "is_manager": bool(access["roles"] & FORM_MANAGERS)}
        return render(request, "forms/home.html", context)


class FormNewView(RolesRequiredMixin, View):
    required_roles = FORM_MANAGERS

    def page(self, request: HttpRequest, form: NewForm, status: int = 200) -> HttpResponse:
        return render(request, "forms/new.html", {"form": form}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request, NewForm(initial={"reader_roles": [Role.ADMIN_STAFF]}))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = NewForm(request.POST)
        if not form.is_valid():
            return self.page(request, form, 400)
        data = dict(form.cleaned_data)
        data["classes"] = list(data["classes"])
        try:
            created = services.form_create(actor=actor_of(request), **data)
        except ApplicationError as error:
            form.add_application_error(error)
            return self.page(request, form, 400 if error.status == 404 else error.status)
        messages.success(request, _("The form was created: check it, then publish it."))
        return redirect("forms-detail", form_id=created.pk)


class FormDetailView(RolesRequiredMixin, View):
    required_roles = FORM_READERS

    def get(self, request: HttpRequest, form_id: int) -> HttpResponse:
        access = _scope(request)
        form = _form(request, form_id)
        reader = selectors.may_read_answers(form, access["roles"])
        context = {
            "form": form,
            "questions": list(form.questions.all()),
            "is_manager": bool(access["roles"] & FORM_MANAGERS),
            "reader": reader,
            "completion": selectors.completion(form) if access["roles"] & FORM_MANAGERS or reader else [],
            "answers": list(selectors.answers_visible(form=form, **access)) if reader else [],
            "children": [
                (c, Answer.objects.filter(form=form, child=c).first()) for c in _children(request, form)
            ],
            "open": form.status == FormStatus.PUBLISHED and form.deadline > timezone.now(),
        }
        return render(request, "forms/detail.html", context)

    def post(self, request: HttpRequest, form_id: int) -> HttpResponse:
        """Managers publish or close the form."""
        access = _scope(request)
        if not access["roles"] & FORM_MANAGERS:
            raise NotFound()
        form = _form(request, form_id)
        try:
            if request.POST.get("action") == "publish":
                services.form_publish(actor=actor_of(request), form=form)
                messages.success(request, _("The form is published: the people addressed were told."))
            elif request.POST.get("action") == "close":
                services.form_close(actor=actor_of(request), form=form)
                messages.success(request, _("The form is closed."))
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect("forms-detail", form_id=form.pk)


class FormExportView(RolesRequiredMixin, View):
    required_roles = FORM_READERS

    def get(self, request: HttpRequest, form_id: int, fmt: str) -> HttpResponse:
        access = _scope(request)
        form = _form(request, form_id)
        if not selectors.may_read_answers(form, access["roles"]):
            raise NotFound()
        return export_response(request, form, selectors.answers_visible(form=form, **access), fmt)


class AnswerView(RolesRequiredMixin, View):
    """A child's answer: its family fills it (draft, submit) and reads it; staff the form names
    read it and reply."""

    required_roles = FORM_READERS

    def _load(
        self, request: HttpRequest, form_id: int, child_id: int
    ) -> tuple[Form, Member | None, Answer | None]:
        access = _scope(request)
        form = _form(request, form_id)
        child = next((c for c in _children(request, form) if c.user_id == child_id), None)
        answer = selectors.answers_visible(form=form, **access).filter(child__user_id=child_id).first()
        if child is None and answer is None:
            raise NotFound()
        return form, child, answer

    def page(
        self,
        request: HttpRequest,
        form: Form,
        child: Member | None,
        answer: Answer | None,
        data: Any = None,
        error: ApplicationError | None = None,
    ) -> HttpResponse:
        access = _scope(request)
        questions = list(form.questions.all())
        open_ = form.status == FormStatus.PUBLISHED and form.deadline > timezone.now()
        editable = child is not None and open_ and (answer is None or answer.status == "draft")
        initial = {field_name(q): (answer.values.get(str(q.pk), "") if answer else "") for q in questions}
        answer_form = AnswerForm(data, questions=questions, disabled=not editable, initial=initial)
        status = 200
        if error is not None:
            answer_form.add_application_error(error)
            status = 400 if error.status == 404 else error.status
        reader = selectors.may_read_answers(form, access["roles"])
        context = {
            "form": form,
            "child": child or (answer.child if answer else None),
            "answer": answer,
            "answer_form": answer_form,
            "editable": editable,
            "files": list(answer.files.select_related("question")) if answer is not None else [],
            "reply_form": ReplyForm()
            if reader and answer is not None and answer.status == "submitted"
            else None,
        }
        return render(request, "forms/answer.html", context, status=status)

    def get(self, request: HttpRequest, form_id: int, child_id: int) -> HttpResponse:
        return self.page(request, *self._load(request, form_id, child_id))

    def post(self, request: HttpRequest, form_id: int, child_id: int) -> HttpResponse:
        form, child, answer = self._load(request, form_id, child_id)
        if "reply" in request.POST and answer is not None:
            reply = ReplyForm(request.POST)
            reply.is_valid()
            try:
                services.answer_reply(actor=actor_of(request), answer=answer, **reply.cleaned_data)
            except ApplicationError as error:
                if error.status in (403, 404):
                    raise
                messages.error(request, error.message)
            else:
                messages.success(request, _("The reply was sent."))
            return redirect("forms-answer", form_id=form.pk, child_id=child_id)
        if child is None:
            raise NotFound()
        submit = request.POST.get("action") == "submit"
        try:
            services.answer_save(
                actor=actor_of(request),
                form=form,
                child=child,
                given=request.POST,
                files=request.FILES,
                submit=submit,
            )
        except ApplicationError as error:
            if error.status == 403:
                raise
            return self.page(request, form, child, answer, request.POST, error)
        messages.success(request, _("Your answer was submitted.") if submit else _("Your draft was saved."))
        return redirect("forms-answer", form_id=form.pk, child_id=child_id)


class CertificateView(RolesRequiredMixin, View):
    required_roles = FORM_READERS

    def get(self, request: HttpRequest, form_id: int, child_id: int) -> HttpResponse:
        form = _form(request, form_id)
        answer = get_or_404(selectors.answers_visible(form=form, **_scope(request)), child__user_id=child_id)
        return certificate_response(answer)


class AnswerFileView(RolesRequiredMixin, View):
    """A file sent with an answer, as a download: staff the form names, and the child's family
    (what they sent); anyone else, another school's host: 404."""

    required_roles = FORM_READERS

    def get(self, request: HttpRequest, form_id: int, child_id: int, question_id: int) -> FileResponse:
        form = _form(request, form_id)
        answer = get_or_404(selectors.answers_visible(form=form, **_scope(request)), child__user_id=child_id)
        return answer_file_response(answer, question_id)
