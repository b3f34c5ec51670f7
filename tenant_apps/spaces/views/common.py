"""What the spaces pages share: the person's row, the space in the path (404 unless they belong
to it), a service's error shown on its form."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from mbn_platform.kernel.errors import ApplicationError, NotFound
from mbn_platform.kernel.tenancy import request_access
from tenant_apps.school.models import Member
from tenant_apps.spaces import selectors
from tenant_apps.spaces.models import Space


def member_here(request: HttpRequest) -> Member:
    member = selectors.me(request_access(request).user_id or 0)
    if member is None:
        raise NotFound()
    return member


def space_here(request: HttpRequest, space_id: int) -> tuple[Space, str, Member]:
    member = member_here(request)
    found = selectors.space_for(member, space_id)
    if found is None:
        raise NotFound()
    return found[0], found[1], member


def failed(form: Any, error: ApplicationError) -> int:
    """Show the error on the form; the page's status (a 404 of a sub-object is a bad choice: 400)."""
    form.add_application_error(error)
    return error.status if error.status != 404 else 400


def people_choices(queryset: Any) -> list[tuple[str, str]]:
    """``(member id, "Name (class)")`` choices."""
    return [
        (str(m.pk), f"{m.display_name} ({m.school_class.name})" if m.school_class_id else m.display_name)
        for m in queryset.select_related("school_class")
    ]
