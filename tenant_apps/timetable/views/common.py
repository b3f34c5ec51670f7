"""What the timetable's management pages share: a service's error shown on the form, and where
to go back after a save (a local path only, never another host)."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.urls import reverse

from mbn_platform.kernel.errors import ApplicationError
from mbn_platform.kernel.forms import AccessibleForm


def service_error(form: AccessibleForm, error: ApplicationError) -> int:
    """Show a service's error on the form; the page's status (400, or the error's own: 409)."""
    form.add_application_error(error)
    return error.status if error.status != 404 else 400


def local_back(request: HttpRequest, *, under: str, default: str) -> str:
    """Where to go after a save: the page the person came from when it is a local path under
    ``under`` (never another host), else ``default``."""
    back = request.POST.get("back") or request.GET.get("back") or ""
    if back.startswith(under) and "//" not in back and "\\" not in back:
        return back
    return default


def manage_back(request: HttpRequest) -> str:
    """The management page the person came from."""
    manage = reverse("timetable-manage")
    return local_back(request, under=manage, default=manage)


def week_back(request: HttpRequest, day: datetime.date) -> str:
    """The week page the person came from (a local timetable path), else their week of ``day``."""
    return local_back(
        request, under="/timetable/", default=f"{reverse('timetable-week')}?date={day.isoformat()}"
    )
