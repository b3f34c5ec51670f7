"""What the notebook's pages share."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from mbn_platform.kernel.errors import ApplicationError
from mbn_platform.kernel.tenancy import request_access


def who(request: HttpRequest) -> dict[str, Any]:
    access = request_access(request)
    return {"user_id": access.user_id or 0, "roles": access.roles}


def failed(form: Any, error: ApplicationError) -> int:
    """Show a service's error on the form; the page's status (a 404 of a named object: 400)."""
    form.add_application_error(error)
    return error.status if error.status != 404 else 400
