"""What the pages of news and notices share."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from mbn_platform.kernel.errors import ApplicationError, NotFound
from mbn_platform.kernel.tenancy import request_access
from tenant_apps.news.selectors.news import me
from tenant_apps.school.models import Member


def reader(request: HttpRequest) -> Member | None:
    """The signed-in member (None for a visitor)."""
    return me(request_access(request).user_id)


def member_required(request: HttpRequest) -> Member:
    member = reader(request)
    if member is None:
        raise NotFound()
    return member


def failed(form: Any, error: ApplicationError) -> int:
    """Show a service's error on the form; the page's status (a 404 of a named object: 400)."""
    form.add_application_error(error)
    return error.status if error.status != 404 else 400
