"""What the appointments pages share."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from mbn_platform.kernel.errors import ApplicationError
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.tenancy import request_access
from tenant_apps.appointments import selectors
from tenant_apps.appointments.models import Evening


def scope(request: HttpRequest) -> dict[str, Any]:
    access = request_access(request)
    return {"user_id": access.user_id or 0, "roles": access.roles}


def evening_or_404(request: HttpRequest, evening_id: int) -> Evening:
    return get_or_404(selectors.evenings_visible(**scope(request)), pk=evening_id)


def failed(form: Any, error: ApplicationError) -> int:
    """Show a service's error on the form; the page's status (a 404 of a field is a 400)."""
    if error.status == 403:
        raise error
    form.add_application_error(error)
    return error.status if error.status != 404 else 400
