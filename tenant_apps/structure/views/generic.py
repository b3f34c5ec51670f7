"""The three generic pages of the structure, for every kind of object (``sections.py``): its list
with an "add" form, the edit page, the delete page with a confirmation step. A refused change is
shown on the form (HTTP 400), next to its field."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import Conflict, ValidationFailed
from mbn_platform.kernel.forms import AccessibleForm
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.permissions import RolesRequiredMixin
from tenant_apps.structure.permissions import STRUCTURE_MANAGERS
from tenant_apps.structure.views.sections import Section


class ManagerPage(RolesRequiredMixin, View):
    required_roles = STRUCTURE_MANAGERS


class _SectionPage(ManagerPage):
    section: ClassVar[Section]

    def context(self, **extra: Any) -> dict[str, Any]:
        section = self.section
        return {
            "section": section,
            "edit_name": f"structure-{section.url}",
            "delete_name": f"structure-{section.url}-delete",
            **extra,
        }


class SectionListView(_SectionPage):
    """The list of one kind of object and the form that adds one."""

    template_name = "structure/list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request, form=self.section.form_class())

    def page(self, request: HttpRequest, *, form: AccessibleForm, status: int = 200) -> HttpResponse:
        rows = [(obj, self.section.cells(obj)) for obj in self.section.queryset()]
        return render(request, self.template_name, self.context(rows=rows, form=form), status=status)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.section.form_class(request.POST)
        if not form.is_valid():
            return self.page(request, form=form, status=400)
        try:
            obj = self.section.create(actor=actor_of(request), data=dict(form.cleaned_data))
        except (ValidationFailed, Conflict) as error:
            form.add_application_error(error)
            return self.page(request, form=form, status=400)
        messages.success(request, _("“%(name)s” was added.") % {"name": obj})
        return redirect(self.after_create(obj))

    def after_create(self, obj: Any) -> str:
        return self.section.list_url(obj)


class SectionEditView(_SectionPage):
    """Edit one object (its current values in the form)."""

    template_name = "structure/edit.html"

    def get_object(self, pk: int) -> Any:
        return get_or_404(self.section.queryset(), pk=pk)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        return self.page(request, obj=obj, form=self.section.form_class(initial=self.section.initial(obj)))

    def page(
        self, request: HttpRequest, *, obj: Any, form: AccessibleForm, status: int = 200
    ) -> HttpResponse:
        context = self.context(obj=obj, form=form, back_url=self.section.list_url(obj))
        context["back_title"] = self.section.back_title(obj)
        context.update(self.more_context(request, obj))
        return render(request, self.template_name, context, status=status)

    def more_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {}

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        form = self.section.form_class(request.POST)
        if not form.is_valid():
            return self.page(request, obj=obj, form=form, status=400)
        try:
            self.section.update(actor=actor_of(request), obj=obj, data=self.data(request, form))
        except (ValidationFailed, Conflict) as error:
            form.add_application_error(error)
            return self.page(request, obj=self.get_object(pk), form=form, status=400)
        messages.success(request, _("“%(name)s” was saved.") % {"name": obj})
        return redirect(self.section.list_url(obj))

    def data(self, request: HttpRequest, form: AccessibleForm) -> dict[str, Any]:
        return dict(form.cleaned_data)


class SectionDeleteView(_SectionPage):
    """Delete one object: a confirmation page (GET), then the delete (POST). Something still in
    use is not deleted: the page says why (HTTP 409)."""

    template_name = "structure/delete.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = get_or_404(self.section.queryset(), pk=pk)
        context = self.context(
            obj=obj, back_url=self.section.list_url(obj), back_title=self.section.back_title(obj)
        )
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = get_or_404(self.section.queryset(), pk=pk)
        name, back_url = str(obj), self.section.list_url(obj)
        try:
            self.section.delete(actor=actor_of(request), obj=obj)
        except Conflict as error:
            context = self.context(
                obj=obj, back_url=back_url, back_title=self.section.back_title(obj), error=error
            )
            return render(request, self.template_name, context, status=error.status)
        messages.success(request, _("“%(name)s” was deleted.") % {"name": name})
        return redirect(back_url)
