"""What the documents' pages share: the answer to a form posted with or without JavaScript (the
upload's progress bar posts with ``Accept: application/json``), the folders' choices."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from mbn_platform.kernel.errors import ApplicationError
from tenant_apps.documents.models import Folder


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def done(request: HttpRequest, url: str) -> HttpResponse:
    """Success: back to ``url`` (the script follows ``redirect``)."""
    if wants_json(request):
        return JsonResponse({"redirect": url})
    return redirect(url)


def failed(
    request: HttpRequest, template: str, context: dict[str, Any], form: Any, error: ApplicationError | None
) -> HttpResponse:
    """A form refused (by its own checks or a service's ``error``): the page again with the errors,
    or, for the script, the error as JSON with its code."""
    status = 400
    if error is not None:
        form.add_application_error(error)
        status = error.status if error.status != 404 else 400
    if wants_json(request):
        messages = [str(m) for errors in form.errors.values() for m in errors]
        code = str(error.code) if error is not None else "invalid"
        return JsonResponse({"error": {"code": code, "message": " ".join(messages)}}, status=status)
    return render(request, template, context, status=status)


def folder_choices(folders: list[Folder], *, exclude: Folder | None = None) -> list[tuple[int, str]]:
    """(id, "Parent / Child") for every folder of a library (``exclude`` and below left out)."""
    by_id = {f.pk: f for f in folders}

    def path(folder: Folder) -> list[Folder]:
        trail, seen = [folder], {folder.pk}
        while trail[-1].parent_id in by_id and trail[-1].parent_id not in seen:
            seen.add(trail[-1].parent_id)
            trail.append(by_id[trail[-1].parent_id])
        return trail[::-1]

    choices = []
    for folder in folders:
        trail = path(folder)
        if exclude is not None and any(f.pk == exclude.pk for f in trail):
            continue
        choices.append((folder.pk, " / ".join(f.name for f in trail)))
    return sorted(choices, key=lambda c: c[1].lower())
