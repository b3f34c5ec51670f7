"""The help centre's pages: the guides and their search (anyone, every host), and their editor
(the region's operators, on the portal). Thin: ``help.py`` has the rules."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError
from mbn_platform.kernel.forms import AccessibleForm
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.parsing import query_text
from mbn_platform.kernel.permissions import RolesRequiredMixin
from shared_apps.identity.roles import OPERATORS
from shared_apps.support.help import help_guide_save, help_guides
from shared_apps.support.models import HelpAudience, HelpGuide


class GuideForm(AccessibleForm):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=150)
    audience = forms.ChoiceField(label=gettext_lazy("For"), choices=HelpAudience.choices)
    summary = forms.CharField(label=gettext_lazy("Summary (one sentence)"), max_length=300, required=False)
    body = forms.CharField(
        label=gettext_lazy("Text (plain text; a blank line between paragraphs)"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    published = forms.BooleanField(label=gettext_lazy("Published"), required=False, initial=True)


class HelpCentreView(RolesRequiredMixin, View):
    allow_anonymous = True

    def get(self, request: HttpRequest) -> HttpResponse:
        query = query_text(request.GET, "q", max_length=200)
        guides = list(help_guides(query=query)[:100])
        return render(
            request,
            "support/help/centre.html",
            {"guides": guides, "query": query, "audiences": HelpAudience.choices},
        )


class HelpGuideView(RolesRequiredMixin, View):
    allow_anonymous = True

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        guide = get_or_404(HelpGuide, slug=slug, published=True)
        return render(request, "support/help/guide.html", {"guide": guide})


class HelpEditorListView(RolesRequiredMixin, View):
    required_region_roles = OPERATORS

    def get(self, request: HttpRequest) -> HttpResponse:
        guides = help_guides(include_drafts=True)
        return render(request, "support/help/editor_list.html", {"guides": guides})


class HelpEditorView(RolesRequiredMixin, View):
    required_region_roles = OPERATORS

    def get(self, request: HttpRequest, guide_id: int | None = None) -> HttpResponse:
        guide = get_or_404(HelpGuide, pk=guide_id) if guide_id else None
        initial = (
            {k: getattr(guide, k) for k in ("title", "audience", "summary", "body", "published")}
            if guide
            else {}
        )
        return render(
            request, "support/help/editor.html", {"guide": guide, "form": GuideForm(initial=initial)}
        )

    def post(self, request: HttpRequest, guide_id: int | None = None) -> HttpResponse:
        guide = get_or_404(HelpGuide, pk=guide_id) if guide_id else None
        form = GuideForm(request.POST)
        if form.is_valid():
            try:
                saved = help_guide_save(actor=actor_of(request), guide=guide, **form.cleaned_data)
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(request, _("The guide is saved."))
                return HttpResponseRedirect(reverse("help-editor-guide", args=[saved.pk]))
        return render(request, "support/help/editor.html", {"guide": guide, "form": form}, status=400)
